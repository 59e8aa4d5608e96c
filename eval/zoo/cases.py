"""The zoo's cases: a tiny project with one seeded fault per tool, or a real client
against a fault server. The label (kind, category) is known by construction.

`command` runs with bash in the project folder, as a workflow's `run:` step would;
`key` picks the output lines that explain the failure (the label's chunk).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The fault servers' addresses inside their network namespace (see faults.py).
NET = "203.0.113"
UNREACHABLE = f"{NET}.99"  # on the namespace's network, but no host answers
NOWHERE = "registry.zoo.invalid"  # a name that never resolves (RFC 6761)


@dataclass(frozen=True)
class Case:
    id: str
    ecosystem: str
    tool: str
    kind: str
    category: str
    command: str
    key: str
    files: dict[str, str] = field(default_factory=dict)
    setup: str = ""  # run before, not recorded (e.g. compiling the test classes)
    needs: tuple[str, ...] = ()  # executables that must exist


def _py(id: str, tool: str, category: str, command: str, key: str, **files: str) -> Case:
    return Case(id, "python", tool, "persistent", category, command, key, _files(files))


def _js(id: str, tool: str, category: str, command: str, key: str, **files: str) -> Case:
    return Case(
        id,
        "javascript",
        tool,
        "persistent",
        category,
        command,
        key,
        _files(files),
        setup='ln -sfn "$ZOO_NODE/node_modules" node_modules',
    )


def _files(files: dict[str, str]) -> dict[str, str]:
    """Keyword names stand for paths: `src__app_DOT_js` is `src/app.js`; a name that is
    already a path (`**{"shop/__init__.py": ""}`) is kept as it is."""
    return {
        name if "/" in name or "." in name else name.replace("__", "/").replace("_DOT_", "."): text
        for name, text in files.items()
    }


CART = "def total(prices, discount=0):\n    return sum(prices) * (100 - discount) // 100\n"

PERSISTENT: list[Case] = [
    # ---------------------------------------------------------------- Python
    _py(
        "pytest-assert",
        "pytest",
        "test",
        "pytest -q",
        r"FAILED|assert",
        cart_DOT_py=CART,
        test_cart_DOT_py="from cart import total\n\n\ndef test_total_applies_discount():\n"
        "    assert total([1000, 500], discount=10) == 1215\n",
    ),
    _py(
        "pytest-import-error",
        "pytest",
        "import_error",
        "pytest -q",
        r"ModuleNotFoundError|ERROR collecting",
        test_api_DOT_py="import requests_mock_v3\n\n\ndef test_get():\n    assert requests_mock_v3\n",
    ),
    _py(
        "unittest-failure",
        "unittest",
        "test",
        "python -m unittest discover -v",
        r"FAIL|AssertionError",
        cart_DOT_py=CART,
        test_cart_DOT_py="import unittest\n\nfrom cart import total\n\n\n"
        "class CartTest(unittest.TestCase):\n    def test_discount(self):\n"
        "        self.assertEqual(total([1000, 500], discount=10), 1215)\n",
    ),
    _py(
        "mypy-type-error",
        "mypy",
        "type_error",
        "mypy --strict app.py",
        r"error:",
        app_DOT_py="def count(items: list[str]) -> int:\n    return len(items)\n\n\n"
        "total: int = count([1, 2])\nname: str = total\n",
    ),
    _py(
        "pyright-type-error",
        "pyright",
        "type_error",
        "pyright app.py",
        r"error:",
        app_DOT_py="def count(items: list[str]) -> int:\n    return len(items)\n\n\n"
        "name: str = count(['a'])\n",
    ),
    _py(
        "ruff-check",
        "ruff",
        "lint",
        "ruff check .",
        r"F401|F841|Found \d+ error",
        app_DOT_py="import os\nimport sys\n\n\ndef main():\n    unused = 1\n    return sys.argv\n",
    ),
    _py(
        "ruff-format-check",
        "ruff",
        "format",
        "ruff format --check .",
        r"Would reformat|would be reformatted",
        app_DOT_py="def main( a,b ):\n  return {'a':a,'b':b}\n",
    ),
    _py(
        "flake8",
        "flake8",
        "lint",
        "flake8 .",
        r"\.py:\d+:\d+: [EFW]\d+",
        app_DOT_py="import os\n\ndef main():\n    x=1\n    return  x\n",
    ),
    _py(
        "pylint",
        "pylint",
        "lint",
        "pylint --disable=C app.py",
        r"app\.py:\d+:\d+: [EWR]\d+",
        app_DOT_py='"""App."""\n\n\ndef main(items):\n    unused = len(items)\n'
        "    return items.no_such_method()\n",
    ),
    _py(
        "black-check",
        "black",
        "format",
        "black --check --diff .",
        r"would reformat|Oh no",
        app_DOT_py="def main( a,b ):\n  return {'a':a,'b':b}\n",
    ),
    _py(
        "isort-check",
        "isort",
        "format",
        "isort --check-only --diff .",
        r"ERROR: .* Imports are incorrectly sorted",
        app_DOT_py="import sys\nimport os\n\nprint(os, sys)\n",
    ),
    _py(
        "python-syntax-error",
        "python",
        "syntax_error",
        "python -m compileall -q src",
        r"SyntaxError|\^",
        src__app_DOT_py="def main():\n    print('hello'\n\nmain()\n",
    ),
    _py(
        "yamllint",
        "yamllint",
        "lint",
        "yamllint -s .",
        r"error|warning",
        config_DOT_yml="key: 1\nkey: 2\nlist:\n  - a\n   - b\n",
    ),
    # ---------------------------------------------------------------- JavaScript / TypeScript
    _js(
        "jest-failure",
        "jest",
        "test",
        "jest --ci",
        r"●|Expected|Received|Tests:.*failed",
        package_DOT_json='{ "name": "zoo", "private": true }\n',
        sum_DOT_js="module.exports = (a, b) => a - b;\n",
        sum_DOT_test_DOT_js="const sum = require('./sum');\n\n"
        "test('adds 1 + 2 to equal 3', () => {\n  expect(sum(1, 2)).toBe(3);\n});\n",
    ),
    _js(
        "vitest-failure",
        "vitest",
        "test",
        "vitest run",
        r"FAIL|AssertionError|expected|Tests .*failed",
        sum_DOT_mjs="export const sum = (a, b) => a - b;\n",
        sum_DOT_test_DOT_mjs="import { expect, test } from 'vitest';\nimport { sum } from './sum.mjs';\n\n"
        "test('adds 1 + 2 to equal 3', () => {\n  expect(sum(1, 2)).toBe(3);\n});\n",
    ),
    _js(
        "mocha-failure",
        "mocha",
        "test",
        "mocha",
        r"failing|AssertionError|expected",
        test__sum_DOT_test_DOT_js="const assert = require('assert');\n\n"
        "describe('sum', () => {\n  it('adds', () => {\n    assert.strictEqual(1 - 2, 3);\n  });\n});\n",
    ),
    _js(
        "node-test-failure",
        "node --test",
        "test",
        "node --test",
        r"not ok|AssertionError|# fail",
        test_DOT_mjs="import test from 'node:test';\nimport assert from 'node:assert';\n\n"
        "test('adds', () => {\n  assert.strictEqual(1 - 2, 3);\n});\n",
    ),
    _js(
        "tsc-type-error",
        "tsc",
        "type_error",
        "tsc --noEmit --strict app.ts",
        r"error TS\d+",
        app_DOT_ts="function count(items: string[]): number {\n  return items.length;\n}\n\n"
        "const label: string = count(['a']);\nconsole.log(label);\n",
    ),
    _js(
        "eslint",
        "eslint",
        "lint",
        "eslint .",
        r"error|problem",
        eslint_DOT_config_DOT_mjs="export default [\n  {\n    rules: {\n"
        "      'no-unused-vars': 'error',\n      'no-undef': 'error',\n    },\n"
        "    languageOptions: { sourceType: 'module', globals: { console: 'readonly' } },\n"
        "  },\n];\n",
        src__app_DOT_js="const unused = 1;\nconsole.log(missingName);\n",
    ),
    _js(
        "prettier-check",
        "prettier",
        "format",
        "prettier --check src",
        r"\[warn\]|Code style issues",
        src__app_DOT_js="const  a= {b:1,\n   c:2}\nconsole.log( a )\n",
    ),
    _js(
        "stylelint",
        "stylelint",
        "lint",
        "stylelint 'src/**/*.css'",
        r"✖|problem|color-no-invalid-hex|block-no-empty",
        _DOT_stylelintrc_DOT_json='{ "extends": "stylelint-config-standard" }\n',
        src__site_DOT_css="a { color: #ggg; }\n\nb {}\n",
    ),
    _js(
        "esbuild-syntax-error",
        "esbuild",
        "syntax_error",
        "esbuild src/app.js --bundle --outfile=dist/app.js",
        r"ERROR|error",
        src__app_DOT_js="export function main( {\n  return 1;\n}\n",
    ),
    _js(
        "node-syntax-error",
        "node",
        "syntax_error",
        "node --check src/app.js",
        r"SyntaxError",
        src__app_DOT_js="function main( {\n  return 1;\n}\n",
    ),
    # ---------------------------------------------------------------- Go
    Case(
        "go-test-failure",
        "go",
        "go test",
        "persistent",
        "test",
        "go test ./...",
        r"--- FAIL|FAIL|_test\.go:\d+",
        {
            "go.mod": "module example.test/zoo\n\ngo 1.19\n",
            "cart.go": "package zoo\n\nfunc Total(a, b int) int { return a - b }\n",
            "cart_test.go": 'package zoo\n\nimport "testing"\n\nfunc TestTotal(t *testing.T) {\n'
            '\tif got := Total(1, 2); got != 3 {\n\t\tt.Errorf("Total(1, 2) = %d, want 3", got)\n'
            "\t}\n}\n",
        },
        needs=("go",),
    ),
    Case(
        "go-vet",
        "go",
        "go vet",
        "persistent",
        "lint",
        "go vet ./...",
        r"\.go:\d+:\d+:",
        {
            "go.mod": "module example.test/zoo\n\ngo 1.19\n",
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Printf("%d\\n", "x")\n}\n',
        },
        needs=("go",),
    ),
    Case(
        "gofmt",
        "go",
        "gofmt",
        "persistent",
        "format",
        'gofmt -d . && test -z "$(gofmt -l .)"',
        r"^[-+][^-+]|diff",
        {
            "go.mod": "module example.test/zoo\n\ngo 1.19\n",
            "main.go": "package main\nfunc main() {\nx:=1\n_ = x}\n",
        },
        needs=("go",),
    ),
    Case(
        "go-build-error",
        "go",
        "go build",
        "persistent",
        "compile",
        "go build ./...",
        r"\.go:\d+:\d+:",
        {
            "go.mod": "module example.test/zoo\n\ngo 1.19\n",
            "main.go": 'package main\n\nfunc main() {\n\tvar n int = "three"\n\t_ = n\n}\n',
        },
        needs=("go",),
    ),
    # ---------------------------------------------------------------- Rust
    *(
        Case(
            f"cargo-{name}",
            "rust",
            tool,
            "persistent",
            category,
            command,
            key,
            {
                "Cargo.toml": '[package]\nname = "zoo"\nversion = "0.1.0"\nedition = "2021"\n',
                "src/lib.rs": source,
            },
            needs=("cargo",),
        )
        for name, tool, category, command, key, source in (
            (
                "test-failure",
                "cargo test",
                "test",
                "cargo test --offline",
                r"panicked|FAILED|failures:|assertion",
                "pub fn add(a: i32, b: i32) -> i32 { a - b }\n\n#[cfg(test)]\nmod tests {\n"
                "    #[test]\n    fn adds() {\n        assert_eq!(super::add(1, 2), 3);\n    }\n}\n",
            ),
            (
                "build-error",
                "rustc",
                "compile",
                "cargo build --offline",
                r"error\[E\d+\]|error:",
                "pub fn add(a: i32, b: i32) -> i32 {\n    let s: String = a + b;\n    s\n}\n",
            ),
            (
                "clippy",
                "clippy",
                "lint",
                "cargo clippy --offline -- -D warnings",
                r"error:|clippy::",
                "pub fn add(a: i32, b: i32) -> i32 {\n    return a + b;\n}\n",
            ),
            (
                "fmt-check",
                "rustfmt",
                "format",
                "cargo fmt --check",
                r"^Diff in|^[-+]",
                "pub fn add(a:i32,b:i32)->i32{a+b}\n",
            ),
        )
    ),
    # ---------------------------------------------------------------- C / C++
    Case(
        "gcc-compile-error",
        "c",
        "gcc",
        "persistent",
        "compile",
        "gcc -Wall -c src/cart.c -o cart.o",
        r"error:",
        {"src/cart.c": "int total(int a, int b) {\n    return a + b + missing;\n}\n"},
        needs=("gcc",),
    ),
    Case(
        "clang-compile-error",
        "c",
        "clang",
        "persistent",
        "compile",
        "clang++ -std=c++17 -c src/cart.cpp -o cart.o",
        r"error:",
        {
            "src/cart.cpp": "#include <string>\nint total() {\n    std::string s = 3.5;\n    return s;\n}\n"
        },
        needs=("clang++",),
    ),
    Case(
        "ld-undefined-reference",
        "c",
        "ld",
        "persistent",
        "compile",
        "gcc -o app src/main.c",
        r"undefined reference|ld returned",
        {"src/main.c": "int total(int, int);\nint main(void) { return total(1, 2); }\n"},
        needs=("gcc",),
    ),
    Case(
        "cmake-missing-source",
        "c",
        "cmake",
        "persistent",
        "config",
        "cmake -S . -B build",
        r"CMake Error|Cannot find source file",
        {
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(zoo C)\n"
            "add_executable(app src/main.c src/missing.c)\n",
            "src/main.c": "int main(void) { return 0; }\n",
        },
        needs=("cmake",),
    ),
    Case(
        "ctest-failure",
        "c",
        "ctest",
        "persistent",
        "test",
        "cmake -S . -B build > /dev/null && cmake --build build > /dev/null && "
        "ctest --test-dir build --output-on-failure",
        r"tests failed|Failed|\*\*\*Failed",
        {
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(zoo C)\nenable_testing()\n"
            "add_executable(cart_test test.c)\nadd_test(NAME cart_total COMMAND cart_test)\n",
            "test.c": "#include <stdio.h>\nint main(void) {\n    int total = 1 - 2;\n"
            '    if (total != 3) { printf("cart_total: expected 3, got %d\\n", total); return 1; }\n'
            "    return 0;\n}\n",
        },
        needs=("cmake", "ctest", "gcc"),
    ),
    # ---------------------------------------------------------------- Java
    Case(
        "javac-error",
        "java",
        "javac",
        "persistent",
        "compile",
        "javac -d out src/Cart.java",
        r"error:|cannot find symbol",
        {
            "src/Cart.java": "public class Cart {\n    int total() {\n        return price * count;\n    }\n}\n"
        },
        needs=("javac",),
    ),
    Case(
        "junit-failure",
        "java",
        "junit",
        "persistent",
        "test",
        "java -jar /usr/share/java/junit-platform-console-standalone.jar "
        "--class-path out --scan-class-path --disable-banner",
        r"expected|AssertionFailedError|tests failed|✘",
        {
            "src/CartTest.java": "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
            "import org.junit.jupiter.api.Test;\n\nclass CartTest {\n    @Test\n    void total() {\n"
            "        assertEquals(3, 1 - 2);\n    }\n}\n"
        },
        setup="javac -d out -cp /usr/share/java/junit-platform-console-standalone.jar src/CartTest.java",
        needs=("javac", "java"),
    ),
    # ---------------------------------------------------------------- Ruby
    Case(
        "rspec-failure",
        "ruby",
        "rspec",
        "persistent",
        "test",
        "rspec",
        r"Failure/Error|expected|examples?, \d+ failures?",
        {
            "spec/cart_spec.rb": "RSpec.describe 'cart' do\n  it 'totals' do\n"
            "    expect(1 - 2).to eq(3)\n  end\nend\n"
        },
        needs=("rspec",),
    ),
    Case(
        "minitest-failure",
        "ruby",
        "minitest",
        "persistent",
        "test",
        "ruby -Itest test/cart_test.rb",
        r"Failure:|Expected|failures",
        {
            "test/cart_test.rb": "require 'minitest/autorun'\n\nclass CartTest < Minitest::Test\n"
            "  def test_total\n    assert_equal 3, 1 - 2\n  end\nend\n"
        },
        needs=("ruby",),
    ),
    Case(
        "rubocop",
        "ruby",
        "rubocop",
        "persistent",
        "lint",
        "rubocop",
        r"offenses? detected|[CWEF]: ",
        {"app.rb": "def total( a,b )\n  return a+b\nend\n"},
        needs=("rubocop",),
    ),
    Case(
        "ruby-syntax-error",
        "ruby",
        "ruby -c",
        "persistent",
        "syntax_error",
        "ruby -c app.rb",
        r"syntax error|unexpected",
        {"app.rb": "def total(a, b\n  a + b\nend\n"},
        needs=("ruby",),
    ),
    # ---------------------------------------------------------------- PHP
    Case(
        "phpunit-failure",
        "php",
        "phpunit",
        "persistent",
        "test",
        "phpunit tests",
        r"FAILURES!|Failed asserting|Tests: \d+",
        {
            "tests/CartTest.php": "<?php\nuse PHPUnit\\Framework\\TestCase;\n\n"
            "final class CartTest extends TestCase\n{\n    public function testTotal(): void\n    {\n"
            "        $this->assertSame(3, 1 - 2);\n    }\n}\n"
        },
        needs=("phpunit",),
    ),
    Case(
        "php-lint",
        "php",
        "php -l",
        "persistent",
        "syntax_error",
        "php -l src/Cart.php",
        r"Parse error|syntax error",
        {"src/Cart.php": "<?php\nfunction total($a, $b) {\n    return $a + $b\n}\n"},
        needs=("php",),
    ),
    Case(
        "phpcs",
        "php",
        "phpcs",
        "persistent",
        "lint",
        "phpcs --standard=PSR12 src",
        r"ERROR|FOUND \d+ ERROR",
        {"src/Cart.php": "<?php\nfunction total($a,$b){\nreturn $a+$b;}\n"},
        needs=("phpcs",),
    ),
    # ---------------------------------------------------------------- Shell
    Case(
        "shellcheck",
        "shell",
        "shellcheck",
        "persistent",
        "lint",
        "shellcheck scripts/*.sh",
        r"SC\d+",
        {"scripts/deploy.sh": "#!/bin/bash\nfiles=$1\nrm -rf $files\ncd /tmp\n"},
        needs=("shellcheck",),
    ),
    Case(
        "bats-failure",
        "shell",
        "bats",
        "persistent",
        "test",
        "bats test",
        r"not ok|failed|\(in test file",
        {"test/cart.bats": '@test "total adds" {\n  result=$((1 - 2))\n  [ "$result" -eq 3 ]\n}\n'},
        needs=("bats",),
    ),
    Case(
        "bash-syntax-error",
        "shell",
        "bash -n",
        "persistent",
        "syntax_error",
        "bash -n scripts/deploy.sh",
        r"syntax error",
        {"scripts/deploy.sh": '#!/bin/bash\nif [ -n "$1" ]; then\n  echo deploy\n'},
        needs=("bash",),
    ),
    # ---------------------------------------------------------------- Elixir / Erlang
    Case(
        "mix-test-failure",
        "elixir",
        "mix test",
        "persistent",
        "test",
        "mix test",
        r"Assertion|failure|left:|right:",
        {
            "mix.exs": "defmodule Zoo.MixProject do\n  use Mix.Project\n\n  def project do\n"
            '    [app: :zoo, version: "0.1.0", deps: []]\n  end\nend\n',
            "lib/zoo.ex": "defmodule Zoo do\n  def add(a, b), do: a - b\nend\n",
            "test/test_helper.exs": "ExUnit.start()\n",
            "test/zoo_test.exs": 'defmodule ZooTest do\n  use ExUnit.Case\n\n  test "adds" do\n'
            "    assert Zoo.add(1, 2) == 3\n  end\nend\n",
        },
        needs=("mix",),
    ),
    Case(
        "mix-format-check",
        "elixir",
        "mix format",
        "persistent",
        "format",
        "mix format --check-formatted",
        r"not formatted|mix format failed",
        {
            "mix.exs": "defmodule Zoo.MixProject do\n  use Mix.Project\n\n  def project do\n"
            '    [app: :zoo, version: "0.1.0", deps: []]\n  end\nend\n',
            ".formatter.exs": '[inputs: ["lib/**/*.ex"]]\n',
            "lib/zoo.ex": "defmodule Zoo do\n  def add( a,b ), do: a+b\nend\n",
        },
        needs=("mix",),
    ),
    Case(
        "elixir-compile-error",
        "elixir",
        "mix compile",
        "persistent",
        "compile",
        "mix compile",
        r"error|undefined",
        {
            "mix.exs": "defmodule Zoo.MixProject do\n  use Mix.Project\n\n  def project do\n"
            '    [app: :zoo, version: "0.1.0", deps: []]\n  end\nend\n',
            "lib/zoo.ex": "defmodule Zoo do\n  def add(a, b), do: a + c\nend\n",
        },
        needs=("mix",),
    ),
    Case(
        "eunit-failure",
        "erlang",
        "eunit",
        "persistent",
        "test",
        "erlc cart.erl && erl -noshell -eval "
        "'case eunit:test(cart, [verbose]) of ok -> halt(0); _ -> halt(1) end.'",
        r"Failed|assert|failed",
        {
            "cart.erl": '-module(cart).\n-include_lib("eunit/include/eunit.hrl").\n\n'
            "total_test() -> ?assertEqual(3, 1 - 2).\n"
        },
        needs=("erlc", "erl"),
    ),
    # ---------------------------------------------------------------- YAML, Docker, workflows
    Case(
        "hadolint",
        "docker",
        "hadolint",
        "persistent",
        "lint",
        "hadolint Dockerfile",
        r"DL\d+|SC\d+",
        {
            "Dockerfile": "FROM debian\nRUN apt-get update && apt-get install -y curl\nCMD curl example.test\n"
        },
        needs=("hadolint",),
    ),
    Case(
        "actionlint",
        "github-actions",
        "actionlint",
        "persistent",
        "lint",
        "actionlint",
        r"\.yml:\d+:\d+:",
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - run: echo ${{ github.event.nope.title }}\n"
            "      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n"
        },
        setup="git init -q",
        needs=("actionlint", "git"),
    ),
    # ------------------------------------------ more tools: C/C++ analysers and drivers
    Case(
        "cppcheck",
        "c",
        "cppcheck",
        "persistent",
        "lint",
        "cppcheck --error-exitcode=1 --enable=warning --quiet src",
        r"error:|\[\w+\]",
        {
            "src/cart.c": "int total(void) {\n    int prices[3] = {1, 2, 3};\n    return prices[3];\n}\n"
        },
        needs=("cppcheck",),
    ),
    Case(
        "clang-tidy",
        "c",
        "clang-tidy",
        "persistent",
        "lint",
        "clang-tidy src/cart.cpp --quiet --checks='-*,bugprone-integer-division' "
        "--warnings-as-errors='*' -- -std=c++17",
        r"error:|warnings? treated as errors",
        {
            "src/cart.cpp": "double average(int total, int count) {\n"
            "    return 1.0 * (total / count);\n}\n"
        },
        needs=("clang-tidy",),
    ),
    Case(
        "gtest-failure",
        "c",
        "googletest",
        "persistent",
        "test",
        "./cart_test",
        r"FAILED|Failure|Expected|Which is",
        {
            "cart_test.cpp": "#include <gtest/gtest.h>\n\nint total(int a, int b) { return a - b; }\n\n"
            "TEST(CartTest, TotalAdds) {\n    EXPECT_EQ(total(1, 2), 3);\n}\n"
        },
        setup="g++ -std=c++17 cart_test.cpp -lgtest -lgtest_main -pthread -o cart_test",
        needs=("g++",),
    ),
    Case(
        "catch2-failure",
        "c",
        "catch2",
        "persistent",
        "test",
        "./cart_test",
        r"FAILED|REQUIRE|with expansion|==|failed",
        {
            "cart_test.cpp": "#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n\n"
            "int total(int a, int b) { return a - b; }\n\n"
            'TEST_CASE("total adds", "[cart]") {\n    REQUIRE(total(1, 2) == 3);\n}\n'
        },
        setup="g++ -std=c++17 cart_test.cpp -o cart_test",
        needs=("g++",),
    ),
    # ---------------------------------------------------------------- Perl and Lua
    Case(
        "prove-failure",
        "perl",
        "prove",
        "persistent",
        "test",
        "prove -l t",
        r"not ok|Failed|got:|expected:|Result: FAIL",
        {
            "lib/Cart.pm": "package Cart;\nsub total { return $_[0] - $_[1] }\n1;\n",
            "t/cart.t": "use strict;\nuse warnings;\nuse Test::More tests => 1;\nuse Cart;\n"
            "is(Cart::total(1, 2), 3, 'total adds');\n",
        },
        needs=("prove",),
    ),
    Case(
        "busted-failure",
        "lua",
        "busted",
        "persistent",
        "test",
        "busted --output=plainTerminal spec",
        r"failure|Failure|Expected|Passed in|spec/",
        {
            "src/cart.lua": "local M = {}\nfunction M.total(a, b) return a - b end\nreturn M\n",
            "spec/cart_spec.lua": 'package.path = "src/?.lua;" .. package.path\n'
            'local cart = require("cart")\n'
            'describe("cart", function()\n  it("adds", function()\n'
            "    assert.are.equal(3, cart.total(1, 2))\n  end)\nend)\n",
        },
        needs=("busted",),
    ),
    Case(
        "luacheck",
        "lua",
        "luacheck",
        "persistent",
        "lint",
        "luacheck src",
        r"warning|unused|Total:",
        {
            "src/cart.lua": "local M = {}\nfunction M.total(a, b)\n  local unused = 1\n  return a + b\nend\nreturn M\n"
        },
        needs=("luacheck",),
    ),
    # ---------------------------------------------------- JavaScript: older linters, runners
    _js(
        "jshint",
        "jshint",
        "lint",
        "jshint src",
        r"line \d+, col \d+|\d+ errors?",
        src__app_DOT_js="function total(a, b) {\n  return a + b\n}\nmodule.exports = total\n",
    ),
    _js(
        "standard",
        "standard",
        "lint",
        "standard 'src/**/*.js'",
        r"\(\w[\w-]*\)$|standard:",
        src__app_DOT_js="function total (a, b) {\n  return a + b;;\n}\nmodule.exports = total\n",
    ),
    _js(
        "csslint",
        "csslint",
        "lint",
        "csslint --errors=empty-rules,known-properties src",
        r"Error -|errors? in|problems?",
        src__site_DOT_css="a { colr: red; }\n\nb { }\n",
    ),
    _js(
        "jasmine-failure",
        "jasmine",
        "test",
        "jasmine spec/cart.spec.js",
        r"Failures:|Message:|Expected|specs?, \d+ failures?",
        src__cart_DOT_js="module.exports = (a, b) => a - b\n",
        spec__cart_DOT_spec_DOT_js="const total = require('../src/cart')\n"
        "describe('cart', () => {\n  it('adds', () => {\n    expect(total(1, 2)).toBe(3)\n  })\n})\n",
    ),
    _js(
        "tap-failure",
        "tap",
        "test",
        "tap --disable-coverage test/cart.test.js",
        r"not ok|fail|found:|wanted:",
        src__cart_DOT_js="module.exports = (a, b) => a - b\n",
        test__cart_DOT_test_DOT_js="const t = require('tap')\nconst total = require('../src/cart')\n"
        "t.equal(total(1, 2), 3, 'total adds')\n",
    ),
    _js(
        "markdownlint",
        "markdownlint",
        "lint",
        "markdownlint README.md docs",
        r"MD\d{3}",
        README_DOT_md="Cart\n===\n\nSome text.  \n\n## Usage\n# Install\n",
        docs__guide_DOT_md="# Guide\n\n* one\n+ two\n",
    ),
    _js(
        "cspell",
        "cspell",
        "lint",
        "cspell --no-progress 'src/**'",
        r"Unknown word|Issues found",
        src__app_DOT_js="// Returns the totl of the cart\nmodule.exports = (a, b) => a + b\n",
    ),
    _js(
        "size-limit",
        "size-limit",
        "lint",
        "size-limit",
        r"limit|exceeded|Size",
        # size-limit finds its preset among the project's devDependencies.
        package_DOT_json='{ "name": "zoo", "version": "1.0.0", "main": "src/index.js",\n'
        '  "devDependencies": { "size-limit": "11.2.0", "@size-limit/preset-small-lib": "11.2.0" },\n'
        '  "size-limit": [ { "path": "src/index.js", "limit": "10 B" } ] }\n',
        src__index_DOT_js="export function total (prices) {\n"
        "  return prices.reduce((sum, price) => sum + price, 0)\n}\n",
    ),
    _js(
        "commitlint",
        "commitlint",
        "lint",
        "echo 'Fixed the thing.' | commitlint --extends @commitlint/config-conventional",
        r"✖|problems?|\[[a-z-]+\]",
    ),
    _js(
        "tape-failure",
        "tape",
        "test",
        "node test/cart.js",
        r"not ok|# fail|expected|actual|operator",
        src__cart_DOT_js="module.exports = (a, b) => a - b\n",
        test__cart_DOT_js="const test = require('tape')\nconst total = require('../src/cart')\n"
        "test('total adds', (t) => {\n  t.equal(total(1, 2), 3)\n  t.end()\n})\n",
    ),
    # -------------------------------------------- Python: more linters, runners, SQL
    _py(
        "codespell",
        "codespell",
        "lint",
        "codespell src",
        r"==>",
        src__cart_DOT_py="def total(prices):\n    # recieve the prices and add them\n    return sum(prices)\n",
    ),
    _py(
        "bandit",
        "bandit",
        "lint",
        "bandit -q -r src",
        r">> Issue|Severity|Location|B\d{3}",
        src__run_DOT_py="import subprocess\n\n\ndef run(cmd):\n"
        "    return subprocess.call(cmd, shell=True)\n",
    ),
    _py(
        "pycodestyle",
        "pycodestyle",
        "lint",
        "pycodestyle src",
        r":\d+:\d+: [EW]\d+",
        src__cart_DOT_py="def total(prices,discount=0):\n    return sum(prices)*(100-discount)//100\n",
    ),
    _py(
        "pydocstyle",
        "pydocstyle",
        "lint",
        "pydocstyle src",
        r"D\d{3}|at module level|in public",
        src__cart_DOT_py="def total(prices):\n    return sum(prices)\n",
    ),
    _py(
        "nose2-failure",
        "nose2",
        "test",
        "nose2 -v",
        r"FAIL|AssertionError|FAILED",
        cart_DOT_py=CART,
        test_cart_DOT_py="import unittest\n\nfrom cart import total\n\n\n"
        "class CartTest(unittest.TestCase):\n    def test_total(self):\n"
        "        self.assertEqual(total([1000, 500], discount=10), 1215)\n",
    ),
    _py(
        "behave-failure",
        "behave",
        "test",
        "behave --no-color",
        r"Failing scenarios|failed|Assertion|features/",
        features__cart_DOT_feature="Feature: Cart\n  Scenario: Total with discount\n"
        "    Given prices 1000 and 500\n    Then the total with 10 percent off is 1215\n",
        features__steps__cart_DOT_py="from behave import given, then\n\n\n"
        "@given('prices {a:d} and {b:d}')\ndef step_prices(context, a, b):\n"
        "    context.prices = [a, b]\n\n\n"
        "@then('the total with {d:d} percent off is {want:d}')\ndef step_total(context, d, want):\n"
        "    got = sum(context.prices) * (100 - d) // 100\n"
        "    assert got == want, f'total {got} != {want}'\n",
    ),
    # ---------------------------------------------------------------- R and OCaml
    Case(
        "testthat-failure",
        "r",
        "testthat",
        "persistent",
        "test",
        "Rscript -e 'testthat::test_dir(\"tests/testthat\", stop_on_failure = TRUE)'",
        r"Failure|FAIL|not equal|actual|expected|Test failures",
        {
            "tests/testthat/test-cart.R": "total <- function(a, b) a - b\n\n"
            'test_that("total adds", {\n  expect_equal(total(1, 2), 3)\n})\n'
        },
        needs=("Rscript",),
    ),
    Case(
        "dune-build-error",
        "ocaml",
        "dune",
        "persistent",
        "compile",
        "dune build 2>&1",
        r"^File |^Error:|expression|type",
        {
            "dune-project": "(lang dune 2.9)\n",
            "bin/dune": "(executable (name main))\n",
            "bin/main.ml": 'let total : int = "three"\nlet () = print_int total\n',
        },
        needs=("dune",),
    ),
    Case(
        "dune-test-failure",
        "ocaml",
        "dune",
        "persistent",
        "test",
        "dune test 2>&1",
        r"Assert_failure|Fatal error|exception",
        {
            "dune-project": "(lang dune 2.9)\n",
            "test/dune": "(test (name test_cart))\n",
            "test/test_cart.ml": "let total a b = a - b\nlet () = assert (total 1 2 = 3)\n",
        },
        needs=("dune",),
    ),
    Case(
        "sqlfluff",
        "sql",
        "sqlfluff",
        "persistent",
        "lint",
        "sqlfluff lint --dialect ansi queries",
        r"FAIL|L:\s+\d+|\| [A-Z]{2}\d{2} \|",
        {"queries/orders.sql": "SELECT id,total FROM orders  WHERE total>10\n"},
        needs=("sqlfluff",),
    ),
]


def _transient(
    id: str,
    tool: str,
    category: str,
    command: str,
    key: str,
    files: dict[str, str] | None = None,
    needs: tuple[str, ...] = (),
    setup: str = "",
) -> Case:
    return Case(id, "network", tool, "transient", category, command, key, files or {}, setup, needs)


def _per_fault(
    tool: str,
    make: str,
    key: str,
    faults: tuple[str, ...],
    files: dict[str, str] | None = None,
    needs: tuple[str, ...] = (),
    setup: str = "",
) -> list[Case]:
    """One case per fault; `make` is a command template with {url} and {host}; `setup`
    runs first, unrecorded."""
    targets = {
        "refused": ("network", f"{NET}.9"),
        "reset": ("network", f"{NET}.5"),
        "no-answer": ("network", f"{NET}.6"),
        "unreachable": ("network", UNREACHABLE),
        "dns": ("network", NOWHERE),
        "tls": ("network", f"{NET}.7"),
        "503": ("service_unavailable", f"{NET}.1"),
        "502": ("service_unavailable", f"{NET}.4"),
        "500": ("service_unavailable", f"{NET}.3"),
        "429": ("rate_limit", f"{NET}.2"),
        "cut-short": ("network", f"{NET}.8"),
    }
    cases = []
    for fault in faults:
        category, host = targets[fault]
        url = f"{'https' if fault == 'tls' else 'http'}://{host}"
        command = make.format(url=url, host=host)
        made = {name: text.replace("{url}", url) for name, text in (files or {}).items()}
        cases.append(
            _transient(f"{tool}-{fault}", tool, category, command, key, made, needs, setup)
        )
    return cases


_PACKAGE_JSON = '{ "name": "zoo", "version": "1.0.0", "dependencies": { "left-pad": "1.3.0" } }\n'
_CARGO_DEP = {
    "Cargo.toml": '[package]\nname = "zoo"\nversion = "0.1.0"\nedition = "2021"\n\n'
    '[dependencies]\nleft-pad = "1"\n',
    "src/lib.rs": "",
}

TRANSIENT: list[Case] = [
    # ---------------------------------------- HTTP clients in a job's own scripts and tests
    *_per_fault(
        "python-urllib",
        'python -c "import urllib.request; '
        "urllib.request.urlopen('{url}/data.json', timeout=5).read()\"",
        r"urlopen error|HTTPError|HTTP Error|timed out|Error",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "500", "429"),
    ),
    *_per_fault(
        "python-requests",
        'python -c "import requests; '
        "requests.get('{url}/data.json', timeout=5).raise_for_status()\"",
        r"^requests\.exceptions\.",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "502", "429"),
    ),
    *_per_fault(
        "node-fetch",
        "node -e \"fetch('{url}/data.json', {{ signal: AbortSignal.timeout(5000) }})"
        '.then(r => r.text())"',
        r"fetch failed|TypeError|cause|Error|code:",
        ("refused", "reset", "no-answer", "dns", "tls"),
    ),
    *_per_fault(
        "ruby-net-http",
        'ruby -rnet/http -e \'uri = URI("{url}/data.json"); '
        'Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https", '
        "open_timeout: 5, read_timeout: 5) {{ |http| http.get(uri.path) }}'",
        r"Error|Failed to open TCP|Timeout|SSL|\(\w+::\w+\)",
        ("refused", "reset", "no-answer", "dns", "tls"),
        needs=("ruby",),
    ),
    *_per_fault(
        "php-file-get-contents",
        'php -r \'$data = file_get_contents("{url}/data.json", false, '
        'stream_context_create(["http" => ["timeout" => 5]])); exit($data === false ? 1 : 0);\'',
        r"Warning|failed|Failed",
        ("refused", "no-answer", "dns", "tls", "503", "500", "429"),
        needs=("php",),
    ),
    *_per_fault(
        "go-net-http",
        "go run fetch.go",
        r"dial tcp|Get \"|timeout|EOF|tls:|no such host",
        # Against a plain HTTP server Go says "server gave HTTP response to HTTPS
        # client": a misconfiguration, not a blip, so no `tls` case.
        ("refused", "reset", "no-answer", "dns"),
        files={
            "fetch.go": 'package main\n\nimport (\n\t"log"\n\t"net/http"\n\t"time"\n)\n\n'
            "func main() {\n\tclient := http.Client{Timeout: 5 * time.Second}\n"
            '\tresp, err := client.Get("{url}/data.json")\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n'
            "\tresp.Body.Close()\n}\n"
        },
        needs=("go",),
    ),
    *_per_fault(
        "java-http-client",
        "java Fetch.java",
        r"Exception|Caused by|at java",
        ("refused", "reset", "no-answer", "dns", "tls"),
        files={
            "Fetch.java": "import java.net.URI;\nimport java.net.http.*;\nimport java.time.Duration;\n\n"
            "public class Fetch {\n    public static void main(String[] args) throws Exception {\n"
            "        HttpClient client = HttpClient.newBuilder()"
            ".connectTimeout(Duration.ofSeconds(5)).build();\n"
            '        HttpRequest request = HttpRequest.newBuilder(URI.create("{url}/data.json"))'
            ".timeout(Duration.ofSeconds(5)).build();\n"
            "        client.send(request, HttpResponse.BodyHandlers.ofString());\n    }\n}\n"
        },
        needs=("java",),
    ),
    *_per_fault(
        "aws-cli",
        "aws s3 ls s3://zoo-artifacts --endpoint-url {url} --no-sign-request "
        "--cli-connect-timeout 5 --cli-read-timeout 5 --region us-east-1",
        r"Could not connect|error occurred|Read timeout|SSL|Connection",
        ("refused", "no-answer", "dns", "tls", "503", "500"),
        needs=("aws",),
    ),
    *_per_fault(
        "ssh",
        "ssh -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=no deploy@{host} true",
        r"ssh:|Connection|Could not resolve|timed out",
        ("refused", "dns", "unreachable"),
        needs=("ssh",),
    ),
    *_per_fault(
        "gpg",
        "mkdir -m 700 -p gnupg && gpg --homedir gnupg --batch --keyserver hkp://{host} "
        "--recv-keys 0x5E3C45D7B312C643",
        r"gpg:|keyserver",
        # gpg says "No keyserver available" whatever the server answered: no 5xx case.
        ("refused", "dns", "no-answer"),
        needs=("gpg", "dirmngr"),
    ),
    *_per_fault(
        "luarocks",
        "luarocks install --local --only-server={url} inspect",
        r"Error|Failed|Warning|timed out",
        ("refused", "dns", "503", "no-answer"),
        needs=("luarocks",),
    ),
    *_per_fault(
        "pip",
        "pip install --no-cache-dir --target ./site --retries 1 --timeout 3 --trusted-host {host} "
        "--index-url {url}/simple requests",
        r"ERROR|Retrying|Could not",
        # pip shows an index that answers 503, 502 or 429 only with -v: no case for them.
        ("refused", "reset", "no-answer", "dns", "tls", "unreachable"),
    ),
    *_per_fault(
        "npm",
        "npm install --no-audit --fetch-retries 0 --fetch-timeout 3000 --cache ./.npm-cache "
        "--registry {url}/",
        r"npm (?:ERR!|error)",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "500", "429"),
        files={"package.json": _PACKAGE_JSON},
    ),
    *_per_fault(
        "curl",
        "curl -fsSL --max-time 5 {url}/install.sh -o install.sh",
        r"curl: \(\d+\)",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "429", "cut-short", "unreachable"),
    ),
    *_per_fault(
        "wget",
        "wget --tries=1 --timeout=3 -O release.tar.gz {url}/release.tar.gz",
        r"failed|ERROR|unable to resolve",
        ("refused", "dns", "503", "no-answer"),
    ),
    *_per_fault(
        "git",
        "GIT_HTTP_LOW_SPEED_LIMIT=1000 GIT_HTTP_LOW_SPEED_TIME=3 git clone {url}/org/repo.git",
        r"fatal:|error:",
        ("refused", "reset", "dns", "503", "no-answer"),
    ),
    *_per_fault(
        "cargo",
        'mkdir -p .cargo && printf \'[source.crates-io]\\nreplace-with = "zoo"\\n'
        '[source.zoo]\\nregistry = "sparse+{url}/index/"\\n\' > .cargo/config.toml && '
        "CARGO_NET_RETRY=0 CARGO_HTTP_TIMEOUT=3 cargo fetch",
        r"error|Caused by|failed",
        ("refused", "dns", "503", "no-answer"),
        files=_CARGO_DEP,
        needs=("cargo",),
    ),
    *_per_fault(
        "go",
        "GOPROXY={url} GOSUMDB=off GOFLAGS=-mod=mod go mod download golang.org/x/text@v0.14.0",
        r"dial tcp|Service Unavailable|no such host|go: ",
        ("refused", "dns", "503"),
        files={"go.mod": "module example.test/zoo\n\ngo 1.19\n"},
        needs=("go",),
    ),
    *_per_fault(
        "gem",
        "gem install rake --clear-sources --source {url}/",
        r"ERROR|Errno|Unable to download",
        ("refused", "dns", "503"),
        needs=("gem",),
    ),
    *_per_fault(
        "podman",
        "podman pull --tls-verify=false {host}/library/alpine:3.20",
        r"Error|error|dial tcp",
        ("refused", "dns", "503", "429"),
        needs=("podman",),
    ),
    *_per_fault(
        "uv",
        "uv venv -q .venv && UV_HTTP_TIMEOUT=3 UV_HTTP_RETRIES=0 uv pip install --no-cache "
        "--python .venv --index-url {url}/simple requests",
        r"error|Caused by",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "429"),
        needs=("uv",),
    ),
    *_per_fault(
        "yarn",
        "yarn install --non-interactive --registry {url}/ --network-timeout 3000 "
        "--cache-folder ./.yarn-cache",
        r"error|info There appears",
        ("refused", "reset", "no-answer", "dns", "503", "429"),
        files={"package.json": _PACKAGE_JSON},
        needs=("yarn",),
    ),
    *_per_fault(
        "pnpm",
        "pnpm install --registry={url}/ --fetch-timeout=3000 --store-dir ./.pnpm-store",
        r"ERR_PNPM|ERROR|WARN",
        ("refused", "reset", "no-answer", "dns", "503", "429"),
        files={"package.json": _PACKAGE_JSON},
        needs=("pnpm",),
    ),
    *_per_fault(
        "maven",
        "mvn -B -q -s settings.xml -Dmaven.repo.local=./m2 -Dmaven.wagon.rto=3000 "
        "-Dmaven.wagon.http.retryHandler.count=0 compile",
        r"\[ERROR\]",
        # Maven waits out a 429's Retry-After again and again: no case for it.
        ("refused", "no-answer", "dns", "503"),
        files={
            "settings.xml": "<settings><mirrors><mirror><id>zoo</id><mirrorOf>*</mirrorOf>"
            "<url>{url}/maven2</url></mirror></mirrors></settings>\n",
            "pom.xml": "<project><modelVersion>4.0.0</modelVersion><groupId>test.zoo</groupId>"
            "<artifactId>zoo</artifactId><version>1.0</version></project>\n",
        },
        needs=("mvn",),
    ),
    *_per_fault(
        "composer",
        # The default repository is turned off, so only the fault server is asked.
        "export COMPOSER_HOME=./.composer && composer config repo.packagist false && "
        "composer install --no-interaction --no-plugins",
        r"could not be downloaded|curl error|\[Composer",
        ("refused", "dns", "503", "429"),
        files={
            "composer.json": '{ "repositories": [{ "type": "composer", "url": "{url}" }], '
            '"require": { "psr/log": "^3.0" }, '
            '"config": { "secure-http": false } }\n'
        },
        needs=("composer",),
    ),
    *_per_fault(
        "bundler",
        "BUNDLE_PATH=./vendor bundle install --retry 0",
        r"Could not fetch|Could not reach|error|Errno",
        ("refused", "dns", "503"),
        files={"Gemfile": 'source "{url}"\ngem "rake"\n'},
        needs=("bundle",),
    ),
    *_per_fault(
        "apt",
        "mkdir -p lists/partial && echo 'deb [trusted=yes] {url}/debian bookworm main' > zoo.list && "
        "apt-get -o Dir::Etc::SourceList=$PWD/zoo.list -o Dir::Etc::SourceParts=/nonexistent "
        "-o Dir::State::Lists=$PWD/lists -o Acquire::http::Timeout=3 -o Acquire::Retries=0 "
        "-o APT::Update::Error-Mode=any update",
        r"^(?:Err|E|W):|Could not|Unable to connect|Temporary failure",
        ("refused", "no-answer", "dns", "503"),
        needs=("apt-get",),
    ),
]

# ------------------------------------------ native compilers, build systems and checkers
#
# Debian packages (bookworm, versions as installed when verified):
#   meson-test-failure, ninja-compile-error: meson 1.0.1-5, ninja-build 1.11.1-2~deb12u1,
#     gcc 4:12.2.0-3
#   automake-check-failure: automake 1:1.16.5-1.3, autoconf 2.71-3, make 4.3-4.1
#   valgrind-use-after-free: valgrind 1:3.19.0-1, gcc 4:12.2.0-3
#   scan-build-null-dereference: clang-tools 1:14.0-55.7~deb12u1 (scan-build 14),
#     clang 1:14.0-55.7~deb12u1, make 4.3-4.1
#   clang-format-check: clang-format 1:14.0-55.7~deb12u1
#   gfortran-implicit-none: gfortran 4:12.2.0-3 (GNU Fortran 12.2.0)
#   fpc-undeclared-identifier: fpc 3.2.2+dfsg-20
#   ldc2-undefined-identifier: ldc 1:1.30.0-1+b1
#   nim-undeclared-identifier: nim 1.6.10-2
#   mcs-undefined-name: mono-mcs 6.8.0.105+dfsg-3.3+deb12u1
#   ant-compile-error: ant 1.10.13-1 (javac from openjdk-17-jdk-headless, via default-jdk-headless)
# No PyPI or npm packages.


_MESON_TEST_C = (
    "#include <stdio.h>\nint main(void) {\n    int total = 1 - 2;\n"
    '    if (total != 3) { printf("cart_total: expected 3, got %d\\n", total); return 1; }\n'
    "    return 0;\n}\n"
)

# The cart is summed after it is freed (the fault) or before (the fix).
_TOTAL = "    int total = 0;\n    for (int i = 0; i < 3; i++)\n        total += prices[i];\n"
_FREE = "    free(prices);\n"
_VALGRIND_C = (
    "#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n"
    "    int *prices = malloc(3 * sizeof *prices);\n"
    "    for (int i = 0; i < 3; i++)\n        prices[i] = i + 1;\n"
    + _TOTAL
    + _FREE
    + '    printf("total %d\\n", total);\n    return 0;\n}\n'
)

_NATIVE = [
    # ---------------------------------------------------------------- C: build systems
    Case(
        "meson-test-failure",
        "c",
        "meson test",
        "persistent",
        "test",
        "meson setup build && meson test -C build --print-errorlogs",
        r"FAIL|^Fail:|expected 3",
        {
            "meson.build": "project('zoo', 'c')\n"
            "cart_test = executable('cart_test', 'test.c')\ntest('cart_total', cart_test)\n",
            "test.c": _MESON_TEST_C,
        },
        needs=("meson", "ninja", "gcc"),
    ),
    Case(
        "ninja-compile-error",
        "c",
        "ninja",
        "persistent",
        "compile",
        "meson setup build && meson compile -C build",
        r"error:|FAILED:|build stopped",
        {
            "meson.build": "project('zoo', 'c')\nexecutable('app', 'src/main.c', 'src/cart.c')\n",
            "src/main.c": "int total(int a, int b);\n"
            "int main(void) { return total(1, 2) == 3 ? 0 : 1; }\n",
            "src/cart.c": "int total(int a, int b) {\n    return a + b + missing;\n}\n",
        },
        needs=("meson", "ninja", "gcc"),
    ),
    Case(
        "automake-check-failure",
        "c",
        "automake",
        "persistent",
        "test",
        "make check",
        r"^FAIL:|^# FAIL:|test-suite\.log|Error \d",
        {
            "configure.ac": "AC_INIT([zoo], [1.0])\nAM_INIT_AUTOMAKE([foreign])\n"
            "AC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n",
            "Makefile.am": "TESTS = test_cart.sh\nLOG_COMPILER = $(SHELL)\nEXTRA_DIST = $(TESTS)\n",
            "test_cart.sh": 'total=$((1 - 2))\nif [ "$total" -ne 3 ]; then\n'
            '  echo "cart_total: expected 3, got $total"\n  exit 1\nfi\n',
        },
        setup="autoreconf -i && ./configure",
        needs=("autoreconf", "automake", "make"),
    ),
    Case(
        "valgrind-use-after-free",
        "c",
        "valgrind",
        "persistent",
        "crash",
        "valgrind --error-exitcode=1 ./a.out",
        r"Invalid read|Address 0x|main \(cart\.c:\d+\)|ERROR SUMMARY: [1-9]",
        {
            "cart.c": _VALGRIND_C.replace(_TOTAL + _FREE, _FREE + _TOTAL),
        },
        setup="gcc -g -O0 -o a.out cart.c",
        needs=("valgrind", "gcc"),
    ),
    Case(
        "scan-build-null-dereference",
        "c",
        "scan-build",
        "persistent",
        "lint",
        "scan-build --status-bugs make",
        r"warning:|bugs? found",
        {
            "Makefile": "all: cart.o\n\ncart.o: cart.c\n\t$(CC) -c -o cart.o cart.c\n",
            "cart.c": "#include <stdio.h>\n\nstruct item { int price; };\n\n"
            "int price_of(struct item *it) {\n    if (it == NULL)\n"
            '        fprintf(stderr, "no item\\n");\n    return it->price;\n}\n',
        },
        needs=("scan-build", "make", "clang"),
    ),
    Case(
        "clang-format-check",
        "c",
        "clang-format",
        "persistent",
        "format",
        "clang-format --dry-run -Werror src/cart.c",
        r"Wclang-format-violations",
        {"src/cart.c": "int total(int a,int b){\n  return a+b;}\n"},
        needs=("clang-format",),
    ),
    # ---------------------------------------------------------------- more compilers
    Case(
        "gfortran-implicit-none",
        "fortran",
        "gfortran",
        "persistent",
        "compile",
        "gfortran -o cart cart.f90",
        r"^Error:|\.f90:\d+:\d+:$",
        {
            "cart.f90": "program cart\n  implicit none\n  integer :: total\n"
            "  total = price * 3\n  print *, total\nend program cart\n",
        },
        needs=("gfortran",),
    ),
    Case(
        "fpc-undeclared-identifier",
        "pascal",
        "fpc",
        "persistent",
        "compile",
        "fpc cart.pas",
        r"Error:|Fatal:",
        {
            "cart.pas": "program Cart;\nvar\n  total: Integer;\nbegin\n"
            "  total := price * 3;\n  WriteLn(total);\nend.\n",
        },
        needs=("fpc",),
    ),
    Case(
        "ldc2-undefined-identifier",
        "d",
        "ldc2",
        "persistent",
        "compile",
        "ldc2 app.d",
        r"Error:",
        {
            "app.d": "import std.stdio;\n\nvoid main() {\n    int total = price * 3;\n"
            "    writeln(total);\n}\n",
        },
        needs=("ldc2",),
    ),
    Case(
        "nim-undeclared-identifier",
        "nim",
        "nim",
        "persistent",
        "compile",
        "nim c cart.nim",
        r"Error:",
        {"cart.nim": "let total = price * 3\necho total\n"},
        needs=("nim",),
    ),
    Case(
        "mcs-undefined-name",
        "csharp",
        "mcs",
        "persistent",
        "compile",
        "mcs Cart.cs",
        r"error CS\d+|Compilation failed",
        {
            "Cart.cs": "public class Cart\n{\n    public static int Total()\n    {\n"
            "        return price * 3;\n    }\n\n"
            "    public static void Main()\n    {\n        System.Console.WriteLine(Total());\n"
            "    }\n}\n",
        },
        needs=("mcs",),
    ),
    Case(
        "ant-compile-error",
        "java",
        "ant",
        "persistent",
        "compile",
        "ant",
        r"error:|cannot find symbol|BUILD FAILED|Compile failed",
        {
            "build.xml": '<project name="zoo" default="compile">\n'
            '  <target name="compile">\n    <mkdir dir="build/classes"/>\n'
            '    <javac srcdir="src" destdir="build/classes" includeantruntime="false"/>\n'
            "  </target>\n</project>\n",
            "src/Cart.java": "public class Cart {\n    int total() {\n"
            "        return price * count;\n    }\n}\n",
        },
        needs=("ant", "javac"),
    ),
]

_NATIVE_FIXES = {
    "meson-test-failure": {"test.c": _MESON_TEST_C.replace("1 - 2", "1 + 2")},
    "ninja-compile-error": {"src/cart.c": "int total(int a, int b) {\n    return a + b;\n}\n"},
    "automake-check-failure": {
        "test_cart.sh": 'total=$((1 + 2))\nif [ "$total" -ne 3 ]; then\n'
        '  echo "cart_total: expected 3, got $total"\n  exit 1\nfi\n',
    },
    "valgrind-use-after-free": {
        "cart.c": _VALGRIND_C,
    },
    "scan-build-null-dereference": {
        "cart.c": "#include <stdio.h>\n\nstruct item { int price; };\n\n"
        "int price_of(struct item *it) {\n    if (it == NULL) {\n"
        '        fprintf(stderr, "no item\\n");\n        return 0;\n    }\n'
        "    return it->price;\n}\n",
    },
    "clang-format-check": {"src/cart.c": "int total(int a, int b) { return a + b; }\n"},
    "gfortran-implicit-none": {
        "cart.f90": "program cart\n  implicit none\n  integer :: total, price\n"
        "  price = 2\n  total = price * 3\n  print *, total\nend program cart\n",
    },
    "fpc-undeclared-identifier": {
        "cart.pas": "program Cart;\nvar\n  price, total: Integer;\nbegin\n"
        "  price := 2;\n  total := price * 3;\n  WriteLn(total);\nend.\n",
    },
    "ldc2-undefined-identifier": {
        "app.d": "import std.stdio;\n\nvoid main() {\n    int price = 2;\n"
        "    int total = price * 3;\n    writeln(total);\n}\n",
    },
    "nim-undeclared-identifier": {"cart.nim": "let price = 2\nlet total = price * 3\necho total\n"},
    "mcs-undefined-name": {
        "Cart.cs": "public class Cart\n{\n    static int price = 2;\n\n"
        "    public static int Total()\n    {\n"
        "        return price * 3;\n    }\n\n"
        "    public static void Main()\n    {\n        System.Console.WriteLine(Total());\n"
        "    }\n}\n",
    },
    "ant-compile-error": {
        "src/Cart.java": "public class Cart {\n    int price = 2;\n    int count = 3;\n"
        "    int total() {\n        return price * count;\n    }\n}\n",
    },
}

_NATIVE_VERSIONS = {
    "meson test": "meson --version",
    "ninja": "ninja --version",
    "automake": "automake --version | head -1",
    "valgrind": "valgrind --version",
    "scan-build": "dpkg-query -W -f='clang-tools ${Version}\\n' clang-tools",
    "clang-format": "clang-format --version",
    "gfortran": "gfortran --version | head -1",
    "fpc": "fpc -h | head -1",
    "ldc2": "ldc2 --version | head -1",
    "nim": "nim --version | head -1",
    "mcs": "mcs --version",
    "ant": "ant -version",
}


# ------------------------------ JVM, Lisp, Haskell, Erlang, Perl, R, Ruby, PHP, shell, tox/nox
#
# Packages (installed versions):
#   tox-unittest-failure   PyPI tox==4.67.15 (with virtualenv==21.15.11; skip_install, no deps: offline)
#   nox-unittest-failure   PyPI nox==2026.10.20 (python=False: runs in the zoo venv, offline)
#   checkstyle             Debian checkstyle 8.36.1-1 (default-jre-headless 2:1.17-74)
#   clojure-test-failure   Debian clojure 1.11.1-2 (java from default-jre-headless)
#   ert-failure            Debian emacs-nox 1:28.2+1-15+deb12u4
#   ghc-not-in-scope       Debian ghc 9.0.2-4
#   hlint                  Debian hlint 3.3.6-1+b4
#   ct-run-failure         Debian erlang-common-test 1:25.2.3+dfsg-1+deb12u4 (erlang-base, same version)
#   perlcritic             Debian libperl-critic-perl 1.148-1
#   perltidy-check,
#   perltidy-assert-tidy   Debian perltidy 20220613-1 (diff from diffutils 1:3.8-4)
#   lintr                  Debian r-cran-lintr 3.0.2-1 (r-base-core 4.2.2.20221110-2)
#   cucumber-failure       Debian cucumber 2.4.0-4 (expect() from ruby-rspec-expectations 3.12.0c0e1m1s0-1)
#   phpmd                  Debian phpmd 2.13.0-1
#   shfmt                  Debian shfmt 3.6.0-1+b2
#
# Notes: lintr sees GITHUB_ACTIONS=true (set by _environment) and prints its lints as
# `::warning file=...` workflow commands, as it does on a real runner. ct_run needs
# -noshell (without it, it opens an Erlang shell that exits 0) and an existing logdir
# (made by `setup`). cucumber 2.4 knows no {int} expressions, so the steps use regexps.

TEST_CART = (
    "import unittest\n\nfrom cart import total\n\n\n"
    "class CartTest(unittest.TestCase):\n    def test_discount(self):\n"
    "        self.assertEqual(total([1000, 500], discount=10), 1215)\n"
)
TEST_CART_FIXED = TEST_CART.replace("1215", "1350")
CHECKSTYLE_XML = (
    '<?xml version="1.0"?>\n<!DOCTYPE module PUBLIC\n'
    '    "-//Checkstyle//DTD Checkstyle Configuration 1.3//EN"\n'
    '    "https://checkstyle.org/dtds/configuration_1_3.dtd">\n'
    '<module name="Checker">\n  <property name="severity" value="error"/>\n'
    '  <module name="TreeWalker">\n    <module name="UnusedImports"/>\n'
    '    <module name="NeedBraces"/>\n  </module>\n</module>\n'
)
CUCUMBER_STEPS = (
    "Given(/^prices (\\d+) and (\\d+)$/) do |a, b|\n  @prices = [a.to_i, b.to_i]\nend\n\n"
    "Then(/^the total with (\\d+) percent off is (\\d+)$/) do |discount, want|\n"
    "  expect(@prices.sum * (100 - discount.to_i) / 100).to eq(want.to_i)\nend\n"
)
_PERLTIDY_FIXED = {
    "lib/Cart.pm": "package Cart;\nuse strict;\nuse warnings;\n\n"
    "sub total {\n    my ( $x, $y ) = @_;\n    return $x + $y;\n}\n\n1;\n",
}

_MORE_LANGUAGES: list[Case] = [
    _py(
        "tox-unittest-failure",
        "tox",
        "test",
        "tox -e py",
        r"FAIL|AssertionError|py: FAIL|evaluation failed",
        tox_DOT_ini="[tox]\nenv_list = py\n\n[testenv]\nskip_install = true\n"
        "commands = python -m unittest discover -v\n",
        cart_DOT_py=CART,
        test_cart_DOT_py=TEST_CART,
    ),
    _py(
        "nox-unittest-failure",
        "nox",
        "test",
        "nox",
        r"FAIL|AssertionError|nox > Command .* failed|nox > Session .* failed",
        noxfile_DOT_py="import nox\n\n\n@nox.session(python=False)\ndef tests(session):\n"
        '    session.run("python", "-m", "unittest", "discover", "-v")\n',
        cart_DOT_py=CART,
        test_cart_DOT_py=TEST_CART,
    ),
    Case(
        "checkstyle",
        "java",
        "checkstyle",
        "persistent",
        "lint",
        "checkstyle -c checkstyle.xml src",
        r"^\[(ERROR|WARN)\]|Checkstyle ends with \d+ errors",
        {
            "checkstyle.xml": CHECKSTYLE_XML,
            "src/Cart.java": "public class Cart {\n"
            "    int total(int price, int count) {\n        if (count < 0)\n            return 0;\n"
            "        return price * count;\n    }\n}\n",
        },
        needs=("checkstyle",),
    ),
    Case(
        "clojure-test-failure",
        "clojure",
        "clojure.test",
        "persistent",
        "test",
        "clojure -cp src:test test/run_tests.clj",
        r"^FAIL in|expected:|actual:|\d+ failures?, \d+ errors?",
        {
            "src/cart/core.clj": "(ns cart.core)\n\n(defn total [a b]\n  (- a b))\n",
            "test/cart/core_test.clj": "(ns cart.core-test\n"
            "  (:require [clojure.test :refer [deftest is]]\n            [cart.core :refer [total]]))\n\n"
            "(deftest total-adds\n  (is (= 3 (total 1 2))))\n",
            "test/run_tests.clj": "(require '[clojure.test :as t] 'cart.core-test)\n\n"
            "(let [{:keys [fail error]} (t/run-tests 'cart.core-test)]\n"
            "  (System/exit (if (zero? (+ fail error)) 0 1)))\n",
        },
        needs=("clojure", "java"),
    ),
    Case(
        "ert-failure",
        "emacs-lisp",
        "ert",
        "persistent",
        "test",
        "emacs -Q -batch -L . -l ert -l zoo-test.el -f ert-run-tests-batch-and-exit",
        r"^Test \S+ condition:|^\s+ert-fail\(|^\s+FAILED|unexpected",
        {
            "zoo.el": ";;; zoo.el --- Cart totals  -*- lexical-binding: t -*-\n\n"
            '(defun zoo-total (a b)\n  "Return the total of A and B."\n  (- a b))\n\n'
            "(provide 'zoo)\n;;; zoo.el ends here\n",
            "zoo-test.el": ";;; zoo-test.el --- Tests for zoo  -*- lexical-binding: t -*-\n\n"
            "(require 'ert)\n(require 'zoo)\n\n"
            "(ert-deftest zoo-total-adds ()\n  (should (= (zoo-total 1 2) 3)))\n\n"
            ";;; zoo-test.el ends here\n",
        },
        needs=("emacs",),
    ),
    Case(
        "ghc-not-in-scope",
        "haskell",
        "ghc",
        "persistent",
        "compile",
        "ghc Main.hs",
        r"error:|not in scope|Perhaps you meant",
        {
            "Main.hs": "module Main (main) where\n\ntotal :: [Int] -> Int\ntotal prices = sum prices\n\n"
            "main :: IO ()\nmain = print (totl [1, 2, 3])\n",
        },
        needs=("ghc",),
    ),
    Case(
        "hlint",
        "haskell",
        "hlint",
        "persistent",
        "lint",
        "hlint .",
        r"\.hs:\d+:\d+|^Found:|^Perhaps:|^  \S|^\d+ hints?",
        {
            "src/Cart.hs": "module Cart (total) where\n\ntotal :: [Int] -> Int\n"
            "total = foldr (+) 0\n",
        },
        needs=("hlint",),
    ),
    Case(
        "ct-run-failure",
        "erlang",
        "common_test",
        "persistent",
        "test",
        "ct_run -noshell -dir test -logdir logs",
        r"FAILED|failed|badmatch|Reason|TEST COMPLETE",
        {
            "test/cart_SUITE.erl": '-module(cart_SUITE).\n-include_lib("common_test/include/ct.hrl").\n'
            "-export([all/0, total_adds/1]).\n\nall() -> [total_adds].\n\n"
            "total_adds(_Config) ->\n    3 = total(1, 2).\n\ntotal(A, B) -> A - B.\n",
        },
        setup="mkdir logs",
        needs=("ct_run",),
    ),
    Case(
        "perlcritic",
        "perl",
        "perlcritic",
        "persistent",
        "lint",
        "perlcritic lib",
        r"at line \d+, column \d+|source OK",
        {
            "lib/Cart.pm": "package Cart;\n\nsub total {\n    my ($x, $y) = @_;\n    return $x + $y;\n}\n\n1;\n",
        },
        needs=("perlcritic",),
    ),
    Case(
        "perltidy-check",
        "perl",
        "perltidy",
        "persistent",
        "format",
        "perltidy -st -se lib/Cart.pm | diff -u lib/Cart.pm -",
        r"^[-+][^-+]|^@@",
        {
            "lib/Cart.pm": "package Cart;\nuse strict;\nuse warnings;\n\n"
            "sub total {\nmy ($x,$y)=@_;\n    return $x+$y;\n}\n\n1;\n",
        },
        needs=("perltidy", "diff"),
    ),
    Case(
        "perltidy-assert-tidy",
        "perl",
        "perltidy",
        "persistent",
        "format",
        "perltidy --assert-tidy -se -st lib/Cart.pm > /dev/null",
        r"assertion failure|differs|: [<>]\d+:",
        {
            "lib/Cart.pm": "package Cart;\nuse strict;\nuse warnings;\n\n"
            "sub total {\nmy ($x,$y)=@_;\n    return $x+$y;\n}\n\n1;\n",
        },
        needs=("perltidy",),
    ),
    Case(
        "lintr",
        "r",
        "lintr",
        "persistent",
        "lint",
        "Rscript -e 'l <- lintr::lint(\"R/cart.R\"); print(l); quit(status = length(l) > 0)'",
        r"R/cart\.R:\d+:\d+|\[\w+_linter\]",
        {
            "R/cart.R": "total <- function(prices, discount = 0) {\n"
            "  sum(prices) * (100-discount) / 100\n}\n",
        },
        needs=("Rscript",),
    ),
    Case(
        "cucumber-failure",
        "ruby",
        "cucumber",
        "persistent",
        "test",
        "cucumber",
        r"expected:|got:|ExpectationNotMetError|Failing Scenarios|^cucumber features/|\((\d+ )?failed",
        {
            "features/cart.feature": "Feature: Cart\n  Scenario: Total with discount\n"
            "    Given prices 1000 and 500\n    Then the total with 10 percent off is 1215\n",
            "features/step_definitions/cart_steps.rb": CUCUMBER_STEPS,
        },
        needs=("cucumber",),
    ),
    Case(
        "phpmd",
        "php",
        "phpmd",
        "persistent",
        "lint",
        "phpmd src text unusedcode",
        r"\.php:\d+|Avoid unused",
        {
            "src/Cart.php": "<?php\n\nclass Cart\n{\n    public function total(array $prices): int\n"
            "    {\n        $count = count($prices);\n        return array_sum($prices);\n    }\n}\n",
        },
        needs=("phpmd",),
    ),
    Case(
        "shfmt",
        "shell",
        "shfmt",
        "persistent",
        "format",
        "shfmt -d scripts",
        r"^[-+][^-+]|^@@",
        {
            "scripts/deploy.sh": '#!/bin/bash\nset -eu\nif [ -n "$1" ];then\n'
            'echo "deploying $1"\nfi\n',
        },
        needs=("shfmt",),
    ),
]

_MORE_LANGUAGES_FIXES: dict[str, dict[str, str]] = {
    "tox-unittest-failure": {"test_cart.py": TEST_CART_FIXED},
    "nox-unittest-failure": {"test_cart.py": TEST_CART_FIXED},
    "checkstyle": {
        "src/Cart.java": "public class Cart {\n    int total(int price, int count) {\n"
        "        if (count < 0) {\n            return 0;\n        }\n        return price * count;\n    }\n}\n",
    },
    "clojure-test-failure": {
        "src/cart/core.clj": "(ns cart.core)\n\n(defn total [a b]\n  (+ a b))\n",
    },
    "ert-failure": {
        "zoo.el": ";;; zoo.el --- Cart totals  -*- lexical-binding: t -*-\n\n"
        '(defun zoo-total (a b)\n  "Return the total of A and B."\n  (+ a b))\n\n'
        "(provide 'zoo)\n;;; zoo.el ends here\n",
    },
    "ghc-not-in-scope": {
        "Main.hs": "module Main (main) where\n\ntotal :: [Int] -> Int\ntotal prices = sum prices\n\n"
        "main :: IO ()\nmain = print (total [1, 2, 3])\n",
    },
    "hlint": {
        "src/Cart.hs": "module Cart (total) where\n\ntotal :: [Int] -> Int\ntotal = sum\n",
    },
    "ct-run-failure": {
        "test/cart_SUITE.erl": '-module(cart_SUITE).\n-include_lib("common_test/include/ct.hrl").\n'
        "-export([all/0, total_adds/1]).\n\nall() -> [total_adds].\n\n"
        "total_adds(_Config) ->\n    3 = total(1, 2).\n\ntotal(A, B) -> A + B.\n",
    },
    "perlcritic": {
        "lib/Cart.pm": "package Cart;\nuse strict;\nuse warnings;\n\n"
        "sub total {\n    my ($x, $y) = @_;\n    return $x + $y;\n}\n\n1;\n",
    },
    "perltidy-check": _PERLTIDY_FIXED,
    "perltidy-assert-tidy": _PERLTIDY_FIXED,
    "lintr": {
        "R/cart.R": "total <- function(prices, discount = 0) {\n"
        "  sum(prices) * (100 - discount) / 100\n}\n",
    },
    "cucumber-failure": {
        "features/cart.feature": "Feature: Cart\n  Scenario: Total with discount\n"
        "    Given prices 1000 and 500\n    Then the total with 10 percent off is 1350\n",
    },
    "phpmd": {
        "src/Cart.php": "<?php\n\nclass Cart\n{\n    public function total(array $prices): int\n"
        "    {\n        return array_sum($prices);\n    }\n}\n",
    },
    "shfmt": {
        "scripts/deploy.sh": '#!/bin/bash\nset -eu\nif [ -n "$1" ]; then\n\techo "deploying $1"\nfi\n',
    },
}

_MORE_LANGUAGES_VERSIONS: dict[str, str] = {
    # A ROOT: notice comes first outside a tox project.
    "tox": "tox --version | tail -1 | sed 's/ from .*//'",
    "nox": "nox --version",
    "checkstyle": "checkstyle --version",
    "clojure.test": "clojure -e '(println \"Clojure\" (clojure-version))'",
    "ert": "emacs --version",
    "ghc": "ghc --version",
    "hlint": "hlint --version",
    "common_test": "erl -noshell -eval 'application:load(common_test), "
    '{ok, V} = application:get_key(common_test, vsn), io:format("common_test ~s~n", [V]), halt().\'',
    "perlcritic": "perlcritic --version",
    "perltidy": "perltidy --version",
    "lintr": 'Rscript -e \'cat("lintr", format(packageVersion("lintr")), "\\n")\'',
    "cucumber": "cucumber --version",
    "phpmd": "phpmd --version",
    "shfmt": "shfmt --version",
}


# ------------------------------- Python and web tools: docs, coverage, API, protobuf, bundlers
#
# Packages (versions as installed in the zoo venv / node folder; no Debian package needed
# beyond git for buf-breaking):
#   PyPI: coverage==7.17.5 (coverage-fail-under; with pytest==9.2.0), sphinx==9.0.4,
#         mkdocs==1.6.1, vulture==2.16, robotframework==7.5, typos==1.52.0, reuse==6.2.0,
#         import-linter==2.17, twine==7.0.0 + build==1.6.1 (setup builds the sdist offline
#         with --no-isolation, using the venv's setuptools==65.5.0; docutils==0.22.4),
#         doctest: the venv's Python 3.11.7.
#   npm:  ava@7.0.0, sass@1.108.2, less@4.9.1, htmlhint@1.9.2, @microsoft/api-extractor@7.60.1
#         (its bundled TypeScript 6.0.3) + typescript@7.0.2 (tsc in setup),
#         @bufbuild/buf@1.75.0, @biomejs/biome@2.6.8, oxlint@1.94.0, webpack@5.113.0 +
#         webpack-cli@7.3.1; node v20.20.2.
#   Debian: git (buf-breaking compares against .git#branch=main).
# Skipped: tslint@6.1.3 crashes on typescript@7 (no JS API: "TypeError: Cannot read
# properties of undefined (reading 'ES5')" in tslint/lib/language/utils.js) before linting.

_API_SETUP = 'ln -sfn "$ZOO_NODE/node_modules" node_modules && tsc -p .'

_PROTO_V1 = (
    'syntax = "proto3";\n\npackage cart.v1;\n\nmessage Item {\n  string sku = 1;\n'
    "  int32 quantity = 2;\n  int64 price_cents = 3;\n}\n"
)

_MIT = (
    "MIT License\n\nCopyright (c) <year> <copyright holders>\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software "
    'and associated documentation files (the "Software"), to deal in the Software without '
    "restriction, including without limitation the rights to use, copy, modify, merge, publish, "
    "distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the "
    "Software is furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all copies or "
    "substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, '
    "INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR "
    "PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR "
    "ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, "
    "ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE "
    "SOFTWARE.\n"
)

_DOCS_WEB_AND_PY: list[Case] = [
    # ---------------------------------------------------------------- Python
    _py(
        "coverage-fail-under",
        "coverage",
        "test",
        "coverage run -m pytest -q && coverage report --fail-under=90",
        r"Coverage failure|^TOTAL",
        cart_DOT_py="def total(prices):\n    return sum(prices)\n\n\n"
        "def discount(price, percent):\n    if percent < 0:\n"
        "        raise ValueError('negative discount')\n"
        "    if percent > 100:\n        raise ValueError('discount above 100')\n"
        "    return price * (100 - percent) // 100\n",
        test_cart_DOT_py="from cart import total\n\n\ndef test_total():\n"
        "    assert total([1, 2]) == 3\n",
    ),
    _py(
        "sphinx-build-warning",
        "sphinx",
        "lint",
        "sphinx-build -W -b html docs docs/_build",
        r"WARNING|ERROR|build finished with problems",
        docs__conf_DOT_py="project = 'zoo'\n",
        docs__index_DOT_rst="Zoo\n===\n\n.. toctree::\n\n   install\n   usage\n",
        docs__install_DOT_rst="Install\n=======\n\nRun ``pip install zoo``.\n",
    ),
    _py(
        "mkdocs-strict",
        "mkdocs",
        "lint",
        "mkdocs build --strict",
        r"WARNING|Aborted",
        mkdocs_DOT_yml="site_name: Zoo\nnav:\n  - Home: index.md\n  - Usage: usage.md\n",
        docs__index_DOT_md="# Zoo\n\nAdds prices.\n",
    ),
    _py(
        "vulture",
        "vulture",
        "lint",
        "vulture .",
        r"unused",
        cart_DOT_py="def total(prices):\n    return sum(prices)\n\n\n"
        "def old_total(prices):\n    return sum(prices) + 0\n\n\nprint(total([1, 2]))\n",
    ),
    _py(
        "robot-failure",
        "robot",
        "test",
        "robot tests/",
        r"\| FAIL \||!=|tests?, \d+ passed, [1-9]\d* failed",
        tests__cart_DOT_robot="*** Test Cases ***\nTotal Adds\n"
        "    ${total} =    Evaluate    1 - 2\n    Should Be Equal As Integers    ${total}    3\n",
    ),
    _py(
        "typos",
        "typos",
        "lint",
        "typos",
        r"^error:|╭▸",
        README_DOT_md="# Zoo\n\nAdd teh prices and print the total.\n",
        cart_DOT_py="def total(prices):\n    return sum(prices)\n",
    ),
    _py(
        "reuse-lint",
        "reuse",
        "lint",
        "reuse lint",
        r"have no copyright|^\* /|not compliant with",
        cart_DOT_py="def total(prices):\n    return sum(prices)\n",
    ),
    _py(
        "import-linter-layers",
        "import-linter",
        "lint",
        "lint-imports",
        r"BROKEN|not allowed to import|-> |broken\.",
        _DOT_importlinter="[importlinter]\nroot_package = shop\n\n"
        "[importlinter:contract:layers]\nname = Layers\ntype = layers\n"
        "layers =\n    shop.api\n    shop.db\n",
        **{"shop/__init__.py": ""},
        shop__api_DOT_py="from shop import db\n\n\ndef get(id):\n    return db.load(id)\n",
        shop__db_DOT_py="from shop.api import get\n\n\ndef load(id):\n    return {'id': id}\n",
    ),
    Case(
        "twine-check",
        "python",
        "twine",
        "persistent",
        "lint",
        "twine check dist/*",
        r"FAILED|ERROR|line \d+:",
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
            'build-backend = "setuptools.build_meta"\n\n[project]\nname = "zoo-cart"\n'
            'version = "1.0.0"\nreadme = "README.rst"\n\n'
            '[tool.setuptools]\npy-modules = ["cart"]\n',
            "README.rst": "Zoo cart\n====\n\nAdds prices. See `the docs <https://example.test/docs>`_\n",
            "cart.py": "def total(prices):\n    return sum(prices)\n",
        },
        setup="python -m build --sdist --no-isolation",
        needs=("twine",),
    ),
    _py(
        "doctest-failure",
        "doctest",
        "test",
        "python -m doctest cart.py",
        r"^File .*line \d+|Failed example|Expected|Got|Test Failed",
        cart_DOT_py="def total(prices, discount=0):\n"
        '    """Sum the prices, less a discount in percent.\n\n'
        "    >>> total([1000, 500], discount=10)\n    1215\n"
        '    """\n    return sum(prices) * (100 - discount) // 100\n',
    ),
    # ---------------------------------------------------------------- JavaScript / TypeScript
    _js(
        "ava-failure",
        "ava",
        "test",
        "ava",
        r"✘|Difference|test failed|tests failed|test\.js:\d+",
        package_DOT_json='{ "name": "zoo", "private": true, "type": "module" }\n',
        sum_DOT_js="export const sum = (a, b) => a - b;\n",
        test_DOT_js="import test from 'ava';\nimport { sum } from './sum.js';\n\n"
        "test('adds 1 + 2 to equal 3', (t) => {\n  t.is(sum(1, 2), 3);\n});\n",
    ),
    _js(
        "sass-syntax-error",
        "sass",
        "syntax_error",
        "sass src/app.scss out.css",
        r"Error|app\.scss \d+:\d+",
        src__app_DOT_scss="$primary: #336699;\n\n.button {\n  color: $primary;\n"
        "  &:hover {\n    text-decoration: underline;\n}\n",
    ),
    _js(
        "lessc-undefined-variable",
        "lessc",
        "compile",
        "lessc src/app.less out.css",
        r"Error|undefined",
        src__app_DOT_less="@primary: #336699;\n\n.button {\n  color: @primay;\n}\n",
    ),
    _js(
        "htmlhint",
        "htmlhint",
        "lint",
        "htmlhint index.html",
        r"L\d+ \||\(\w[\w-]*\)|found \d+ errors?",
        index_DOT_html='<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>Zoo</title>\n</head>\n'
        '<body>\n  <p id="total">Total</p>\n  <p id="total">Sum</p>\n'
        "</body>\n</html>\n",
    ),
    Case(
        "api-extractor-changed",
        "typescript",
        "api-extractor",
        "persistent",
        "lint",
        "api-extractor run",
        r"Warning:|Error:|completed with (errors|warnings)",
        {
            "package.json": '{ "name": "zoo-cart", "version": "1.0.0",'
            ' "types": "dist/index.d.ts" }\n',
            "tsconfig.json": '{\n  "compilerOptions": {\n    "declaration": true,\n'
            '    "emitDeclarationOnly": true,\n    "rootDir": "src",\n'
            '    "outDir": "dist",\n    "strict": true\n  },\n'
            '  "include": ["src"]\n}\n',
            "src/index.ts": "/** @public */\n"
            "export function total(prices: number[], discount: number): number {\n"
            "  return (prices.reduce((a, b) => a + b, 0) * (100 - discount)) / 100;\n}\n",
            "api-extractor.json": "{\n"
            '  "$schema": "https://developer.microsoft.com/json-schemas/api-extractor/v7/api-extractor.schema.json",\n'
            '  "mainEntryPointFilePath": "<projectFolder>/dist/index.d.ts",\n'
            '  "apiReport": { "enabled": true },\n'
            '  "docModel": { "enabled": false },\n'
            '  "dtsRollup": { "enabled": false },\n'
            '  "tsdocMetadata": { "enabled": false }\n}\n',
            "etc/zoo-cart.api.md": '## API Report File for "zoo-cart"\n\n'
            "> Do not edit this file. It is a report generated by [API Extractor](https://api-extractor.com/).\n\n"
            "```ts\n\n// @public (undocumented)\n"
            "export function total(prices: number[]): number;\n\n"
            "// (No @packageDocumentation comment for this package)\n\n```\n",
        },
        setup=_API_SETUP,
        needs=("api-extractor", "tsc"),
    ),
    Case(
        "buf-breaking",
        "protobuf",
        "buf",
        "persistent",
        "lint",
        "buf breaking proto --against '.git#branch=main,subdir=proto'",
        r"proto:\d+:\d+:",
        {
            "proto/buf.yaml": "version: v2\nbreaking:\n  use:\n    - FILE\n",
            "proto/cart/v1/cart.proto": 'syntax = "proto3";\n\npackage cart.v1;\n\nmessage Item {\n'
            "  string sku = 1;\n  int64 price_cents = 3;\n}\n",
        },
        # The previous version (with `quantity`) committed on main; the working tree drops it.
        setup="git init -q -b main && cp proto/cart/v1/cart.proto .git/new.proto && "
        f"printf '%s' '{_PROTO_V1}' > proto/cart/v1/cart.proto && git add -A && "
        "git -c user.name=zoo -c user.email=zoo@example.test commit -qm v1 && "
        "mv .git/new.proto proto/cart/v1/cart.proto",
        needs=("buf", "git"),
    ),
    Case(
        "buf-lint",
        "protobuf",
        "buf",
        "persistent",
        "lint",
        "buf lint proto",
        r"proto:\d+:\d+:",
        {
            "proto/buf.yaml": "version: v2\nlint:\n  use:\n    - STANDARD\n",
            "proto/cart/v1/cart.proto": 'syntax = "proto3";\n\npackage cart.v1;\n\n'
            "message cart_item {\n"
            "  string sku = 1;\n  int32 quantity = 2;\n}\n",
        },
        needs=("buf",),
    ),
    _js(
        "biome-lint",
        "biome",
        "lint",
        "biome lint src",
        r"lint/\w+/\w+|×|Found \d+ errors?",
        src__app_DOT_js="export function total(prices) {\n  debugger;\n"
        "  return prices.reduce((a, b) => a + b, 0);\n}\n",
    ),
    _js(
        "oxlint",
        "oxlint",
        "lint",
        "oxlint --deny-warnings src",
        r"^::(warning|error) |Found \d+ warnings? and \d+ errors?",
        src__app_DOT_js="export function total(prices) {\n  debugger;\n"
        "  return prices.reduce((a, b) => a + b, 0);\n}\n",
    ),
    _js(
        "webpack-module-not-found",
        "webpack",
        "import_error",
        "webpack --mode production",
        r"ERROR|not found|Can't resolve|Did you mean|compiled with",
        src__index_DOT_js="import { total } from './cart';\n\nconsole.log(total([1, 2]));\n",
        src__carts_DOT_js="export const total = (prices) => prices.reduce((a, b) => a + b, 0);\n",
    ),
]

_DOCS_WEB_AND_PY_FIXES: dict[str, dict[str, str]] = {
    "coverage-fail-under": {
        "test_cart.py": "import pytest\n\nfrom cart import discount, total\n\n\ndef test_total():\n"
        "    assert total([1, 2]) == 3\n\n\ndef test_discount():\n"
        "    assert discount(1000, 10) == 900\n\n\n"
        "@pytest.mark.parametrize('percent', [-1, 101])\ndef test_discount_out_of_range(percent):\n"
        "    with pytest.raises(ValueError):\n        discount(1000, percent)\n",
    },
    "sphinx-build-warning": {"docs/usage.rst": "Usage\n=====\n\nCall ``cart.total``.\n"},
    "mkdocs-strict": {
        "docs/usage.md": "# Usage\n\nCall `cart.total`.\n",
    },
    "vulture": {
        "cart.py": "def total(prices):\n    return sum(prices)\n\n\nprint(total([1, 2]))\n"
    },
    "robot-failure": {
        "tests/cart.robot": "*** Test Cases ***\nTotal Adds\n"
        "    ${total} =    Evaluate    1 + 2\n    Should Be Equal As Integers    ${total}    3\n",
    },
    "typos": {"README.md": "# Zoo\n\nAdd the prices and print the total.\n"},
    "import-linter-layers": {
        "shop/db.py": "def load(id):\n    return {'id': id}\n",
    },
    "reuse-lint": {
        "cart.py": "# SPDX-FileCopyrightText: 2026 Zoo Contributors\n#\n"
        "# SPDX-License-Identifier: MIT\n\n\ndef total(prices):\n    return sum(prices)\n",
        "LICENSES/MIT.txt": _MIT,
    },
    "twine-check": {
        "README.rst": "Zoo cart\n========\n\nAdds prices. See `the docs <https://example.test/docs>`_\n",
    },
    "doctest-failure": {
        "cart.py": "def total(prices, discount=0):\n"
        '    """Sum the prices, less a discount in percent.\n\n'
        "    >>> total([1000, 500], discount=10)\n    1350\n"
        '    """\n    return sum(prices) * (100 - discount) // 100\n',
    },
    "ava-failure": {"sum.js": "export const sum = (a, b) => a + b;\n"},
    "sass-syntax-error": {
        "src/app.scss": "$primary: #336699;\n\n.button {\n  color: $primary;\n"
        "  &:hover {\n    text-decoration: underline;\n  }\n}\n",
    },
    "lessc-undefined-variable": {
        "src/app.less": "@primary: #336699;\n\n.button {\n  color: @primary;\n}\n",
    },
    "htmlhint": {
        "index.html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>Zoo</title>\n</head>\n'
        '<body>\n  <p id="total">Total</p>\n  <p id="sum">Sum</p>\n</body>\n</html>\n',
    },
    "api-extractor-changed": {
        "etc/zoo-cart.api.md": '## API Report File for "zoo-cart"\n\n'
        "> Do not edit this file. It is a report generated by [API Extractor](https://api-extractor.com/).\n\n"
        "```ts\n\n// @public (undocumented)\n"
        "export function total(prices: number[], discount: number): number;\n\n"
        "// (No @packageDocumentation comment for this package)\n\n```\n",
    },
    "buf-breaking": {"proto/cart/v1/cart.proto": _PROTO_V1},
    "buf-lint": {
        "proto/cart/v1/cart.proto": 'syntax = "proto3";\n\npackage cart.v1;\n\nmessage CartItem {\n'
        "  string sku = 1;\n  int32 quantity = 2;\n}\n",
    },
    "biome-lint": {
        "src/app.js": "export function total(prices) {\n"
        "  return prices.reduce((a, b) => a + b, 0);\n}\n",
    },
    "oxlint": {
        "src/app.js": "export function total(prices) {\n"
        "  return prices.reduce((a, b) => a + b, 0);\n}\n",
    },
    "webpack-module-not-found": {
        "src/index.js": "import { total } from './carts';\n\nconsole.log(total([1, 2]));\n",
    },
}

_DOCS_WEB_AND_PY_VERSIONS = {
    "coverage": "coverage --version",
    "sphinx": "sphinx-build --version",
    "mkdocs": "mkdocs --version",
    "vulture": "vulture --version",
    "robot": "robot --version",
    "typos": "typos --version",
    "reuse": "reuse --version",
    "import-linter": "pip show import-linter | sed -n 's/^Version: /import-linter /p'",
    "twine": "twine --version",
    "doctest": "python --version",
    "ava": "ava --version",
    "sass": "sass --version",
    "lessc": "lessc --version",
    "htmlhint": "htmlhint --version",
    # api-extractor --version prints a coloured banner; webpack-cli 7 --version a bare rule.
    "api-extractor": "node -p \"'api-extractor ' + require(process.env.ZOO_NODE + "
    "'/node_modules/@microsoft/api-extractor/package.json').version\"",
    "buf": "buf --version",
    "biome": "biome --version",
    "oxlint": "oxlint --version",
    "webpack": "node -p \"'webpack ' + require(process.env.ZOO_NODE + "
    "'/node_modules/webpack/package.json').version\"",
}


# ------------------------------ more checks: ty, Django, deptry, cfn-lint, check-jsonschema,
# mdformat, pre-commit, Hypothesis, protoc, xmllint, pdflatex, chktex, msgfmt, scalac,
# Playwright Test, Babel, Rollup, Vite, knip, Spectral, html-validate, remark, license-checker
# ---------------------------------------------------------------- Python (PyPI)

_DJANGO_MANAGE = (
    "import os\nimport sys\n\n"
    'if __name__ == "__main__":\n'
    '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n'
    "    from django.core.management import execute_from_command_line\n\n"
    "    execute_from_command_line(sys.argv)\n"
)
_DJANGO_SETTINGS = (
    'SECRET_KEY = "zoo"\nINSTALLED_APPS = ["shop"]\n'
    'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}\n'
    'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\nUSE_TZ = True\n'
)
_DJANGO_TESTS = (
    "from django.test import TestCase\n\nfrom shop.cart import total\n\n\n"
    "class CartTest(TestCase):\n    def test_discount(self):\n"
    "        self.assertEqual(total([1000, 500], discount=10), 1215)\n"
)
_DJANGO_MODEL = (
    "from django.db import models\n\n\nclass Item(models.Model):\n"
    "    sku = models.CharField(max_length=32)\n    price_cents = models.IntegerField()\n"
)
_DJANGO_0001 = (
    "# Generated by Django 5.2.17 on 2026-11-29 21:09\n\n"
    "from django.db import migrations, models\n\n\n"
    "class Migration(migrations.Migration):\n\n    initial = True\n\n    dependencies = []\n\n"
    '    operations = [\n        migrations.CreateModel(\n            name="Item",\n'
    '            fields=[\n                (\n                    "id",\n'
    "                    models.BigAutoField(\n                        auto_created=True,\n"
    "                        primary_key=True,\n                        serialize=False,\n"
    '                        verbose_name="ID",\n                    ),\n                ),\n'
    '                ("sku", models.CharField(max_length=32)),\n'
    '                ("price_cents", models.IntegerField()),\n            ],\n        ),\n    ]\n'
)
_DJANGO_0002 = (
    "# Generated by Django 5.2.17 on 2026-11-29 21:10\n\n"
    "from django.db import migrations, models\n\n\n"
    "class Migration(migrations.Migration):\n\n    dependencies = [\n"
    '        ("shop", "0001_initial"),\n    ]\n\n'
    '    operations = [\n        migrations.AddField(\n            model_name="item",\n'
    '            name="quantity",\n            field=models.IntegerField(default=1),\n'
    "        ),\n    ]\n"
)
_HYPOTHESIS_TEST = (
    "from hypothesis import given\nfrom hypothesis import strategies as st\n\n"
    "from cart import split_evenly\n\n\n"
    "@given(st.integers(0, 10_000), st.integers(1, 10))\n"
    "def test_shares_add_up(total, people):\n"
    "    assert sum(split_evenly(total, people)) == total\n"
)
_PRE_COMMIT_CONFIG = (
    "repos:\n  - repo: local\n    hooks:\n      - id: py-compile\n"
    "        name: python files compile\n        entry: python -m py_compile\n"
    "        language: system\n        types: [python]\n"
)
_JSON_SCHEMA = (
    "{\n"
    '  "$schema": "https://json-schema.org/draft/2020-12/schema",\n'
    '  "type": "object",\n  "required": ["name", "port"],\n  "properties": {\n'
    '    "name": { "type": "string" },\n'
    '    "port": { "type": "integer", "minimum": 1, "maximum": 65535 }\n  }\n}\n'
)
_CFN = (
    'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Uploads:\n'
    "    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: zoo-uploads\n"
    "      Versioning:\n        Status: Enabled\n"
)

# ---------------------------------------------------------------- Debian tools

_PROTO = (
    'syntax = "proto3";\n\npackage cart.v1;\n\nmessage Item {\n  string sku = 1;\n'
    "  int32 quantity = 2\n  int64 price_cents = 3;\n}\n"
)
_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<config>\n'
    '  <server host="localhost" port="8080">\n  <database url="sqlite:///cart.db"/>\n'
    "</config>\n"
)
_PAPER = (
    "\\documentclass{article}\n\\begin{document}\n\\section{Method}\\label{sec:method}\n"
    "Prices are summed, then the discount is applied.\n\\section{Results}\n"
    "As shown in Section~\\ref{sec:method}, the total is \\texbf{1350} cents.\n"
    "\\end{document}\n"
)
_PAPER_FIXED = _PAPER.replace("\\texbf", "\\textbf")
_PO = (
    "# German translations for zoo-cart.\n"
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: zoo-cart 1.0\\n"\n'
    '"PO-Revision-Date: 2026-11-29 12:00+0100\\n"\n'
    '"Last-Translator: Zoo Translators <zoo@example.test>\\n"\n'
    '"Language-Team: German <zoo@example.test>\\n"\n'
    '"Language: de\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n\n'
    "#: src/cart.c:12\n#, c-format\n"
    'msgid "%d items in the cart"\nmsgstr "%s Artikel im Warenkorb"\n\n'
    '#: src/cart.c:20\nmsgid "Checkout"\nmsgstr "Kasse"\n'
)
_SCALA = (
    "object Cart {\n  def total(prices: List[Int], discount: Int): Int =\n"
    "    prices.sum * (100 - discount) / 100\n\n"
    "  def main(args: Array[String]): Unit = {\n"
    '    val sum: Int = total(List(1000, 500), "10")\n'
    '    println(s"total $sum")\n  }\n}\n'
)

# ---------------------------------------------------------------- JavaScript (npm)

_OPENAPI = (
    "openapi: 3.0.3\ninfo:\n  title: Cart API\n  version: 1.0.0\n"
    "  description: Totals shopping carts.\n  contact:\n    name: Zoo\n"
    "servers:\n  - url: https://api.example.test/v1\n"
    "tags:\n  - name: carts\n    description: Shopping carts\n"
    "paths:\n  /carts/{cartId}:\n    get:\n      operationId: getCart\n"
    "      summary: Get a cart\n      description: Returns one cart with its total.\n"
    "      tags: [carts]\n"
    "      responses:\n"
    '        "200":\n          description: The cart\n          content:\n'
    "            application/json:\n              schema:\n                type: object\n"
    "                properties:\n                  total:\n                    type: integer\n"
)
_OPENAPI_PARAMS = (
    "      parameters:\n        - name: cartId\n          in: path\n          required: true\n"
    "          schema:\n            type: string\n"
)
_INDEX_HTML = (
    '<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <title>Zoo</title>\n  </head>\n'
    '  <body>\n    <img src="cart.png">\n    <p id="total">Total</p>\n  </body>\n</html>\n'
)
_VITE_HTML = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>Zoo</title></head>\n<body>\n'
    '  <p id="total"></p>\n  <script type="module" src="/src/main.js"></script>\n'
    "</body>\n</html>\n"
)
_CART_JS = "export const total = (prices) => prices.reduce((a, b) => a + b, 0);\n"
_README_REMARK = "# Zoo\n\nAdds prices. See the [docs][] for the options.\n\n* one\n* two\n"

_MORE_CHECKS: list[Case] = [
    _py(
        "ty-type-error",
        "ty",
        "type_error",
        "ty check app.py",
        r"^error\[|^ *--> |Incompatible|Found \d+ diagnostics?",
        app_DOT_py="def count(items: list[str]) -> int:\n    return len(items)\n\n\n"
        'name: str = count(["a"])\n',
    ),
    Case(
        "django-test-failure",
        "python",
        "django",
        "persistent",
        "test",
        "python manage.py test",
        r"^FAIL:|AssertionError|^FAILED",
        {
            "manage.py": _DJANGO_MANAGE,
            "settings.py": _DJANGO_SETTINGS,
            "shop/__init__.py": "",
            "shop/cart.py": "def total(prices, discount=0):\n"
            "    return sum(prices) * (100 - discount) // 100\n",
            "shop/tests.py": _DJANGO_TESTS,
        },
    ),
    Case(
        "django-makemigrations-check",
        "python",
        "django",
        "persistent",
        "config",
        "python manage.py makemigrations --check --dry-run",
        r"Migrations for|^\s+shop/migrations/|^\s+[+~-] ",
        {
            "manage.py": _DJANGO_MANAGE,
            "settings.py": _DJANGO_SETTINGS,
            "shop/__init__.py": "",
            # The model gained `quantity`; no migration was made for it.
            "shop/models.py": _DJANGO_MODEL + "    quantity = models.IntegerField(default=1)\n",
            "shop/migrations/__init__.py": "",
            "shop/migrations/0001_initial.py": _DJANGO_0001,
        },
    ),
    Case(
        "deptry-missing-dependency",
        "python",
        "deptry",
        "persistent",
        "dependency",
        "deptry .",
        r"DEP\d{3}|Found \d+ dependency issues?",
        {
            "pyproject.toml": '[project]\nname = "cart"\nversion = "1.0.0"\n'
            'dependencies = ["requests>=2"]\n',
            "cart/__init__.py": "import pendulum\nimport requests\n\n\ndef fetch(url):\n"
            "    return requests.get(url, timeout=10).json(), pendulum.now()\n",
        },
    ),
    Case(
        "cfn-lint",
        "cloudformation",
        "cfn-lint",
        "persistent",
        "lint",
        "cfn-lint template.yaml",
        r"^[EW]\d{4} |^template\.yaml:\d+:\d+",
        {"template.yaml": _CFN},
        needs=("cfn-lint",),
    ),
    Case(
        "check-jsonschema",
        "json",
        "check-jsonschema",
        "persistent",
        "config",
        "check-jsonschema --schemafile schema.json data.json",
        r"validation errors|::\$",
        {"schema.json": _JSON_SCHEMA, "data.json": '{ "name": "cart", "port": "8080" }\n'},
        needs=("check-jsonschema",),
    ),
    Case(
        "mdformat-check",
        "markdown",
        "mdformat",
        "persistent",
        "format",
        "mdformat --check README.md",
        r"^Error: File|not formatted|^formatted\.",
        {"README.md": "Zoo\n===\n\n* adds prices\n* prints the total\n\nRun `zoo`.\n"},
        needs=("mdformat",),
    ),
    Case(
        "pre-commit-local-hook",
        "python",
        "pre-commit",
        "persistent",
        # The hook compiles the code, and the seeded fault is a syntax error.
        "syntax_error",
        "pre-commit run --all-files",
        r"\.\.\.Failed$|^- hook id:|^- exit code:|^File \".*\", line \d+|Error:",
        {
            ".pre-commit-config.yaml": _PRE_COMMIT_CONFIG,
            "src/cart.py": "def total(prices):\n    return sum(prices\n",
            "src/main.py": "from cart import total\n\nprint(total([1, 2]))\n",
        },
        setup="git init -q && git add -A",
        needs=("pre-commit", "git"),
    ),
    _py(
        "hypothesis-falsified",
        "hypothesis",
        "test",
        "pytest -q",
        r"^FAILED|^E\s+(assert|Failing test case|Falsifying example|\w+=)",
        cart_DOT_py="def split_evenly(total, people):\n    share = total // people\n"
        "    return [share] * people\n",
        test_cart_DOT_py=_HYPOTHESIS_TEST,
    ),
    Case(
        "protoc-syntax-error",
        "protobuf",
        "protoc",
        "persistent",
        "syntax_error",
        "protoc --python_out=out cart.proto",
        r"\.proto:\d+:\d+:",
        {"cart.proto": _PROTO, "out/.gitkeep": ""},
        needs=("protoc",),
    ),
    Case(
        "xmllint-malformed",
        "xml",
        "xmllint",
        "persistent",
        "syntax_error",
        "xmllint --noout config.xml",
        r"parser error",
        {"config.xml": _XML},
        needs=("xmllint",),
    ),
    Case(
        "pdflatex-undefined-control-sequence",
        "latex",
        "pdflatex",
        "persistent",
        "compile",
        "pdflatex -interaction=nonstopmode -halt-on-error paper.tex",
        r"^! |^l\.\d+ ",
        {"paper.tex": _PAPER},
        needs=("pdflatex",),
    ),
    Case(
        "chktex",
        "latex",
        "chktex",
        "persistent",
        "lint",
        "chktex -q paper.tex",
        r"^(Warning|Error) \d+ in ",
        {"paper.tex": _PAPER_FIXED.replace("Section~", "Section ")},
        needs=("chktex",),
    ),
    Case(
        "msgfmt-format-mismatch",
        "gettext",
        "msgfmt",
        "persistent",
        "compile",
        "msgfmt --check -o /dev/null po/de.po",
        r"\.po:\d+:|fatal errors?",
        {"po/de.po": _PO},
        needs=("msgfmt",),
    ),
    Case(
        "scalac-type-mismatch",
        "scala",
        "scalac",
        "persistent",
        "compile",
        "scalac Cart.scala",
        r"\.scala:\d+: error|^ found|^ required|errors? found",
        {"Cart.scala": _SCALA},
        needs=("scalac",),
    ),
    _js(
        "playwright-test-failure",
        "playwright",
        "test",
        "playwright test",
        r"^\s+\d+\) .* › |^\s+Error: |^\s+Expected:|^\s+Received:|^\s+\d+ failed",
        playwright_DOT_config_DOT_js="const { defineConfig } = require('@playwright/test');\n\n"
        "module.exports = defineConfig({ testDir: 'tests' });\n",
        tests__sum_DOT_spec_DOT_js="const { test, expect } = require('@playwright/test');\n\n"
        "test('adds', () => {\n  expect(1 - 2).toBe(3);\n});\n",
    ),
    _js(
        "babel-syntax-error",
        "babel",
        "syntax_error",
        "babel src -d lib",
        r"SyntaxError:|BABEL_PARSE_ERROR",
        src__cart_DOT_js="export function total(prices) {\n"
        "  return prices.reduce((a, b) => a + b, 0;\n}\n",
        src__main_DOT_js="import { total } from './cart.js';\n\nconsole.log(total([1, 2]));\n",
    ),
    _js(
        "rollup-missing-export",
        "rollup",
        "compile",
        "rollup src/main.js -o out.js",
        r"\[!\]|is not exported by|^src/main\.js \(\d+:\d+\)",
        src__cart_DOT_js=_CART_JS,
        src__main_DOT_js="import { sum } from './cart.js';\n\nconsole.log(sum([1, 2]));\n",
    ),
    _js(
        "vite-unresolved-import",
        "vite",
        "import_error",
        "vite build",
        r"Build failed|error during build|UNRESOLVED_IMPORT|Could not resolve|Module not found",
        index_DOT_html=_VITE_HTML,
        src__cart_DOT_js=_CART_JS,
        src__main_DOT_js="import { total } from './carts.js';\n\n"
        "document.getElementById('total').textContent = total([1, 2]);\n",
    ),
    _js(
        "knip-unused-export",
        "knip",
        "lint",
        "knip",
        r"^Unused |^\S+\s+src/\S+:\d+:\d+",
        package_DOT_json='{ "name": "zoo-cart", "version": "1.0.0", "private": true,'
        ' "type": "module", "main": "src/index.js" }\n',
        src__index_DOT_js="import { total } from './cart.js';\n\nconsole.log(total([1, 2]));\n",
        src__cart_DOT_js=_CART_JS
        + "\nexport const average = (prices) => total(prices) / prices.length;\n",
    ),
    Case(
        "spectral-oas",
        "openapi",
        "spectral",
        "persistent",
        "lint",
        "spectral lint openapi.yaml",
        r"^\s*\d+:\d+\s+(error|warning)\s|✖ \d+ problems?",
        {".spectral.yaml": "extends: spectral:oas\n", "openapi.yaml": _OPENAPI},
        needs=("spectral",),
    ),
    _js(
        "html-validate",
        "html-validate",
        "lint",
        "html-validate index.html",
        r"^\s*\d+:\d+\s+error\s|✖ \d+ problems?",
        index_DOT_html=_INDEX_HTML,
    ),
    _js(
        "remark-lint",
        "remark",
        "lint",
        "remark --frail --use remark-preset-lint-recommended .",
        r"^\d+:\d+(-\d+:\d+)? |\d+ (warnings?|errors?)\S*$",
        README_DOT_md=_README_REMARK,
    ),
    Case(
        "license-checker-fail-on",
        "javascript",
        "license-checker",
        "persistent",
        "lint",
        "license-checker --failOn GPL-3.0",
        r"--failOn",
        {
            "package.json": '{ "name": "zoo-cart", "version": "1.0.0", "private": true,'
            ' "license": "MIT",\n  "dependencies": { "gpl-money": "1.2.0", "left-pad": "1.3.0" } }\n',
            # As `npm install` lays them out (fake local packages, no registry needed).
            "node_modules/left-pad/package.json": '{ "name": "left-pad", "version": "1.3.0",'
            ' "license": "WTFPL", "main": "index.js" }\n',
            "node_modules/left-pad/index.js": "module.exports = (s, n) => String(s).padStart(n);\n",
            "node_modules/gpl-money/package.json": '{ "name": "gpl-money", "version": "1.2.0",'
            ' "license": "GPL-3.0", "main": "index.js" }\n',
            "node_modules/gpl-money/index.js": "module.exports = (cents) => (cents / 100).toFixed(2);\n",
        },
        needs=("license-checker",),
    ),
]

_MORE_CHECKS_FIXES: dict[str, dict[str, str]] = {
    "ty-type-error": {
        "app.py": "def count(items: list[str]) -> int:\n    return len(items)\n\n\n"
        'total: int = count(["a"])\n',
    },
    "django-test-failure": {"shop/tests.py": _DJANGO_TESTS.replace("1215", "1350")},
    "django-makemigrations-check": {"shop/migrations/0002_item_quantity.py": _DJANGO_0002},
    "deptry-missing-dependency": {
        "pyproject.toml": '[project]\nname = "cart"\nversion = "1.0.0"\n'
        'dependencies = ["requests>=2", "pendulum>=3"]\n',
    },
    "cfn-lint": {"template.yaml": _CFN.replace("Versioning:", "VersioningConfiguration:")},
    "check-jsonschema": {"data.json": '{ "name": "cart", "port": 8080 }\n'},
    "mdformat-check": {"README.md": "# Zoo\n\n- adds prices\n- prints the total\n\nRun `zoo`.\n"},
    "pre-commit-local-hook": {"src/cart.py": "def total(prices):\n    return sum(prices)\n"},
    "hypothesis-falsified": {
        "cart.py": "def split_evenly(total, people):\n    share, rest = divmod(total, people)\n"
        "    return [share + 1] * rest + [share] * (people - rest)\n",
    },
    "protoc-syntax-error": {"cart.proto": _PROTO.replace("= 2\n", "= 2;\n")},
    "xmllint-malformed": {"config.xml": _XML.replace('port="8080">', 'port="8080"/>')},
    "pdflatex-undefined-control-sequence": {"paper.tex": _PAPER_FIXED},
    "chktex": {"paper.tex": _PAPER_FIXED},
    "msgfmt-format-mismatch": {"po/de.po": _PO.replace('"%s Artikel', '"%d Artikel')},
    "scalac-type-mismatch": {"Cart.scala": _SCALA.replace('"10")', "10)")},
    "playwright-test-failure": {
        "tests/sum.spec.js": "const { test, expect } = require('@playwright/test');\n\n"
        "test('adds', () => {\n  expect(1 + 2).toBe(3);\n});\n",
    },
    "babel-syntax-error": {
        "src/cart.js": "export function total(prices) {\n"
        "  return prices.reduce((a, b) => a + b, 0);\n}\n",
    },
    "rollup-missing-export": {
        "src/main.js": "import { total } from './cart.js';\n\nconsole.log(total([1, 2]));\n",
    },
    "vite-unresolved-import": {
        "src/main.js": "import { total } from './cart.js';\n\n"
        "document.getElementById('total').textContent = total([1, 2]);\n",
    },
    "knip-unused-export": {"src/cart.js": _CART_JS},
    "spectral-oas": {
        "openapi.yaml": _OPENAPI.replace(
            "      responses:\n", _OPENAPI_PARAMS + "      responses:\n"
        ),
    },
    "html-validate": {
        "index.html": _INDEX_HTML.replace('src="cart.png"', 'src="cart.png" alt="Cart"')
    },
    "remark-lint": {"README.md": _README_REMARK + "\n[docs]: https://example.test/docs\n"},
}

_MORE_CHECKS_VERSIONS: dict[str, str] = {
    "ty": "ty --version",
    "django": "python -m django --version | sed 's/^/Django /'",
    "deptry": "deptry --version",
    "cfn-lint": "cfn-lint --version",
    "check-jsonschema": "check-jsonschema --version",
    "mdformat": "mdformat --version",
    "pre-commit": "pre-commit --version",
    "hypothesis": "pip show hypothesis | sed -n 's/^Version: /hypothesis /p'",
    "protoc": "protoc --version",
    "xmllint": "xmllint --version 2>&1",
    "pdflatex": "pdflatex --version",
    "chktex": "chktex --version",
    "msgfmt": "msgfmt --version",
    "scalac": "scalac -version 2>&1",
    "playwright": "playwright --version",
    "babel": "babel --version | sed 's/^/babel /'",
    "rollup": "rollup --version",
    "vite": "vite --version",
    "knip": "knip --version | sed 's/^/knip /'",
    "spectral": "spectral --version | sed 's/^/spectral /'",
    "html-validate": "html-validate --version",
    "remark": "remark --version",
    "license-checker": "license-checker --version 2>&1 | sed 's/^/license-checker /'",
}


# --------------------------- lock files that disagree with their manifests, a stale snapshot:
# npm ci, pnpm and yarn frozen installs, Poetry, uv, cargo --locked, Go modules, Bundler
# frozen, Composer, Jest snapshots
_MONEY_PKG = '{ "name": "money", "version": "1.0.0", "main": "index.js" }\n'
_MONEY_JS = "module.exports.cents = (amount) => Math.round(amount * 100);\n"
_SHOP_PKG_OLD = '{ "name": "shop", "version": "1.0.0", "private": true }\n'
_SHOP_PKG = (
    '{\n  "name": "shop",\n  "version": "1.0.0",\n  "private": true,\n'
    '  "dependencies": {\n    "money": "file:vendor/money"\n  }\n}\n'
)
_NPM_LOCK = (
    '{\n  "name": "shop",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "requires": true,\n'
    '  "packages": {\n    "": {\n      "name": "shop",\n      "version": "1.0.0"\n    }\n  }\n}\n'
)
_NPM_LOCK_FIXED = (
    '{\n  "name": "shop",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "requires": true,\n'
    '  "packages": {\n    "": {\n      "name": "shop",\n      "version": "1.0.0",\n'
    '      "dependencies": {\n        "money": "file:vendor/money"\n      }\n    },\n'
    '    "node_modules/money": {\n      "resolved": "vendor/money",\n      "link": true\n    },\n'
    '    "vendor/money": {\n      "version": "1.0.0"\n    }\n  }\n}\n'
)
_PNPM_LOCK = (
    "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n"
    "  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n"
)
_PNPM_LOCK_FIXED = (
    "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n"
    "  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n"
    "      money:\n        specifier: file:vendor/money\n        version: file:vendor/money\n\n"
    "packages:\n\n  money@file:vendor/money:\n    resolution: {directory: vendor/money, type: directory}\n\n"
    "snapshots:\n\n  money@file:vendor/money: {}\n"
)
_YARN_LOCK = (
    "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n"
)
_YARN_LOCK_FIXED = _YARN_LOCK + '"money@file:vendor/money":\n  version "1.0.0"\n'

_PY_MONEY = {"money/money/__init__.py": "def cents(amount):\n    return round(amount * 100)\n"}
_POETRY_LOCK_PYPROJECT = (
    '[project]\nname = "shop"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["money"]\n\n[tool.poetry]\npackage-mode = false\n\n'
    '[tool.poetry.dependencies]\nmoney = { path = "money" }\n'
)
_POETRY_MONEY = (
    '[project]\nname = "money"\nversion = "1.0.0"\n\n[build-system]\n'
    'requires = ["poetry-core>=2.0"]\nbuild-backend = "poetry.core.masonry.api"\n'
)
_POETRY_LOCK = (
    "# This file is automatically @generated by Poetry 2.5.1 and should not be changed by hand.\n"
    'package = []\n\n[metadata]\nlock-version = "2.1"\npython-versions = ">=3.11"\n'
    'content-hash = "f5666f5625d676c506924a57dc0520a1f3ed2b2c774baed3dc85353594f8473d"\n'
)
_POETRY_LOCK_FIXED = (
    "# This file is automatically @generated by Poetry 2.5.1 and should not be changed by hand.\n\n"
    '[[package]]\nname = "money"\nversion = "1.0.0"\ndescription = ""\noptional = false\n'
    'python-versions = "*"\ngroups = ["main"]\nfiles = []\ndevelop = false\n\n'
    '[package.source]\ntype = "directory"\nurl = "money"\n\n'
    '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.11"\n'
    'content-hash = "df1cf4ee1ef062cdf3eee97eed3ab5db19eb38e8b22c9642f8217e92ca0e9c12"\n'
)
_UV_PYPROJECT = (
    '[project]\nname = "shop"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["money"]\n\n[tool.uv.sources]\nmoney = { path = "money" }\n'
)
_UV_LOCK = (
    'version = 1\nrevision = 5\nrequires-python = ">=3.11"\n\n'
    '[[package]]\nname = "shop"\nversion = "0.1.0"\nsource = { virtual = "." }\n'
)
_UV_LOCK_FIXED = (
    'version = 1\nrevision = 5\nrequires-python = ">=3.11"\n\n'
    '[[package]]\nname = "money"\nversion = "1.0.0"\nsource = { directory = "money" }\n\n'
    '[[package]]\nname = "shop"\nversion = "0.1.0"\nsource = { virtual = "." }\n'
    'dependencies = [\n    { name = "money" },\n]\n\n[package.metadata]\n'
    'requires-dist = [{ name = "money", directory = "money" }]\n'
)
_CARGO_LOCK = (
    "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\n"
    'version = 4\n\n[[package]]\nname = "shop"\nversion = "0.1.0"\n'
)
_CARGO_LOCK_FIXED = (
    "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\n"
    'version = 4\n\n[[package]]\nname = "money"\nversion = "1.0.0"\n\n'
    '[[package]]\nname = "shop"\nversion = "0.1.0"\ndependencies = [\n "money",\n]\n'
)
_GO_MONEY = {
    "money/go.mod": "module example.com/money\n\ngo 1.19\n",
    "money/money.go": "package money\n\nfunc Cents(units int) int { return units * 100 }\n",
}
_GO_MAIN = (
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/money"\n)\n\n'
    "func main() { fmt.Println(money.Cents(3)) }\n"
)
_GO_MOD = "module example.com/shop\n\ngo 1.19\n\nreplace example.com/money => ./money\n"
_GO_MOD_FIXED = _GO_MOD + "\nrequire example.com/money v0.0.0-00010101000000-000000000000\n"
_GEMSPEC = (
    'Gem::Specification.new do |s|\n  s.name = "money"\n  s.version = "1.0.0"\n'
    '  s.summary = "Money helpers"\n  s.authors = ["Shop"]\n  s.files = ["lib/money.rb"]\nend\n'
)
_GEMFILE = (
    '# frozen_string_literal: true\n\nsource "https://rubygems.org"\n\ngem "money", path: "money"\n'
)
_GEMFILE_LOCK = (
    "GEM\n  remote: https://rubygems.org/\n  specs:\n\nPLATFORMS\n  x86_64-linux\n\n"
    "DEPENDENCIES\n\nBUNDLED WITH\n   2.3.15\n"
)
_GEMFILE_LOCK_FIXED = (
    "PATH\n  remote: money\n  specs:\n    money (1.0.0)\n\n"
    "GEM\n  remote: https://rubygems.org/\n  specs:\n\nPLATFORMS\n  x86_64-linux\n\n"
    "DEPENDENCIES\n  money!\n\nBUNDLED WITH\n   2.3.15\n"
)
_COMPOSER_JSON = (
    '{\n    "name": "shop/app",\n    "description": "The shop",\n    "type": "project",\n'
    '    "license": "proprietary",\n'
    '    "repositories": [{"type": "path", "url": "packages/money"}],\n'
    '    "require": {"shop/money": "^1.0"}\n}\n'
)
_COMPOSER_LOCK_HEAD = (
    '{\n    "_readme": [\n        "This file locks the dependencies of your project to a known state",\n'
    '        "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies",\n'
    '        "This file is @generated automatically"\n    ],\n'
)
_COMPOSER_LOCK_TAIL = (
    '    "packages-dev": [],\n    "aliases": [],\n    "minimum-stability": "stable",\n'
    '    "stability-flags": [],\n    "prefer-stable": false,\n    "prefer-lowest": false,\n'
    '    "platform": [],\n    "platform-dev": [],\n    "plugin-api-version": "2.3.0"\n}\n'
)
_COMPOSER_LOCK = (
    _COMPOSER_LOCK_HEAD
    + '    "content-hash": "d482d0b64ea8e53a9350d6b05922b51e",\n    "packages": [],\n'
    + _COMPOSER_LOCK_TAIL
)
_COMPOSER_LOCK_FIXED = (
    _COMPOSER_LOCK_HEAD
    + '    "content-hash": "d17f34315bce6a48148f7ceb77401963",\n    "packages": [\n        {\n'
    '            "name": "shop/money",\n            "version": "1.0.0",\n            "dist": {\n'
    '                "type": "path",\n                "url": "packages/money",\n'
    '                "reference": "3fd28aebc04c6dae7cf5654ec79731bd80580360"\n            },\n'
    '            "type": "library",\n            "autoload": {\n                "psr-4": {\n'
    '                    "Money\\\\": "src/"\n                }\n            },\n'
    '            "transport-options": {\n                "relative": true\n            }\n'
    "        }\n    ],\n" + _COMPOSER_LOCK_TAIL
)
_RECEIPT_TEST = (
    "const receipt = require('./receipt');\n\n"
    "test('prints one line per item', () => {\n"
    "  expect(receipt([{ name: 'apple', price: 1.5 }, { name: 'pear', price: 2 }])).toMatchSnapshot();\n"
    "});\n"
)
_RECEIPT_SNAP = (
    "// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing\n\n"
    'exports[`prints one line per item 1`] = `\n"apple    1.50\npear     2.00"\n`;\n'
)

_LOCK_DRIFT: list[Case] = [
    Case(
        "npm-ci-lock-mismatch",
        "javascript",
        "npm",
        "persistent",
        "dependency",
        "npm ci --no-audit --no-fund",
        r"can only install packages when|Missing: .* from lock file",
        {
            "package.json": _SHOP_PKG,
            "package-lock.json": _NPM_LOCK,
            "vendor/money/package.json": _MONEY_PKG,
            "vendor/money/index.js": _MONEY_JS,
        },
        needs=("npm",),
    ),
    Case(
        "pnpm-frozen-lockfile-outdated",
        "javascript",
        "pnpm",
        "persistent",
        "dependency",
        "pnpm install --frozen-lockfile",
        r"ERR_PNPM_OUTDATED_LOCKFILE|not up|to date with package\.json|Failure reason|"
        r"specifiers in the lockfile|dependency was added",
        {
            "package.json": _SHOP_PKG,
            "pnpm-lock.yaml": _PNPM_LOCK,
            "vendor/money/package.json": _MONEY_PKG,
            "vendor/money/index.js": _MONEY_JS,
        },
        needs=("pnpm",),
    ),
    Case(
        "yarn-frozen-lockfile-outdated",
        "javascript",
        "yarn",
        "persistent",
        "dependency",
        "yarn install --frozen-lockfile",
        r"^error ",
        {
            "package.json": _SHOP_PKG,
            "yarn.lock": _YARN_LOCK,
            "vendor/money/package.json": _MONEY_PKG,
            "vendor/money/index.js": _MONEY_JS,
        },
        needs=("yarn",),
    ),
    Case(
        "poetry-check-lock-outdated",
        "python",
        "poetry",
        "persistent",
        "dependency",
        "poetry check --lock",
        r"changed significantly since poetry\.lock",
        {
            "pyproject.toml": _POETRY_LOCK_PYPROJECT,
            "poetry.lock": _POETRY_LOCK,
            "money/pyproject.toml": _POETRY_MONEY,
            **_PY_MONEY,
        },
        needs=("poetry",),
    ),
    Case(
        "poetry-install-lock-outdated",
        "python",
        "poetry",
        "persistent",
        "dependency",
        "poetry install --no-root",
        r"changed significantly since poetry\.lock",
        {
            "pyproject.toml": _POETRY_LOCK_PYPROJECT,
            "poetry.lock": _POETRY_LOCK,
            "money/pyproject.toml": _POETRY_MONEY,
            **_PY_MONEY,
        },
        needs=("poetry",),
    ),
    Case(
        "uv-lock-check-outdated",
        "python",
        "uv",
        "persistent",
        "dependency",
        "uv lock --check --offline",
        r"^error:|^hint:",
        {
            "pyproject.toml": _UV_PYPROJECT,
            "uv.lock": _UV_LOCK,
            "money/pyproject.toml": '[project]\nname = "money"\nversion = "1.0.0"\n',
            **_PY_MONEY,
        },
        needs=("uv",),
    ),
    Case(
        "cargo-build-locked-outdated",
        "rust",
        "cargo",
        "persistent",
        "dependency",
        "cargo build --locked",
        r"^error:|^help:",
        {
            "Cargo.toml": '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n\n'
            '[dependencies]\nmoney = { path = "money" }\n',
            "Cargo.lock": _CARGO_LOCK,
            "src/main.rs": 'fn main() {\n    println!("{}", money::cents(3));\n}\n',
            "money/Cargo.toml": '[package]\nname = "money"\nversion = "1.0.0"\nedition = "2021"\n',
            "money/src/lib.rs": "pub fn cents(units: u32) -> u32 {\n    units * 100\n}\n",
        },
        needs=("cargo",),
    ),
    Case(
        "go-build-replaced-not-required",
        "go",
        "go build",
        "persistent",
        "dependency",
        "GOFLAGS= go build ./...",
        r"replaced but not required|go get ",
        {"go.mod": _GO_MOD, "main.go": _GO_MAIN, **_GO_MONEY},
        needs=("go",),
    ),
    Case(
        "go-mod-tidy-diff",
        "go",
        "go",
        "persistent",
        "dependency",
        "go mod tidy\ngit diff --exit-code go.mod",
        r"^[-+](?![-+])|^diff --git",
        {"go.mod": _GO_MOD, "main.go": _GO_MAIN, **_GO_MONEY},
        setup="git init -q && git add -A && git -c user.name=zoo -c user.email=zoo@example.test "
        "commit -qm init",
        needs=("go", "git"),
    ),
    Case(
        "bundler-frozen-gemfile-changed",
        "ruby",
        "bundler",
        "persistent",
        "dependency",
        "BUNDLE_FROZEN=true bundle install",
        r"deployment mode after changing|updated Gemfile\.lock|changed$|added to the Gemfile|^\* ",
        {
            "Gemfile": _GEMFILE,
            "Gemfile.lock": _GEMFILE_LOCK,
            "money/money.gemspec": _GEMSPEC,
            "money/lib/money.rb": "module Money\n  def self.cents(amount) = (amount * 100).round\nend\n",
        },
        needs=("bundle",),
    ),
    Case(
        "composer-install-lock-outdated",
        "php",
        "composer",
        "persistent",
        "dependency",
        "composer install --no-interaction --no-progress",
        r"lock file is not up to date|not present in the lock file",
        {
            "composer.json": _COMPOSER_JSON,
            "composer.lock": _COMPOSER_LOCK,
            "packages/money/composer.json": '{"name":"shop/money","version":"1.0.0",'
            '"autoload":{"psr-4":{"Money\\\\":"src/"}}}\n',
            "packages/money/src/Cents.php": "<?php\n\nnamespace Money;\n\nfinal class Cents\n{\n}\n",
        },
        needs=("composer",),
    ),
    _js(
        "jest-snapshot-mismatch",
        "jest",
        "test",
        "jest --ci",
        r"●|toMatchSnapshot|^\s+[-+] |snapshots? failed|Tests:.*failed",
        package_DOT_json='{ "name": "zoo", "private": true }\n',
        receipt_DOT_js="module.exports = (items) =>\n"
        "  items.map((item) => `${item.name.padEnd(8)} $${item.price.toFixed(2)}`).join('\\n');\n",
        receipt_DOT_test_DOT_js=_RECEIPT_TEST,
        **{"__snapshots__/receipt.test.js.snap": _RECEIPT_SNAP},
    ),
]

_LOCK_DRIFT_FIXES: dict[str, dict[str, str]] = {
    "npm-ci-lock-mismatch": {"package-lock.json": _NPM_LOCK_FIXED},
    "pnpm-frozen-lockfile-outdated": {"pnpm-lock.yaml": _PNPM_LOCK_FIXED},
    "yarn-frozen-lockfile-outdated": {"yarn.lock": _YARN_LOCK_FIXED},
    "poetry-check-lock-outdated": {"poetry.lock": _POETRY_LOCK_FIXED},
    # poetry-install-lock-outdated: no fix (installing the path package needs poetry-core from PyPI).
    "uv-lock-check-outdated": {"uv.lock": _UV_LOCK_FIXED},
    "cargo-build-locked-outdated": {"Cargo.lock": _CARGO_LOCK_FIXED},
    "go-build-replaced-not-required": {"go.mod": _GO_MOD_FIXED},
    "go-mod-tidy-diff": {"go.mod": _GO_MOD_FIXED},
    "bundler-frozen-gemfile-changed": {"Gemfile.lock": _GEMFILE_LOCK_FIXED},
    "composer-install-lock-outdated": {"composer.lock": _COMPOSER_LOCK_FIXED},
    "jest-snapshot-mismatch": {
        "__snapshots__/receipt.test.js.snap": _RECEIPT_SNAP.replace("e    1", "e    $1").replace(
            "r     2", "r     $2"
        )
    },
}


# ------------------------------------------------------------------- Bun and Deno
_BUN_DENO: list[Case] = [
    Case(
        "bun-test-failure",
        "typescript",
        "bun test",
        "persistent",
        "test",
        "bun test",
        r"\(fail\)|error: expect|Expected|Received|\d+ fail",
        {
            "cart.test.ts": 'import { expect, test } from "bun:test";\n\n'
            'test("adds", () => {\n  expect(1 - 2).toBe(3);\n});\n'
        },
        needs=("bun",),
    ),
    Case(
        "bun-build-unresolved",
        "typescript",
        "bun build",
        "persistent",
        "import_error",
        "bun build ./src/index.ts --outdir out",
        r"Could not resolve|error:",
        {
            "src/index.ts": 'import { total } from "./carts";\n\nconsole.log(total([1, 2]));\n',
            "src/cart.ts": "export const total = (p: number[]) => p.reduce((a, b) => a + b, 0);\n",
        },
        needs=("bun",),
    ),
    Case(
        "deno-test-failure",
        "typescript",
        "deno test",
        "persistent",
        "test",
        "deno test",
        r"FAILED|ERRORS|error: Error|=> ",
        {
            "cart_test.ts": 'Deno.test("adds", () => {\n  const total = 1 - 2;\n'
            "  if (total !== 3) throw new Error(`expected 3, got ${total}`);\n});\n"
        },
        needs=("deno",),
    ),
    Case(
        "deno-lint",
        "typescript",
        "deno lint",
        "persistent",
        "lint",
        "deno lint",
        r"error\[|Found \d+ problems?|no-",
        {
            "cart.ts": "export function total(prices: number[]) {\n  debugger;\n  return prices.length;\n}\n"
        },
        needs=("deno",),
    ),
    Case(
        "deno-fmt-check",
        "typescript",
        "deno fmt",
        "persistent",
        "format",
        "deno fmt --check",
        r"not formatted|from .*cart\.ts",
        {"cart.ts": "export function total( prices:number[] ){return prices.length}\n"},
        needs=("deno",),
    ),
    Case(
        "deno-check-type-error",
        "typescript",
        "deno check",
        "persistent",
        "type_error",
        "deno check main.ts",
        r"TS\d+|error:",
        {"main.ts": 'const count: number = "three";\nconsole.log(count);\n'},
        needs=("deno",),
    ),
]


# ------------------------- more clients: gh, git-lfs, poetry, the Hugging Face Hub, Coveralls,
# ansible-galaxy, Mercurial, corepack, node-gyp, Playwright's browser download, the Actions
# toolkit's tool cache and artifact upload
_LINK_NODE = 'ln -sfn "$ZOO_NODE/node_modules" node_modules'
_GIT_COMMIT = (
    "git init -q && git add . && "
    "git -c user.name=zoo -c user.email=zoo@example.test commit -qm init"
)
_LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n"
)
_POETRY_PYPROJECT = (
    '[project]\nname = "zoo"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n'
    'dependencies = ["requests"]\n\n[tool.poetry]\npackage-mode = false\n\n'
    '[[tool.poetry.source]]\nname = "mirror"\nurl = "{url}/simple/"\npriority = "primary"\n'
)
# An unsigned runner token carrying the Actions.Results scope @actions/artifact reads.
_RUNTIME_TOKEN = (
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
    "eyJzY3AiOiJBY3Rpb25zLlJlc3VsdHM6Y2U3ZjU0YzctNjFjNy00YWFlLTg4N2YtMzBkYTQ3NWY1ZjFhOmNh"
    "Mzk1MDg1LTA0MGEtNTI2Yi0yY2U4LWJkYzg1ZjY5Mjc3NCJ9."
)

_MORE_CLIENTS = [
    *_per_fault(
        "gh",
        "GH_ENTERPRISE_TOKEN=x GH_HOST={host} gh api repos/o/r",
        r"dial tcp|error connecting|check your internet",
        ("refused", "dns", "unreachable"),
        needs=("gh",),
    ),
    *_per_fault(
        "git-lfs",
        "git -c lfs.dialtimeout=3 -c lfs.activitytimeout=3 -c lfs.transfer.maxretries=1 lfs pull",
        r"batch response|Failed to fetch",
        ("refused", "reset", "no-answer", "dns", "503", "502", "500"),
        files={
            "model.bin": _LFS_POINTER,
            ".gitattributes": "*.bin filter=lfs diff=lfs merge=lfs -text\n",
            ".lfsconfig": "[lfs]\n\turl = {url}/lfs\n",
        },
        needs=("git", "git-lfs"),
        setup=_GIT_COMMIT,
    ),
    *_per_fault(
        "poetry",
        "POETRY_CACHE_DIR=./.poetry-cache POETRY_VIRTUALENVS_IN_PROJECT=true "
        "POETRY_REQUESTS_TIMEOUT=3 poetry install --no-root --no-interaction",
        r"All attempts to connect|\d{3} (?:Server|Client) Error|Probable Causes|^\s+- the ",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "500", "429"),
        files={"pyproject.toml": _POETRY_PYPROJECT},
        needs=("poetry",),
    ),
    *_per_fault(
        "huggingface-hub",
        "HF_ENDPOINT={url} HF_HOME=./.hf HF_HUB_ETAG_TIMEOUT=2 HF_HUB_DOWNLOAD_TIMEOUT=2 "
        'python -c "from huggingface_hub import hf_hub_download; '
        "hf_hub_download('org/model', 'config.json')\"",
        r"thrown while requesting|^huggingface_hub\.errors\.\w+: |^httpx2\.\w+Error: ",
        ("refused", "reset", "dns", "tls", "503", "502", "500", "429"),
        needs=("python", "hf"),
    ),
    *_per_fault(
        "coveralls",
        "COVERALLS_HOST={url} COVERALLS_REPO_TOKEN=x coveralls",
        r"Error running coveralls|^[\w.]+(?:Error|Exception): ",
        ("refused", "reset", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files={"app.py": "def add(a, b):\n    return a + b\n\n\nassert add(1, 2) == 3\n"},
        needs=("coveralls", "coverage", "git"),
        setup=_GIT_COMMIT + " && coverage run app.py",
    ),
    *_per_fault(
        "ansible-galaxy",
        "ansible-galaxy collection install community.general --timeout 3 -s {url}",
        r"^\[ERROR\]|Skipping Galaxy server|^<urlopen error|^\[Errno",
        ("refused", "reset", "dns", "tls", "503", "500"),
        needs=("ansible-galaxy",),
    ),
    *_per_fault(
        "hg",
        "hg clone --config http.timeout=3 {url}/repo",
        r"^abort:",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "502", "500", "429"),
        needs=("hg",),
    ),
    *_per_fault(
        "corepack",
        "COREPACK_HOME=./.corepack COREPACK_ENABLE_DOWNLOAD_PROMPT=0 "
        "COREPACK_NPM_REGISTRY={url} corepack pnpm@9.0.0 --version",
        r"^\w*Error: |\[cause\]: |code: '|^TypeError",
        ("refused", "reset", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        needs=("corepack",),
    ),
    *_per_fault(
        "node-gyp",
        "node-gyp install --dist-url={url} --devdir=./.node-gyp",
        r"gyp ERR! (?:install error|stack (?!at ))|gyp WARN install got an error",
        ("refused", "reset", "dns", "tls", "503", "500", "cut-short"),
        needs=("node-gyp",),
    ),
    *_per_fault(
        "playwright",
        "PLAYWRIGHT_BROWSERS_PATH=./.browsers PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT=3000 "
        "PLAYWRIGHT_DOWNLOAD_HOST={url} npx playwright-core install chromium",
        r"^Error: |^Failed to install browsers",
        (
            "refused",
            "reset",
            "no-answer",
            "dns",
            "tls",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        needs=("npx", "playwright-core"),
        setup=_LINK_NODE,
    ),
    # What actions/setup-node (and the other setup-* actions) run: tool-cache's
    # downloadTool, its error passed to core.setFailed.
    *_per_fault(
        "actions-tool-cache",
        'RUNNER_TEMP=$PWD/.tmp RUNNER_TOOL_CACHE=$PWD/.toolcache node --input-type=module -e "'
        "import * as tc from '@actions/tool-cache'; import * as core from '@actions/core'; "
        "try {{ await tc.downloadTool('{url}/dist/v20.20.2/node-v20.20.2-linux-x64.tar.gz') }} "
        'catch (e) {{ core.setFailed(e.message) }}"',
        r"^::error::|^(?:connect|read|write|getaddrinfo) E[A-Z]+|^Unexpected HTTP response|^aborted$",
        ("refused", "reset", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        needs=("node",),
        setup=_LINK_NODE,
    ),
    # What actions/upload-artifact runs: uploadArtifact, its error passed to core.setFailed.
    *_per_fault(
        "actions-artifact",
        "ACTIONS_RESULTS_URL={url}/ ACTIONS_RUNTIME_TOKEN=" + _RUNTIME_TOKEN + " "
        'node --input-type=module -e "'
        "import {{ DefaultArtifactClient }} from '@actions/artifact'; "
        "import * as core from '@actions/core'; "
        "try {{ await new DefaultArtifactClient().uploadArtifact('coverage', "
        "['coverage.txt'], '.') }} catch (e) {{ core.setFailed(e.message) }}\"",
        r"^::error::|^Attempt \d+ of \d+ failed",
        ("refused", "reset", "dns", "tls"),
        files={"coverage.txt": "lines: 87%\n"},
        needs=("node",),
        setup=_LINK_NODE,
    ),
]


_MORE_CLIENTS_VERSIONS = {
    "gh": "gh --version | head -1",
    "git-lfs": "git lfs version",
    "poetry": "poetry --version",
    "huggingface-hub": "python -c 'import huggingface_hub as h; print(\"huggingface_hub\", h.__version__)'",
    "coveralls": "coveralls --version",
    "ansible-galaxy": "ansible-galaxy --version | head -1",
    "hg": "hg --version -q",
    "corepack": "corepack --version",
    "node-gyp": "node-gyp --version",
    "playwright": "playwright-core --version",
    "actions-tool-cache": "node -p \"'@actions/tool-cache ' + require('$ZOO_NODE/node_modules/@actions/tool-cache/package.json').version\"",
    "actions-artifact": "node -p \"'@actions/artifact ' + require('$ZOO_NODE/node_modules/@actions/artifact/package.json').version\"",
}


# ------------------------------------------ C/C++ and shell: unit tests, coverage, checkers
#
# Debian packages (bookworm 12.11, versions as installed when verified), all offline:
#   cmocka-failure           libcmocka-dev 1.1.5-2.1 (gcc 4:12.2.0-3 in setup)
#   cunit-failure            libcunit1-dev 2.1-3-dfsg-2.6 (gcc 4:12.2.0-3 in setup)
#   shunit2-failure          shunit2 2.1.8-3 (run with bash 5.2.15-2+b8)
#   luaunit-failure          lua-unit 3.4-2 (run with `lua`, the lua-interpreter alternative:
#                            lua5.2 5.2.4-3 here; lua-unit ships luaunit.lua for 5.1 to 5.4)
#   gcovr-fail-under         gcovr 5.2-1 (gcc 4:12.2.0-3 --coverage in setup)
#   flawfinder               flawfinder 2.0.19-1.1
#   cpplint                  cpplint 1.6.1-2
#   uncrustify-check         uncrustify 0.72.0+dfsg1-2
#   sparse                   sparse 0.6.4-3
#   iwyu                     iwyu 8.18-2 (include-what-you-use 0.18, based on clang 14.0.6)
# No PyPI or npm packages.
# Notes:
# - cmocka prints its progress ("[ RUN      ]", "[  FAILED  ] test_total_adds") on stdout
#   and the error lines and closing summary on stderr; the zoo merges both streams. The
#   exit code is the number of failed tests.
# - CUnit's basic runner always returns 0 from CU_basic_run_tests(); the test's main
#   exits with CU_get_number_of_failures() != 0, as a CI wrapper has to.
# - gcovr 5.2 exits 2 on "failed minimum line coverage" (not 1), and prints that line
#   before the report table. Labelled "test", as coverage-fail-under is.
# - flawfinder counts level-1 hits against --error-level=1 too, so the fix must avoid
#   everything flawfinder knows (fixed-size char arrays, strncpy, strlen...): it uses
#   strdup and getline, which flawfinder does not list.
# - uncrustify --check prints "FAIL: <file> (File size changed from 38 to 46)" on stderr
#   and "Parsing: ..." on stdout; it exits 1 (the merged output shows FAIL first).
# - sparse exits 0 on warnings unless -Wsparse-error turns them into errors (then exit 1 and
#   "error:" instead of "warning:"), the way a CI would run it.
# - include-what-you-use 0.18 exits 0 on its suggestions unless run with `-Xiwyu --error`
#   (then exit 1), as a CI would run it. Its report goes to stderr. (sparse and iwyu are
#   both kept: either alone would do.)
# - shunit2 colours its output when TERM is unset (its "auto" mode takes no TERM as 16
#   colours), so the log has ANSI escapes, as a CI runner without TERM would show. One
#   failed assertEquals counts twice ("FAILED (failures=2)"): the assertion, and the test
#   function returning non-zero ("shunit2:ERROR test_total_adds() returned non-zero").

_CMOCKA_TEST_C = (
    "#include <stdarg.h>\n#include <stddef.h>\n#include <setjmp.h>\n#include <stdint.h>\n"
    "#include <cmocka.h>\n\nint total(int a, int b);\n\n"
    "static void test_total_adds(void **state) {\n    (void) state;\n"
    "    assert_int_equal(total(1, 2), 3);\n}\n\n"
    "int main(void) {\n    const struct CMUnitTest tests[] = {\n"
    "        cmocka_unit_test(test_total_adds),\n    };\n"
    "    return cmocka_run_group_tests(tests, NULL, NULL);\n}\n"
)

_CUNIT_TEST_C = (
    "#include <CUnit/Basic.h>\n\nint total(int a, int b);\n\n"
    "static void test_total_adds(void) {\n    CU_ASSERT_EQUAL(total(1, 2), 3);\n}\n\n"
    "int main(void) {\n    if (CU_initialize_registry() != CUE_SUCCESS)\n"
    "        return CU_get_error();\n"
    '    CU_pSuite suite = CU_add_suite("cart", NULL, NULL);\n'
    '    if (suite == NULL || CU_add_test(suite, "total adds", test_total_adds) == NULL) {\n'
    "        CU_cleanup_registry();\n        return CU_get_error();\n    }\n"
    "    CU_basic_set_mode(CU_BRM_VERBOSE);\n    CU_basic_run_tests();\n"
    "    unsigned int failures = CU_get_number_of_failures();\n"
    "    CU_cleanup_registry();\n    return failures != 0;\n}\n"
)

_CART_C_BAD = "int total(int a, int b) {\n    return a - b;\n}\n"
_CART_C_GOOD = "int total(int a, int b) {\n    return a + b;\n}\n"

_GCOVR_CART_C = (
    "#include <stdio.h>\n\n"
    "int discount(int price, int percent) {\n"
    "    if (percent < 0)\n        return -1;\n"
    "    if (percent > 100)\n        return -1;\n"
    "    return price * (100 - percent) / 100;\n}\n\n"
    "int main(void) {\n"
    '    printf("%d\\n", discount(1000, 10));\n'
    "    return 0;\n}\n"
)

_C_SHELL: list[Case] = [
    # ---------------------------------------------------------------- C unit tests
    Case(
        "cmocka-failure",
        "c",
        "cmocka",
        "persistent",
        "test",
        "./test_cart",
        r"\[  (?:ERROR|FAILED)  \]|\[   LINE   \]",
        {"src/cart.c": _CART_C_BAD, "tests/test_cart.c": _CMOCKA_TEST_C},
        setup="gcc -Wall -o test_cart src/cart.c tests/test_cart.c -lcmocka",
        needs=("gcc",),
    ),
    Case(
        "cunit-failure",
        "c",
        "cunit",
        "persistent",
        "test",
        "./test_cart",
        r"FAILED|CU_ASSERT_EQUAL|asserts .*\d+ +\d+ +[1-9]",
        {"src/cart.c": _CART_C_BAD, "tests/test_cart.c": _CUNIT_TEST_C},
        setup="gcc -Wall -o test_cart src/cart.c tests/test_cart.c -lcunit",
        needs=("gcc",),
    ),
    # ---------------------------------------------------------------- shell and Lua tests
    Case(
        "shunit2-failure",
        "shell",
        "shunit2",
        "persistent",
        "test",
        "bash tests/test_cart.sh",
        r"ASSERT:|shunit2:ERROR|FAILED",
        {
            "cart.sh": "total() {\n  echo $(($1 - $2))\n}\n",
            "tests/test_cart.sh": "#!/bin/bash\n. ./cart.sh\n\n"
            'test_total_adds() {\n  assertEquals "total adds" 3 "$(total 1 2)"\n}\n\n'
            ". shunit2\n",
        },
        needs=("shunit2", "bash"),
    ),
    Case(
        "luaunit-failure",
        "lua",
        "luaunit",
        "persistent",
        "test",
        "lua test_cart.lua",
        r"expected: .*actual:|^\d+\) Test|[1-9]\d* failures?$",
        {
            "src/cart.lua": "local M = {}\nfunction M.total(a, b) return a - b end\nreturn M\n",
            "test_cart.lua": 'package.path = "src/?.lua;" .. package.path\n'
            'local lu = require("luaunit")\nlocal cart = require("cart")\n\n'
            "TestCart = {}\n\nfunction TestCart:testTotalAdds()\n"
            "    lu.assertEquals(cart.total(1, 2), 3)\nend\n\n"
            "os.exit(lu.LuaUnit.run())\n",
        },
        needs=("lua",),
    ),
    # ---------------------------------------------------------------- C coverage
    Case(
        "gcovr-fail-under",
        "c",
        "gcovr",
        "persistent",
        "test",
        "gcovr --fail-under-line 90",
        r"failed minimum line coverage|^TOTAL|^cart\.c",
        {"cart.c": _GCOVR_CART_C},
        setup="gcc --coverage -O0 -o cart cart.c && ./cart",
        needs=("gcovr", "gcc"),
    ),
    # ---------------------------------------------------------------- C/C++ checkers
    Case(
        "flawfinder",
        "c",
        "flawfinder",
        "persistent",
        "lint",
        "flawfinder --error-level=1 src",
        r"^src/.*:\d+:  \[\d\]|^Hits = [1-9]",
        {
            "src/name.c": "#include <stdio.h>\n#include <string.h>\n\n"
            "void read_name(char *out) {\n    char line[64];\n"
            "    gets(line);\n    strcpy(out, line);\n}\n",
        },
        needs=("flawfinder",),
    ),
    Case(
        "cpplint",
        "c",
        "cpplint",
        "persistent",
        "lint",
        "cpplint src/*.cc",
        r"\[[a-z_]+/[a-z_]+\] \[\d\]|Total errors found",
        {
            "src/cart.cc": "#include <vector>\n\nusing namespace std;\n\n"
            "int total(const vector<int>& prices){\n    int sum = 0;\n"
            "    for (int p : prices) sum += p;\n    return sum;\n}\n",
        },
        needs=("cpplint",),
    ),
    Case(
        "uncrustify-check",
        "c",
        "uncrustify",
        "persistent",
        "format",
        "uncrustify -c uncrustify.cfg --check src/*.c",
        r"^FAIL:",
        {
            "uncrustify.cfg": "indent_columns = 4\nsp_arith = force\nsp_after_comma = force\n"
            "nl_fdef_brace = add\n",
            "src/cart.c": "int total(int a,int b){\nreturn a+b;\n}\n",
        },
        needs=("uncrustify",),
    ),
    Case(
        "sparse",
        "c",
        "sparse",
        "persistent",
        "lint",
        "sparse -Wsparse-error src/*.c",
        r"error:|warning:",
        {
            "src/cart.c": "#include <stddef.h>\n\nint discount = 10;\n\n"
            "int *find_price(int *prices, int n) {\n"
            "    if (n == 0)\n        return 0;\n    return prices;\n}\n",
        },
        needs=("sparse",),
    ),
    Case(
        "iwyu",
        "c",
        "include-what-you-use",
        "persistent",
        "lint",
        "include-what-you-use -Xiwyu --error src/cart.c",
        r"should remove these lines|^[-+] #include",
        {
            "src/cart.c": "#include <stdio.h>\n#include <string.h>\n\n"
            'void show(int total) {\n    printf("total %d\\n", total);\n}\n',
        },
        needs=("include-what-you-use",),
    ),
]

_C_SHELL_FIXES: dict[str, dict[str, str]] = {
    "cmocka-failure": {"src/cart.c": _CART_C_GOOD},
    "cunit-failure": {"src/cart.c": _CART_C_GOOD},
    "shunit2-failure": {"cart.sh": "total() {\n  echo $(($1 + $2))\n}\n"},
    "luaunit-failure": {
        "src/cart.lua": "local M = {}\nfunction M.total(a, b) return a + b end\nreturn M\n",
    },
    "gcovr-fail-under": {
        "cart.c": _GCOVR_CART_C.replace(
            '    printf("%d\\n", discount(1000, 10));\n',
            '    printf("%d %d %d\\n", discount(1000, 10), discount(1000, -1),\n'
            "           discount(1000, 101));\n",
        ),
    },
    "flawfinder": {
        "src/name.c": "#define _POSIX_C_SOURCE 200809L\n#include <stdio.h>\n#include <stdlib.h>\n"
        "#include <string.h>\n\n"
        "char *read_name(void) {\n    char *line = NULL;\n    size_t size = 0;\n"
        "    if (getline(&line, &size, stdin) < 0) {\n        free(line);\n"
        "        return NULL;\n    }\n    char *name = strdup(line);\n"
        "    free(line);\n    return name;\n}\n",
    },
    "cpplint": {
        "src/cart.cc": "// Copyright 2026 Zoo\n#include <vector>\n\n"
        "int total(const std::vector<int>& prices) {\n    int sum = 0;\n"
        "    for (int p : prices) sum += p;\n    return sum;\n}\n",
    },
    "uncrustify-check": {"src/cart.c": "int total(int a, int b)\n{\n    return a + b;\n}\n"},
    "sparse": {
        "src/cart.c": "#include <stddef.h>\n\nstatic int discount = 10;\n\n"
        "int *find_price(int *prices, int n);\n\n"
        "int *find_price(int *prices, int n) {\n"
        "    if (n == 0 || discount == 0)\n        return NULL;\n    return prices;\n}\n",
    },
    "iwyu": {
        "src/cart.c": '#include <stdio.h>\n\nvoid show(int total) {\n    printf("total %d\\n", total);\n}\n',
    },
}

_C_SHELL_VERSIONS: dict[str, str] = {
    "cmocka": "dpkg-query -W -f='cmocka ${Version}\\n' libcmocka-dev",
    "cunit": "dpkg-query -W -f='cunit ${Version}\\n' libcunit1-dev",
    "shunit2": "dpkg-query -W -f='shunit2 ${Version}\\n' shunit2",
    "luaunit": "dpkg-query -W -f='luaunit ${Version}\\n' lua-unit",
    "gcovr": "gcovr --version | head -1",
    "flawfinder": "flawfinder --version",
    "cpplint": "cpplint --version | sed -n 2p",
    "uncrustify": "uncrustify --version",
    "sparse": "sparse --version",
    "include-what-you-use": "include-what-you-use --version",
}


# ------------------------- staticcheck, Crystal, cabal, jsonlint, mdl, nodeunit, YARD, pyflakes
#
# Packages (Debian 12, installed versions):
#   staticcheck            Debian go-staticcheck 2023.1-1+b3 (binary `go-staticcheck`;
#                          golang-go 2:1.19~1)
#   crystal-spec-failure,
#   crystal-build-type-error
#                          Debian crystal 1.6.0+dfsg-3 (LLVM 14)
#   cabal-build-type-error Debian cabal-install 3.4.1.0-3 (ghc 9.0.2-4)
#   jsonlint-trailing-comma
#                          Debian jsonlint 1.9.0-1 (the PHP one: binary `jsonlint-php`)
#   mdl                    Debian ruby-mdl 0.12.0-3
#   nodeunit-failure       Debian nodeunit 0.11.3+ds-5~deb12u1
#   yard-unknown-param     Debian yard 0.9.28-2+deb12u2
#   pyflakes               Debian pyflakes3 2.5.0-1 (binary `pyflakes3`, Python 3.11.2)
#
# Notes: all run offline. cabal 3.4 bootstraps its secure package index (a DNS lookup
# for mirrors, then a download) before it builds anything, even with --offline, when
# the config lists a repository; the default config it writes does. So the project
# carries a config that lists none (`--config-file`), and the package needs only base
# (cabal warns "No remote package servers have been specified"). Debian's nodeunit
# finds its modules (async, ...) in /usr/share/nodejs, which Debian's own node searches
# but the zoo's Node 20 does not: the step sets NODE_PATH, as a job on such a runner
# would. Crystal colours its compiler errors even without a terminal (kept, as a job
# log would show them). YARD exits 1 on a warning only with --fail-on-warning; the
# warning is a @param naming no parameter. jsonlint is categorised as syntax_error,
# like xmllint-malformed and protoc-syntax-error (a data file that does not parse).

_STATICCHECK_GO_MOD = "module example.test/zoo\n\ngo 1.19\n"
_STATICCHECK_MAIN = (
    'package main\n\nimport "fmt"\n\nfunc total(prices []int) int {\n\tsum := 0\n'
    "\tfor _, p := range prices {\n\t\tsum += p\n\t}\n\treturn sum\n}\n\n"
    "func main() {\n\tt := total([]int{1, 2})\n\tt = total([]int{3, 4})\n\tok := t > 0\n"
    "\tif ok == true {\n\t\tfmt.Println(t)\n\t}\n}\n"
)
_CRYSTAL_CART = (
    "module Cart\n  def self.total(prices : Array(Int32), discount : Int32 = 0) : Int32\n"
    "    prices.sum * (100 - discount) // 100\n  end\nend\n"
)
_CRYSTAL_SPEC = (
    'require "spec"\nrequire "../src/cart"\n\ndescribe Cart do\n'
    '  it "applies the discount" do\n'
    "    Cart.total([1000, 500], discount: 10).should eq(1215)\n  end\nend\n"
)
_CRYSTAL_MAIN = (
    'require "./cart"\n\ntotal : Int32 = Cart.total([1000, 500], discount: "10")\n'
    'puts "total #{total}"\n'
)
_CABAL_FILE = (
    "cabal-version:      2.4\nname:               zoo\nversion:            0.1.0.0\n"
    "build-type:         Simple\n\nexecutable zoo\n    main-is:          Main.hs\n"
    "    other-modules:    Cart\n    hs-source-dirs:   app\n    build-depends:    base\n"
    "    default-language: Haskell2010\n"
)
_CABAL_CART = (
    "module Cart (total) where\n\ntotal :: [Int] -> Int -> Int\n"
    "total prices discount = sum prices * (100 - discount) `div` 100\n"
)
_CABAL_MAIN = (
    "module Main (main) where\n\nimport Cart (total)\n\nmain :: IO ()\n"
    'main = print (total [1000, 500] "10")\n'
)
_JSONLINT_CONFIG = '{\n  "name": "cart",\n  "port": 8080,\n  "tags": ["shop", "checkout",]\n}\n'
_MDL_README = (
    "# Zoo\n\nAdds up the prices in a cart.\n\n### Usage\nRun `zoo` in the cart folder. \n\n"
    "* add a price\n+ print the total\n"
)
_YARD_CART = (
    "# Totals a shopping cart.\nclass Cart\n  # The total of the prices, less the discount.\n"
    "  #\n  # @param prices [Array<Integer>] the prices in cents\n"
    "  # @param discont [Integer] the discount in percent\n"
    "  # @return [Integer] the total in cents\n  def total(prices, discount = 0)\n"
    "    prices.sum * (100 - discount) / 100\n  end\nend\n"
)
_PYFLAKES_CART = (
    "import os\nimport sys\n\n\ndef total(prices, discount=0):\n"
    "    return sum(prices) * (100 - discount) // 100\n\n\n"
    "def main():\n    print(totl(int(arg) for arg in sys.argv[1:]))\n"
)

_GO_CRYSTAL_MISC: list[Case] = [
    Case(
        "staticcheck",
        "go",
        "staticcheck",
        "persistent",
        "lint",
        "go-staticcheck ./...",
        r"\.go:\d+:\d+: .*\((SA|S|ST|U|QF)\d{4}\)$",
        {"go.mod": _STATICCHECK_GO_MOD, "main.go": _STATICCHECK_MAIN},
        needs=("go-staticcheck", "go"),
    ),
    Case(
        "crystal-spec-failure",
        "crystal",
        "crystal spec",
        "persistent",
        "test",
        "crystal spec",
        r"^\s+\d+\) |Failure/Error:|Expected:|got:|# spec/.*\.cr:\d+|\d+ failures?|^crystal spec ",
        {"src/cart.cr": _CRYSTAL_CART, "spec/cart_spec.cr": _CRYSTAL_SPEC},
        needs=("crystal",),
    ),
    Case(
        "crystal-build-type-error",
        "crystal",
        "crystal build",
        "persistent",
        "compile",
        "crystal build src/main.cr",
        r"In .*\.cr:\d+:\d+|Error: ",
        {"src/cart.cr": _CRYSTAL_CART, "src/main.cr": _CRYSTAL_MAIN},
        needs=("crystal",),
    ),
    Case(
        "cabal-build-type-error",
        "haskell",
        "cabal",
        "persistent",
        "compile",
        "cabal --config-file=cabal.config.ci build --offline",
        r"\.hs:\d+:\d+: error:|Couldn.t match|^\s+• ",
        {
            "cabal.config.ci": "-- No package index: the package needs only base, "
            "which comes with GHC.\n",
            "zoo.cabal": _CABAL_FILE,
            "app/Cart.hs": _CABAL_CART,
            "app/Main.hs": _CABAL_MAIN,
        },
        needs=("cabal", "ghc"),
    ),
    Case(
        "jsonlint-trailing-comma",
        "json",
        "jsonlint",
        "persistent",
        "syntax_error",
        "jsonlint-php config.json",
        r"Parse error on line \d+|^Expected one of|^-+\^",
        {"config.json": _JSONLINT_CONFIG},
        needs=("jsonlint-php",),
    ),
    Case(
        "mdl",
        "markdown",
        "mdl",
        "persistent",
        "lint",
        "mdl README.md",
        r"\.md:\d+: MD\d{3} ",
        {"README.md": _MDL_README},
        needs=("mdl",),
    ),
    Case(
        "nodeunit-failure",
        "javascript",
        "nodeunit",
        "persistent",
        "test",
        "NODE_PATH=/usr/share/nodejs nodeunit test",
        r"✖|AssertionError|Assertion Message|FAILURES: ",
        {
            "src/cart.js": "module.exports = (a, b) => a - b;\n",
            "test/cart.js": "const total = require('../src/cart');\n\n"
            "exports.totalAdds = function (test) {\n  test.equal(total(1, 2), 3, 'total adds');\n"
            "  test.done();\n};\n",
        },
        needs=("nodeunit", "node"),
    ),
    Case(
        "yard-unknown-param",
        "ruby",
        "yard",
        "persistent",
        "lint",
        "yard doc --fail-on-warning",
        r"^\[warn\]: |^\s+in file `",
        {"lib/cart.rb": _YARD_CART},
        needs=("yard",),
    ),
    Case(
        "pyflakes",
        "python",
        "pyflakes",
        "persistent",
        "lint",
        "pyflakes3 src",
        r"\.py:\d+:\d+: ",
        {"src/cart.py": _PYFLAKES_CART},
        needs=("pyflakes3",),
    ),
]

_GO_CRYSTAL_MISC_FIXES: dict[str, dict[str, str]] = {
    "staticcheck": {
        "main.go": _STATICCHECK_MAIN.replace(
            "\tt := total([]int{1, 2})\n\tt = ", "\tt := "
        ).replace("ok == true", "ok"),
    },
    "crystal-spec-failure": {"spec/cart_spec.cr": _CRYSTAL_SPEC.replace("1215", "1350")},
    "crystal-build-type-error": {"src/main.cr": _CRYSTAL_MAIN.replace('"10"', "10")},
    "cabal-build-type-error": {"app/Main.hs": _CABAL_MAIN.replace('"10"', "10")},
    "jsonlint-trailing-comma": {
        "config.json": _JSONLINT_CONFIG.replace('"checkout",]', '"checkout"]')
    },
    "mdl": {
        "README.md": "# Zoo\n\nAdds up the prices in a cart.\n\n## Usage\n\n"
        "Run `zoo` in the cart folder.\n\n* add a price\n* print the total\n",
    },
    "nodeunit-failure": {"src/cart.js": "module.exports = (a, b) => a + b;\n"},
    "yard-unknown-param": {
        "lib/cart.rb": _YARD_CART.replace("@param discont ", "@param discount ")
    },
    "pyflakes": {
        "src/cart.py": _PYFLAKES_CART.replace("import os\n", "").replace("totl(", "total("),
    },
}

_GO_CRYSTAL_MISC_VERSIONS: dict[str, str] = {
    "staticcheck": "go-staticcheck -version",
    "crystal spec": "crystal --version | head -1",
    "crystal build": "crystal --version | head -1",
    "cabal": "cabal --version | head -1",
    "jsonlint": "echo jsonlint-php $(dpkg-query -W -f='${Version}' jsonlint)",
    "mdl": "echo mdl $(mdl --version)",
    "nodeunit": "echo nodeunit $(NODE_PATH=/usr/share/nodejs nodeunit --version)",
    "yard": "yard --version",
    "pyflakes": "echo pyflakes $(pyflakes3 --version)",
}


# ------------------------------------------------ Erlang and JVM: Dialyzer, rebar3, kotlinc, Gradle
#
# Packages (installed versions, Debian 12):
#   dialyzer-type-error     Debian erlang-dialyzer 1:25.2.3+dfsg-1+deb12u4 (Dialyzer v5.0.4;
#                           erlang-base, same version)
#   rebar3-eunit-failure,
#   rebar3-compile-error    Debian rebar3 3.19.0-1 (on Erlang/OTP 25; erlang-eunit
#                           1:25.2.3+dfsg-1+deb12u4)
#   kotlinc-type-mismatch   Debian kotlin 1.3.31+ds1-1 (it calls itself "kotlinc-jvm 1.3-SNAPSHOT";
#                           runs on openjdk-17-jdk-headless 17.0.15+6-1~deb12u1)
#   gradle-junit-failure,
#   gradle-compile-error    Debian gradle 4.4.1-18 (openjdk-17-jdk-headless 17.0.15+6-1~deb12u1;
#                           JUnit from junit4 4.13.2-3 and libhamcrest-java 2.2-1, as local files)
#
# Notes: all run offline (checked in a network namespace with only loopback). Dialyzer's
# PLT is built by `setup` from erts alone (about 5 s; erts+kernel+stdlib takes a minute),
# so the module calls no stdlib function (it would be an "Unknown function" warning);
# dialyzer exits 2 when it emits warnings. rebar3 colours its output even without a
# terminal, so its lines carry ANSI escapes, as in a real job log; it needs no package
# registry when rebar.config has no deps. kotlinc 1.3 on JDK 17 first prints a JVM
# warning that -Xverify:none is deprecated. Debian's gradle 4.4.1 is patched to run on
# JDK 17: its start script runs `java -version` (printed on stderr, so it is in the
# output) and the test worker prints JDK 17's setSecurityManager WARNING lines. Gradle
# needs a loopback interface ("Could not determine a usable local IP" without one).
# --no-daemon so no daemon outlives the run; `exceptionFormat 'full'` so the test log
# shows JUnit's expected/but was (the default shows only `AssertionError at ...`).
# `gradle --version` starts with a blank line and a rule: its version command greps.

GRADLE_JUNIT = (
    "apply plugin: 'java'\n\n"
    "dependencies {\n"
    "    testCompile files('/usr/share/java/junit4.jar', '/usr/share/java/hamcrest-core.jar')\n"
    "}\n\n"
    "test {\n    testLogging {\n        exceptionFormat 'full'\n    }\n}\n"
)
REBAR_APP_SRC = (
    '{application, cart,\n [{description, "Cart totals"},\n  {vsn, "0.1.0"},\n'
    "  {registered, []},\n  {applications, [kernel, stdlib]},\n  {env, []},\n  {modules, []}]}.\n"
)
GRADLE_CART = (
    "package shop;\n\npublic class Cart {\n    public static int total(int price, int count) {\n"
    "        return price * count;\n    }\n}\n"
)

_JVM_BEAM: list[Case] = [
    Case(
        "dialyzer-type-error",
        "erlang",
        "dialyzer",
        "persistent",
        "type_error",
        "dialyzer --plt erts.plt --src src/cart.erl",
        r"\.erl:\d+:\d+: |will never return|the contract is|warnings were emitted",
        {
            "src/cart.erl": "-module(cart).\n-export([total/2, checkout/0]).\n\n"
            "-spec total(integer(), integer()) -> integer().\ntotal(Price, Count) ->\n"
            '    Price * Count.\n\ncheckout() ->\n    total(250, "3").\n',
        },
        setup="dialyzer --build_plt --output_plt erts.plt --apps erts",
        needs=("dialyzer",),
    ),
    Case(
        "rebar3-eunit-failure",
        "erlang",
        "rebar3",
        "persistent",
        "test",
        "rebar3 eunit",
        r"^\s+\d+\) \S+:\S+|Failure/Error|expected:|got:|\d+ tests, \d+ failures"
        r"|Error running tests",
        {
            "rebar.config": "{erl_opts, [debug_info]}.\n",
            "src/cart.app.src": REBAR_APP_SRC,
            "src/cart.erl": "-module(cart).\n-export([total/2]).\n\n"
            "total(Price, Count) ->\n    Price + Count.\n",
            "test/cart_tests.erl": "-module(cart_tests).\n"
            '-include_lib("eunit/include/eunit.hrl").\n\n'
            "total_test() ->\n    ?assertEqual(750, cart:total(250, 3)).\n",
        },
        needs=("rebar3",),
    ),
    Case(
        "rebar3-compile-error",
        "erlang",
        "rebar3",
        "persistent",
        "compile",
        "rebar3 compile",
        r"Compiling \S+ failed|\.erl:\d+:\d+: ",
        {
            "rebar.config": "{erl_opts, [debug_info]}.\n",
            "src/cart.app.src": REBAR_APP_SRC,
            "src/cart.erl": "-module(cart).\n-export([total/2]).\n\n"
            "total(Price, Count) ->\n    Price * Cuont.\n",
        },
        needs=("rebar3",),
    ),
    Case(
        "kotlinc-type-mismatch",
        "kotlin",
        "kotlinc",
        "persistent",
        "compile",
        "kotlinc src/Cart.kt -d build",
        r"\.kt:\d+:\d+: error:",
        {
            "src/Cart.kt": "fun total(prices: List<Int>, discount: Int = 0): Int =\n"
            "    prices.sum() * (100 - discount) / 100\n\n"
            'fun main() {\n    val sum: Int = total(listOf(1000, 500), "10")\n'
            "    println(sum)\n}\n",
        },
        needs=("kotlinc",),
    ),
    Case(
        "gradle-junit-failure",
        "java",
        "gradle",
        "persistent",
        "test",
        "gradle test --offline --no-daemon",
        r" FAILED$|AssertionError|\d+ tests? completed, \d+ failed|What went wrong"
        r"|^> There were failing tests",
        {
            "settings.gradle": "rootProject.name = 'cart'\n",
            "build.gradle": GRADLE_JUNIT,
            "src/main/java/shop/Cart.java": GRADLE_CART.replace("* count", "+ count"),
            "src/test/java/shop/CartTest.java": "package shop;\n\n"
            "import static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\n"
            "public class CartTest {\n    @Test\n    public void totalMultipliesPriceByCount() {\n"
            "        assertEquals(750, Cart.total(250, 3));\n    }\n}\n",
        },
        needs=("gradle", "java"),
    ),
    Case(
        "gradle-compile-error",
        "java",
        "gradle",
        "persistent",
        "compile",
        "gradle build --offline --no-daemon",
        r"\.java:\d+: error:|^\s+symbol:|^\s+location:|Compilation failed|\d+ errors?$",
        {
            "settings.gradle": "rootProject.name = 'cart'\n",
            "build.gradle": GRADLE_JUNIT,
            "src/main/java/shop/Cart.java": GRADLE_CART.replace("price * count", "price * cuont"),
        },
        needs=("gradle", "java"),
    ),
]

_JVM_BEAM_FIXES: dict[str, dict[str, str]] = {
    "dialyzer-type-error": {
        "src/cart.erl": "-module(cart).\n-export([total/2, checkout/0]).\n\n"
        "-spec total(integer(), integer()) -> integer().\ntotal(Price, Count) ->\n"
        "    Price * Count.\n\ncheckout() ->\n    total(250, 3).\n",
    },
    "rebar3-eunit-failure": {
        "src/cart.erl": "-module(cart).\n-export([total/2]).\n\n"
        "total(Price, Count) ->\n    Price * Count.\n",
    },
    "rebar3-compile-error": {
        "src/cart.erl": "-module(cart).\n-export([total/2]).\n\n"
        "total(Price, Count) ->\n    Price * Count.\n",
    },
    "kotlinc-type-mismatch": {
        "src/Cart.kt": "fun total(prices: List<Int>, discount: Int = 0): Int =\n"
        "    prices.sum() * (100 - discount) / 100\n\n"
        "fun main() {\n    val sum: Int = total(listOf(1000, 500), 10)\n    println(sum)\n}\n",
    },
    "gradle-junit-failure": {"src/main/java/shop/Cart.java": GRADLE_CART},
    "gradle-compile-error": {"src/main/java/shop/Cart.java": GRADLE_CART},
}

_JVM_BEAM_VERSIONS: dict[str, str] = {
    "dialyzer": "dialyzer --version",
    "rebar3": "rebar3 version",
    # kotlinc 1.3 on JDK 17 prints a JVM warning first.
    "kotlinc": "kotlinc -version 2>&1 | grep kotlinc",
    # Debian's start script prints `java -version` first; the banner starts with a rule.
    "gradle": "gradle --version 2>/dev/null | grep '^Gradle'",
}


# ------------------------------ more clients (2): Codecov's uploader, twine upload, npm publish,
# cabal update, opam init, rebar3's Hex fetch
#
# Packages (versions as installed when verified):
#   codecov-cli   PyPI codecov-cli==11.3.1 (command `codecovcli`; click 8.2.1, requests 2.34.2,
#                 sentry-sdk 2.75.0), in a venv of its own (/var/tmp/self-healing-zoo/codecov-venv,
#                 Python 3.11.7) with its `codecovcli` on the case's PATH: it pins click<8.3.0,
#                 which the zoo venv cannot hold (check-jsonschema 0.39.0 needs click>=8.5,
#                 huggingface_hub 2.4.0 click>=8.4.2). Needs git (setup commits the project).
#   twine         PyPI twine==7.0.0 (rich 15.0.0, requests 2.34.2) from the zoo venv; setup builds
#                 the sdist offline with build==1.6.1 --no-isolation (setuptools 65.5.0).
#   npm-publish   npm 11.19.1 (/usr/lib/node_modules/npm) on Node v20.20.2
#                 (Debian nodejs 20.20.2-1nodesource1+repack1).
#   cabal         Debian cabal-install 3.4.1.0-3; plain http:// through its own HTTP client,
#                 https:// through curl (Debian curl 7.88.1-10+deb12u14).
#   opam          Debian opam 2.1.2-1+deb12u2 (downloads with curl 7.88.1-10+deb12u14).
#   rebar3        Debian rebar3 3.19.0-1 on erlang-base 1:25.2.3+dfsg-1+deb12u4 (OTP 25).
#
# Notes: the clients without a request timeout (codecovcli, twine, cabal, opam, rebar3) have no
# `no-answer` case; npm publish has one (--fetch-timeout). codecovcli retries a refused, reset,
# unresolved, unreachable or TLS-failing connection three times and then says word for word the
# same ("Request failed. Retrying", "Exception: Request failed after too many retries. URL: …"),
# so `refused` stands for them all; it exits non-zero only with -Z (codecov-action's
# fail_ci_if_error). npm publish takes the cut-short 200 as a success (exit 0): no `cut-short`
# case. cabal reads a cut-short index as "tarEntriesList: TruncatedArchive" with a Haskell call
# stack, as if it were its own bug: no `cut-short` case. opam's curl exits with code 7 for a refused
# and an unreachable host alike: no `unreachable` case. Without DEBUG=1 rebar3 prints the same
# three lines for every fault ("Failed to update package jsx from repo hexpm", "Package not found
# in any repo: jsx 3.1.0"), word for word what it prints when a working mirror answers 404
# (checked against a server on loopback), so its cases run with DEBUG=1, rebar3's documented
# switch, which shows the Hex request's error; the project's rebar.config points the hexpm
# repo's api_url at the mirror too (otherwise the debug dump prints the default API host).
_COVERAGE_XML = (
    '<?xml version="1.0" ?>\n<coverage version="7.17.5" line-rate="1" branch-rate="0" '
    'lines-covered="2" lines-valid="2" branches-covered="0" branches-valid="0" complexity="0" '
    'timestamp="1764400000000">\n<sources><source>.</source></sources>\n<packages><package '
    'name="." line-rate="1" branch-rate="0" complexity="0"><classes><class name="cart.py" '
    'filename="cart.py" complexity="0" line-rate="1" branch-rate="0"><methods/><lines>'
    '<line number="1" hits="1"/><line number="2" hits="1"/></lines></class></classes>'
    "</package></packages>\n</coverage>\n"
)
_CART_SDIST = {
    "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
    'build-backend = "setuptools.build_meta"\n\n[project]\nname = "zoo-cart"\n'
    'version = "1.0.0"\n\n[tool.setuptools]\npy-modules = ["cart"]\n',
    "cart.py": "def total(prices):\n    return sum(prices)\n",
}

_CLIENTS_2: list[Case] = [
    # What codecov/codecov-action runs (with fail_ci_if_error: true).
    *_per_fault(
        "codecov-cli",
        "codecovcli --url {url} upload-coverage -Z -t x -r o/r --git-service github "
        "-C 0123456789abcdef0123456789abcdef01234567 --disable-search -f coverage.xml",
        r"Request failed\. Retrying|Response status code was \d+|Upload queued for processing failed|"
        r"^Exception: |^requests\.exceptions\.\w+: ",
        ("refused", "503", "502", "500", "429", "cut-short"),
        files={"coverage.xml": _COVERAGE_XML, "cart.py": "def total(p):\n    return sum(p)\n"},
        needs=("codecovcli", "git"),
        setup=_GIT_COMMIT,
    ),
    *_per_fault(
        "twine",
        "twine upload --non-interactive --repository-url {url}/legacy/ -u __token__ -p x dist/*",
        r'ERROR|Error during upload|Received "\d{3}|^requests\.exceptions\.\w+: ',
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files=_CART_SDIST,
        needs=("twine",),
        setup="python -m build --sdist --no-isolation",
    ),
    # The .npmrc as actions/setup-node writes it, the token from NODE_AUTH_TOKEN.
    *_per_fault(
        "npm-publish",
        "printf '//{host}/:_authToken=${{NODE_AUTH_TOKEN}}\\n' > .npmrc && NODE_AUTH_TOKEN=x "
        "npm publish --registry {url}/ --fetch-retries 0 --fetch-timeout 3000 --cache ./.npm-cache",
        r"npm (?:ERR!|error)",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        files={
            "package.json": '{ "name": "zoo-cart", "version": "1.0.0", "main": "index.js", '
            '"files": ["index.js"] }\n',
            "index.js": "module.exports = (prices) => prices.reduce((a, b) => a + b, 0);\n",
        },
        needs=("npm",),
    ),
    *_per_fault(
        "cabal",
        "cabal --config-file=$PWD/cabal.config update",
        r"^cabal: |^curl: \(\d+\)|Network\.Socket|resource vanished|^is down\.",
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        files={
            "cabal.config": "repository zoo\n  url: {url}/\n\nremote-repo-cache: ./.cabal-packages\n"
        },
        needs=("cabal",),
    ),
    # What ocaml/setup-ocaml's `opam init` does, with the repository at the fault server.
    *_per_fault(
        "opam",
        "OPAMROOT=$PWD/.opam opam init --bare --disable-sandboxing -n -y zoo {url}/",
        r"^\[ERROR\]",
        ("refused", "reset", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        needs=("opam", "curl"),
    ),
    *_per_fault(
        "rebar3",
        "DEBUG=1 HEX_CDN={url} REBAR_CACHE_DIR=$PWD/.rebar-cache rebar3 get-deps",
        r"^===> (?:Hex get_package request failed|Failed to update package|Package not found)|"
        r"failed_connect|to_address|\{\"[^\"]+\",\d+\}|^\s+\{inet,|tls_alert|^\s+\{\d{3},$|<<\"\d{3} |"
        r"CLIENT ALERT",
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files={
            "rebar.config": '{deps, [{jsx, "3.1.0"}]}.\n'
            '{hex, [{repos, [#{name => <<"hexpm">>, api_url => <<"{url}/api">>}]}]}.\n'
        },
        needs=("rebar3",),
    ),
]

_CLIENTS_2_VERSIONS: dict[str, str] = {
    "codecov-cli": "codecovcli --version",
    "twine": "twine --version",
    "npm-publish": "npm --version",
    "cabal": "cabal --version | head -1",
    "opam": "opam --version",
    "rebar3": "rebar3 version",
}


# ------------------------------------------------------------------- Vim script: Vader
#
# Packages: Debian vim-vader 0.3.0+git20200213.6fff477-2 (vim-nox 2:9.0.1378-2+deb12u2).
# Vader! prints Vim's version banner first when run with -es, as a job log shows it.

_VIM: list[Case] = [
    Case(
        "vader-failure",
        "vim",
        "vader",
        "persistent",
        "test",
        "vim -Nu NONE -i NONE -es -c 'set rtp+=/usr/share/vim-vader' -c 'runtime plugin/vader.vim'"
        " -c 'Vader! test/*.vader'",
        r"\(X\)|Success/Total: \d+/\d+",
        {
            "autoload/cart.vim": "function! cart#total(a, b) abort\n  return a:a - a:b\nendfunction\n",
            "test/cart.vader": "Execute (total adds):\n  set rtp+=.\n  AssertEqual 3, cart#total(1, 2)\n\n"
            "Execute (total of nothing):\n  set rtp+=.\n  AssertEqual 0, cart#total(0, 0)\n",
        },
        needs=("vim",),
    ),
]

_VIM_FIXES: dict[str, dict[str, str]] = {
    "vader-failure": {
        "autoload/cart.vim": "function! cart#total(a, b) abort\n  return a:a + a:b\nendfunction\n",
    },
}

_VIM_VERSIONS: dict[str, str] = {
    "vader": "echo vim-vader $(dpkg-query -W -f='${Version}' vim-vader)",
}


# --------------------------------- more test frameworks: C/C++, Tcl, Scheme, OCaml, Ruby, JVM, Go
#
# Debian packages (bookworm 12.11, versions as installed when verified), all offline (checked in
# a network namespace with only loopback):
#   boost-test-failure      libboost-test-dev 1.74.0.3 (libboost-test1.74-dev 1.74.0+ds1-21;
#                           g++ 4:12.2.0-3 in setup)
#   criterion-failure       libcriterion-dev 2.4.1-2 (gcc 4:12.2.0-3 in setup)
#   check-failure           check 0.15.2-2+b1 (gcc 4:12.2.0-3 and pkg-config 1.8.1-1 in setup)
#   doctest-cpp-failure     doctest-dev 2.4.9~ds-1 (header only; g++ 4:12.2.0-3 in setup)
#   cpputest-failure        cpputest 4.0-2 (g++ 4:12.2.0-3 and pkg-config 1.8.1-1 in setup)
#   tcltest-failure         tcl 8.6.13 (tcl8.6 8.6.13+dfsg-2; tcltest 2.5.5)
#   srfi-64-failure         guile-3.0 3.0.8-2 (Guile's own (srfi srfi-64))
#   alcotest-failure        libalcotest-ocaml-dev 1.6.0-1+b1, run by ocaml-dune 2.9.3-1
#                           (ocaml-nox 4.13.1-4, ocaml-findlib 1.9.6-1+b1)
#   test-unit-failure       ruby-test-unit 3.5.7-1 (ruby 1:3.1; ruby3.1 3.1.7+really3.1.2-0+deb12u1)
#   testng-failure          testng 6.9.12-4 (libjcommander-java 1.71-4 on the class path;
#                           openjdk-17-jdk-headless 17.0.15+6-1~deb12u1)
#   ginkgo-failure          golang-github-onsi-ginkgo-dev 1.16.5-3 and golang-gomega-dev 1.10.3-1
#                           (golang-go 2:1.19~1); Ginkgo v1: bookworm has no ginkgo-v2 package
# No PyPI or npm packages. The section uses _CART_C_BAD and _CART_C_GOOD (C/shell section)
# and GRADLE_CART (JVM section).
# Notes:
# - Boost.Test 1.74 colours its error lines even without a terminal and with an empty
#   environment (kept, as a job log shows them) and exits 201 (boost::exit_test_failure).
# - Criterion and Check run each test in a forked process; Criterion prints everything on
#   stderr with "[----]" / "[FAIL]" / "[====] Synthesis" prefixes. Check's runner returns
#   nothing: the test's main exits non-zero when srunner_ntests_failed() is, as CI needs.
# - The C++ doctest is "doctest-cpp" (id and tool): the zoo's `doctest` is Python's.
# - tcltest: tests/all.tcl calls runAllTests, which runs each *.test file in a child tclsh and
#   (in tcltest 2.5) returns 1 when a file had failing tests; all.tcl exits with it. Older
#   tcltest returned nothing, hence the common `$::tcltest::numTests(Failed)` check: tclsh
#   itself exits 0 after a failing test. The output carries the run's start and end dates.
# - SRFI-64 (Guile's reference implementation) prints only "FAIL <name>" and the count on
#   stdout; the expected and actual values go to the log file named after the suite
#   (cart.log), so the step prints the log when the run fails, as CI scripts do. The script
#   reads the fail count before test-end and exits 1 with it (test-end does not exit).
#   --no-auto-compile: otherwise the first run prints ";;; compiling" notes on stderr and
#   later runs (with a warm ~/.cache/guile) do not.
# - Alcotest under dune: dune prints the failing action ("(cd _build/default/test &&
#   ./test_cart.exe)") and the test's output, which has a random run ID and the absolute
#   path of its log folder; the box around "[FAIL]" is drawn with Unicode box characters.
# - Ruby's test-unit: libruby3.1 bundles test-unit 3.5.3; ruby-test-unit 3.5.7 (from
#   rubygems-integration) is what `require "test/unit"` loads. It colours its output (256
#   colours) when GITHUB_ACTIONS=true, as the zoo sets, even without a terminal; without that
#   variable and a terminal it prints plain text. The output has timings (tests/s).
# - TestNG's default output is only the "Total tests run: 1, Failures: 1" box; -verbose 2
#   adds "FAILED: <method>" and the AssertionError with its stack, and also "[Utils]
#   Attempting to create ..." lines for its reports (written to test-output/). TestNG exits
#   1 when a test fails. Its `assertEquals(actual, expected)` order is the reverse of JUnit's.
# - Ginkgo: bookworm packages Ginkgo v1 (1.16.5), not v2. `go test` builds it offline
#   from a vendor folder: the project carries vendor/modules.txt (the packages the suite
#   imports, from `go list -deps -test`, with each module's `go` version: x/sys needs 1.17
#   for unsafe.Slice) and go.mod's matching requirements; `setup` copies those packages
#   from /usr/share/gocode/src into vendor/. `-mod=vendor` on the command line overrides
#   the zoo's GOFLAGS=-mod=mod. Ginkgo v1 colours its report even without a terminal
#   (kept); the output ends with go test's own "--- FAIL: TestCart" and "FAIL" lines. The
#   random seed differs from run to run.

_GINKGO_MODULES_TXT = (
    "# github.com/fsnotify/fsnotify v1.6.0\n## explicit; go 1.16\n"
    "github.com/fsnotify/fsnotify\n"
    "# github.com/nxadm/tail v1.4.5\n## explicit\n"
    "github.com/nxadm/tail\ngithub.com/nxadm/tail/ratelimiter\n"
    "github.com/nxadm/tail/util\ngithub.com/nxadm/tail/watch\n"
    "# github.com/onsi/ginkgo v1.16.5\n## explicit; go 1.16\n"
    "github.com/onsi/ginkgo\ngithub.com/onsi/ginkgo/config\n"
    "github.com/onsi/ginkgo/formatter\ngithub.com/onsi/ginkgo/internal/codelocation\n"
    "github.com/onsi/ginkgo/internal/containernode\n"
    "github.com/onsi/ginkgo/internal/failer\ngithub.com/onsi/ginkgo/internal/global\n"
    "github.com/onsi/ginkgo/internal/leafnodes\n"
    "github.com/onsi/ginkgo/internal/remote\ngithub.com/onsi/ginkgo/internal/spec\n"
    "github.com/onsi/ginkgo/internal/spec_iterator\n"
    "github.com/onsi/ginkgo/internal/specrunner\n"
    "github.com/onsi/ginkgo/internal/suite\n"
    "github.com/onsi/ginkgo/internal/testingtproxy\n"
    "github.com/onsi/ginkgo/internal/writer\ngithub.com/onsi/ginkgo/reporters\n"
    "github.com/onsi/ginkgo/reporters/stenographer\n"
    "github.com/onsi/ginkgo/reporters/stenographer/support/go-colorable\n"
    "github.com/onsi/ginkgo/types\n"
    "# github.com/onsi/gomega v1.10.3\n## explicit; go 1.14\n"
    "github.com/onsi/gomega\ngithub.com/onsi/gomega/format\n"
    "github.com/onsi/gomega/internal/assertion\n"
    "github.com/onsi/gomega/internal/asyncassertion\n"
    "github.com/onsi/gomega/internal/oraclematcher\n"
    "github.com/onsi/gomega/internal/testingtsupport\ngithub.com/onsi/gomega/matchers\n"
    "github.com/onsi/gomega/matchers/support/goraph/bipartitegraph\n"
    "github.com/onsi/gomega/matchers/support/goraph/edge\n"
    "github.com/onsi/gomega/matchers/support/goraph/node\n"
    "github.com/onsi/gomega/matchers/support/goraph/util\n"
    "github.com/onsi/gomega/types\n"
    "# golang.org/x/net v0.7.0\n## explicit; go 1.17\n"
    "golang.org/x/net/html\ngolang.org/x/net/html/atom\ngolang.org/x/net/html/charset\n"
    "# golang.org/x/sys v0.3.0\n## explicit; go 1.17\n"
    "golang.org/x/sys/unix\n"
    "# golang.org/x/text v0.7.0\n## explicit; go 1.17\n"
    "golang.org/x/text/encoding\ngolang.org/x/text/encoding/charmap\n"
    "golang.org/x/text/encoding/htmlindex\ngolang.org/x/text/encoding/internal\n"
    "golang.org/x/text/encoding/internal/identifier\n"
    "golang.org/x/text/encoding/japanese\ngolang.org/x/text/encoding/korean\n"
    "golang.org/x/text/encoding/simplifiedchinese\n"
    "golang.org/x/text/encoding/traditionalchinese\n"
    "golang.org/x/text/encoding/unicode\ngolang.org/x/text/internal/language\n"
    "golang.org/x/text/internal/language/compact\ngolang.org/x/text/internal/tag\n"
    "golang.org/x/text/internal/utf8internal\ngolang.org/x/text/language\n"
    "golang.org/x/text/runes\ngolang.org/x/text/transform\n"
    "# golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1\n## explicit; go 1.11\n"
    "golang.org/x/xerrors\ngolang.org/x/xerrors/internal\n"
    "# gopkg.in/tomb.v1 v1.0.0-20141024135613-dd632973f1e7\n## explicit\n"
    "gopkg.in/tomb.v1\n"
    "# gopkg.in/yaml.v2 v2.4.0\n## explicit; go 1.15\n"
    "gopkg.in/yaml.v2\n"
)
_GINKGO_GO_MOD = (
    "module example.test/cart\n\ngo 1.19\n\n"
    "require (\n\tgithub.com/onsi/ginkgo v1.16.5\n\tgithub.com/onsi/gomega v1.10.3\n)\n\n"
    "require (\n"
    "\tgithub.com/fsnotify/fsnotify v1.6.0 // indirect\n"
    "\tgithub.com/nxadm/tail v1.4.5 // indirect\n"
    "\tgolang.org/x/net v0.7.0 // indirect\n"
    "\tgolang.org/x/sys v0.3.0 // indirect\n"
    "\tgolang.org/x/text v0.7.0 // indirect\n"
    "\tgolang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect\n"
    "\tgopkg.in/tomb.v1 v1.0.0-20141024135613-dd632973f1e7 // indirect\n"
    "\tgopkg.in/yaml.v2 v2.4.0 // indirect\n"
    ")\n"
)
_GINKGO_VENDOR = (
    "grep -v '^#' vendor/modules.txt | while read -r pkg; do\n"
    '  mkdir -p "vendor/$pkg"\n'
    "  find \"/usr/share/gocode/src/$pkg\" -maxdepth 1 -type f ! -name '*_test.go' "
    '-exec cp -t "vendor/$pkg" {} +\n'
    "done\n"
)
_GINKGO_SUITE = (
    'package cart_test\n\nimport (\n\t"testing"\n\n'
    '\t. "github.com/onsi/ginkgo"\n\t. "github.com/onsi/gomega"\n)\n\n'
    "func TestCart(t *testing.T) {\n\tRegisterFailHandler(Fail)\n"
    '\tRunSpecs(t, "Cart Suite")\n}\n'
)
_GINKGO_TEST = (
    'package cart_test\n\nimport (\n\t. "github.com/onsi/ginkgo"\n\t. "github.com/onsi/gomega"\n\n'
    '\t"example.test/cart"\n)\n\n'
    'var _ = Describe("Total", func() {\n\tIt("adds the prices", func() {\n'
    "\t\tExpect(cart.Total(1, 2)).To(Equal(3))\n\t})\n})\n"
)
_GINKGO_CART = "package cart\n\nfunc Total(a, b int) int { return a - b }\n"

_BOOST_TEST_CPP = (
    "#define BOOST_TEST_MODULE cart\n#define BOOST_TEST_DYN_LINK\n"
    "#include <boost/test/unit_test.hpp>\n\nint total(int a, int b);\n\n"
    "BOOST_AUTO_TEST_CASE(total_adds) {\n    BOOST_CHECK_EQUAL(total(1, 2), 3);\n}\n"
)
_CRITERION_TEST_C = (
    "#include <criterion/criterion.h>\n\nint total(int a, int b);\n\n"
    "Test(cart, total_adds) {\n    cr_assert_eq(total(1, 2), 3);\n}\n"
)
_CHECK_TEST_C = (
    "#include <check.h>\n#include <stdlib.h>\n\nint total(int a, int b);\n\n"
    "START_TEST(test_total_adds) {\n    ck_assert_int_eq(total(1, 2), 3);\n}\nEND_TEST\n\n"
    'int main(void) {\n    Suite *suite = suite_create("cart");\n'
    '    TCase *tcase = tcase_create("core");\n'
    "    tcase_add_test(tcase, test_total_adds);\n    suite_add_tcase(suite, tcase);\n"
    "    SRunner *runner = srunner_create(suite);\n"
    "    srunner_run_all(runner, CK_VERBOSE);\n"
    "    int failed = srunner_ntests_failed(runner);\n    srunner_free(runner);\n"
    "    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;\n}\n"
)
_DOCTEST_CPP = (
    "#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN\n#include <doctest/doctest.h>\n\n"
    "int total(int a, int b);\n\n"
    'TEST_CASE("total adds") {\n    CHECK(total(1, 2) == 3);\n}\n'
)
_CPPUTEST_CPP = (
    "#include <CppUTest/CommandLineTestRunner.h>\n#include <CppUTest/TestHarness.h>\n\n"
    "int total(int a, int b);\n\nTEST_GROUP(Cart) {};\n\n"
    "TEST(Cart, TotalAdds) {\n    LONGS_EQUAL(3, total(1, 2));\n}\n\n"
    "int main(int argc, char **argv) {\n"
    "    return CommandLineTestRunner::RunAllTests(argc, argv);\n}\n"
)
_TCL_CART = "proc total {a b} {\n    return [expr {$a - $b}]\n}\n"
_TCL_ALL = (
    "package require tcltest 2.5\nnamespace import ::tcltest::*\n"
    "configure -testdir [file dirname [file normalize [info script]]] -verbose {body error}\n"
    "configure {*}$argv\nexit [runAllTests]\n"
)
_TCL_TEST = (
    "package require tcltest 2.5\nnamespace import ::tcltest::*\n"
    "source [file join [file dirname [file normalize [info script]]] .. cart.tcl]\n\n"
    "test total-1.1 {total adds} -body {\n    total 1 2\n} -result 3\n\ncleanupTests\n"
)
_GUILE_CART = "(define-module (cart)\n  #:export (total))\n\n(define (total a b)\n  (- a b))\n"
_GUILE_TEST = (
    "(use-modules (srfi srfi-64)\n             (cart))\n\n"
    '(test-begin "cart")\n(test-equal "total adds" 3 (total 1 2))\n'
    "(define failures (test-runner-fail-count (test-runner-current)))\n"
    '(test-end "cart")\n(exit (if (zero? failures) 0 1))\n'
)
_ALCOTEST_TEST = (
    "let test_total_adds () =\n"
    '  Alcotest.(check int) "total 1 2" 3 (Cart.total 1 2)\n\n'
    "let () =\n"
    '  Alcotest.run "cart"\n'
    '    [ ("total", [ Alcotest.test_case "adds" `Quick test_total_adds ]) ]\n'
)
_TEST_UNIT_CART = "module Cart\n  def self.total(a, b)\n    a - b\n  end\nend\n"
_TEST_UNIT_TEST = (
    'require "test/unit"\nrequire "cart"\n\n'
    "class TestCart < Test::Unit::TestCase\n  def test_total_adds\n"
    "    assert_equal(3, Cart.total(1, 2))\n  end\nend\n"
)
_TESTNG_CP = "/usr/share/java/testng.jar:/usr/share/java/jcommander.jar"
_TESTNG_TEST = (
    "package shop;\n\nimport static org.testng.Assert.assertEquals;\n\n"
    "import org.testng.annotations.Test;\n\n"
    "public class CartTest {\n    @Test\n    public void totalMultipliesPriceByCount() {\n"
    "        assertEquals(Cart.total(250, 3), 750);\n    }\n}\n"
)

_FRAMEWORKS: list[Case] = [
    # ---------------------------------------------------------------- C and C++
    Case(
        "boost-test-failure",
        "c",
        "boost.test",
        "persistent",
        "test",
        "./test_cart",
        r'error: in "|has failed|\*\*\* \d+ failures? (?:is|are) detected',
        {"src/cart.cpp": _CART_C_BAD, "tests/test_cart.cpp": _BOOST_TEST_CPP},
        setup="g++ -Wall -o test_cart src/cart.cpp tests/test_cart.cpp -lboost_unit_test_framework",
        needs=("g++",),
    ),
    Case(
        "criterion-failure",
        "c",
        "criterion",
        "persistent",
        "test",
        "./test_cart",
        r"Assertion Failed|is false\.|^\[FAIL\]|Synthesis: .*Failing: [1-9]",
        {"src/cart.c": _CART_C_BAD, "tests/test_cart.c": _CRITERION_TEST_C},
        setup="gcc -Wall -o test_cart src/cart.c tests/test_cart.c -lcriterion",
        needs=("gcc",),
    ),
    Case(
        "check-failure",
        "c",
        "check",
        "persistent",
        "test",
        "./test_cart",
        r":F:|Failures: [1-9]",
        {"src/cart.c": _CART_C_BAD, "tests/test_cart.c": _CHECK_TEST_C},
        setup="gcc -Wall -o test_cart src/cart.c tests/test_cart.c"
        " $(pkg-config --cflags --libs check)",
        needs=("gcc", "pkg-config"),
    ),
    Case(
        "doctest-cpp-failure",
        "c",
        "doctest-cpp",
        "persistent",
        "test",
        "./test_cart",
        r": ERROR: |^\s+values: |Status: FAILURE",
        {"src/cart.cpp": _CART_C_BAD, "tests/test_cart.cpp": _DOCTEST_CPP},
        setup="g++ -Wall -o test_cart src/cart.cpp tests/test_cart.cpp",
        needs=("g++",),
    ),
    Case(
        "cpputest-failure",
        "c",
        "cpputest",
        "persistent",
        "test",
        "./test_cart",
        r": error: Failure in|_EQUAL\(.*\) failed|^\s+expected <|^\s+but was|^Errors \(",
        {"src/cart.cpp": _CART_C_BAD, "tests/test_cart.cpp": _CPPUTEST_CPP},
        setup="g++ -Wall -o test_cart src/cart.cpp tests/test_cart.cpp"
        " $(pkg-config --cflags --libs cpputest)",
        needs=("g++", "pkg-config"),
    ),
    # ---------------------------------------------------------------- Tcl and Scheme
    Case(
        "tcltest-failure",
        "tcl",
        "tcltest",
        "persistent",
        "test",
        "tclsh tests/all.tcl",
        r"^==== \S+ .*FAILED$|^---- Result|\tFailed\t[1-9]|^Files with failing tests",
        {"cart.tcl": _TCL_CART, "tests/all.tcl": _TCL_ALL, "tests/cart.test": _TCL_TEST},
        needs=("tclsh",),
    ),
    Case(
        "srfi-64-failure",
        "scheme",
        "srfi-64",
        "persistent",
        "test",
        "guile --no-auto-compile -L . tests/cart-test.scm || { cat cart.log; exit 1; }",
        r": FAIL |# of unexpected failures|result-kind: fail|actual-value:|expected-value:",
        {"cart.scm": _GUILE_CART, "tests/cart-test.scm": _GUILE_TEST},
        needs=("guile",),
    ),
    # ---------------------------------------------------------------- OCaml and Ruby
    Case(
        "alcotest-failure",
        "ocaml",
        "alcotest",
        "persistent",
        "test",
        "dune test",
        r"\[FAIL\]|^ASSERT |^FAIL |Expected: |Received: |\d+ failures?! in",
        {
            "dune-project": "(lang dune 2.9)\n",
            "src/dune": "(library (name cart))\n",
            "src/cart.ml": "let total a b = a - b\n",
            "test/dune": "(test (name test_cart) (libraries cart alcotest))\n",
            "test/test_cart.ml": _ALCOTEST_TEST,
        },
        needs=("dune", "ocamlfind"),
    ),
    Case(
        "test-unit-failure",
        "ruby",
        "test-unit",
        "persistent",
        "test",
        "ruby -Ilib test/test_cart.rb",
        r"^Failure: |expected but was|^<.*>$|[1-9]\d* failures",
        {"lib/cart.rb": _TEST_UNIT_CART, "test/test_cart.rb": _TEST_UNIT_TEST},
        needs=("ruby",),
    ),
    # ---------------------------------------------------------------- JVM
    Case(
        "testng-failure",
        "java",
        "testng",
        "persistent",
        "test",
        f"java -cp out:{_TESTNG_CP} org.testng.TestNG -verbose 2 -testclass shop.CartTest",
        r"^FAILED: |AssertionError|Failures: [1-9]",
        {
            "src/main/java/shop/Cart.java": GRADLE_CART.replace("* count", "+ count"),
            "src/test/java/shop/CartTest.java": _TESTNG_TEST,
        },
        setup="javac -d out -cp /usr/share/java/testng.jar src/main/java/shop/Cart.java"
        " src/test/java/shop/CartTest.java",
        needs=("javac", "java"),
    ),
    # ---------------------------------------------------------------- Go
    Case(
        "ginkgo-failure",
        "go",
        "ginkgo",
        "persistent",
        "test",
        "go test -mod=vendor ./...",
        r"Failure \[|\[It\]|Expected|to equal|^\s+<int>: |\[Fail\]|--- FAIL|^FAIL",
        {
            "go.mod": _GINKGO_GO_MOD,
            "vendor/modules.txt": _GINKGO_MODULES_TXT,
            "cart.go": _GINKGO_CART,
            "cart_suite_test.go": _GINKGO_SUITE,
            "cart_test.go": _GINKGO_TEST,
        },
        setup=_GINKGO_VENDOR,
        needs=("go",),
    ),
]

_FRAMEWORKS_FIXES: dict[str, dict[str, str]] = {
    "boost-test-failure": {"src/cart.cpp": _CART_C_GOOD},
    "criterion-failure": {"src/cart.c": _CART_C_GOOD},
    "check-failure": {"src/cart.c": _CART_C_GOOD},
    "doctest-cpp-failure": {"src/cart.cpp": _CART_C_GOOD},
    "cpputest-failure": {"src/cart.cpp": _CART_C_GOOD},
    "tcltest-failure": {"cart.tcl": _TCL_CART.replace("$a - $b", "$a + $b")},
    "srfi-64-failure": {"cart.scm": _GUILE_CART.replace("(- a b)", "(+ a b)")},
    "alcotest-failure": {"src/cart.ml": "let total a b = a + b\n"},
    "test-unit-failure": {"lib/cart.rb": _TEST_UNIT_CART.replace("a - b", "a + b")},
    "testng-failure": {"src/main/java/shop/Cart.java": GRADLE_CART},
    "ginkgo-failure": {"cart.go": _GINKGO_CART.replace("a - b", "a + b")},
}

_FRAMEWORKS_VERSIONS: dict[str, str] = {
    "boost.test": "dpkg-query -W -f='boost.test ${Version}\\n' libboost-test-dev",
    "criterion": "dpkg-query -W -f='criterion ${Version}\\n' libcriterion-dev",
    "check": "dpkg-query -W -f='check ${Version}\\n' check",
    "doctest-cpp": "dpkg-query -W -f='doctest ${Version}\\n' doctest-dev",
    "cpputest": "dpkg-query -W -f='cpputest ${Version}\\n' cpputest",
    "tcltest": "echo 'puts \"tcltest [package require tcltest] (Tcl [info patchlevel])\"' | tclsh",
    "srfi-64": "guile --version | head -1",
    "alcotest": "dpkg-query -W -f='alcotest ${Version}\\n' libalcotest-ocaml-dev",
    "test-unit": 'ruby -e \'require "test/unit/version"; puts "test-unit #{Test::Unit::VERSION}"\'',
    "testng": "dpkg-query -W -f='testng ${Version}\\n' testng",
    "ginkgo": "dpkg-query -W -f='ginkgo ${Version}\\n' golang-github-onsi-ginkgo-dev",
}


# ------------------------------ more clients (3): bun install, Deno's npm: and remote imports,
# Gradle's dependency download, pre-commit's hook repositories, pipenv, PDM, skopeo
#
# Packages (versions as installed when verified):
#   bun-install       npm bun@1.4.5 (bun 1.4.5+a7733435c), from the zoo's node folder.
#   deno-npm,         npm deno@2.9.6 (deno 2.9.6, v8 15.0.245.2-rusty), from the zoo's node folder.
#   deno-remote
#   gradle-fetch      Debian gradle 4.4.1-18 on openjdk-17-jre-headless 17.0.15+6-1~deb12u1 (the
#                     JDK the zoo's other Gradle cases use); Debian's start script prints
#                     `java -version` first, so every log opens with it.
#   pre-commit-hooks  PyPI pre-commit==4.7.0 from the zoo venv; it fetches with Debian git
#                     1:2.39.5-0+deb12u3. Setup commits the project (pre-commit needs a git repo).
#   pipenv            PyPI pipenv==2026.10.3 (virtualenv 21.15.11; its own patched pip 26.2.2) in
#                     a venv of its own, /var/tmp/self-healing-zoo/pipenv-venv (Python 3.11.7),
#                     on the cases' PATH: in the zoo venv it would upgrade
#                     setuptools (65.5.0, which twine's setup builds with) to 84.2.1.
#   pdm               PyPI pdm==2.29.4 with hishel==1.4.0 (httpx2 2.16.2, unearth 0.19.0) in a
#                     venv of its own, /var/tmp/self-healing-zoo/pdm-venv (Python 3.11.7), on the
#                     cases' PATH (it would only add packages to the zoo venv,
#                     but keeps its hishel pin apart). hishel must be pinned: pip otherwise takes
#                     hishel 2.0.0 for pdm's `hishel[httpx2]>=1.4.0`, and pdm fails at its first
#                     request with "[AttributeError]: module 'hishel' has no attribute
#                     'SyncSqliteStorage'" (the `pdm[locked]` extra, which pins 1.4.0, does not
#                     resolve with the rest of its pins).
#   skopeo            Debian skopeo 1.9.3+ds1-1+b10.
#
# Notes (faults dropped, and why):
# - bun install: `unreachable` prints word for word what `refused` prints ("error:
#   ConnectionRefused downloading package manifest left-pad"), and `cut-short` what `reset`
#   prints ("error: ConnectionClosed downloading package manifest left-pad"): no case for
#   them. Without BUN_CONFIG_HTTP_IDLE_TIMEOUT (bun's HTTP idle timeout in seconds, 300 by
#   default) a silent registry holds bun past the zoo's 180 s; with it set to 3, bun retries
#   ("warn: registry requests failed, retrying") and gives up in about 50 s. A 429 is retried
#   five times ("warn: registry asked to wait 1s before retrying") before the error.
# - Deno has no timeout for its downloads (`no-answer` still waiting at 180 s, for an npm:
#   specifier and a remote import alike): no `no-answer` case. Deno colours its output (ANSI
#   escapes) with CI set and no terminal, as a job log shows it. `deno cache` needs
#   --allow-import for a remote import from a host outside Deno's default list (otherwise it
#   stops at "Requires import access", before any request).
# - gradle-fetch: every fault kept. `gradle dependencies` lists an unresolved dependency as
#   "FAILED" and exits 0, so the cases run `gradle build`, which fails compiling against it.
#   The timeouts are Gradle's org.gradle.internal.http.connectionTimeout/socketTimeout.
# - pre-commit: `unreachable` reads word for word as `refused` (git's "Failed to connect to
#   <host> port 80 after <n> ms: Couldn't connect to server"): no case for it. pre-commit
#   strips GIT_* variables but GIT_CONFIG_COUNT/KEY/VALUE from git's environment, so git's
#   low-speed limit (the `no-answer` timeout) goes in that way.
# - pipenv: without --verbose every fault but `cut-short` ends in the same lines as a
#   misspelled package ("Locking Failed!", "ERROR: No matching distribution found for
#   requests"); with --verbose the resolver log shows pip's "Retrying ... after connection
#   broken by ..." for the connection faults, so the cases run with --verbose (and
#   PIP_RETRIES=1, one warning instead of five). An index answering 503, 502, 500 or 429
#   shows nothing even then: no case for them.
# - pdm: without -v an index answering 503, 502, 500 or 429 gives "[CandidateNotFound]: Unable
#   to find candidates for requests. There may exist some issues with the package name or
#   network condition." word for word, as a misspelled package does; pdm's own hint ("Add
#   '-v' to see the detailed traceback") shows the status ("unearth.collector: Failed to
#   collect links from …: Server Error(503): Service Unavailable"), so those four run with
#   -v, the connection faults without it. No `no-answer` case: pdm 2.29.4 still waits at
#   180 s with PDM_REQUEST_TIMEOUT=3 (interrupted, it sits in the socket's recv under
#   hishel's cache transport). The source is named "pypi" so that it replaces the default
#   index instead of being asked besides it.
# - skopeo: no `tls` case: against the plain-HTTP server Go says "http: server gave HTTP
#   response to HTTPS client", a misconfiguration rather than a blip (as for go-net-http).
#   --tls-verify=false lets skopeo fall back to http:// after the refused https:// ping.
#   The `dns` case names the machine's resolver address (Go's "lookup … on <ip>:53").
#
# pipenv and pdm live in venvs of their own (generate.py's TOOL_VENVS), on the cases' PATH.
_DENO_KEY = r"error(?:\x1b\[0m)?: |^\s+\d: |^\s+\d{3} [A-Z]"
_PDM_PYPROJECT = (
    '[project]\nname = "zoo"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n'
    'dependencies = ["requests"]\n\n[tool.pdm]\ndistribution = false\n\n'
    '[[tool.pdm.source]]\nname = "pypi"\nurl = "{url}/simple"\nverify_ssl = false\n'
)
_PDM = "PDM_CHECK_UPDATE=false PDM_REQUEST_TIMEOUT=3 PDM_CACHE_DIR=$PWD/.pdm-cache pdm install"

_CLIENTS_3: list[Case] = [
    *_per_fault(
        "bun-install",
        "BUN_CONFIG_HTTP_IDLE_TIMEOUT=3 BUN_CONFIG_REGISTRY={url}/ bun install --no-cache",
        r"^error: |^warn: ",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "502", "500", "429"),
        files={"package.json": _PACKAGE_JSON},
        needs=("bun",),
    ),
    # What a Deno project with an npm: dependency runs, the registry from NPM_CONFIG_REGISTRY.
    *_per_fault(
        "deno-npm",
        "DENO_DIR=$PWD/.deno NPM_CONFIG_REGISTRY={url}/ deno cache main.ts",
        _DENO_KEY,
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files={
            "main.ts": 'import leftPad from "npm:left-pad@1.3.0";\n\n'
            'console.log(leftPad("7", 3, "0"));\n'
        },
        needs=("deno",),
    ),
    *_per_fault(
        "deno-remote",
        "DENO_DIR=$PWD/.deno deno cache --allow-import main.ts",
        _DENO_KEY,
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files={
            "main.ts": 'import { leftPad } from "{url}/x/pad@1.0.0/mod.ts";\n\n'
            'console.log(leftPad("7", 3, "0"));\n'
        },
        needs=("deno",),
    ),
    *_per_fault(
        "gradle-fetch",
        "gradle build --no-daemon -g ./.gradle-home "
        "-Dorg.gradle.internal.http.connectionTimeout=3000 "
        "-Dorg.gradle.internal.http.socketTimeout=3000",
        r"^FAILURE: |^Could not resolve all|^\s*> ",
        (
            "refused",
            "reset",
            "no-answer",
            "unreachable",
            "dns",
            "tls",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        files={
            "settings.gradle": "rootProject.name = 'cart'\n",
            "build.gradle": "apply plugin: 'java'\n\n"
            'repositories {\n    maven { url "{url}/maven2" }\n}\n\n'
            "dependencies {\n    compile 'commons-lang:commons-lang:2.6'\n}\n",
            "src/main/java/shop/Cart.java": GRADLE_CART,
        },
        needs=("gradle", "java"),
    ),
    # What `pre-commit run` (so pre-commit/action) does first: clone the hook repository.
    *_per_fault(
        "pre-commit-hooks",
        "PRE_COMMIT_HOME=$PWD/.pre-commit-cache GIT_CONFIG_COUNT=2 "
        "GIT_CONFIG_KEY_0=http.lowSpeedLimit GIT_CONFIG_VALUE_0=1000 "
        "GIT_CONFIG_KEY_1=http.lowSpeedTime GIT_CONFIG_VALUE_1=3 pre-commit install-hooks",
        r"^An unexpected error has occurred|^\s+(?:fatal|remote): ",
        ("refused", "reset", "no-answer", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files={
            ".pre-commit-config.yaml": "repos:\n  - repo: {url}/org/hooks.git\n    rev: v1.0.0\n"
            "    hooks:\n      - id: check-yaml\n"
        },
        needs=("pre-commit", "git"),
        setup=_GIT_COMMIT,
    ),
    *_per_fault(
        "pipenv",
        "PIPENV_VENV_IN_PROJECT=1 PIPENV_NOSPIN=1 PIP_RETRIES=1 "
        "PIP_TIMEOUT=3 pipenv install --verbose",
        r"^\[WARNING\] Retrying|after connection broken by|^'\w+Error\(|timed out|"
        r"Failed to resolve|': /simple/|^\[INFO\] Could not fetch|^\[CRITICAL\]|^Locking Failed|"
        r"^ERROR: No matching|Connection broken: |^pipenv\.\S+Error: ",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls", "cut-short"),
        files={
            "Pipfile": '[[source]]\nurl = "{url}/simple"\nverify_ssl = false\nname = "mirror"\n\n'
            '[packages]\nrequests = "*"\n'
        },
        needs=("pipenv",),
    ),
    *_per_fault(
        "pdm",
        _PDM,
        r"^\[\w+\]: ",
        ("refused", "reset", "unreachable", "dns", "tls", "cut-short"),
        files={"pyproject.toml": _PDM_PYPROJECT},
        needs=("pdm",),
    ),
    # An index that answers 5xx or 429 shows only with -v (see the notes above).
    *_per_fault(
        "pdm",
        _PDM + " -v",
        r"^unearth\.collector: Failed|^pdm\.exceptions\.\w+: ",
        ("503", "502", "500", "429"),
        files={"pyproject.toml": _PDM_PYPROJECT},
        needs=("pdm",),
    ),
    *_per_fault(
        "skopeo",
        "skopeo inspect --tls-verify=false --command-timeout 10s docker://{host}/zoo/app:1",
        r"level=fatal",
        (
            "refused",
            "reset",
            "no-answer",
            "unreachable",
            "dns",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        needs=("skopeo",),
    ),
]

_CLIENTS_3_VERSIONS: dict[str, str] = {
    "bun-install": "bun --version",
    "deno-npm": "deno --version | head -1",
    "deno-remote": "deno --version | head -1",
    # Debian's start script prints `java -version` first; the banner starts with a rule.
    "gradle-fetch": "gradle --version 2>/dev/null | grep '^Gradle'",
    "pre-commit-hooks": "pre-commit --version",
    "pipenv": "pipenv --version",
    "pdm": "pdm --version",
    "skopeo": "skopeo --version",
}


# ------------------------------------------------ Python-world checkers from PyPI
#
# PyPI packages (installed in the zoo venv, Python 3.11.7; none changed a package already
# there), all run offline:
#   zizmor-template-injection   zizmor==1.32.0
#   gitlint                     gitlint-core==0.19.1 (arrow 1.4.0, sh 2.4.0); git from Debian
#   commitizen-check            commitizen==4.19.3 (questionary 2.1.1, decli 0.6.3, ...); git
#   detect-secrets-hook         detect-secrets==1.5.0
#   interrogate-fail-under      interrogate==1.7.0
#   xenon-max-absolute          xenon==0.9.3 (radon 6.0.1, mando 0.7.1)
#   proselint                   proselint==0.16.0 (google-re2 1.1.20251105)
#   rstcheck                    rstcheck==6.3.0 (rstcheck-core 1.3.2; the venv's docutils 0.22.4)
#   cmakelint                   cmakelint==1.4.3
#   cmake-format-check          cmake-format==0.6.13 (cmakelang 0.6.13)
#   yapf-diff                   yapf==0.43.0
#   autopep8-diff               autopep8==2.3.2 (the venv's pycodestyle 2.15.0)
#   autoflake-check             autoflake==2.4.0 (the venv's pyflakes 4.1.0)
#   pyupgrade                   pyupgrade==3.22.0 (tokenize-rt 6.2.0)
#   docformatter-check          docformatter==1.7.8
#   flynt-fail-on-change        flynt==1.0.6
#   validate-pyproject          validate-pyproject==0.27 (the venv's fastjsonschema 2.22.3)
#   pyproject-fmt-check         pyproject-fmt==2.30.3
#   pip-check-conflict          the venv's pip 23.2.1 (a fresh venv's pip, from ensurepip of
#                               Python 3.11.7, is the same version); wheels built with the
#                               venv's poetry-core 2.5.0 (from poetry==2.5.1)
# Not kept: semgrep 1.185.0 (requires click~=8.4.2, jsonschema~=4.25.1, tomli~=2.4.0: it
# would downgrade the venv's click 8.5.1, jsonschema 4.26.0, tomli 2.5.0 and
# importlib_metadata 10.2.0); checkov 3.3.30 (would downgrade cachetools 8.0.2 to 5.5.2,
# importlib_metadata to 7.2.1, networkx 3.6.1 to 2.6.3, packaging 26.4 to 23.2, tabulate
# 0.10.0 to 0.9.0); doc8 2.0.0, its latest (requires docutils<0.22: would downgrade
# docutils 0.22.4 to 0.21.2). The `gitlint` package 0.19.1 pins click==8.1.3, so its
# unpinned half, gitlint-core (the same `gitlint` command), is installed instead.
#
# Notes:
# - zizmor colours its report when CI=true (set by _environment), with or without a
#   terminal, as it does on a runner; without CI it prints plain text. It exits 14 when
#   the worst finding is high (11 to 14 by severity). The summary line counts 2 findings
#   suppressed by the default persona besides the one shown.
# - gitlint and commitizen lint the branch's commits (main..HEAD) of a repository that
#   `setup` makes, the commit message taken from COMMIT_MSG (the fix rewrites that file);
#   the dates are fixed so the commit hash that cz prints is the same on every run. cz
#   (with no configuration: conventional commits) exits 14; gitlint exits with the number
#   of violations (3). cz's check of one message (`--message`) would leave no file to fix.
# - detect-secrets-hook checks the file against a baseline (made by `detect-secrets scan`
#   1.5.0 on the clean tree, shipped in the project); the key is AWS's documentation example.
# - interrogate -v prints the absolute path of the folder it checked.
# - proselint 0.16 checks through its `check` subcommand and prints absolute paths.
# - rstcheck also parses the Python of code-block directives; its default report level
#   (INFO) counts the short title underline too.
# - cmakelint prints "Total Errors" before the errors it counted.
# - cmake-format --check prints one line naming the file, no diff.
# - yapf --diff exits 1 on a diff; yapf does not split `import os, sys`, autopep8 does.
#   autopep8 --diff --exit-code exits 2; docformatter --check exits 3.
# - pyupgrade rewrites the file in place, prints only "Rewriting <file>" and exits 1.
# - flynt --dry-run prints the diff (with an empty `+++` header) and leaves the files;
#   it converts no `%d` without --aggressive, so the receipt uses `%s`.
# - validate-pyproject 0.27 logs the ValidationError with its traceback (logger.exception)
#   before "Invalid file:"; it reports only the first error.
# - pyproject-fmt colours its diff even without a terminal or CI, and adds the Python
#   classifiers (up to 3.15) that requires-python allows; the fix is its own output.
# - pip check: a fresh venv's setuptools 65.5.0 has no bdist_wheel without the `wheel`
#   package (so `pip install --no-build-isolation` of a local project fails in it with
#   "invalid command 'bdist_wheel'"): `setup` builds both wheels with the zoo venv's pip
#   and poetry-core (--no-index --no-build-isolation), then installs them --no-deps into
#   .venv. The tool is "pip", whose version command generate.py already has.

_PYC_GIT = (
    "export GIT_AUTHOR_DATE=2026-11-02T09:00:00Z GIT_COMMITTER_DATE=2026-11-02T09:00:00Z\n"
    "git init -q -b main\n"
    "git add cart.py\n"
    "git -c user.name=zoo -c user.email=zoo@example.test commit -qm 'chore: add the cart'\n"
    "git checkout -qb discount\n"
    "git add discount.py\n"
    "git -c user.name=zoo -c user.email=zoo@example.test commit -q -F COMMIT_MSG\n"
)
_PYC_GIT_FILES = {
    "cart.py": "def total(prices):\n    return sum(prices)\n",
    "discount.py": "def discounted(total, percent):\n    return total * (100 - percent) // 100\n",
}
_PYC_WORKFLOW = (
    "name: greet\n\non:\n  issues:\n    types: [opened]\n\npermissions: {}\n\njobs:\n"
    "  greet:\n    runs-on: ubuntu-24.04\n    steps:\n      - name: Thank the reporter\n"
    '        run: echo "Thanks for reporting ${{ github.event.issue.title }}"\n'
)
_PYC_WORKFLOW_FIXED = _PYC_WORKFLOW.replace(
    '        run: echo "Thanks for reporting ${{ github.event.issue.title }}"\n',
    "        env:\n          TITLE: ${{ github.event.issue.title }}\n"
    '        run: echo "Thanks for reporting $TITLE"\n',
)
_PYC_SECRETS_BASELINE = (
    '{\n  "version": "1.5.0",\n  "plugins_used": [\n'
    + ",\n".join(
        f'    {{"name": "{name}"{extra}}}'
        for name, extra in (
            ("ArtifactoryDetector", ""),
            ("AWSKeyDetector", ""),
            ("AzureStorageKeyDetector", ""),
            ("Base64HighEntropyString", ', "limit": 4.5'),
            ("BasicAuthDetector", ""),
            ("CloudantDetector", ""),
            ("DiscordBotTokenDetector", ""),
            ("GitHubTokenDetector", ""),
            ("GitLabTokenDetector", ""),
            ("HexHighEntropyString", ', "limit": 3.0'),
            ("IbmCloudIamDetector", ""),
            ("IbmCosHmacDetector", ""),
            ("IPPublicDetector", ""),
            ("JwtTokenDetector", ""),
            ("KeywordDetector", ', "keyword_exclude": ""'),
            ("MailchimpDetector", ""),
            ("NpmDetector", ""),
            ("OpenAIDetector", ""),
            ("PrivateKeyDetector", ""),
            ("PypiTokenDetector", ""),
            ("SendGridDetector", ""),
            ("SlackDetector", ""),
            ("SoftlayerDetector", ""),
            ("SquareOAuthDetector", ""),
            ("StripeDetector", ""),
            ("TelegramBotTokenDetector", ""),
            ("TwilioKeyDetector", ""),
        )
    )
    + '\n  ],\n  "filters_used": [\n'
    + ",\n".join(
        f'    {{"path": "detect_secrets.filters.{path}"{extra}}}'
        for path, extra in (
            ("allowlist.is_line_allowlisted", ""),
            ("common.is_ignored_due_to_verification_policies", ', "min_level": 2'),
            ("heuristic.is_indirect_reference", ""),
            ("heuristic.is_likely_id_string", ""),
            ("heuristic.is_lock_file", ""),
            ("heuristic.is_not_alphanumeric_string", ""),
            ("heuristic.is_potential_uuid", ""),
            ("heuristic.is_prefixed_with_dollar_sign", ""),
            ("heuristic.is_sequential_string", ""),
            ("heuristic.is_swagger_file", ""),
            ("heuristic.is_templated_secret", ""),
        )
    )
    + '\n  ],\n  "results": {},\n  "generated_at": "2026-11-02T09:00:00Z"\n}\n'
)
_PYC_SETTINGS = (
    "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n"
    "AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\n"
)
_PYC_SETTINGS_FIXED = (
    "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n"
    "AWS_ACCESS_KEY_ID = os.environ['AWS_ACCESS_KEY_ID']\n"
)
_PYC_UNDOCUMENTED = (
    "class Cart:\n    def __init__(self):\n        self.prices = []\n\n"
    "    def add(self, price):\n        self.prices.append(price)\n\n"
    "    def total(self, discount=0):\n        return sum(self.prices) * (100 - discount) // 100\n"
)
_PYC_DOCUMENTED = (
    '"""A shopping cart."""\n\n\nclass Cart:\n    """The prices of the items in a cart, in cents."""\n\n'
    '    def __init__(self):\n        """Start with no items."""\n        self.prices = []\n\n'
    '    def add(self, price):\n        """Add an item\'s price."""\n        self.prices.append(price)\n\n'
    '    def total(self, discount=0):\n        """The total, less a discount in percent."""\n'
    "        return sum(self.prices) * (100 - discount) // 100\n"
)
_PYC_SHIPPING = (
    "def shipping(country, weight, express=False):\n"
    "    if country == 'DE':\n"
    "        if weight < 1000:\n            cost = 5\n"
    "        elif weight < 5000:\n            cost = 9\n"
    "        else:\n            cost = 15\n"
    "    elif country in ('FR', 'NL', 'BE'):\n"
    "        if weight < 1000:\n            cost = 9\n        else:\n            cost = 19\n"
    "    else:\n        cost = 29 if weight < 1000 else 49\n"
    "    if express and cost < 20:\n        cost *= 2\n"
    "    return cost\n"
)
_PYC_SHIPPING_FIXED = (
    "RATES = {'DE': (5, 15), 'FR': (9, 19), 'NL': (9, 19), 'BE': (9, 19)}\n\n\n"
    "def shipping(country, weight, express=False):\n"
    "    light, heavy = RATES.get(country, (29, 49))\n"
    "    cost = light if weight < 1000 else heavy\n"
    "    return cost * 2 if express else cost\n"
)
_PYC_GUIDE = (
    "# Adding up prices\n\n"
    "The cart is a very unique way to add up prices. In order to add a price, call\n"
    "`add`; the total is then calculated automatically at this point in time.\n"
)
_PYC_GUIDE_FIXED = (
    "# Adding up prices\n\n"
    "The cart adds up prices. To add a price, call `add`; the cart then updates\n"
    "the total.\n"
)
_PYC_RST = (
    "Cart\n==\n\nThe cart adds up prices.\n\n"
    ".. code-block:: python\n\n   total([1000, 500]\n\n"
    "See `the usage guide <usage.html>`_ and the `changelog`_.\n"
)
_PYC_RST_FIXED = (
    "Cart\n====\n\nThe cart adds up prices.\n\n"
    ".. code-block:: python\n\n   total([1000, 500])\n\n"
    "See `the usage guide <usage.html>`_.\n"
)
_PYC_CMAKE = (
    "cmake_minimum_required(VERSION 3.16)\n"
    "PROJECT(cart C)\n\n"
    "add_library(cart   src/cart.c)\n"
    "if (BUILD_TESTING)\n"
    "  add_executable(test_cart tests/test_cart.c)\n"
    "    target_link_libraries(test_cart cart)\n"
    "endif ()\n"
)
_PYC_CMAKE_FIXED = (
    "cmake_minimum_required(VERSION 3.16)\n"
    "project(cart C)\n\n"
    "add_library(cart src/cart.c)\n"
    "if(BUILD_TESTING)\n"
    "  add_executable(test_cart tests/test_cart.c)\n"
    "  target_link_libraries(test_cart cart)\n"
    "endif()\n"
)
_PYC_UGLY = (
    "import os, sys\n"
    "def total( prices,discount = 0 ):\n"
    "    result=sum( prices )\n"
    "    return result*(100-discount)//100\n"
    "if __name__=='__main__':\n"
    "    discount=int(os.environ.get('DISCOUNT', 0))\n"
    "    print(total([int(p) for p in sys.argv[1:]],discount))\n"
)
_PYC_TIDY = (
    "import os\nimport sys\n\n\n"
    "def total(prices, discount=0):\n"
    "    result = sum(prices)\n"
    "    return result * (100 - discount) // 100\n\n\n"
    "if __name__ == '__main__':\n"
    "    discount = int(os.environ.get('DISCOUNT', 0))\n"
    "    print(total([int(p) for p in sys.argv[1:]], discount))\n"
)
_PYC_UNUSED = (
    "import os\nimport sys\n\n\n"
    "def total(prices, discount=0):\n"
    "    unused = len(prices)\n"
    "    return sum(prices) * (100 - discount) // 100\n"
)
_PYC_UNUSED_FIXED = (
    "def total(prices, discount=0):\n    return sum(prices) * (100 - discount) // 100\n"
)
_PYC_OLD_SYNTAX = (
    "from typing import List, Optional\n\n\n"
    "class Cart(object):\n"
    "    def total(self, prices: List[int], discount: Optional[int] = None) -> str:\n"
    "        return '{} cents'.format(sum(prices) * (100 - (discount or 0)) // 100)\n"
)
_PYC_NEW_SYNTAX = (
    "class Cart:\n"
    "    def total(self, prices: list[int], discount: int | None = None) -> str:\n"
    "        return f'{sum(prices) * (100 - (discount or 0)) // 100} cents'\n"
)
_PYC_DOCSTRINGS = (
    "def total(prices, discount=0):\n"
    '    """\n    return the total of the prices, less a discount in percent\n    """\n'
    "    return sum(prices) * (100 - discount) // 100\n"
)
_PYC_DOCSTRINGS_FIXED = (
    "def total(prices, discount=0):\n"
    '    """Return the total of the prices, less a discount in percent."""\n'
    "    return sum(prices) * (100 - discount) // 100\n"
)
_PYC_PERCENT = (
    "def receipt(name, total):\n"
    "    return 'Dear %s, your total is %s cents' % (name, total)\n\n\n"
    "def line(item, price):\n"
    "    return '{}: {}'.format(item, price)\n"
)
_PYC_FSTRINGS = (
    "def receipt(name, total):\n"
    "    return f'Dear {name}, your total is {total} cents'\n\n\n"
    "def line(item, price):\n"
    "    return f'{item}: {price}'\n"
)
_PYC_PYPROJECT_INVALID = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "zoo cart"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
    'license = "MIT"\ndependencies = ["requests>=2"]\n\n'
    '[project.scripts]\ncart = "cart:main"\n'
)
_PYC_PYPROJECT_VALID = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "zoo-cart"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
    'license = "MIT"\ndependencies = ["requests>=2"]\n\n'
    '[project.scripts]\ncart = "cart:main"\n'
)
_PYC_PYPROJECT_UNSORTED = (
    '[project]\nversion = "1.0.0"\nname = "zoo-cart"\nrequires-python = ">=3.10"\n'
    'dependencies = ["requests>=2","click>=8"]\n\n'
    '[build-system]\nbuild-backend = "setuptools.build_meta"\nrequires = ["setuptools>=61"]\n'
)
_PYC_PYPROJECT_FORMATTED = (
    '[build-system]\nbuild-backend = "setuptools.build_meta"\nrequires = [ "setuptools>=61" ]\n\n'
    '[project]\nname = "zoo-cart"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
    "classifiers = [\n"
    + "".join(
        f'  "Programming Language :: Python :: {v}",\n'
        for v in ("3 :: Only", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
    )
    + ']\ndependencies = [ "click>=8", "requests>=2" ]\n'
)
_PYC_PIP_MONEY = (
    '[build-system]\nrequires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n\n'
    '[project]\nname = "zoo-money"\nversion = "1.0.0"\n\n'
    '[tool.poetry]\npackages = [{ include = "money.py" }]\n'
)
_PYC_PIP_CART = (
    _PYC_PIP_MONEY.replace("zoo-money", "zoo-cart")
    .replace('"money.py"', '"cart.py"')
    .replace('version = "1.0.0"\n', 'version = "1.0.0"\ndependencies = ["zoo-money>=2"]\n')
)
_PYC_PIP_SETUP = (
    "pip wheel -q --no-index --no-build-isolation --no-deps -w dist ./money ./cart\n"
    "python -m venv .venv\n"
    ".venv/bin/pip install -q --no-index --no-deps dist/*.whl\n"
)

_PYCHECKS: list[Case] = [
    Case(
        "zizmor-template-injection",
        "github-actions",
        "zizmor",
        "persistent",
        "lint",
        "zizmor --offline .",
        r"error\[[a-z-]+\]|--> |may expand into attacker-controllable code|findings \(",
        {".github/workflows/greet.yml": _PYC_WORKFLOW},
        needs=("zizmor",),
    ),
    Case(
        "gitlint",
        "python",
        "gitlint",
        "persistent",
        "lint",
        "gitlint --commits main..HEAD",
        r"^\d+: [A-Z]+\d+ ",
        {**_PYC_GIT_FILES, "COMMIT_MSG": "WIP: added discount.\n"},
        setup=_PYC_GIT,
        needs=("gitlint", "git"),
    ),
    Case(
        "commitizen-check",
        "python",
        "commitizen",
        "persistent",
        "lint",
        "cz check --rev-range main..HEAD",
        r'commit validation: failed!|please enter a commit message|^commit "[0-9a-f]+": |^"pattern: ',
        {**_PYC_GIT_FILES, "COMMIT_MSG": "added discount\n"},
        setup=_PYC_GIT,
        needs=("cz", "git"),
    ),
    _py(
        "detect-secrets-hook",
        "detect-secrets",
        "lint",
        "detect-secrets-hook --baseline .secrets.baseline src/settings.py",
        r"Potential secrets about to be committed|^Secret Type: |^Location: ",
        **{".secrets.baseline": _PYC_SECRETS_BASELINE, "src/settings.py": _PYC_SETTINGS},
    ),
    _py(
        "interrogate-fail-under",
        "interrogate",
        "lint",
        "interrogate -v --fail-under 80 src",
        r"RESULT: FAILED|^\| \S+\.py +\|",
        src__cart_DOT_py=_PYC_UNDOCUMENTED,
    ),
    _py(
        "xenon-max-absolute",
        "xenon",
        "lint",
        "xenon --max-absolute A src",
        r"^ERROR:xenon:",
        src__shipping_DOT_py=_PYC_SHIPPING,
    ),
    Case(
        "proselint",
        "markdown",
        "proselint",
        "persistent",
        "lint",
        "proselint check docs/guide.md",
        r"\.md:\d+:\d+: [a-z_.]+: ",
        {"docs/guide.md": _PYC_GUIDE},
        needs=("proselint",),
    ),
    Case(
        "rstcheck",
        "rst",
        "rstcheck",
        "persistent",
        "lint",
        "rstcheck docs/index.rst",
        r"\.rst:\d+: \((?:INFO|WARNING|ERROR|SEVERE)/\d\)|^Error! Issues detected",
        {"docs/index.rst": _PYC_RST},
        needs=("rstcheck",),
    ),
    Case(
        "cmakelint",
        "cmake",
        "cmakelint",
        "persistent",
        "lint",
        "cmakelint CMakeLists.txt",
        r"\.txt:\d+: .*\[[a-z]+/[a-z]+\]$|^Total Errors: [1-9]",
        {"CMakeLists.txt": _PYC_CMAKE},
        needs=("cmakelint",),
    ),
    Case(
        "cmake-format-check",
        "cmake",
        "cmake-format",
        "persistent",
        "format",
        "cmake-format --check CMakeLists.txt",
        r"Check failed: ",
        {"CMakeLists.txt": _PYC_CMAKE},
        needs=("cmake-format",),
    ),
    _py(
        "yapf-diff",
        "yapf",
        "format",
        "yapf --diff src/cart.py",
        r"^[-+][^-+]|^@@",
        src__cart_DOT_py=_PYC_UGLY,
    ),
    _py(
        "autopep8-diff",
        "autopep8",
        "format",
        "autopep8 --diff --exit-code src/cart.py",
        r"^[-+][^-+]|^@@",
        src__cart_DOT_py=_PYC_UGLY,
    ),
    _py(
        "autoflake-check",
        "autoflake",
        "lint",
        "autoflake --check --remove-all-unused-imports --remove-unused-variables src/cart.py",
        r"Unused imports/variables detected",
        src__cart_DOT_py=_PYC_UNUSED,
    ),
    _py(
        "pyupgrade",
        "pyupgrade",
        "lint",
        "pyupgrade --py311-plus src/cart.py",
        r"^Rewriting ",
        src__cart_DOT_py=_PYC_OLD_SYNTAX,
    ),
    _py(
        "docformatter-check",
        "docformatter",
        "format",
        "docformatter --check --diff src/cart.py",
        r"^[-+][^-+]|^@@",
        src__cart_DOT_py=_PYC_DOCSTRINGS,
    ),
    _py(
        "flynt-fail-on-change",
        "flynt",
        "format",
        "flynt --dry-run --fail-on-change src",
        r"^[-+][^-+]|^@@|^Modified \d+ of \d+ files",
        src__receipt_DOT_py=_PYC_PERCENT,
    ),
    _py(
        "validate-pyproject",
        "validate-pyproject",
        "config",
        "validate-pyproject pyproject.toml",
        r"^\[ERROR\] |^Invalid file: |ValidationError: ",
        pyproject_DOT_toml=_PYC_PYPROJECT_INVALID,
    ),
    _py(
        "pyproject-fmt-check",
        "pyproject-fmt",
        "format",
        "pyproject-fmt --check pyproject.toml",
        r"^(?:\x1b\[3[12]m)?[-+](?![-+]{2} )|^@@",
        pyproject_DOT_toml=_PYC_PYPROJECT_UNSORTED,
    ),
    Case(
        "pip-check-conflict",
        "python",
        "pip",
        "persistent",
        "dependency",
        ". .venv/bin/activate\npip check",
        r"has requirement .*, but you have ",
        {
            "money/pyproject.toml": _PYC_PIP_MONEY,
            "money/money.py": "def cents(amount):\n    return round(amount * 100)\n",
            "cart/pyproject.toml": _PYC_PIP_CART,
            "cart/cart.py": "from money import cents\n\n\ndef total(prices):\n"
            "    return sum(cents(p) for p in prices)\n",
        },
        setup=_PYC_PIP_SETUP,
    ),
]

_PYCHECKS_FIXES: dict[str, dict[str, str]] = {
    "zizmor-template-injection": {".github/workflows/greet.yml": _PYC_WORKFLOW_FIXED},
    "gitlint": {
        "COMMIT_MSG": "Add a percentage discount\n\n"
        "The total takes a discount in percent, rounded down to the cent.\n"
    },
    "commitizen-check": {"COMMIT_MSG": "feat: add a percentage discount\n"},
    "detect-secrets-hook": {"src/settings.py": _PYC_SETTINGS_FIXED},
    "interrogate-fail-under": {"src/cart.py": _PYC_DOCUMENTED},
    "xenon-max-absolute": {"src/shipping.py": _PYC_SHIPPING_FIXED},
    "proselint": {"docs/guide.md": _PYC_GUIDE_FIXED},
    "rstcheck": {"docs/index.rst": _PYC_RST_FIXED},
    "cmakelint": {"CMakeLists.txt": _PYC_CMAKE_FIXED},
    "cmake-format-check": {"CMakeLists.txt": _PYC_CMAKE_FIXED},
    "yapf-diff": {"src/cart.py": _PYC_TIDY},
    "autopep8-diff": {"src/cart.py": _PYC_TIDY},
    "autoflake-check": {"src/cart.py": _PYC_UNUSED_FIXED},
    "pyupgrade": {"src/cart.py": _PYC_NEW_SYNTAX},
    "docformatter-check": {"src/cart.py": _PYC_DOCSTRINGS_FIXED},
    "flynt-fail-on-change": {"src/receipt.py": _PYC_FSTRINGS},
    "validate-pyproject": {"pyproject.toml": _PYC_PYPROJECT_VALID},
    "pyproject-fmt-check": {"pyproject.toml": _PYC_PYPROJECT_FORMATTED},
    "pip-check-conflict": {
        "money/pyproject.toml": _PYC_PIP_MONEY.replace('version = "1.0.0"', 'version = "2.0.0"')
    },
}

_PYCHECKS_VERSIONS: dict[str, str] = {
    "zizmor": "zizmor --version",
    "gitlint": "gitlint --version",
    "commitizen": "echo commitizen $(cz version)",
    "detect-secrets": "echo detect-secrets $(detect-secrets --version)",
    "interrogate": "interrogate --version",
    "xenon": "echo xenon $(xenon --version)",
    "proselint": "proselint version",
    "rstcheck": "rstcheck --version | head -1",
    "cmakelint": "cmakelint --version",
    "cmake-format": "echo cmake-format $(cmake-format --version)",
    "yapf": "yapf --version",
    "autopep8": "autopep8 --version",
    "autoflake": "autoflake --version",
    "pyupgrade": 'python -c \'import importlib.metadata as m; print("pyupgrade", m.version("pyupgrade"))\'',
    "docformatter": "docformatter --version",
    "flynt": "echo flynt $(flynt --version)",
    "validate-pyproject": "validate-pyproject --version",
    "pyproject-fmt": "pyproject-fmt --version",
}


# ------------------------------------------------------------ JavaScript/TypeScript checkers:
# Flow, depcheck, jscpd, lockfile-lint, publint, textlint, tsd, sort-package-json,
# dependency-cruiser, Are the Types Wrong?, Karma
#
# Packages (npm, installed in the zoo node folder; node v20.20.2, npm 11.19.1):
#   flow-type-error              flow-bin@0.336.0 (ships its own binary)
#   depcheck-missing-dependency  depcheck@1.4.7
#   jscpd-duplication            jscpd@5.3.3 (a Rust binary from the optional package
#                                jscpd-linux-x64-gnu@5.3.3)
#   lockfile-lint-http           lockfile-lint@5.0.1
#   publint-missing-export       publint@0.3.25
#   textlint-no-todo             textlint@15.8.0, textlint-rule-no-todo@2.0.1
#   tsd-type-test                tsd@0.33.0 (its own @tsd/typescript 5.9, not the zoo's tsc)
#   sort-package-json-check      sort-package-json@3.6.1
#   dependency-cruiser-circular  dependency-cruiser@17.4.3
#   attw-false-cjs               @arethetypeswrong/cli@0.18.5 (its core pins typescript
#                                5.6.1-rc, installed nested, not the zoo's typescript@7)
#   karma-jasmine-failure        karma@6.4.4, karma-jasmine@5.1.0 (nested jasmine-core 4),
#                                karma-chrome-launcher@3.2.0; Debian chromium
#                                156.0.8078.108-1~deb12u1 (not in APT_PACKAGES yet)
#
# Notes: all run offline (checked in a network namespace with only loopback up; Karma
# needs loopback for its server on localhost:9876). Flow 0.336's `flow check` starts a
# background server and asks it (a second run in the same folder reads the stale
# server's errors); `flow full-check` checks in the foreground with no server. The newest
# versions of sort-package-json (4.x), dependency-cruiser (18.x) and xo (3+) need
# Node 22; the versions above are the newest that run on Node 20. jscpd@5.4.1 has no
# linux-x64 platform package published (its optional dependency 5.4.1 does not exist),
# hence 5.3.3. jscpd and publint colour their output without a terminal; textlint prints
# the file's absolute path. depcheck exits 255 on a missing dependency. publint and
# attw --pack run `npm pack` (local, no registry). Karma finds chromium through
# CHROME_BIN, set in karma.conf.js, and launches it with --no-sandbox (root); if the
# browser never connects, Karma retries twice for 60 s each and the case times out.
# Dropped: svelte-check@4.7.8 (with svelte@5.57.3) stops at once with typescript@7:
# "TypeScript 7 support currently requires both TypeScript 7 and TypeScript 6
# installed in your project, and requires using the --tsgo or --tsgo-experimental-api
# flag"; vue-tsc@3.3.14 crashes with ERR_PACKAGE_PATH_NOT_EXPORTED for
# 'typescript/lib/tsc' (TS 7 has no JS API) (both tried in a scratch folder, not
# installed in the zoo); xo@2.0.2 (already in the node folder, not in NPM_PACKAGES)
# crashes even on --version: "typescript-eslint does not support TS 7.0"; the
# editorconfig-checker npm package (6.2.0, the newest for Node 20; 7.x needs Node 24)
# is a wrapper that downloads the Go binary from GitHub releases on its first run
# (fails offline, and api.github.com does not resolve here): installed, then removed.

_FLOW_CART = (
    "// @flow\n\nfunction total(prices: Array<number>): number {\n"
    "  return prices.reduce((a, b) => a + b, 0);\n}\n\n"
)
_DEPCHECK_PKG = (
    '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n  "private": true,\n'
    '  "main": "src/index.js",\n  "dependencies": {\n    "left-pad": "1.3.0"\n  }\n}\n'
)
_JSCPD_TOTAL = (
    "  let sum = 0;\n  for (const item of items) {\n    if (item.quantity <= 0) {\n"
    "      continue;\n    }\n    const price = item.price * item.quantity;\n"
    "    sum += item.taxable ? price * 1.2 : price;\n  }\n  return Math.round(sum * 100) / 100;\n"
)
_NPM_LOCKFILE = (
    '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n'
    '  "requires": true,\n  "packages": {\n    "": {\n      "name": "zoo-cart",\n'
    '      "version": "1.0.0",\n      "dependencies": {\n        "left-pad": "1.3.0"\n'
    "      }\n    },\n"
    '    "node_modules/left-pad": {\n      "version": "1.3.0",\n'
    '      "resolved": "http://registry.example.test/left-pad/-/left-pad-1.3.0.tgz",\n'
    '      "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEQG3PbdozjHNfgOXWRd3d8hUq5Vo'
    'Gk7VvS9Aci48JzHDNg==",\n'
    '      "license": "WTFPL"\n    }\n  }\n}\n'
)

_PUBLINT_PKG = (
    '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n  "type": "module",\n'
    '  "exports": {\n    ".": "./dist/index.js"\n  },\n  "files": ["index.js"]\n}\n'
)
_TSD_PKG = (
    '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n  "type": "module",\n'
    '  "exports": "./index.js",\n  "types": "./index.d.ts"\n}\n'
)
_TSD_TEST = (
    "import { expectType } from 'tsd';\nimport { total } from './index.js';\n\n"
    "expectType<number>(total([1, 2]));\n"
)
_CRUISER_CONFIG = (
    "module.exports = {\n  forbidden: [\n    {\n      name: 'no-circular',\n"
    "      severity: 'error',\n      comment: 'Modules must not depend on each other in a cycle.',\n"
    "      from: {},\n      to: { circular: true },\n    },\n  ],\n"
    "  options: { doNotFollow: { path: 'node_modules' } },\n};\n"
)
_CRUISER_PRICE = (
    "const TAX = 0.2;\n\nmodule.exports = { withTax: (cents) => Math.round(cents * (1 + TAX)) };\n"
)
_README_TODO = "# Zoo cart\n\nAdds up the prices in a shopping cart.\n\n## Usage\n\n"

_ATTW_PKG = (
    '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n  "exports": {\n    ".": {\n'
    '      "types": "./index.d.ts",\n      "import": "./index.mjs",\n'
    '      "require": "./index.cjs"\n    }\n  }\n}\n'
)
_ATTW_DTS = "export declare function total(prices: number[]): number;\n"
_KARMA_CONF = (
    "process.env.CHROME_BIN = process.env.CHROME_BIN || '/usr/bin/chromium';\n\n"
    "module.exports = (config) => {\n  config.set({\n    frameworks: ['jasmine'],\n"
    "    files: ['src/*.js', 'test/*.spec.js'],\n    browsers: ['ChromeHeadlessCI'],\n"
    "    customLaunchers: {\n"
    "      ChromeHeadlessCI: { base: 'ChromeHeadless', flags: ['--no-sandbox'] },\n    },\n"
    "    singleRun: true,\n  });\n};\n"
)
_KARMA_SPEC = (
    "describe('total', () => {\n  it('adds the prices', () => {\n"
    "    expect(total([1, 2])).toBe(3);\n  });\n});\n"
)

_JSCHECKS: list[Case] = [
    Case(
        "flow-type-error",
        "javascript",
        "flow",
        "persistent",
        "type_error",
        "flow full-check",
        r"^Error -+ |^Cannot |^Found [1-9]\d* errors?",
        {
            ".flowconfig": "[options]\n",
            "src/cart.js": _FLOW_CART
            + "const label: string = total([1, 2]);\nconsole.log(label);\n",
        },
        needs=("flow",),
    ),
    Case(
        "depcheck-missing-dependency",
        "javascript",
        "depcheck",
        "persistent",
        "dependency",
        "depcheck",
        r"^Missing dependencies|^\* \S+: ",
        {
            "package.json": _DEPCHECK_PKG,
            "src/index.js": "const leftPad = require('left-pad');\nconst dayjs = require('dayjs');\n\n"
            "console.log(leftPad(dayjs().format('YYYY'), 8));\n",
        },
        needs=("depcheck",),
    ),
    Case(
        "jscpd-duplication",
        "javascript",
        "jscpd",
        "persistent",
        "lint",
        "jscpd --threshold 5 src",
        r"Clone found|threshold|^\s*- \S+ \[\d+:\d+",
        {
            "src/cart.js": "export function cartTotal(items) {\n" + _JSCPD_TOTAL + "}\n",
            "src/invoice.js": "export function invoiceTotal(items) {\n" + _JSCPD_TOTAL + "}\n",
        },
        needs=("jscpd",),
    ),
    Case(
        "lockfile-lint-http",
        "javascript",
        "lockfile-lint",
        "persistent",
        "lint",
        "lockfile-lint --path package-lock.json --type npm --validate-https"
        " --allowed-hosts registry.example.test",
        r"detected invalid|^\s+(expected|actual): |security issues detected",
        {
            "package.json": _DEPCHECK_PKG,
            "package-lock.json": _NPM_LOCKFILE,
        },
        needs=("lockfile-lint",),
    ),
    Case(
        "publint-missing-export",
        "javascript",
        "publint",
        "persistent",
        "lint",
        "publint",
        r"Errors:|^\S*\d+\. ",
        {"package.json": _PUBLINT_PKG, "index.js": _CART_JS},
        needs=("publint",),
    ),
    _js(
        "textlint-no-todo",
        "textlint",
        "lint",
        "textlint README.md",
        r"^\s+\d+:\d+\s+(error|warning)\s|✖ \d+ problems?",
        **{".textlintrc.json": '{\n  "rules": {\n    "no-todo": true\n  }\n}\n'},
        README_DOT_md=_README_TODO + "TODO: explain the discount option.\n",
    ),
    Case(
        "tsd-type-test",
        "typescript",
        "tsd",
        "persistent",
        "type_error",
        "tsd",
        r"✖|^\s+\S+\.test-d\.ts:\d+:\d+$|^\s+\d+ errors?$",
        {
            "package.json": _TSD_PKG,
            "index.js": _CART_JS,
            "index.d.ts": "export declare function total(prices: number[]): string;\n",
            "index.test-d.ts": _TSD_TEST,
        },
        setup=_LINK_NODE,
        needs=("tsd",),
    ),
    Case(
        "sort-package-json-check",
        "javascript",
        "sort-package-json",
        "persistent",
        "format",
        "sort-package-json --check",
        r"not sorted|^package\.json$",
        {
            "package.json": '{\n  "version": "1.0.0",\n  "name": "zoo-cart",\n'
            '  "private": true,\n  "scripts": {\n    "test": "node --test"\n  }\n}\n',
        },
        needs=("sort-package-json",),
    ),
    Case(
        "dependency-cruiser-circular",
        "javascript",
        "dependency-cruiser",
        "persistent",
        "lint",
        "depcruise --validate .dependency-cruiser.cjs src",
        r"^\s+error no-circular|^\s+\S+ →|^[x✘] \d+ dependency violations?",
        {
            ".dependency-cruiser.cjs": _CRUISER_CONFIG,
            "src/cart.js": "const { withTax } = require('./price.js');\n\n"
            "module.exports.total = (prices) => withTax(prices.reduce((a, b) => a + b, 0));\n",
            "src/price.js": "const { total } = require('./cart.js');\n\n"
            + _CRUISER_PRICE
            + "module.exports.totalWithTax = (prices) => module.exports.withTax(total(prices));\n",
        },
        needs=("depcruise",),
    ),
    Case(
        "attw-false-cjs",
        "typescript",
        "attw",
        "persistent",
        "lint",
        "attw --pack .",
        r"docs/problems/\w+\.md|Masquerading as|Resolution failed|No types",
        {
            "package.json": _ATTW_PKG,
            "index.mjs": "export const total = (prices) => prices.reduce((a, b) => a + b, 0);\n",
            "index.cjs": "exports.total = (prices) => prices.reduce((a, b) => a + b, 0);\n",
            "index.d.ts": _ATTW_DTS,
        },
        needs=("attw",),
    ),
    Case(
        "karma-jasmine-failure",
        "javascript",
        "karma",
        "persistent",
        "test",
        "karma start karma.conf.js",
        r"FAILED$|^\s+Expected |Executed \d+ of \d+ \(\d+ FAILED\)|^TOTAL: \d+ FAILED",
        {
            "karma.conf.js": _KARMA_CONF,
            "src/cart.js": "function total(prices) {\n  return prices.reduce((a, b) => a - b, 0);\n}\n",
            "test/cart.spec.js": _KARMA_SPEC,
        },
        setup=_LINK_NODE,
        needs=("karma", "chromium"),
    ),
]

_JSCHECKS_FIXES: dict[str, dict[str, str]] = {
    "flow-type-error": {
        "src/cart.js": _FLOW_CART + "const label: string = String(total([1, 2]));\n"
        "console.log(label);\n",
    },
    "depcheck-missing-dependency": {
        "package.json": _DEPCHECK_PKG.replace(
            '"dependencies": {\n', '"dependencies": {\n    "dayjs": "1.11.13",\n'
        ),
    },
    "jscpd-duplication": {
        "src/cart.js": "export function cartTotal(items) {\n" + _JSCPD_TOTAL + "}\n",
        "src/invoice.js": "import { cartTotal } from './cart.js';\n\n"
        "export const invoiceTotal = (items) => cartTotal(items);\n",
    },
    "lockfile-lint-http": {
        "package-lock.json": _NPM_LOCKFILE.replace("http://", "https://"),
    },
    "publint-missing-export": {
        "package.json": _PUBLINT_PKG.replace("./dist/index.js", "./index.js")
    },
    "textlint-no-todo": {"README.md": _README_TODO + "Pass `discount` to take a percentage off.\n"},
    "tsd-type-test": {
        "index.d.ts": "export declare function total(prices: number[]): number;\n",
    },
    "sort-package-json-check": {
        "package.json": '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n'
        '  "private": true,\n  "scripts": {\n    "test": "node --test"\n  }\n}\n',
    },
    "dependency-cruiser-circular": {
        "src/price.js": _CRUISER_PRICE,
    },
    "attw-false-cjs": {
        "package.json": _ATTW_PKG.replace(
            '"types": "./index.d.ts",\n      "import": "./index.mjs",\n'
            '      "require": "./index.cjs"',
            '"import": {\n        "types": "./index.d.mts",\n        "default": "./index.mjs"\n'
            '      },\n      "require": {\n        "types": "./index.d.cts",\n'
            '        "default": "./index.cjs"\n      }',
        ),
        "index.d.mts": _ATTW_DTS,
        "index.d.cts": _ATTW_DTS,
    },
    "karma-jasmine-failure": {
        "src/cart.js": "function total(prices) {\n  return prices.reduce((a, b) => a + b, 0);\n}\n",
    },
}

_JSCHECKS_VERSIONS: dict[str, str] = {
    "flow": "flow version",
    "depcheck": "depcheck --version | sed 's/^/depcheck /'",
    "jscpd": "jscpd --version",
    "lockfile-lint": "lockfile-lint --version | sed 's/^/lockfile-lint /'",
    "publint": "publint --version | tr -d ,",
    "textlint": "textlint --version | sed 's/^v/textlint /'",
    "tsd": "tsd --version | sed 's/^/tsd /'",
    "sort-package-json": "sort-package-json --version",
    "dependency-cruiser": "depcruise --version | sed 's/^/dependency-cruiser /'",
    "attw": "attw --version | head -1 | sed 's/^cli: /attw /'",
    "karma": "karma --version | sed 's/^/karma /'",
}


# ------------------------------ more clients (4): Conan 2's remote, podman push
#
# Packages (versions as installed when verified):
#   conan-install     PyPI conan==2.34.0 (requests 2.34.2, urllib3 2.8.0) in a venv of its own,
#                     /var/tmp/self-healing-zoo/conan-venv (Python 3.11.7), on the cases' PATH.
#   podman-push       Debian podman 4.3.1 (the package the `podman` cases use).
#
# Notes (faults dropped, and why):
# - conan-install: every fault kept. The remote is in the project's CONAN_HOME
#   (.conan2/remotes.json, what `conan remote remove conancenter` then `conan remote add zoo
#   <url> --insecure` write): a setup step cannot know the fault's URL, the files can. The
#   default remote is absent, so only the fault address is asked. Setup detects the default
#   profile (offline). core.net.http:timeout = 5 (global.conf) is the `no-answer` timeout.
# - podman-push: no `no-answer` case (podman push has no timeout option; still waiting at
#   180 s), no `cut-short` case (the registry's ping answers 200 with a short body and every
#   later request too: the push "succeeds", exit 0). No `tls` case, not run: it would meet
#   the misconfiguration skopeo's notes describe (Go's "server gave HTTP response to HTTPS
#   client"; --tls-verify=false then falls back to http://). A connection fault is retried
#   three times ("level=warning msg=\"Failed, retrying in 1s ... (1/3)\""); a 5xx is not; a 429 is
#   retried inside (about 8 s). Setup makes the image with `podman import` of an empty tar
#   (no registry needed). The `dns` case names the machine's resolver address (Go's
#   "lookup … on <ip>:53").
# kubectl and gcloud were tried too; they come with the Google Cloud SDK, which no registry
# the zoo installs from provides, so they have no cases.

_CONAN_FILES = {
    "conanfile.txt": "[requires]\nzlib/1.3.1\n\n[generators]\nCMakeDeps\nCMakeToolchain\n",
    ".conan2/remotes.json": '{\n "remotes": [\n  {\n   "name": "zoo",\n   "url": "{url}",\n'
    '   "verify_ssl": false\n  }\n ]\n}\n',
    ".conan2/global.conf": "core.net.http:timeout = 5\n",
}

_CLIENTS_4: list[Case] = [
    # A silent API server needs a client timeout (see the notes above).
    *_per_fault(
        "conan-install",
        "CONAN_HOME=$PWD/.conan2 conan install . --build=missing",
        r"^ERROR: |^Unable to connect to remote",
        (
            "refused",
            "reset",
            "no-answer",
            "unreachable",
            "dns",
            "tls",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        files=_CONAN_FILES,
        needs=("conan",),
        setup="CONAN_HOME=$PWD/.conan2 conan profile detect",
    ),
    *_per_fault(
        "podman-push",
        "podman push --tls-verify=false localhost/zoo/app:1 docker://{host}/zoo/app:1",
        r"^Error: |level=warning msg=\"Failed, retrying",
        ("refused", "reset", "unreachable", "dns", "503", "502", "500", "429"),
        needs=("podman",),
        setup="tar cf empty.tar --files-from /dev/null && "
        "podman import -q empty.tar localhost/zoo/app:1",
    ),
]

_CLIENTS_4_VERSIONS: dict[str, str] = {
    "conan-install": "conan --version",
    "podman-push": "podman --version",
}


# ------------------------------------------------- unseen batch A: coverage thresholds, JS test
# runners, spec/schema/TOML checks, pre-commit-hooks, Ansible, Cython, Python doc/packaging checks
#
# Packages (node v20.20.2; npm packages in the zoo node folder, PyPI ones in the zoo venv,
# Python 3.11.7):
#   nyc-check-coverage             npm nyc@18.0.0
#   c8-check-coverage              npm c8@12.0.0
#   jest-coverage-threshold        npm jest@30.5.2 (already in the zoo)
#   pytest-cov-fail-under          PyPI pytest-cov==7.1.0 (coverage==7.17.5, pytest==9.2.0)
#   changeset-status-missing       npm @changesets/cli@2.31.1; Debian git 1:2.39.5-0+deb12u3
#   redocly-lint                   npm @redocly/cli@2.77.0
#   ajv-validate-invalid           npm ajv-cli@5.0.0
#   qunit-failure                  npm qunit@3.0.0
#   uvu-failure                    npm uvu@0.5.6
#   cucumber-js-failure            npm @cucumber/cucumber@12.9.0
#   taplo-fmt-check,               npm @taplo/cli@0.7.0 (its binary reports "taplo 0.9.0")
#   taplo-check-invalid
#   pre-commit-check-yaml,         PyPI pre-commit-hooks==6.0.0 (check-yaml, end-of-file-fixer,
#   pre-commit-end-of-file-fixer,  trailing-whitespace-fixer, debug-statement-hook) run through
#   pre-commit-debug-statements    pre-commit==4.7.0 as `repo: local`, `language: system` hooks; git
#   ansible-lint                   PyPI ansible-lint==26.10.1 (ansible-core==2.19.14,
#                                  ansible-compat==26.10.0)
#   ansible-playbook-syntax-check  PyPI ansible-core==2.19.14
#   cython-compile-error           PyPI cython==3.3.1
#   check-manifest-missing         PyPI check-manifest==0.51 (build==1.6.1, setuptools==65.5.0
#                                  from the venv: --no-build-isolation); git
#   sphinx-lint                    PyPI sphinx-lint==1.0.2
#   pydoclint                      PyPI pydoclint==0.12.0
#   toml-sort-check                PyPI toml-sort==0.25.0
#   djlint-lint                    PyPI djlint==1.54.0
#
# Notes: all were run offline (a network namespace with only loopback up) and took under
# 4 s each. @changesets/cli and redocly colour their output in CI (supports-color sees
# GITHUB_ACTIONS); redocly 2.77 prints a boxed "Node.js 20 support is ending" deprecation
# banner first. djlint, seeing GITHUB_ACTIONS, prints its findings as `::warning file=...::`
# workflow commands only. taplo prints absolute paths; its cases do not link node_modules
# into the project, or `taplo fmt --check` also reports the TOML files inside it. ansible-lint
# runs with --offline (no collection install / version check); it exits 2. ansible-playbook
# exits 4 on a YAML error. changesets compares HEAD with baseBranch "main": `setup` commits
# the project on main, then changes index.js on a branch; the fix adds a changeset file.
# Dropped: ts-node@10.9.2 crashes before compiling anything with the zoo's typescript@7.0.2
# (TS 7 has no JS API): "TypeError: Cannot read properties of undefined (reading
# 'fileExists')" at ts-node/dist/configuration.js:91.

_CART_JS_COV = (
    "function total(prices) {\n  return prices.reduce((sum, p) => sum + p, 0);\n}\n\n"
    "function discount(price, percent) {\n  if (percent < 0 || percent > 100) {\n"
    "    throw new RangeError(`bad discount: ${percent}`);\n  }\n"
    "  const cut = (price * percent) / 100;\n  return Math.round(price - cut);\n}\n\n"
    "module.exports = { total, discount };\n"
)
_CART_TEST_JS = (
    "const assert = require('node:assert');\nconst { total } = require('./cart');\n\n"
    "assert.strictEqual(total([1, 2]), 3);\nconsole.log('cart: ok');\n"
)
_CART_TEST_JS_FIXED = (
    "const assert = require('node:assert');\nconst { total, discount } = require('./cart');\n\n"
    "assert.strictEqual(total([1, 2]), 3);\nassert.strictEqual(discount(200, 10), 180);\n"
    "assert.throws(() => discount(200, 120), RangeError);\nconsole.log('cart: ok');\n"
)
_CART_PY_COV = (
    "def total(prices):\n    return sum(prices)\n\n\n"
    "def discount(price, percent):\n    if percent < 0:\n"
    "        raise ValueError('negative discount')\n"
    "    if percent > 100:\n        raise ValueError('discount above 100')\n"
    "    return price * (100 - percent) // 100\n"
)
_CART_JS_BUG = "exports.total = (prices) => prices.reduce((sum, p) => sum - p, 0);\n"
_CART_JS_OK = "exports.total = (prices) => prices.reduce((sum, p) => sum + p, 0);\n"
_NODE_LINK = 'ln -sfn "$ZOO_NODE/node_modules" node_modules'
_PRE_COMMIT_LOCAL = "repos:\n  - repo: local\n    hooks:\n"
_HOOK = (
    "      - id: {id}\n        name: {name}\n        entry: {id}\n        language: system\n"
    "        types: [{types}]\n"
)
_OPENAPI = (
    "openapi: 3.1.0\ninfo:\n  title: Cart API\n  version: 1.0.0\n"
    "  license:\n    name: MIT\n    identifier: MIT\n"
    "servers:\n  - url: https://api.zoo-cart.dev\n"
    "security: []\n"
    "paths:\n  /carts/{cartId}:\n    get:\n      operationId: getCart\n"
    "      summary: Get a cart\n"
    "      parameters:\n        - name: cartId\n          in: path\n          required: true\n"
    "          schema:\n            type: string\n"
    "      responses:\n        '200':\n          description: The cart\n"
    "          content:\n            application/json:\n              schema:\n"
    "                $ref: '#/components/schemas/Carts'\n"
    "        '404':\n          description: No such cart\n"
    "components:\n  schemas:\n    Cart:\n      type: object\n      properties:\n"
    "        total:\n          type: integer\n"
)

_UNSEEN_A: list[Case] = [
    _js(
        "nyc-check-coverage",
        "nyc",
        "test",
        "nyc --check-coverage --lines 90 node test.js",
        r"ERROR: Coverage for|^All files|^ cart\.js",
        cart_DOT_js=_CART_JS_COV,
        test_DOT_js=_CART_TEST_JS,
    ),
    _js(
        "c8-check-coverage",
        "c8",
        "test",
        "c8 --check-coverage --lines 90 node test.js",
        r"ERROR: Coverage for|^All files|^ cart\.js",
        cart_DOT_js=_CART_JS_COV,
        test_DOT_js=_CART_TEST_JS,
    ),
    _js(
        "jest-coverage-threshold",
        "jest",
        "test",
        "jest --ci --coverage",
        r"does not meet .*threshold|^All files|^ cart\.js",
        package_DOT_json='{\n  "name": "zoo-cart",\n  "private": true,\n  "jest": {\n'
        '    "coverageThreshold": {\n      "global": {\n        "lines": 90\n      }\n    }\n'
        "  }\n}\n",
        cart_DOT_js=_CART_JS_COV,
        cart_DOT_test_DOT_js="const { total } = require('./cart');\n\n"
        "test('total adds prices', () => {\n  expect(total([1, 2])).toBe(3);\n});\n",
    ),
    _py(
        "pytest-cov-fail-under",
        "pytest-cov",
        "test",
        "pytest -q --cov=cart --cov-report=term-missing --cov-fail-under=90",
        r"FAIL Required test coverage|Coverage failure|^TOTAL|^cart\.py",
        cart_DOT_py=_CART_PY_COV,
        test_cart_DOT_py="from cart import total\n\n\ndef test_total():\n"
        "    assert total([1, 2]) == 3\n",
    ),
    Case(
        "changeset-status-missing",
        "javascript",
        "changesets",
        "persistent",
        "config",
        "changeset status",
        r"error",
        {
            ".gitignore": "node_modules\n",
            ".changeset/config.json": '{\n  "changelog": "@changesets/cli/changelog",\n'
            '  "commit": false,\n  "access": "restricted",\n  "baseBranch": "main",\n'
            '  "updateInternalDependencies": "patch",\n  "ignore": []\n}\n',
            "package.json": '{\n  "name": "zoo-cart",\n  "version": "1.0.0",\n'
            '  "main": "index.js"\n}\n',
            "index.js": _CART_JS_BUG,
        },
        setup=_NODE_LINK + " && git init -q -b main && git add -A && "
        "git -c user.name=zoo -c user.email=zoo@example.test commit -qm init && "
        "git checkout -q -b fix-total && sed -i 's/sum - p/sum + p/' index.js && "
        "git -c user.name=zoo -c user.email=zoo@example.test commit -qam 'fix total'",
        needs=("changeset", "git"),
    ),
    Case(
        "redocly-lint",
        "openapi",
        "redocly",
        "persistent",
        "lint",
        "redocly lint openapi.yaml",
        r"Can't resolve|openapi\.yaml:\d+:\d+|generated by the|Validation failed",
        {"openapi.yaml": _OPENAPI},
        setup=_NODE_LINK,
        needs=("redocly",),
    ),
    Case(
        "ajv-validate-invalid",
        "json",
        "ajv",
        "persistent",
        "config",
        "ajv validate -s schema.json -d data.json",
        r"invalid|instancePath|message",
        {
            "schema.json": '{\n  "type": "object",\n  "required": ["name", "port"],\n'
            '  "properties": {\n    "name": { "type": "string" },\n'
            '    "port": { "type": "integer", "minimum": 1 }\n  },\n'
            '  "additionalProperties": false\n}\n',
            "data.json": '{ "name": "cart", "port": "8080" }\n',
        },
        setup=_NODE_LINK,
        needs=("ajv",),
    ),
    _js(
        "qunit-failure",
        "qunit",
        "test",
        "qunit test.js",
        r"not ok|actual|expected|# fail",
        cart_DOT_js=_CART_JS_BUG,
        test_DOT_js="const { total } = require('./cart');\n\nQUnit.module('cart');\n\n"
        "QUnit.test('total adds prices', (assert) => {\n"
        "  assert.strictEqual(total([1, 2]), 3);\n});\n",
    ),
    _js(
        "uvu-failure",
        "uvu",
        "test",
        "uvu tests",
        r"FAIL|✘|Expected|Actual|Total:|Failed:",
        cart_DOT_js=_CART_JS_BUG,
        tests__cart_DOT_js="const { test } = require('uvu');\nconst assert = require('uvu/assert');\n"
        "const { total } = require('../cart');\n\n"
        "test('total adds prices', () => {\n  assert.is(total([1, 2]), 3);\n});\n\ntest.run();\n",
    ),
    _js(
        "cucumber-js-failure",
        "cucumber-js",
        "test",
        "cucumber-js",
        r"✖|AssertionError|Expected|failed",
        cart_DOT_js=_CART_JS_BUG,
        features__cart_DOT_feature="Feature: Cart\n\n  Scenario: Adding prices\n"
        "    Given a cart with prices 1 and 2\n    Then the total is 3\n",
        features__step_definitions__cart_steps_DOT_js="const assert = require('node:assert');\n"
        "const { Given, Then } = require('@cucumber/cucumber');\n"
        "const { total } = require('../../cart');\n\n"
        "Given('a cart with prices {int} and {int}', function (a, b) {\n"
        "  this.prices = [a, b];\n});\n\n"
        "Then('the total is {int}', function (expected) {\n"
        "  assert.strictEqual(total(this.prices), expected);\n});\n",
    ),
    Case(
        "taplo-fmt-check",
        "toml",
        "taplo",
        "persistent",
        "format",
        "taplo fmt --check",
        r"not properly formatted|ERROR operation failed",
        {
            "config.toml": '[server]\nhost="localhost"\nport =   8080\n\n\n\n'
            '[cart]\ncurrencies = [ "EUR","USD" ]\n',
        },
        needs=("taplo",),
    ),
    Case(
        "taplo-check-invalid",
        "toml",
        "taplo",
        "persistent",
        "syntax_error",
        "taplo check",
        r"error: invalid TOML|config\.toml:\d+:\d+|\^|^ERROR",
        {
            "config.toml": '[server]\nhost = "localhost\nport = 8080\n',
        },
        needs=("taplo",),
    ),
    Case(
        "pre-commit-check-yaml",
        "yaml",
        "check-yaml",
        "persistent",
        "syntax_error",
        "pre-commit run --all-files",
        r"\.\.\.Failed$|^- hook id:|^- exit code:|^while |^expected|^  in \"",
        {
            ".pre-commit-config.yaml": _PRE_COMMIT_LOCAL
            + _HOOK.format(id="check-yaml", name="check yaml", types="yaml"),
            "config.yml": "server:\n  host: localhost\n  port: 8080\n cart:\n  currency: EUR\n",
        },
        setup="git init -q && git add -A",
        needs=("pre-commit", "check-yaml", "git"),
    ),
    Case(
        "pre-commit-end-of-file-fixer",
        "text",
        "end-of-file-fixer",
        "persistent",
        "format",
        "pre-commit run --all-files",
        r"\.\.\.Failed$|^- hook id:|^- files were modified|^Fixing",
        {
            ".pre-commit-config.yaml": _PRE_COMMIT_LOCAL
            + _HOOK.format(id="end-of-file-fixer", name="fix end of files", types="text")
            + _HOOK.format(
                id="trailing-whitespace-fixer", name="trim trailing whitespace", types="text"
            ),
            "README.md": "# Zoo cart  \n\nAdds prices.\n\nRun `zoo`.",
        },
        setup="git init -q && git add -A",
        needs=("pre-commit", "end-of-file-fixer", "trailing-whitespace-fixer", "git"),
    ),
    Case(
        "pre-commit-debug-statements",
        "python",
        "debug-statement-hook",
        "persistent",
        "lint",
        "pre-commit run --all-files",
        r"\.\.\.Failed$|^- hook id:|^- exit code:|\.py:\d+:\d+:",
        {
            ".pre-commit-config.yaml": _PRE_COMMIT_LOCAL
            + _HOOK.format(id="debug-statement-hook", name="debug statements", types="python"),
            "cart.py": "def total(prices):\n    import pdb; pdb.set_trace()\n"
            "    return sum(prices)\n",
        },
        setup="git init -q && git add -A",
        needs=("pre-commit", "debug-statement-hook", "git"),
    ),
    Case(
        "ansible-lint",
        "ansible",
        "ansible-lint",
        "persistent",
        "lint",
        "ansible-lint --offline playbook.yml",
        r"^\s*\d+ [a-z-]+ profile:|^[a-z-]+(\[[\w-]+\])?: |^Failed:|^playbook\.yml:\d+",
        {
            "playbook.yml": "---\n- name: Set up the cart server\n  hosts: all\n  tasks:\n"
            "    - name: Install nginx\n      ansible.builtin.apt:\n        name: nginx\n"
            "        state: latest\n",
        },
        needs=("ansible-lint",),
    ),
    Case(
        "ansible-playbook-syntax-check",
        "ansible",
        "ansible-playbook",
        "persistent",
        "syntax_error",
        "ansible-playbook -i localhost, --syntax-check playbook.yml",
        r"^\[ERROR\]|^Origin:|\^ column",
        {
            "playbook.yml": "---\n- name: Set up the cart server\n  hosts: all\n  tasks:\n"
            "    - name: Install nginx\n      ansible.builtin.apt:\n        name: nginx\n"
            "       state: present\n",
        },
        needs=("ansible-playbook",),
    ),
    _py(
        "cython-compile-error",
        "cython",
        "compile",
        "cython -3 cart.pyx",
        r"^Error compiling|^cart\.pyx:\d+:\d+:|\^",
        cart_DOT_pyx="def total(list prices):\n    cdef long sum = 0\n    for price in prices:\n"
        "        sum += price\n    return sum\n\n\n"
        "def count(list items):\n    return len(item)\n",
    ),
    Case(
        "check-manifest-missing",
        "python",
        "check-manifest",
        "persistent",
        "config",
        "check-manifest --no-build-isolation",
        r"do not match|missing from sdist|^  \S|suggested",
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
            'build-backend = "setuptools.build_meta"\n\n[project]\nname = "zoo-cart"\n'
            'version = "1.0.0"\n',
            "README.md": "# zoo-cart\n",
            "CHANGES.rst": "1.0.0\n=====\n\n- First release.\n",
            "MANIFEST.in": "include README.md\n",
            "zoo_cart/__init__.py": "def total(prices):\n    return sum(prices)\n",
        },
        setup="git init -q && git add -A",
        needs=("check-manifest", "git"),
    ),
    _py(
        "sphinx-lint",
        "sphinx-lint",
        "lint",
        "sphinx-lint docs",
        r"\.rst:\d+: ",
        docs__index_DOT_rst="Zoo cart\n========\n\nInstall it with ``pip install zoo-cart``,"
        " then call\n:func:`zoo_cart.total`to add up the prices.\n",
    ),
    _py(
        "pydoclint",
        "pydoclint",
        "lint",
        "pydoclint --style=google cart.py",
        r"DOC\d+",
        cart_DOT_py='"""Cart."""\n\n\ndef total(prices: list[int], discount: int = 0) -> int:\n'
        '    """Add up the prices.\n\n    Args:\n        prices (list[int]): The prices, in cents.\n\n'
        '    Returns:\n        int: The total, in cents.\n    """\n'
        "    return sum(prices) * (100 - discount) // 100\n",
    ),
    _py(
        "toml-sort-check",
        "toml-sort",
        "format",
        "toml-sort --check config.toml",
        r"check failure|^  - ",
        config_DOT_toml='[server]\nport = 8080\nhost = "localhost"\n\n[cart]\ncurrency = "EUR"\n',
    ),
    _py(
        "djlint-lint",
        "djlint",
        "lint",
        "djlint --lint templates",
        r"\b[HTDJ]\d{3} ",
        templates__cart_DOT_html='{% extends "base.html" %}\n{% block content %}\n'
        '<h1>Cart</h1>\n<img src="/static/cart.png">\n{% endblock %}\n',
    ),
]

_UNSEEN_A_FIXES: dict[str, dict[str, str]] = {
    "nyc-check-coverage": {"test.js": _CART_TEST_JS_FIXED},
    "c8-check-coverage": {"test.js": _CART_TEST_JS_FIXED},
    "jest-coverage-threshold": {
        "cart.test.js": "const { total, discount } = require('./cart');\n\n"
        "test('total adds prices', () => {\n  expect(total([1, 2])).toBe(3);\n});\n\n"
        "test('discount takes a percentage off', () => {\n"
        "  expect(discount(200, 10)).toBe(180);\n"
        "  expect(() => discount(200, 120)).toThrow(RangeError);\n});\n",
    },
    "pytest-cov-fail-under": {
        "test_cart.py": "import pytest\n\nfrom cart import discount, total\n\n\n"
        "def test_total():\n    assert total([1, 2]) == 3\n\n\n"
        "def test_discount():\n    assert discount(200, 10) == 180\n"
        "    with pytest.raises(ValueError):\n        discount(200, -1)\n"
        "    with pytest.raises(ValueError):\n        discount(200, 120)\n",
    },
    "changeset-status-missing": {
        ".changeset/fix-total.md": '---\n"zoo-cart": patch\n---\n\nFix the cart total.\n',
    },
    "redocly-lint": {"openapi.yaml": _OPENAPI.replace("schemas/Carts'", "schemas/Cart'")},
    "ajv-validate-invalid": {"data.json": '{ "name": "cart", "port": 8080 }\n'},
    "qunit-failure": {"cart.js": _CART_JS_OK},
    "uvu-failure": {"cart.js": _CART_JS_OK},
    "cucumber-js-failure": {"cart.js": _CART_JS_OK},
    "taplo-fmt-check": {
        "config.toml": '[server]\nhost = "localhost"\nport = 8080\n\n'
        '[cart]\ncurrencies = ["EUR", "USD"]\n',
    },
    "taplo-check-invalid": {"config.toml": '[server]\nhost = "localhost"\nport = 8080\n'},
    "pre-commit-check-yaml": {
        "config.yml": "server:\n  host: localhost\n  port: 8080\ncart:\n  currency: EUR\n",
    },
    "pre-commit-end-of-file-fixer": {"README.md": "# Zoo cart\n\nAdds prices.\n\nRun `zoo`.\n"},
    "pre-commit-debug-statements": {"cart.py": "def total(prices):\n    return sum(prices)\n"},
    "ansible-lint": {
        "playbook.yml": "---\n- name: Set up the cart server\n  hosts: all\n  tasks:\n"
        "    - name: Install nginx\n      ansible.builtin.apt:\n        name: nginx\n"
        "        state: present\n",
    },
    "ansible-playbook-syntax-check": {
        "playbook.yml": "---\n- name: Set up the cart server\n  hosts: all\n  tasks:\n"
        "    - name: Install nginx\n      ansible.builtin.apt:\n        name: nginx\n"
        "        state: present\n",
    },
    "cython-compile-error": {
        "cart.pyx": "def total(list prices):\n    cdef long sum = 0\n    for price in prices:\n"
        "        sum += price\n    return sum\n\n\n"
        "def count(list items):\n    return len(items)\n",
    },
    "check-manifest-missing": {"MANIFEST.in": "include README.md\ninclude *.rst\n"},
    "sphinx-lint": {
        "docs/index.rst": "Zoo cart\n========\n\nInstall it with ``pip install zoo-cart``,"
        " then call\n:func:`zoo_cart.total` to add up the prices.\n",
    },
    "pydoclint": {
        "cart.py": '"""Cart."""\n\n\ndef total(prices: list[int], discount: int = 0) -> int:\n'
        '    """Add up the prices.\n\n    Args:\n        prices (list[int]): The prices, in cents.\n'
        "        discount (int): The discount, in percent.\n\n"
        '    Returns:\n        int: The total, in cents.\n    """\n'
        "    return sum(prices) * (100 - discount) // 100\n",
    },
    "toml-sort-check": {
        "config.toml": '[cart]\ncurrency = "EUR"\n\n[server]\nport = 8080\nhost = "localhost"\n',
    },
    "djlint-lint": {
        "templates/cart.html": '{% extends "base.html" %}\n{% block content %}\n'
        '<h1>Cart</h1>\n<img src="/static/cart.png" alt="A shopping cart">\n{% endblock %}\n',
    },
}

_UNSEEN_A_VERSIONS: dict[str, str] = {
    "nyc": "nyc --version",
    "c8": "c8 --version",
    "pytest-cov": "pip show pytest-cov | sed -n 's/^Version: /pytest-cov /p'",
    "changesets": "changeset --version",
    "redocly": "node -p \"'@redocly/cli ' + require('$ZOO_NODE/node_modules/@redocly/cli/package.json').version\"",
    "ajv": "node -p \"'ajv-cli ' + require('$ZOO_NODE/node_modules/ajv-cli/package.json').version\"",
    "qunit": "qunit --version",
    "uvu": "uvu --version",
    "cucumber-js": "cucumber-js --version",
    "taplo": "taplo --version",
    "check-yaml": "pip show pre-commit-hooks | sed -n 's/^Version: /pre-commit-hooks /p'",
    "end-of-file-fixer": "pip show pre-commit-hooks | sed -n 's/^Version: /pre-commit-hooks /p'",
    "debug-statement-hook": "pip show pre-commit-hooks | sed -n 's/^Version: /pre-commit-hooks /p'",
    "ansible-lint": "ansible-lint --nocolor --version",
    "ansible-playbook": "ansible-playbook --version | head -1",
    "cython": "cython --version",
    "check-manifest": "check-manifest --version",
    "sphinx-lint": "sphinx-lint --version",
    "pydoclint": "pydoclint --version",
    "toml-sort": "toml-sort --version",
    "djlint": "djlint --version",
}


# ------------------------------------------------- unseen batch B: Debian's tools (Go, Haskell,
# Racket, Ada, Vala, Groovy, HTML, JSON, SCons, R, autoconf, meson, pkg-config, Leiningen, Maven)
#
# Debian packages (dpkg-query -W), each run failing and, where _UNSEEN_B_FIXES has an
# entry, passing:
#   gotestsum-failure             gotestsum 1.8.2-1+b3, golang-go 2:1.19~1
#   ormolu-check                  ormolu 0.3.1.0-1+b2
#   raco-test-failure,
#   raco-make-unbound-identifier  racket 8.7+dfsg1-1
#   gnatmake-type-error           gnat 12.2 (gnat-12 12.2.0-14+deb12u1)
#   valac-error                   valac 0.56.3-1
#   groovy-assert                 groovy 2.4.21-8 (default-jdk-headless 2:1.17-74)
#   tidy-errors                   tidy 2:5.6.0-11
#   jq-parse-error                jq 1.6-2.1+deb12u3
#   scons-compile-error           scons 4.4.0+dfsg-1, gcc 4:12.2.0-3
#   r-cmd-check-test-failure      r-base-core 4.2.2.20221110-2 (no CRAN access: the project's
#                                 .Rprofile points repos at an empty local repository, so the
#                                 "package dependencies" check prints no network warning)
#   configure-missing-library     autoconf 2.71-3, automake 1:1.16.5-1.3 (autoreconf -i in setup)
#   meson-missing-dependency      meson 1.0.1-5, ninja-build 1.11.1-2~deb12u1, pkg-config 1.8.1-1
#   pkg-config-missing-package    pkg-config 1.8.1-1, make, gcc
#   lein-test-failure             leiningen 2.10.0-2, clojure 1.11.1-2 (offline: project.clj
#                                 replaces the repositories by file:///usr/share/maven-repo with
#                                 :checksum :ignore; `lein deps` in setup copies the jars to ~/.m2
#                                 so the recorded run has no "Retrieving" lines)
#   mvn-offline-compile-error     maven 3.8.7-1, libmaven-compiler-plugin-java 3.10.1-2 (mvn -o
#                                 with -Dmaven.repo.local=/usr/share/maven-repo; the resources
#                                 plugin is not packaged there, so pom.xml turns its default
#                                 execution off)
# No FIXES for the three dependency cases (the fix is installing a library).
# Skipped: a Maven JUnit case: maven-surefire-plugin is not in /usr/share/maven-repo
# (Debian: libsurefire-java; the resources plugin would come from libmaven-resources-plugin-java).

_GO_MOD = "module example.test/zoo\n\ngo 1.19\n"
_GO_TEST = (
    'package zoo\n\nimport "testing"\n\nfunc TestTotal(t *testing.T) {\n'
    "\tif got := Total(1000, 500, 10); got != 1350 {\n"
    '\t\tt.Errorf("Total(1000, 500, 10) = %d, want 1350", got)\n\t}\n}\n'
)
_GO_CART = "package zoo\n\nfunc Total(a, b, discount int) int {\n\treturn (a + b) * (100 - discount) / 100\n}\n"

_ORMOLU_HS = (
    "module Cart (total) where\n\n"
    "total :: [Int] -> Int -> Int\n"
    "total prices discount = sum prices * (100-discount) `div` 100\n"
)
_ORMOLU_FIXED = (
    "module Cart (total) where\n\n"
    "total :: [Int] -> Int -> Int\n"
    "total prices discount = sum prices * (100 - discount) `div` 100\n"
)

_RKT_CART = "#lang racket/base\n(provide total)\n\n(define (total a b) (+ a b))\n"

_R_DESCRIPTION = (
    "Package: cart\nTitle: Shopping Cart Totals\nVersion: 0.1.0\n"
    'Authors@R: person("Ada", "Zoo", email = "ada@example.org", role = c("aut", "cre"))\n'
    "Description: Adds up the prices in a shopping cart and applies a discount.\n"
    "License: MIT + file LICENSE\nEncoding: UTF-8\n"
)
_R_TOTAL = "total <- function(prices, discount = 0) {\n  sum(prices) * (100 - discount) / 100\n}\n"

_R_TOTAL_RD = (
    "\\name{total}\n\\alias{total}\n\\title{Cart total}\n"
    "\\usage{total(prices, discount = 0)}\n"
    "\\arguments{\n  \\item{prices}{item prices}\n  \\item{discount}{percent off}\n}\n"
    "\\value{The total after the discount.}\n"
    "\\description{Adds up the prices and applies a discount.}\n"
)

_CLJ_CART = "(ns cart.core)\n\n(defn total [a b] (+ a b))\n"

# Only the compiler plugin is in Debian's /usr/share/maven-repo (libmaven-compiler-plugin-java);
# the resources plugin's default execution is switched off, as it is not there.
_MVN_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>cart</artifactId>
  <version>0.1.0</version>
  <packaging>jar</packaging>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.10.1</version>
      </plugin>
      <plugin>
        <artifactId>maven-resources-plugin</artifactId>
        <version>2.6</version>
        <executions>
          <execution>
            <id>default-resources</id>
            <phase>none</phase>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
"""
_MVN_CART = (
    "package cart;\n\npublic class Cart {\n    static int total(int price, int count) {\n"
    "        return price * count;\n    }\n\n    public static void main(String[] args) {\n"
    "        String label = String.valueOf(total(2, 3));\n        System.out.println(label);\n    }\n}\n"
)

_MVN_TEST_POM = (
    _MVN_POM.replace(
        "  <build>",
        "  <dependencies>\n    <dependency>\n      <groupId>junit</groupId>\n"
        "      <artifactId>junit</artifactId>\n      <version>4.x</version>\n"
        "      <scope>test</scope>\n    </dependency>\n  </dependencies>\n  <build>",
    )
    .replace(
        "        <version>2.6</version>\n        <executions>\n          <execution>\n"
        "            <id>default-resources</id>\n            <phase>none</phase>\n"
        "          </execution>\n        </executions>\n",
        "        <version>3.3.0</version>\n",
    )
    .replace(
        "    </plugins>",
        "      <plugin>\n        <artifactId>maven-surefire-plugin</artifactId>\n"
        "        <version>2.22.3</version>\n      </plugin>\n    </plugins>",
    )
)
_MVN_TEST = (
    "package cart;\n\nimport static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\n"
    "public class CartTest {\n    @Test\n    public void totalMultipliesPriceByCount() {\n"
    "        assertEquals(6, Cart.total(2, 3));\n    }\n}\n"
)

_UNSEEN_B: list[Case] = [
    Case(
        "gotestsum-failure",
        "go",
        "gotestsum",
        "persistent",
        "test",
        "gotestsum -- ./...",
        r"--- FAIL|FAIL|_test\.go:\d+|DONE \d+ tests?.*failure",
        {
            "go.mod": _GO_MOD,
            "cart.go": _GO_CART.replace("a + b", "a - b"),
            "cart_test.go": _GO_TEST,
        },
        needs=("gotestsum", "go"),
    ),
    Case(
        "ormolu-check",
        "haskell",
        "ormolu",
        "persistent",
        "format",
        "ormolu --mode check src/Cart.hs",
        r"src/Cart\.hs|changed|^[@+-]",
        {"src/Cart.hs": _ORMOLU_HS},
        needs=("ormolu",),
    ),
    Case(
        "raco-test-failure",
        "racket",
        "raco test",
        "persistent",
        "test",
        "raco test cart-test.rkt",
        r"^FAILURE|^name:|^actual:|^expected:|^location:|tests? failed|^raco test: ",
        {
            "cart.rkt": _RKT_CART.replace("(+ a b)", "(- a b)"),
            "cart-test.rkt": '#lang racket/base\n(require rackunit "cart.rkt")\n\n'
            '(check-equal? (total 1 2) 3 "total adds")\n',
        },
        needs=("raco",),
    ),
    Case(
        "raco-make-unbound-identifier",
        "racket",
        "raco make",
        "persistent",
        "compile",
        "raco make main.rkt",
        r"unbound identifier|^  in: ",
        {
            "main.rkt": "#lang racket/base\n\n(define (total prices)\n  (apply + prices))\n\n"
            "(displayln (totl (list 1 2)))\n",
        },
        needs=("raco",),
    ),
    Case(
        "gnatmake-type-error",
        "ada",
        "gnatmake",
        "persistent",
        "compile",
        "gnatmake cart.adb",
        r"\.adb:\d+:\d+:|compilation of .* failed|gnatmake: ",
        {
            "cart.adb": "with Ada.Text_IO; use Ada.Text_IO;\n\nprocedure Cart is\n"
            "   Price : Integer := 2;\n   Count : Integer := 3;\n   Total : Integer;\nbegin\n"
            '   Total := Price * Count;\n   Put_Line ("Total:" & Total);\nend Cart;\n',
        },
        needs=("gnatmake",),
    ),
    Case(
        "valac-error",
        "vala",
        "valac",
        "persistent",
        "compile",
        "valac cart.vala",
        r"\.vala:\d+\.\d+-\d+\.\d+: error:|Compilation failed",
        {
            "cart.vala": "int total (int price, int count) {\n    return price * count;\n}\n\n"
            'void main () {\n    string label = total (2, 3);\n    print ("%s\\n", label);\n}\n',
        },
        needs=("valac",),
    ),
    Case(
        "groovy-assert",
        "groovy",
        "groovy",
        "persistent",
        "test",
        "groovy cart_test.groovy",
        r"Assertion failed|^assert |false$|\(\w+\.groovy:\d+\)",
        {
            "cart_test.groovy": "def total(prices, discount) {\n"
            "    prices.sum() * (100 - discount) / 100\n}\n\n"
            "assert total([1000, 500], 10) == 1215\n",
        },
        needs=("groovy",),
    ),
    Case(
        "tidy-errors",
        "html",
        "tidy",
        "persistent",
        "lint",
        "tidy -errors -quiet index.html",
        r"line \d+ column \d+ - (Error|Warning)|errors? were found",
        {
            "index.html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Cart</title>\n</head>\n'
            "<body>\n<p>Total: <strong>1350</p>\n<tabel><tr><td>1000</td></tr></tabel>\n</body>\n</html>\n",
        },
        needs=("tidy",),
    ),
    Case(
        "jq-parse-error",
        "json",
        "jq",
        "persistent",
        "syntax_error",
        "jq . config.json",
        r"parse error|^jq: error",
        {"config.json": '{\n  "name": "cart",\n  "discount": 10,\n  "currency": "EUR",\n}\n'},
        needs=("jq",),
    ),
    Case(
        "scons-compile-error",
        "c",
        "scons",
        "persistent",
        "compile",
        "scons",
        r"error:|scons: \*\*\*|scons: building terminated",
        {
            "SConstruct": "Program('cart', ['cart.c', 'main.c'])\n",
            "cart.c": "int total(int a, int b) {\n    return a + b\n}\n",
            "main.c": "#include <stdio.h>\n\nint total(int a, int b);\n\n"
            'int main(void) {\n    printf("%d\\n", total(1, 2));\n    return 0;\n}\n',
        },
        needs=("scons", "gcc"),
    ),
    Case(
        "r-cmd-check-test-failure",
        "r",
        "R CMD check",
        "persistent",
        "test",
        "R CMD build --no-build-vignettes . && "
        "_R_CHECK_CRAN_INCOMING_=false R CMD check --no-manual cart_0.1.0.tar.gz",
        r"^ ERROR$|Running the tests in .* failed|^\s+Error: |^Status: \d+ ERROR",
        {
            "DESCRIPTION": _R_DESCRIPTION,
            "NAMESPACE": "export(total)\n",
            "LICENSE": "YEAR: 2026\nCOPYRIGHT HOLDER: cart authors\n",
            ".Rbuildignore": "^\\.Rprofile$\n^\\.cran$\n",
            ".Rprofile": 'options(repos = c(CRAN = paste0("file://", getwd(), "/.cran")))\n',
            ".cran/src/contrib/PACKAGES": "",
            "man/total.Rd": _R_TOTAL_RD,
            "R/total.R": _R_TOTAL.replace("(100 - discount)", "(100 + discount)"),
            "tests/test-cart.R": "library(cart)\nstopifnot(total(c(1000, 500), discount = 10) == 1350)\n",
        },
        needs=("R",),
    ),
    Case(
        "configure-missing-library",
        "c",
        "configure",
        "persistent",
        "dependency",
        "./configure",
        r"checking for \w+ in -l\w+\.\.\. no|configure: error:",
        {
            "configure.ac": "AC_INIT([cart], [0.1.0])\nAM_INIT_AUTOMAKE([foreign])\nAC_PROG_CC\n"
            "AC_CHECK_LIB([zoocart], [zoocart_total], [],\n"
            "  [AC_MSG_ERROR([libzoocart is required to build cart])])\n"
            "AC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n",
            "Makefile.am": "bin_PROGRAMS = cart\ncart_SOURCES = cart.c\n",
            "cart.c": "int zoocart_total(int, int);\n\nint main(void) {\n    return zoocart_total(1, 2) != 3;\n}\n",
        },
        setup="autoreconf -i",
        needs=("autoreconf", "gcc"),
    ),
    Case(
        "meson-missing-dependency",
        "c",
        "meson",
        "persistent",
        "dependency",
        "meson setup build",
        r"Run-time dependency .* found: NO|ERROR:|meson\.build:\d+:\d+:",
        {
            "meson.build": "project('cart', 'c')\n"
            "zoocart = dependency('libzoo-missing', version : '>=1.2')\n"
            "executable('cart', 'cart.c', dependencies : zoocart)\n",
            "cart.c": "int main(void) {\n    return 0;\n}\n",
        },
        needs=("meson", "ninja", "gcc"),
    ),
    Case(
        "pkg-config-missing-package",
        "c",
        "pkg-config",
        "persistent",
        "dependency",
        'pkg-config --exists --print-errors "zoocart >= 1.2" && make',
        r"Package .*not found|No package .* found|PKG_CONFIG_PATH",
        {
            "Makefile": "CFLAGS += $(shell pkg-config --cflags zoocart)\n"
            "LDLIBS += $(shell pkg-config --libs zoocart)\n\ncart: cart.c\n",
            "cart.c": "#include <zoocart.h>\n\nint main(void) {\n    return zoocart_total(1, 2) != 3;\n}\n",
        },
        needs=("pkg-config", "make", "gcc"),
    ),
    Case(
        "lein-test-failure",
        "clojure",
        "lein test",
        "persistent",
        "test",
        "lein test",
        r"^FAIL in|^expected:|^  actual:|\d+ failures?, \d+ errors?|^Tests failed",
        {
            "project.clj": '(defproject cart "0.1.0"\n'
            '  :repositories ^:replace [["debian" {:url "file:///usr/share/maven-repo" :checksum :ignore}]]\n'
            '  :dependencies [[org.clojure/clojure "1.11.1"]])\n',
            "src/cart/core.clj": _CLJ_CART.replace("(+ a b)", "(- a b)"),
            "test/cart/core_test.clj": "(ns cart.core-test\n"
            "  (:require [clojure.test :refer [deftest is]]\n            [cart.core :refer [total]]))\n\n"
            "(deftest total-adds\n  (is (= 3 (total 1 2))))\n",
        },
        setup="lein deps",
        needs=("lein", "java"),
    ),
    Case(
        "mvn-offline-compile-error",
        "java",
        "mvn",
        "persistent",
        "compile",
        "mvn -o -B -Dmaven.repo.local=/usr/share/maven-repo compile",
        r"COMPILATION ERROR|\.java:\[\d+,\d+\]|BUILD FAILURE|Failed to execute goal",
        {
            "pom.xml": _MVN_POM,
            "src/main/java/cart/Cart.java": _MVN_CART.replace(
                "String label = String.valueOf(total(2, 3));", "String label = total(2, 3);"
            ),
        },
        needs=("mvn", "java"),
    ),
    # Debian's libsurefire-java and libmaven-resources-plugin-java (2.22.3-2, 3.3.0-1) and
    # junit4 put the plugins and JUnit 4 in /usr/share/maven-repo.
    Case(
        "mvn-offline-test-failure",
        "java",
        "mvn",
        "persistent",
        "test",
        "mvn -o -B -Dmaven.repo.local=/usr/share/maven-repo test",
        r"<<< FAILURE|AssertionError|^\[ERROR\] (?:Failures:|  \w+\.\w+:\d+|Tests run:)"
        r"|There are test failures",
        {
            "pom.xml": _MVN_TEST_POM,
            "src/main/java/cart/Cart.java": "package cart;\n\npublic class Cart {\n"
            "    public static int total(int price, int count) {\n        return price + count;\n"
            "    }\n}\n",
            "src/test/java/cart/CartTest.java": _MVN_TEST,
        },
        needs=("mvn", "java"),
    ),
]

_UNSEEN_B_FIXES: dict[str, dict[str, str]] = {
    "gotestsum-failure": {"cart.go": _GO_CART},
    "ormolu-check": {"src/Cart.hs": _ORMOLU_FIXED},
    "raco-test-failure": {"cart.rkt": _RKT_CART},
    "raco-make-unbound-identifier": {
        "main.rkt": "#lang racket/base\n\n(define (total prices)\n  (apply + prices))\n\n"
        "(displayln (total (list 1 2)))\n",
    },
    "gnatmake-type-error": {
        "cart.adb": "with Ada.Text_IO; use Ada.Text_IO;\n\nprocedure Cart is\n"
        "   Price : Integer := 2;\n   Count : Integer := 3;\n   Total : Integer;\nbegin\n"
        '   Total := Price * Count;\n   Put_Line ("Total:" & Integer\'Image (Total));\nend Cart;\n',
    },
    "valac-error": {
        "cart.vala": "int total (int price, int count) {\n    return price * count;\n}\n\n"
        'void main () {\n    string label = total (2, 3).to_string ();\n    print ("%s\\n", label);\n}\n',
    },
    "groovy-assert": {
        "cart_test.groovy": "def total(prices, discount) {\n"
        "    prices.sum() * (100 - discount) / 100\n}\n\n"
        "assert total([1000, 500], 10) == 1350\n",
    },
    "tidy-errors": {
        "index.html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Cart</title>\n</head>\n'
        "<body>\n<p>Total: <strong>1350</strong></p>\n<table><tr><td>1000</td></tr></table>\n</body>\n</html>\n",
    },
    "jq-parse-error": {
        "config.json": '{\n  "name": "cart",\n  "discount": 10,\n  "currency": "EUR"\n}\n'
    },
    "scons-compile-error": {"cart.c": "int total(int a, int b) {\n    return a + b;\n}\n"},
    "r-cmd-check-test-failure": {"R/total.R": _R_TOTAL},
    "lein-test-failure": {"src/cart/core.clj": _CLJ_CART},
    "mvn-offline-compile-error": {"src/main/java/cart/Cart.java": _MVN_CART},
    "mvn-offline-test-failure": {
        "src/main/java/cart/Cart.java": "package cart;\n\npublic class Cart {\n"
        "    public static int total(int price, int count) {\n        return price * count;\n"
        "    }\n}\n",
    },
}

_UNSEEN_B_VERSIONS: dict[str, str] = {
    "gotestsum": "dpkg-query -W -f='gotestsum ${Version}\\n' gotestsum",
    "ormolu": "ormolu --version | head -1",
    "raco test": "racket --version",
    "raco make": "racket --version",
    "gnatmake": "gnatmake --version | head -1",
    "valac": "valac --version",
    "groovy": "groovy --version",
    "tidy": "tidy --version",
    "jq": "jq --version",
    "R CMD check": "R --version | head -1",
    "configure": "autoconf --version | head -1",
    "meson": "meson --version",
    "pkg-config": "pkg-config --version",
    "lein test": "lein version",
    "mvn": "dpkg-query -W -f='maven ${Version}\\n' maven",
    "scons": "scons --version | sed -n 2p | sed 's/^[[:space:]]*//'",
}


# ------------------------------------------------- unseen batch E: javadoc doclint, rustdoc
# links and doctests, a missing Rust target, goimports, mix --warnings-as-errors, hspec,
# ghc -Werror, puppet-lint, checkbashisms, perl -c, podchecker, rake, ocamlfind, g++ template
# errors, cmake find_package, make's missing rule, ld's missing library
#
# Packages (installed versions; Debian 12):
#   javadoc-doclint-param            Debian openjdk-17-jdk-headless 17.0.15+6-1~deb12u1
#                                    (default-jdk-headless 2:1.17-74)
#   cargo-doc-broken-intra-doc-link, rustup toolchain 1.95.0 (rustc/rustdoc 1.95.0 59807616e
#   cargo-test-doctest-failure,      2026-04-14, cargo 1.95.0); no crates fetched (--offline, no
#   cargo-build-target-not-installed dependencies); only x86_64-unknown-linux-gnu is installed
#   goimports-check                  Debian golang-golang-x-tools 1:0.5.0+ds-1 (golang-go 2:1.19~1)
#   mix-compile-warnings-as-errors   Debian elixir 1.14.0.dfsg-2 (erlang-base 1:25.2.3+dfsg-1+deb12u4)
#   hspec-failure                    Debian libghc-hspec-dev 2.8.5-2+b2 (ghc 9.0.2-4), run by runghc
#   ghc-werror-unused-binding        Debian ghc 9.0.2-4
#   puppet-lint-warnings             Debian puppet-lint 3.0.1-1
#   checkbashisms                    Debian devscripts 2.23.4+deb12u2
#   perl-c-syntax-error              Debian perl 5.36.0-7+deb12u4
#   podchecker-errors                Debian perl 5.36.0-7+deb12u4 (Pod::Checker 1.74, perl-modules-5.36)
#   rake-test-failure                Debian rake 13.0.6-3 (ruby3.1 3.1.7+really3.1.2-0+deb12u1,
#                                    bundled minitest 5.15.0), Rake::TestTask as the default task
#   ocamlfind-ocamlopt-type-error    Debian ocaml-findlib 1.9.6-1+b1 (ocaml-nox 4.13.1-4)
#   gxx-template-error               Debian g++ 4:12.2.0-3 (g++-12 12.2.0-14+deb12u1)
#   cmake-find-package-missing       Debian cmake 3.25.1-1 (gcc for the C compiler check)
#   make-no-rule-to-make-target      Debian make 4.3-4.1
#   ld-cannot-find-library           Debian binutils 2.40-2 (driven by g++ 12.2.0)
#
# Notes: all were run offline (unshare -n: only loopback) and take under 2 s each. No FIXES
# for cargo-build-target-not-installed (the fix is `rustup target add`, a download),
# cmake-find-package-missing (the fix is installing the package) and ld-cannot-find-library
# (installing the library); make-no-rule-to-make-target's fix adds the forgotten source file.
# puppet-lint's manifest sits in modules/zoo/manifests/ so that its autoloader_layout check
# passes; puppet-lint only fails on warnings with --fail-on-warnings (as CI configs set it).
# goimports always exits 0, so the check is `goimports -d . && test -z "$(goimports -l .)"`,
# the pattern of the zoo's gofmt case; its diff header carries the run's timestamps.
# The C++ cases use ecosystem "c", as the zoo's clang++/g++ cases do; `g++` gives no id
# prefix, hence gxx-template-error. Skipped: rbs validate (Debian ruby-rbs is not installed;
# Ruby 3.1's bundled rbs 2.1.0 gem has no `rbs` executable on PATH).

_CARGO_TOML = '[package]\nname = "zoo"\nversion = "0.1.0"\nedition = "2021"\n'
_MIX_EXS = (
    "defmodule Zoo.MixProject do\n  use Mix.Project\n\n  def project do\n"
    '    [app: :zoo, version: "0.1.0", deps: []]\n  end\nend\n'
)
_CART_JAVA = (
    "package zoo;\n\n/** A shopping cart. */\npublic final class Cart {\n"
    "    private Cart() {\n    }\n\n"
    "    /**\n     * The total after a discount.\n     *\n"
    "     * @param prices the item prices in cents\n"
    "     * @param discount the discount in percent\n"
    "     * @return the total in cents\n     */\n"
    "    public static int total(int[] prices, int percent) {\n"
    "        int sum = 0;\n        for (int price : prices) {\n            sum += price;\n        }\n"
    "        return sum * (100 - percent) / 100;\n    }\n}\n"
)
_DOC_RS = (
    "//! Cart arithmetic.\n\n"
    "/// Adds two prices. See [`subtotal`] for a whole cart.\n"
    "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n"
    "/// The sum of all prices.\npub fn sub_total(prices: &[i32]) -> i32 {\n    prices.iter().sum()\n}\n"
)
_DOCTEST_RS = (
    "/// Applies a discount in percent.\n///\n/// ```\n"
    "/// assert_eq!(zoo::discounted(1500, 10), 1350);\n/// ```\n"
    "pub fn discounted(total: i32, percent: i32) -> i32 {\n    total * (100 - percent) / 10\n}\n"
)
_HS_CART = "module Cart (total) where\n\ntotal :: Int -> [Int] -> Int\ntotal discount prices = sum prices * (100 - discount) `div` 10\n"
_HS_SPEC = (
    "import Test.Hspec\n\nimport Cart (total)\n\nmain :: IO ()\nmain = hspec $\n"
    '  describe "total" $\n    it "applies the discount" $\n'
    "      total 10 [1000, 500] `shouldBe` 1350\n"
)
_PP = (
    "# @summary The zoo's web server.\n#\n# @param docroot Where the site lives.\n"
    "class zoo::web (\n  String $docroot = '/srv/zoo',\n) {\n"
    "  file { $docroot:\n    ensure => directory,\n    mode   => '0755',\n  }\n\n"
    '  service { "nginx":\n    ensure => running,\n  }\n}\n'
)
_SH = (
    "#!/bin/sh\nset -e\n\nfunction deploy {\n  target=$1\n"
    '  if [[ -z "$target" ]]; then\n    echo "usage: deploy.sh TARGET" >&2\n    exit 2\n  fi\n'
    '  echo "deploying to $target"\n}\n\ndeploy "$@"\n'
)
_PL = (
    "#!/usr/bin/perl\nuse strict;\nuse warnings;\n\nmy @prices = (1000, 500);\nmy $total = 0;\n"
    'foreach my $price (@prices) {\n    $total += $price\n    print "$price\\n";\n}\n'
    'print "total: $total\\n";\n'
)
_POD = (
    "package Zoo::Cart;\nuse strict;\nuse warnings;\n\nour $VERSION = '0.01';\n\n"
    "sub total { my $sum = 0; $sum += $_ for @_; return $sum }\n\n1;\n__END__\n\n"
    "=head1 NAME\n\nZoo::Cart - shopping cart arithmetic\n\n=head1 FUNCTIONS\n\n=over 4\n\n"
    "=item total(@prices)\n\nThe sum of the prices.\n\n=head1 AUTHOR\n\nThe zoo.\n\n=cut\n"
)
_RAKEFILE = "require 'rake/testtask'\n\nRake::TestTask.new(:test) do |t|\n  t.libs << 'lib'\n  t.test_files = FileList['test/**/*_test.rb']\nend\n\ntask default: :test\n"
_RB_CART = "module Cart\n  def self.total(prices, discount: 0)\n    prices.sum * (100 - discount) / 10\n  end\nend\n"
_RB_TEST = (
    "require 'minitest/autorun'\nrequire 'cart'\n\nclass CartTest < Minitest::Test\n"
    "  def test_discount\n    assert_equal 1350, Cart.total([1000, 500], discount: 10)\n  end\nend\n"
)
_ML = (
    "let total prices = List.fold_left ( + ) 0 prices\n\n"
    'let () = print_endline ("total: " ^ total [ 1000; 500 ])\n'
)
_CPP = (
    "#include <map>\n#include <string>\n#include <vector>\n\n"
    "struct Item {\n    std::string name;\n    int price;\n};\n\n"
    'int main() {\n    std::vector<Item> items{{"tea", 300}, {"cake", 450}};\n'
    "    std::map<Item, int> counts;\n    for (const auto& item : items)\n        counts[item] += 1;\n"
    "    return counts.size() == 2 ? 0 : 1;\n}\n"
)

_UNSEEN_E: list[Case] = [
    Case(
        "javadoc-doclint-param",
        "java",
        "javadoc",
        "persistent",
        "lint",
        "javadoc -Xdoclint:all -quiet -d build/docs src/zoo/Cart.java",
        r"error:|warning:|\d+ errors?",
        {"src/zoo/Cart.java": _CART_JAVA},
        needs=("javadoc",),
    ),
    Case(
        "cargo-doc-broken-intra-doc-link",
        "rust",
        "rustdoc",
        "persistent",
        "lint",
        'RUSTDOCFLAGS="-D warnings" cargo doc --offline --no-deps',
        r"^error|unresolved link|no item named",
        {"Cargo.toml": _CARGO_TOML, "src/lib.rs": _DOC_RS},
        needs=("cargo",),
    ),
    Case(
        "cargo-test-doctest-failure",
        "rust",
        "cargo test",
        "persistent",
        "test",
        "cargo test --offline --doc",
        r"FAILED|panicked|assertion|left:|right:|failures:",
        {"Cargo.toml": _CARGO_TOML, "src/lib.rs": _DOCTEST_RS},
        needs=("cargo",),
    ),
    Case(
        "cargo-build-target-not-installed",
        "rust",
        "cargo build",
        "persistent",
        "config",
        "cargo build --offline --target wasm32-unknown-unknown",
        r"^error|target may not be installed|rustup target add",
        {
            "Cargo.toml": _CARGO_TOML,
            "src/lib.rs": "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
        },
        needs=("cargo",),
    ),
    Case(
        "goimports-check",
        "go",
        "goimports",
        "persistent",
        "format",
        'goimports -d . && test -z "$(goimports -l .)"',
        r"^[-+][^-+]|^diff",
        {
            "go.mod": "module example.test/zoo\n\ngo 1.19\n",
            "main.go": 'package main\n\nimport (\n\t"strings"\n\t"os"\n)\n\nfunc main() {\n'
            '\tname := strings.TrimSpace(os.Args[0])\n\tfmt.Println("hello", name)\n}\n',
        },
        needs=("goimports", "go"),
    ),
    Case(
        "mix-compile-warnings-as-errors",
        "elixir",
        "mix compile",
        "persistent",
        "compile",
        "mix compile --warnings-as-errors",
        r"warning:|is unused|lib/zoo\.ex:\d+|Compilation failed",
        {
            "mix.exs": _MIX_EXS,
            "lib/zoo.ex": "defmodule Zoo do\n  def total(prices, discount) do\n    tax = 0\n"
            "    div(Enum.sum(prices) * (100 - discount), 100)\n  end\nend\n",
        },
        needs=("mix",),
    ),
    Case(
        "hspec-failure",
        "haskell",
        "hspec",
        "persistent",
        "test",
        "runghc -isrc test/Spec.hs",
        r"FAIL|expected:|but got:|\d+ examples?, \d+ failures?|✘",
        {"src/Cart.hs": _HS_CART, "test/Spec.hs": _HS_SPEC},
        needs=("runghc",),
    ),
    Case(
        "ghc-werror-unused-binding",
        "haskell",
        "ghc",
        "persistent",
        "compile",
        "ghc -Wall -Werror -outputdir build Main.hs",
        r"error:|Werror|Defined but not used",
        {
            "Main.hs": "module Main (main) where\n\ntotal :: [Int] -> Int\ntotal = sum\n\n"
            "average :: [Int] -> Int\naverage prices = total prices `div` length prices\n\n"
            "main :: IO ()\nmain = print (total [1000, 500])\n"
        },
        needs=("ghc",),
    ),
    Case(
        "puppet-lint-warnings",
        "puppet",
        "puppet-lint",
        "persistent",
        "lint",
        "puppet-lint --fail-on-warnings modules/",
        r"WARNING:|ERROR:",
        {"modules/zoo/manifests/web.pp": _PP},
        needs=("puppet-lint",),
    ),
    Case(
        "checkbashisms",
        "shell",
        "checkbashisms",
        "persistent",
        "lint",
        "checkbashisms scripts/*.sh",
        r"possible bashism",
        {"scripts/deploy.sh": _SH},
        needs=("checkbashisms",),
    ),
    Case(
        "perl-c-syntax-error",
        "perl",
        "perl -c",
        "persistent",
        "syntax_error",
        "perl -c bin/report.pl",
        r"syntax error|had compilation errors|near",
        {"bin/report.pl": _PL},
        needs=("perl",),
    ),
    Case(
        "podchecker-errors",
        "perl",
        "podchecker",
        "persistent",
        "lint",
        "podchecker lib/Zoo/Cart.pm",
        r"\*\*\* (ERROR|WARNING)|pod syntax errors?",
        {"lib/Zoo/Cart.pm": _POD},
        needs=("podchecker",),
    ),
    Case(
        "rake-test-failure",
        "ruby",
        "rake",
        "persistent",
        "test",
        "rake",
        r"Failure:|Expected|Actual|failures|rake aborted|Command failed",
        {"Rakefile": _RAKEFILE, "lib/cart.rb": _RB_CART, "test/cart_test.rb": _RB_TEST},
        needs=("rake",),
    ),
    Case(
        "ocamlfind-ocamlopt-type-error",
        "ocaml",
        "ocamlfind",
        "persistent",
        "compile",
        "ocamlfind ocamlopt -package str -linkpkg cart.ml -o cart",
        r"^Error|^File \"|has type",
        {"cart.ml": _ML},
        needs=("ocamlfind", "ocamlopt"),
    ),
    Case(
        "gxx-template-error",
        "c++",
        "g++",
        "persistent",
        "compile",
        "g++ -std=c++17 -Wall -o app src/main.cpp",
        r"error:|required from|In instantiation of",
        {"src/main.cpp": _CPP},
        needs=("g++",),
    ),
    Case(
        "cmake-find-package-missing",
        "c",
        "cmake",
        "persistent",
        "dependency",
        "cmake -S . -B build",
        r"CMake Error|Could not find a package|Configuring incomplete",
        {
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(zoo C)\n"
            "find_package(ZooMissing REQUIRED)\nadd_executable(app src/main.c)\n"
            "target_link_libraries(app ZooMissing::ZooMissing)\n",
            "src/main.c": "int main(void) { return 0; }\n",
        },
        needs=("cmake",),
    ),
    Case(
        "make-no-rule-to-make-target",
        "c",
        "make",
        "persistent",
        "config",
        "make",
        r"No rule to make target|\*\*\*",
        {
            "Makefile": "CC ?= cc\nCFLAGS ?= -Wall -O2\n\napp: src/main.c src/missing.c\n"
            "\t$(CC) $(CFLAGS) -o $@ $^\n",
            "src/main.c": "int main(void) { return 0; }\n",
        },
        needs=("make", "cc"),
    ),
    Case(
        "ld-cannot-find-library",
        "c++",
        "ld",
        "persistent",
        "dependency",
        "g++ -std=c++17 -o app src/main.cpp -lzoomissing",
        r"cannot find -l|ld returned",
        {
            "src/main.cpp": '#include <iostream>\n\nint main() {\n    std::cout << "zoo\\n";\n    return 0;\n}\n'
        },
        needs=("g++",),
    ),
]

_UNSEEN_E_FIXES: dict[str, dict[str, str]] = {
    "javadoc-doclint-param": {
        "src/zoo/Cart.java": _CART_JAVA.replace("@param discount", "@param percent")
    },
    "cargo-doc-broken-intra-doc-link": {
        "src/lib.rs": _DOC_RS.replace("[`subtotal`]", "[`sub_total`]")
    },
    "cargo-test-doctest-failure": {"src/lib.rs": _DOCTEST_RS.replace("/ 10\n", "/ 100\n")},
    "goimports-check": {
        "main.go": 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"strings"\n)\n\nfunc main() {\n'
        '\tname := strings.TrimSpace(os.Args[0])\n\tfmt.Println("hello", name)\n}\n'
    },
    "mix-compile-warnings-as-errors": {
        "lib/zoo.ex": "defmodule Zoo do\n  def total(prices, discount) do\n"
        "    div(Enum.sum(prices) * (100 - discount), 100)\n  end\nend\n"
    },
    "hspec-failure": {"src/Cart.hs": _HS_CART.replace("`div` 10\n", "`div` 100\n")},
    "ghc-werror-unused-binding": {
        "Main.hs": "module Main (main) where\n\ntotal :: [Int] -> Int\ntotal = sum\n\n"
        "main :: IO ()\nmain = print (total [1000, 500])\n"
    },
    "puppet-lint-warnings": {"modules/zoo/manifests/web.pp": _PP.replace('"nginx"', "'nginx'")},
    "checkbashisms": {
        "scripts/deploy.sh": _SH.replace("function deploy {", "deploy() {").replace(
            '[[ -z "$target" ]]', '[ -z "$target" ]'
        )
    },
    "perl-c-syntax-error": {
        "bin/report.pl": _PL.replace("$total += $price\n", "$total += $price;\n")
    },
    "podchecker-errors": {
        "lib/Zoo/Cart.pm": _POD.replace(
            "The sum of the prices.\n\n", "The sum of the prices.\n\n=back\n\n"
        )
    },
    "rake-test-failure": {"lib/cart.rb": _RB_CART.replace("/ 10\n", "/ 100\n")},
    "ocamlfind-ocamlopt-type-error": {
        "cart.ml": _ML.replace("^ total [ 1000; 500 ])", "^ string_of_int (total [ 1000; 500 ]))")
    },
    "gxx-template-error": {
        "src/main.cpp": _CPP.replace(
            "};\n\nint main",
            "};\n\nbool operator<(const Item& a, const Item& b) {\n    return a.name < b.name;\n}\n\nint main",
        )
    },
    "make-no-rule-to-make-target": {"src/missing.c": "int missing(void) { return 0; }\n"},
}

_UNSEEN_E_VERSIONS: dict[str, str] = {
    "javadoc": "javadoc --version",
    "rustdoc": "rustdoc --version",
    "goimports": "dpkg-query -W -f='goimports ${Version}\\n' golang-golang-x-tools",
    "hspec": "dpkg-query -W -f='hspec ${Version}\\n' libghc-hspec-dev",
    "puppet-lint": "puppet-lint --version",
    "checkbashisms": "checkbashisms --version | head -1",
    "perl -c": "perl -e 'printf \"perl %vd\\n\", $^V'",
    "podchecker": "perl -MPod::Checker -e 'print \"podchecker (Pod::Checker) $Pod::Checker::VERSION\\n\"'",
    "rake": "rake --version",
    "ocamlfind": 'echo "ocamlfind $(ocamlfind query -format %v findlib) (ocamlopt $(ocamlopt -version))"',
    "g++": "g++ --version | head -1",
    "make": "make --version | head -1",
    "cargo build": "cargo --version",
    # already in generate.py: "cargo test", "cargo", "mix compile", "ghc", "cmake", "ld"
}


# ------------------------------------------------- unseen batch C: clients nobody here had
# seen (Subversion, aria2, HTTPie, pecl, R's install.packages, Leiningen), meeting the fault
# servers. Every case exits non-zero.
#
# Debian packages (dpkg-query -W):
#   svn-*          subversion 1.14.2-4+deb12u1 (svn, version 1.14.2)
#   aria2c-*       aria2 1.36.0-1
#   httpie-*       httpie 3.2.1-1
#   pecl-download-* php-pear 1:1.10.13+submodules+notgz+2022032202-2 (PEAR 1.10.13, PHP 8.2)
#   r-install-packages-* r-base-core 4.2.2.20221110-2 (libcurl 7.88.1)
#   lein-deps-*    leiningen 2.10.0-2, default-jdk-headless (OpenJDK 17)
#
# Notes on the faults each keeps:
# - svn: `svn export` prints word for word what `svn checkout` prints (E170013 + the cause),
#   so only checkout is kept. A 200 cut short reads as "does not support the HTTP/DAV
#   protocol" (svn's OPTIONS request sees no DAV headers): a misconfiguration, not a blip, so
#   no `cut-short` case. The request timeout is svn's documented `http-timeout` server option.
# - aria2c: all eleven faults, each with its own errorCode/cause (aria2c colours its log
#   levels even when not on a terminal; that is its genuine output).
# - httpie: a body cut short is printed as it came and exits 0, so no `cut-short` case.
# - pecl: `pecl download <url>` fetches a package tarball without touching the system's PEAR
#   registry (`pecl channel-update` / a channel at {url} would need `pecl channel-discover`,
#   which writes the system's channel files). An unanswered server is waited for PHP's
#   default_socket_timeout (60 s) and then misreported as "redirected but no location", and
#   a reset connection is misreported the same way, so no `no-answer` and no `reset` case.
# - R: plain `install.packages` prints the same words for every fault and for a repository
#   that lacks the package (see the README), so the cases set `options(internet.info = 1)`,
#   R's documented switch ("set to 1 or 0 to get more detailed information"), which shows
#   libcurl's reason. install.packages only warns and Rscript exits 0, so the command ends
#   the way a CI script does: `requireNamespace(...)` or `quit(status = 1)`.
# - lein: Leiningen refuses plain-HTTP repositories ("Tried to use insecure HTTP repository
#   without TLS"), so project.clj registers the HTTP wagon, the workaround Leiningen's FAQ
#   gives for an internal repository. A refused, reset, unanswered, unreachable, unresolved
#   and TLS-failing repository all print the same words ("transfer failed for <url>", no
#   cause), so `refused` stands for them; it waits out a 429 past a case's time (like
#   Maven), so no `429` case. :local-repo keeps the project's jars in the project.
# - Skipped: Yarn Berry (@yarnpkg/cli-dist), Cypress, Puppeteer and Electron: the npm
#   install of the batch failed (ERESOLVE over typescript@7.0.2, /tmp/npm.log ends `done 1`)
#   and none of the four is in /var/tmp/self-healing-zoo/node. cpanm: even with --verbose it
#   prints "! Finding Try::Tiny () on mirror … failed." for a refused, unresolved and 503
#   mirror alike (and "cannot open file … 02packages.details.txt.gz" for an unanswered and a
#   429 one), the same as for a module a working mirror lacks (README), so no case.

_ALL_FAULTS = (
    "refused",
    "reset",
    "no-answer",
    "unreachable",
    "dns",
    "tls",
    "503",
    "502",
    "500",
    "429",
    "cut-short",
)

_LEIN_PROJECT = {
    "project.clj": "(require 'cemerick.pomegranate.aether)\n"
    "(cemerick.pomegranate.aether/register-wagon-factory!\n"
    '  "http" #(org.apache.maven.wagon.providers.http.HttpWagon.))\n\n'
    '(defproject zoo "0.1.0"\n'
    '  :dependencies [[org.clojure/clojure "1.11.1"]]\n'
    '  :local-repo "m2"\n'
    '  :repositories ^:replace [["zoo" {:url "{url}/repo"}]])\n'
}

_UNSEEN_C: list[Case] = [
    *_per_fault(
        "svn",
        "svn checkout --non-interactive --config-option servers:global:http-timeout=5 "
        "{url}/repo/trunk wc",
        r"^svn: E\d+",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        needs=("svn",),
    ),
    *_per_fault(
        "aria2c",
        "aria2c --max-tries=1 --timeout=5 --connect-timeout=5 {url}/file.tar.gz",
        r"ERROR|^Exception: |errorCode=|\|ERR \|",
        _ALL_FAULTS,
        needs=("aria2c",),
    ),
    *_per_fault(
        "httpie",
        "http --check-status --timeout 5 GET {url}/api/status",
        r"^http: |^Couldn.t resolve",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        needs=("http",),
    ),
    *_per_fault(
        "pecl-download",
        "pecl download {url}/get/redis-6.0.2.tgz",
        r"^Could not |^Download of |^download failed",
        ("refused", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        needs=("pecl",),
    ),
    *_per_fault(
        "r-install-packages",
        "Rscript -e 'options(internet.info = 1, timeout = 10); "
        'install.packages("jsonlite", lib = "lib", repos = "{url}"); '
        'if (!requireNamespace("jsonlite", lib.loc = "lib", quietly = TRUE)) quit(status = 1)\'',
        r"^\* (connect to|Failed to connect|Recv failure|Operation timed out|Could not resolve"
        r"|OpenSSL|The requested URL returned|transfer closed)|^Warning: unable|cannot open URL"
        r"|^  download from|is not available",
        _ALL_FAULTS,
        needs=("Rscript",),
        setup="mkdir -p lib",
    ),
    *_per_fault(
        "lein-deps",
        "lein deps",
        r"^Could not transfer|^Failed to read artifact",
        ("refused", "503", "502", "500", "cut-short"),
        files=_LEIN_PROJECT,
        needs=("lein", "java"),
    ),
]

_UNSEEN_C_FIXES: dict[str, dict[str, str]] = {}

_UNSEEN_C_VERSIONS: dict[str, str] = {
    "svn": "svn --version",
    "aria2c": "aria2c --version",
    "httpie": "http --version",
    "pecl-download": "pecl version",
    "r-install-packages": "Rscript --version",
    "lein-deps": "lein version",
}


# ------------------------------------------------- unseen batch F: four download clients of
# the npm world (Yarn Berry, Cypress, Puppeteer, Electron) meeting the fault servers. Every
# case exits non-zero.
#
# npm packages (npm ls, in /var/tmp/self-healing-zoo/node; install scripts NOT run, so no
# binary is cached and each command below is the download step itself), node v20.20.2:
#   yarn-berry-* @yarnpkg/cli-dist@4.18.1
#   cypress-*    cypress@15.3.0 (@cypress/request@3.0.10)
#   puppeteer-*  puppeteer@24.43.1 (@puppeteer/browsers@2.13.2)
#   electron-*   electron@41.7.1 (@electron/get@2.0.3, got@11.8.6)
#
# Notes on the faults each keeps:
# - yarn-berry: all eleven. A CI install is immutable (CI=true), so the project has a
#   yarn.lock (lockfile version 10, what 4.18.1 writes; an older version is "migrated" and
#   re-resolved); resolution needs no network and the tarball fetch meets the fault. 5xx
#   read "The registry appears to be down", 429 "The remote server failed to provide the
#   requested resource", each with its response code; the socket errors are RequestError
#   stacks (YN0001). httpTimeout/httpRetry in .yarnrc.yml bound the run (no-answer: 11 s).
#   Yarn colours its output on GitHub Actions and prints ::group:: lines; that is genuine.
# - cypress: no `reset` case: on a reset connection `cypress install` prints only
#   "[STARTED] Task without title." and exits 0 (the download promise is dropped). No
#   `no-answer` case: the download has no request timeout.
# - puppeteer: `npx puppeteer browsers install chrome` takes its mirror from `--base-url`
#   (the CLI ignores PUPPETEER_CHROME_DOWNLOAD_BASE_URL, which only the postinstall reads;
#   PUPPETEER_DOWNLOAD_BASE_URL is the pre-v22 name); it prints the command's help before
#   the error, as it does. No `cut-short` case: a body cut short leaves a 100-byte zip in the
#   cache and the command exits 0 printing nothing. No `no-answer` case: no request timeout.
# - electron: install.js is run through the linked zoo node_modules (what `npm install`
#   runs as electron's postinstall). No `no-answer` case: @electron/get passes no timeout
#   to got.

_YARN_BERRY = 'node "$ZOO_NODE/node_modules/@yarnpkg/cli-dist/bin/yarn.js"'
_YARN_BERRY_LOCK = (
    '# This file is generated by running "yarn install" inside your project.\n'
    "# Manual changes might be lost - proceed with caution!\n\n"
    "__metadata:\n  version: 10\n  cacheKey: 10c0\n\n"
    '"left-pad@npm:1.3.0":\n  version: 1.3.0\n  resolution: "left-pad@npm:1.3.0"\n'
    "  languageName: node\n  linkType: hard\n\n"
    '"zoo@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "zoo@workspace:."\n'
    '  dependencies:\n    left-pad: "npm:1.3.0"\n  languageName: unknown\n  linkType: soft\n'
)

_UNSEEN_F: list[Case] = [
    *_per_fault(
        "yarn-berry",
        _YARN_BERRY + " install",
        r"YN00(?:01|35):|Failed with errors",
        (
            "refused",
            "reset",
            "no-answer",
            "unreachable",
            "dns",
            "tls",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        files={
            ".yarnrc.yml": 'npmRegistryServer: "{url}"\nenableTelemetry: false\n'
            "enableGlobalCache: false\n"
            'unsafeHttpWhitelist:\n  - "203.0.113.*"\n  - "*.zoo.invalid"\n'
            "httpTimeout: 5000\nhttpRetry: 1\n",
            "package.json": '{ "name": "zoo", "version": "1.0.0", "packageManager": "yarn@4.18.1", '
            '"dependencies": { "left-pad": "1.3.0" } }\n',
            "yarn.lock": _YARN_BERRY_LOCK,
        },
        needs=("node",),
    ),
    *_per_fault(
        "cypress",
        "CYPRESS_CACHE_FOLDER=./.cypress-cache CYPRESS_DOWNLOAD_MIRROR={url} cypress install",
        r"^\[FAILED\] \S",
        ("refused", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        needs=("cypress",),
    ),
    *_per_fault(
        "puppeteer",
        "PUPPETEER_CACHE_DIR=./.puppeteer-cache "
        "npx puppeteer browsers install chrome --base-url {url}",
        r"^Error: All providers failed|^  - \w+Provider: ",
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        needs=("npx", "puppeteer"),
        setup=_LINK_NODE,
    ),
    *_per_fault(
        "electron",
        "ELECTRON_MIRROR={url}/ electron_config_cache=./.electron-cache "
        "node node_modules/electron/install.js",
        r"^\w*Error: ",
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        needs=("node",),
        setup=_LINK_NODE,
    ),
]

_UNSEEN_F_FIXES: dict[str, dict[str, str]] = {}

_UNSEEN_F_VERSIONS: dict[str, str] = {
    "yarn-berry": "node -p \"'yarn ' + require(process.env.ZOO_NODE + "
    "'/node_modules/@yarnpkg/cli-dist/package.json').version\"",
    "cypress": "cypress --version",
    "puppeteer": "node -p \"'puppeteer ' + require(process.env.ZOO_NODE + "
    "'/node_modules/puppeteer/package.json').version\"",
    "electron": "node -p \"'electron ' + require(process.env.ZOO_NODE + "
    "'/node_modules/electron/package.json').version\"",
}


# ------------------------------------------------- unseen batch D: notebooks (nbconvert, papermill,
# nbval), towncrier, alembic, pyroma
#
# Packages (PyPI ones in the zoo venv, Python 3.11.7; Debian git 1:2.39.5-0+deb12u3):
#   towncrier-check-missing-fragment  PyPI towncrier==26.9.0; git
#   nbconvert-execute-error           PyPI nbconvert==7.17.2 (nbclient==0.11.0,
#                                     jupyter_client==8.10.0, ipykernel==7.4.0, ipython==9.18.1)
#   papermill-cell-error              PyPI papermill==2.7.0 (same kernel packages)
#   nbval-output-mismatch             PyPI nbval==0.11.0 (pytest==9.2.0, same kernel packages)
#   alembic-check-pending             PyPI alembic==1.20.1 (SQLAlchemy==2.1.9), sqlite
#   pyroma-low-score                  PyPI pyroma==5.0.1 (build==1.6.1, poetry-core==2.5.0 as the
#                                     project's build backend)
#
# Notes: all were run offline (a network namespace with only loopback up) and took under 2 s
# each. The notebook cases need loopback: the python3 kernel (the kernelspec ipykernel installs
# into the venv's share/jupyter/kernels, so nothing to register) talks to its client over TCP on
# 127.0.0.1; without it nbclient waits 60 s and fails with "Kernel didn't respond in 60
# seconds". nbval and nbconvert colour their output (ANSI escapes in the recorded text).
# towncrier compares the branch with main: `setup` commits the project on main, then commits a
# change to cart.py on a branch; the fix adds a news fragment (committed on the branch by the
# same setup). alembic's `setup` runs `alembic upgrade head` (the database must be at head before
# `alembic check`); the check exits 255. pyroma: the project builds with poetry-core, because
# the venv's setuptools 65.5 cannot prepare wheel metadata without the `wheel` package, and
# pyroma then falls back to an isolated build that downloads setuptools;
# `--skip-tests CheckManifest` (what pyroma's own zest.releaser hook does), because the venv has
# check-manifest, which pyroma then runs with build isolation (a download) and without a VCS.

_NB_META = r"""
 "metadata": {
  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
  "language_info": {"name": "python"}
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"""
_NB_TOTAL_CELL = r"""  {
   "cell_type": "code",
   "execution_count": null,
   "id": "c1",
   "metadata": {},
   "outputs": [],
   "source": ["def total(prices, discount=0):\n", "    return sum(prices) * (100 - discount) // 100"]
  },
"""
_NB_ASSERT = (
    '{\n "cells": [\n'
    + _NB_TOTAL_CELL
    + r"""  {
   "cell_type": "code",
   "execution_count": null,
   "id": "c2",
   "metadata": {},
   "outputs": [],
   "source": ["assert total([1000, 500], discount=10) == 1215"]
  }
 ],"""
    + _NB_META
)
_NB_ASSERT_FIXED = _NB_ASSERT.replace("1215", "1350")
_NB_STORED = (
    '{\n "cells": [\n'
    + _NB_TOTAL_CELL
    + r"""  {
   "cell_type": "code",
   "execution_count": 2,
   "id": "c2",
   "metadata": {},
   "outputs": [
    {
     "data": {"text/plain": ["1215"]},
     "execution_count": 2,
     "metadata": {},
     "output_type": "execute_result"
    }
   ],
   "source": ["total([1000, 500], discount=10)"]
  }
 ],"""
    + _NB_META
)
_NB_STORED_FIXED = _NB_STORED.replace('["1215"]', '["1350"]')
_PAPERMILL_NB = (
    '{\n "cells": [\n'
    + r"""  {
   "cell_type": "code",
   "execution_count": null,
   "id": "p1",
   "metadata": {"tags": ["parameters"]},
   "outputs": [],
   "source": ["region = \"eu\""]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "p2",
   "metadata": {},
   "outputs": [],
   "source": ["rates = {\"eu\": 0.2, \"uk\": 0.2}\n", "vat = rates[region]\n", "print(f\"VAT for {region}: {vat}\")"]
  }
 ],"""
    + _NB_META
)
_PAPERMILL_NB_FIXED = _PAPERMILL_NB.replace('"uk\\": 0.2}', '"uk\\": 0.2, \\"us\\": 0.0}')
_TOWNCRIER_TOML = (
    '[project]\nname = "cart"\nversion = "1.0.0"\n\n'
    '[tool.towncrier]\ndirectory = "changes"\nfilename = "CHANGES.md"\n'
)
_TOWNCRIER_SETUP = (
    "git init -q -b main && git add pyproject.toml cart.py changes/.gitignore"
    " && git -c user.name=zoo -c user.email=zoo@example.com commit -q -m init"
    " && git checkout -q -b fix-discount"
    " && sed -i 's/discount=0/discount=5/' cart.py"
    " && git add -A && git -c user.name=zoo -c user.email=zoo@example.com commit -q -m 'Default discount'"
)
_ALEMBIC_INI = (
    "[alembic]\nscript_location = migrations\nprepend_sys_path = .\nsqlalchemy.url = sqlite:///shop.db\n\n"
    "[loggers]\nkeys = root,sqlalchemy,alembic\n\n[handlers]\nkeys = console\n\n"
    "[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARNING\nhandlers = console\n"
    "qualname =\n\n[logger_sqlalchemy]\nlevel = WARNING\nhandlers =\nqualname = sqlalchemy.engine\n\n"
    "[logger_alembic]\nlevel = INFO\nhandlers =\nqualname = alembic\n\n"
    "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\n"
    "formatter = generic\n\n[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n"
)
_ALEMBIC_ENV = (
    "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n\n"
    "from models import Base\n\nconfig = context.config\ntarget_metadata = Base.metadata\n\n"
    "connectable = engine_from_config(\n    config.get_section(config.config_ini_section),\n"
    '    prefix="sqlalchemy.",\n    poolclass=pool.NullPool,\n)\n'
    "with connectable.connect() as connection:\n"
    "    context.configure(connection=connection, target_metadata=target_metadata)\n"
    "    with context.begin_transaction():\n        context.run_migrations()\n"
)
_ALEMBIC_MODELS = (
    "from sqlalchemy import Integer, String\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
    "class Base(DeclarativeBase):\n    pass\n\n\n"
    'class Product(Base):\n    __tablename__ = "product"\n\n'
    "    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n"
    "    name: Mapped[str] = mapped_column(String(80))\n"
    "    price: Mapped[int] = mapped_column(Integer)\n"
)
_ALEMBIC_0001 = (
    '"""create product\n\nRevision ID: 0001\nRevises:\n"""\n'
    "import sqlalchemy as sa\nfrom alembic import op\n\n"
    'revision = "0001"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\n'
    'def upgrade():\n    op.create_table(\n        "product",\n'
    '        sa.Column("id", sa.Integer(), nullable=False),\n'
    '        sa.Column("name", sa.String(length=80), nullable=False),\n'
    '        sa.PrimaryKeyConstraint("id"),\n    )\n\n\n'
    'def downgrade():\n    op.drop_table("product")\n'
)
_ALEMBIC_0002 = (
    '"""add product price\n\nRevision ID: 0002\nRevises: 0001\n"""\n'
    "import sqlalchemy as sa\nfrom alembic import op\n\n"
    'revision = "0002"\ndown_revision = "0001"\nbranch_labels = None\ndepends_on = None\n\n\n'
    'def upgrade():\n    op.add_column("product", sa.Column("price", sa.Integer(), nullable=False))\n\n\n'
    'def downgrade():\n    op.drop_column("product", "price")\n'
)
_PYROMA_TOML_FIXED = (
    '[build-system]\nrequires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n\n'
    '[project]\nname = "cart"\nversion = "1.0.0"\n'
    'description = "Totals a shopping cart, with discounts."\nreadme = "README.rst"\n'
    'requires-python = ">=3.9"\nlicense = "MIT"\nkeywords = ["cart", "shop", "discount"]\n'
    'authors = [{ name = "Zoo Keeper", email = "keeper@example.com" }]\n'
    "classifiers = [\n"
    '    "Development Status :: 5 - Production/Stable",\n'
    '    "Intended Audience :: Developers",\n'
    '    "Programming Language :: Python :: 3",\n'
    '    "Programming Language :: Python :: 3.11",\n'
    '    "Topic :: Office/Business",\n]\n\n'
    '[project.urls]\nHomepage = "https://example.com/cart"\n'
)

_PYROMA_TOML = _PYROMA_TOML_FIXED.replace('requires-python = ">=3.9"\n', "").replace(
    'keywords = ["cart", "shop", "discount"]\n', ""
)
_PYROMA_README = (
    "cart\n====\n\nTotals a shopping cart, with discounts.\n\nUsage\n-----\n\n::\n\n"
    "    from cart import total\n    total([1000, 500], discount=10)\n"
)

_UNSEEN_D_PY = [
    Case(
        "towncrier-check-missing-fragment",
        "python",
        "towncrier",
        "persistent",
        "config",
        "towncrier check --compare-with main",
        r"No new newsfragments found",
        {
            "pyproject.toml": _TOWNCRIER_TOML,
            "cart.py": CART,
            "changes/.gitignore": "!.gitignore\n",
        },
        setup=_TOWNCRIER_SETUP,
        needs=("towncrier", "git"),
    ),
    _py(
        "nbconvert-execute-error",
        "nbconvert",
        "test",
        "jupyter nbconvert --to notebook --execute cart.ipynb",
        r"exceptions\.CellExecutionError|AssertionError|^assert ",
        **{"cart.ipynb": _NB_ASSERT},
    ),
    _py(
        "papermill-cell-error",
        "papermill",
        "test",
        "papermill report.ipynb out.ipynb -p region us",
        r"PapermillExecutionError|Exception encountered|^KeyError|vat = rates",
        **{"report.ipynb": _PAPERMILL_NB},
    ),
    _py(
        "nbval-output-mismatch",
        "nbval",
        "test",
        "pytest --nbval cart.ipynb",
        r"^FAILED|Cell outputs differ|mismatch '|'1215' == '1350'",
        **{"cart.ipynb": _NB_STORED},
    ),
    Case(
        "alembic-check-pending",
        "python",
        "alembic",
        "persistent",
        "config",
        "alembic check",
        r"New upgrade operations detected|ERROR",
        {
            "alembic.ini": _ALEMBIC_INI,
            "migrations/env.py": _ALEMBIC_ENV,
            "migrations/script.py.mako": "",
            "migrations/versions/0001_create_product.py": _ALEMBIC_0001,
            "models.py": _ALEMBIC_MODELS,
        },
        setup="alembic upgrade head",
        needs=("alembic",),
    ),
    _py(
        "pyroma-low-score",
        "pyroma",
        "lint",
        "pyroma --min 9 --skip-tests CheckManifest .",
        r"Final rating|^Your package|^You should",
        **{"pyproject.toml": _PYROMA_TOML, "README.rst": _PYROMA_README, "cart.py": CART},
    ),
]


# ------------------------------------------------- unseen batch D (npm): monorepo runners (turbo,
# lerna), workspace dependency checks (syncpack, manypkg), prose and link checks (alex,
# markdown-link-check, linkinator), Solidity (solcjs, solhint), dockerfilelint,
# graphql-schema-linter, stylua, ReScript
#
# Packages (node v20.20.2, npm 11.19.1; in the zoo node folder, installed with install scripts
# not run):
#   turbo-run-test-failure         npm turbo@2.11.11 (its platform binary from the optional
#                                  dependency); git (turbo wants a repository)
#   lerna-run-test-failure         npm lerna@9.0.7 (nx@22.7.12); git
#   syncpack-mismatch              npm syncpack@15.3.3
#   manypkg-check-mismatch         npm @manypkg/cli@0.25.1
#   alex-insensitive               npm alex@11.0.1
#   markdown-link-check-dead-link  npm markdown-link-check@3.15.0
#   linkinator-broken-link         npm linkinator@7.6.1 (serves the folder on loopback)
#   solcjs-compile-error           npm solc@0.8.37 (soljson 0.8.37+commit.f401782d)
#   solhint-violation              npm solhint@6.2.4
#   dockerfilelint                 npm dockerfilelint@1.8.0
#   graphql-schema-linter          npm graphql-schema-linter@3.0.1
#   stylua-check                   npm @johnnymorganz/stylua-bin@2.5.2 (stylua 2.5.2)
#   rescript-type-error            npm rescript@12.3.1
#
# Notes: all run offline (only loopback up), each under 2 s. turbo prints its telemetry notice
# on the first run in a HOME and a "No locally installed `turbo`" warning; its workspace has a
# packageManager field and a hand-written package-lock.json (turbo refuses to run without a lock
# file). lerna (nx's task runner) exits 1 or 130 from one run to the next with the same output
# (always 130 with --concurrency 1); the recorded code is whichever the run gave. manypkg needs
# the lock file too: without package-lock.json it sees no npm workspaces and says "workspaces
# valid!". solhint checks the registry for a newer solhint unless given --disc ("Error checking
# for updates: getaddrinfo EAI_AGAIN registry.npmjs.org" offline), so the command has --disc; it
# prints two boxed advertisements after the findings. dockerfilelint exits with the number of
# issues (3). markdown-link-check reports a missing local file as "Status: 400". lerna and
# rescript colour their output in CI.
# Skipped: madge (npm madge@8): not installed; its peerOptional typescript@^5.4.4 clashes with
# the zoo's typescript@7.0.2 (npm ERESOLVE), and the retry without it left madge out.

_UD_NODE_LINK = 'ln -sfn "$ZOO_NODE/node_modules" node_modules'
_UD_CART_JS = "exports.total = (prices) => prices.reduce((sum, p) => sum + p, 0);\n"
_UD_CART_TEST_BUG = (
    "const assert = require('node:assert');\nconst { total } = require('./index');\n\n"
    "assert.strictEqual(total([10, 5]), 16);\nconsole.log('cart: ok');\n"
)
_UD_CART_TEST_OK = _UD_CART_TEST_BUG.replace("16", "15")
_UD_UTIL_TEST = (
    "const assert = require('node:assert');\nconst { money } = require('./index');\n\n"
    "assert.strictEqual(money(5), '5.00');\nconsole.log('util: ok');\n"
)
_UD_UTIL_JS = "exports.money = (n) => n.toFixed(2);\n"
_UD_WS_ROOT = (
    '{\n  "name": "shop",\n  "private": true,\n  "packageManager": "npm@10.9.2",\n'
    '  "workspaces": ["packages/*"]\n}\n'
)
_UD_WS_LOCK = (
    '{\n  "name": "shop",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n'
    '    "": {\n      "name": "shop",\n      "workspaces": ["packages/*"]\n    },\n'
    '    "node_modules/@shop/cart": {\n      "resolved": "packages/cart",\n      "link": true\n    },\n'
    '    "node_modules/@shop/util": {\n      "resolved": "packages/util",\n      "link": true\n    },\n'
    '    "packages/cart": {\n      "name": "@shop/cart",\n      "version": "1.0.0"\n    },\n'
    '    "packages/util": {\n      "name": "@shop/util",\n      "version": "1.0.0"\n    }\n  }\n}\n'
)


def _ud_pkg(name: str, test: str = "node test.js", extra: str = "") -> str:
    return (
        f'{{\n  "name": "@shop/{name}",\n  "version": "1.0.0",\n'
        f'  "scripts": {{ "test": "{test}" }}{extra}\n}}\n'
    )


_UD_WORKSPACE = {
    "package.json": _UD_WS_ROOT,
    "package-lock.json": _UD_WS_LOCK,
    "packages/cart/package.json": _ud_pkg("cart"),
    "packages/cart/index.js": _UD_CART_JS,
    "packages/cart/test.js": _UD_CART_TEST_BUG,
    "packages/util/package.json": _ud_pkg("util"),
    "packages/util/index.js": _UD_UTIL_JS,
    "packages/util/test.js": _UD_UTIL_TEST,
}

_UNSEEN_D_JS = [
    Case(
        "turbo-run-test-failure",
        "javascript",
        "turbo",
        "persistent",
        "test",
        "turbo run test",
        r"^AssertionError|^\d+ !== \d+|npm error Lifecycle|exited \(1\)|^Failed:",
        {**_UD_WORKSPACE, "turbo.json": '{\n  "tasks": {\n    "test": {}\n  }\n}\n'},
        setup="git init -q",
        needs=("turbo",),
    ),
    Case(
        "lerna-run-test-failure",
        "javascript",
        "lerna",
        "persistent",
        "test",
        "lerna run test",
        r"^AssertionError|^\d+ !== \d+|npm error Lifecycle|Failed tasks|@shop/cart:test$|projects failed",
        {**_UD_WORKSPACE, "lerna.json": '{\n  "version": "1.0.0",\n  "npmClient": "npm"\n}\n'},
        setup="git init -q",
        needs=("lerna",),
    ),
]


def _ud_dep_pkg(name: str, deps: str) -> str:
    return f'{{\n  "name": "@shop/{name}",\n  "version": "1.0.0",\n  "dependencies": {{ {deps} }}\n}}\n'


_UD_DEP_WORKSPACE = {
    "package.json": '{\n  "name": "shop",\n  "version": "1.0.0",\n  "private": true,\n'
    '  "workspaces": ["packages/*"]\n}\n',
    "packages/cart/package.json": _ud_dep_pkg("cart", '"lodash": "4.17.21"'),
    "packages/util/package.json": _ud_dep_pkg("util", '"lodash": "4.17.15"'),
}
_UD_MANYPKG_WORKSPACE = {
    "package.json": _UD_DEP_WORKSPACE["package.json"],
    "package-lock.json": '{\n  "name": "shop",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n'
    '  "requires": true,\n  "packages": {}\n}\n',
    "packages/cart/package.json": _ud_dep_pkg("cart", '"lodash": "^4.17.21"'),
    "packages/util/package.json": _ud_dep_pkg("util", '"lodash": "^4.17.15"'),
}
_UD_README_ALEX = (
    "# cart\n\nTotals a shopping cart.\n\n## Usage\n\n"
    "Call `total()` with the prices. Even a dummy can do it: the user just passes\n"
    "an array and he gets the sum back.\n"
)
_UD_README_ALEX_FIXED = (
    "# cart\n\nTotals a shopping cart.\n\n## Usage\n\n"
    "Call `total()` with the prices: pass an array and you get the sum back.\n"
)
_UD_README_LINKS = (
    "# cart\n\nTotals a shopping cart. See the [usage guide](docs/usage.md) and the\n"
    "[changelog](CHANGELOG.md).\n"
)
_UD_SOL_BUG = (
    "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n\ncontract Cart {\n"
    "    uint256[] private prices;\n\n    function add(uint256 price) public {\n"
    "        prices.push(price);\n    }\n\n    function total() public view returns (uint256) {\n"
    "        uint256 sum = 0;\n        for (uint256 i = 0; i < prices.length; i++) {\n"
    "            sum += prices[i];\n        }\n        return summ;\n    }\n}\n"
)
_UD_SOL_OK = _UD_SOL_BUG.replace("return summ;", "return sum;")
_UD_DOCKERFILE = (
    "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install curl\n"
    'RUN npm ci\nCMD ["node", "index.js"]\n'
)
_UD_SCHEMA = (
    '"""The shop\'s query root."""\ntype Query {\n  """A cart by its id."""\n  cart(id: ID!): Cart\n}\n\n'
    '"""A shopping cart."""\ntype Cart {\n  """The cart\'s id."""\n  id: ID!\n'
    '  """What the items cost, in cents."""\n  total: Int!\n  items: [Item!]!\n}\n\n'
    '"""One line of a cart."""\ntype Item {\n  """The product\'s name."""\n  name: String!\n'
    '  """The price, in cents."""\n  price: Int!\n}\n'
)
_UD_SCHEMA_FIXED = _UD_SCHEMA.replace(
    "  items: [Item!]!", '  """The cart\'s lines."""\n  items: [Item!]!'
)
_UD_LUA_BAD = (
    "local M = {}\n\nfunction M.total( prices )\n  local sum=0\n"
    "    for _, p in ipairs(prices) do sum = sum + p end\n  return sum\nend\n\nreturn M\n"
)
_UD_LUA_OK = (
    "local M = {}\n\nfunction M.total(prices)\n\tlocal sum = 0\n\tfor _, p in ipairs(prices) do\n"
    "\t\tsum = sum + p\n\tend\n\treturn sum\nend\n\nreturn M\n"
)

_UNSEEN_D_JS += [
    Case(
        "syncpack-mismatch",
        "javascript",
        "syncpack",
        "persistent",
        "dependency",
        "syncpack lint",
        r"lodash|✘|Issues found",
        _UD_DEP_WORKSPACE,
        needs=("syncpack",),
    ),
    Case(
        "manypkg-check-mismatch",
        "javascript",
        "manypkg",
        "persistent",
        "dependency",
        "manypkg check",
        r"has a dependency on",
        _UD_MANYPKG_WORKSPACE,
        needs=("manypkg",),
    ),
    Case(
        "alex-insensitive",
        "markdown",
        "alex",
        "persistent",
        "lint",
        "alex README.md",
        r"^\s+\d+:\d+-\d+:\d+\s+warning|\d+ warnings?",
        {"README.md": _UD_README_ALEX},
        needs=("alex",),
    ),
    Case(
        "markdown-link-check-dead-link",
        "markdown",
        "markdown-link-check",
        "persistent",
        "lint",
        "markdown-link-check README.md",
        r"\[✖\]|dead links? found",
        {
            "README.md": _UD_README_LINKS,
            "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n",
        },
        needs=("markdown-link-check",),
    ),
    Case(
        "linkinator-broken-link",
        "html",
        "linkinator",
        "persistent",
        "lint",
        "linkinator site --recurse",
        r"\[404\]|ERROR: Detected",
        {
            "site/index.html": "<!doctype html>\n<html><head><title>Cart</title></head><body>\n"
            '<h1>Cart</h1>\n<p><a href="usage.html">Usage</a> · <a href="prices.html">Prices</a></p>\n'
            "</body></html>\n",
            "site/usage.html": "<!doctype html>\n<html><head><title>Usage</title></head><body>\n"
            '<p>Call total(). <a href="index.html">Home</a></p>\n</body></html>\n',
        },
        needs=("linkinator",),
    ),
    Case(
        "solcjs-compile-error",
        "solidity",
        "solcjs",
        "persistent",
        "compile",
        "solcjs --bin -o build contracts/Cart.sol",
        r"Error:|-->|\^\^",
        {"contracts/Cart.sol": _UD_SOL_BUG},
        needs=("solcjs",),
    ),
    Case(
        "solhint-violation",
        "solidity",
        "solhint",
        "persistent",
        "lint",
        "solhint --disc 'contracts/**/*.sol'",
        r"\d+:\d+\s+error|problems? \(",
        {
            "contracts/Cart.sol": _UD_SOL_OK.replace(
                "pragma solidity ^0.8.0;", "pragma solidity ^0.7.0;"
            ),
            ".solhint.json": '{\n  "extends": "solhint:recommended",\n'
            '  "rules": {\n    "compiler-version": ["error", "^0.8.0"],\n    "use-natspec": "off",\n'
            '    "gas-increment-by-one": "off"\n  }\n}\n',
        },
        needs=("solhint",),
    ),
    Case(
        "dockerfilelint",
        "docker",
        "dockerfilelint",
        "persistent",
        "lint",
        "dockerfilelint Dockerfile",
        r"Issues?:|\d+\s+Missing|apt-get|Clarity|Possible Bug|Optimization",
        {"Dockerfile": _UD_DOCKERFILE},
        needs=("dockerfilelint",),
    ),
    Case(
        "graphql-schema-linter",
        "graphql",
        "graphql-schema-linter",
        "persistent",
        "lint",
        "graphql-schema-linter schema.graphql",
        r"^\d+:\d+ |errors? detected",
        {
            "schema.graphql": _UD_SCHEMA,
            ".graphql-schema-linterrc": '{\n  "rules": ["fields-have-descriptions", "types-have-descriptions"]\n}\n',
        },
        needs=("graphql-schema-linter",),
    ),
    Case(
        "stylua-check",
        "lua",
        "stylua",
        "persistent",
        "format",
        "stylua --check src",
        r"Diff in|\|[-+]",
        {"src/cart.lua": _UD_LUA_BAD},
        needs=("stylua",),
    ),
    Case(
        "rescript-type-error",
        "rescript",
        "rescript",
        "persistent",
        "compile",
        "rescript build",
        r"We've found a bug|This has type|expected to have type|Failed to Compile|Cart\.res",
        {
            "rescript.json": '{\n  "name": "cart",\n  "sources": { "dir": "src" },\n'
            '  "package-specs": { "module": "commonjs", "in-source": true },\n  "suffix": ".res.js"\n}\n',
            "package.json": '{ "name": "cart", "version": "1.0.0", "private": true }\n',
            "src/Cart.res": "let total = (prices: array<int>) => Array.reduce(prices, 0, (a, b) => a + b)\n\n"
            "let label: string = total([10, 5])\n",
        },
        setup=_UD_NODE_LINK,
        needs=("rescript",),
    ),
]


_UNSEEN_D: list[Case] = [*_UNSEEN_D_PY, *_UNSEEN_D_JS]

_UNSEEN_D_FIXES: dict[str, dict[str, str]] = {
    "towncrier-check-missing-fragment": {
        "changes/+discount.feature.md": "Carts get a 5% discount by default.\n"
    },
    "nbconvert-execute-error": {"cart.ipynb": _NB_ASSERT_FIXED},
    "papermill-cell-error": {"report.ipynb": _PAPERMILL_NB_FIXED},
    "nbval-output-mismatch": {"cart.ipynb": _NB_STORED_FIXED},
    "alembic-check-pending": {"migrations/versions/0002_add_product_price.py": _ALEMBIC_0002},
    "pyroma-low-score": {"pyproject.toml": _PYROMA_TOML_FIXED},
    "turbo-run-test-failure": {"packages/cart/test.js": _UD_CART_TEST_OK},
    "lerna-run-test-failure": {"packages/cart/test.js": _UD_CART_TEST_OK},
    "syncpack-mismatch": {"packages/util/package.json": _ud_dep_pkg("util", '"lodash": "4.17.21"')},
    "manypkg-check-mismatch": {
        "packages/util/package.json": _ud_dep_pkg("util", '"lodash": "^4.17.21"')
    },
    "alex-insensitive": {"README.md": _UD_README_ALEX_FIXED},
    "markdown-link-check-dead-link": {
        "docs/usage.md": "# Usage\n\nCall `total()` with the prices.\n"
    },
    "linkinator-broken-link": {
        "site/prices.html": '<!doctype html>\n<html><head><title>Prices</title></head><body>\n<p>All prices in cents. <a href="index.html">Home</a></p>\n</body></html>\n'
    },
    "solcjs-compile-error": {"contracts/Cart.sol": _UD_SOL_OK},
    "solhint-violation": {"contracts/Cart.sol": _UD_SOL_OK},
    "dockerfilelint": {
        "Dockerfile": 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN npm ci\nCMD ["node", "index.js"]\n'
    },
    "graphql-schema-linter": {"schema.graphql": _UD_SCHEMA_FIXED},
    "stylua-check": {"src/cart.lua": _UD_LUA_OK},
    "rescript-type-error": {
        "src/Cart.res": "let total = (prices: array<int>) => Array.reduce(prices, 0, (a, b) => a + b)\n\nlet label: string = Int.toString(total([10, 5]))\n"
    },
}

_UNSEEN_D_VERSIONS: dict[str, str] = {
    "towncrier": "towncrier --version",
    "nbconvert": "jupyter nbconvert --version | sed 's/^/nbconvert /'",
    "papermill": "papermill --version | cut -d' ' -f1 | sed 's/^/papermill /'",
    "nbval": "pip show nbval | sed -n 's/^Version: /nbval /p'",
    "alembic": "alembic --version",
    "pyroma": "pip show pyroma | sed -n 's/^Version: /pyroma /p'",
    "turbo": "turbo --version | sed 's/^/turbo /'",
    "lerna": "lerna --version | sed 's/^/lerna /'",
    "syncpack": "syncpack --version",
    "manypkg": "node -p \"'@manypkg/cli ' + require('$ZOO_NODE/node_modules/@manypkg/cli/package.json').version\"",
    "alex": "alex --version | sed 's/^/alex /'",
    "markdown-link-check": "markdown-link-check --version | sed 's/^/markdown-link-check /'",
    "linkinator": "linkinator --version | sed 's/^/linkinator /'",
    "solcjs": "solcjs --version | sed 's/^/solc /'",
    "solhint": "solhint --version | sed 's/^/solhint /'",
    "dockerfilelint": "dockerfilelint --version | sed 's/^/dockerfilelint /'",
    "graphql-schema-linter": "graphql-schema-linter --version | sed 's/^/graphql-schema-linter /'",
    "stylua": "stylua --version",
    "rescript": "rescript --version",
}


# ------------------------------------------------- unseen batch G: HTTP, gRPC and sync clients
# of a job's own scripts and tools (axios, aiohttp, grpcio, pipx, bower, rsync, lftp, Ruby
# Faraday) meeting the fault servers. Every case exits non-zero.
#
# Packages:
#   axios-*         npm axios@1.21.1 (in /var/tmp/self-healing-zoo/node), node v20.20.2
#   aiohttp-*       PyPI aiohttp==3.14.5 (aiohappyeyeballs 2.7.1, yarl 1.25.1, multidict 7.2.1),
#                   zoo venv Python 3.11.7
#   grpcio-*        PyPI grpcio==1.85.3
#   pipx-*          PyPI pipx==1.18.4 (userpath 1.9.2); it picks its uv backend because the zoo
#                   venv has uv 0.13.9 on PATH (PyPI uv)
#   bower-*         npm bower@1.8.14
#   rsync-*         Debian rsync 3.5.0+ds1-0+deb12u1
#   rsync-ssh-*     Debian rsync 3.5.0+ds1-0+deb12u1, openssh-client 1:9.2p1-2+deb12u6
#   lftp-*          Debian lftp 4.9.2-2+b1
#   ruby-faraday-*  Debian ruby-faraday 1.1.0-7 (ruby3.1 3.1.7+really3.1.2-0+deb12u1)
#
# Notes on the faults each keeps:
# - axios: all eleven; the unhandled AxiosError is dumped with its config and request objects
#   (400-1500 lines), as Node prints it.
# - aiohttp: all eleven (no-answer: a bare TimeoutError from the ClientTimeout).
# - grpcio: no 5xx/429/cut-short cases: against an HTTP/1.1 server gRPC says "Failed parsing
#   HTTP/2 (Expected SETTINGS frame as the first frame, got frame type 80) (Trying to connect
#   an http1.x server (HTTP status 503))": a wrong-protocol misconfiguration, not a blip. The
#   script takes the endpoint URL (https means a TLS channel on 443, as `tls` needs).
# - pipx: no `cut-short` case: uv reads the 100-byte body as 'Unsupported `Content-Type`
#   "application/octet-stream" ... Expected JSON or HTML', a misconfiguration. UV_HTTP_TIMEOUT=5
#   bounds no-answer (29 s with uv's 3 retries). The pip backend (`--backend pip`) was tried and
#   dropped: it first upgrades its shared pip through the same index and prints "No matching
#   distribution found for pip>=26.1" for every fault alike.
# - bower: `--allow-root` because the job runs as root (else ESUDO first). No `no-answer` case:
#   bower retries 5 times (not configurable), 72 s. `reset` takes ~50-54 s and `cut-short` ~40-52 s
#   (same retries, randomised backoff).
# - rsync (daemon protocol, port 873): the fault servers listen on 80/443 only, so every fault
#   address refuses; kept refused, unreachable, dns.
# - rsync-ssh (rsync over ssh to port 80): reset, 503, 502, 500, 429 and cut-short all print
#   what no-answer prints ("Connection timed out during banner exchange": the servers wait for
#   an HTTP request while ssh waits for a banner), so only no-answer kept; tls is refused (port
#   80 of the TLS address) like refused. Kept refused, no-answer, unreachable, dns. The exit
#   code races between ssh's 255 and rsync's 12 (dns gave 12 once, 255 once; unreachable 12).
# - lftp: reset, 503, 502 and 429 print word for word what no-answer prints
#   ("get: /file.tar.gz: Fatal error: max-retries exceeded"): kept no-answer. 500 is fatal at
#   once ("Access failed: 500 Internal Server Error"). No `cut-short`: lftp hangs (killed at
#   180 s) despite net:timeout.
# - ruby-faraday: no `cut-short` case: Net::HTTP does not check Content-Length, the script
#   prints the 100 bytes and exits 0.
# Skipped: wget2 (Debian 1.99.1): exits 0 on refused, reset, no-answer, unreachable, dns,
# 5xx, 429 and a short body (printing e.g. "HTTP ERROR response 503 Service Unavailable"),
# and 5 with no output at all on tls, so no failing step to record.

_UNSEEN_G: list[Case] = [
    *_per_fault(
        "axios",
        "node status.mjs",
        r"^(<ref \*1> )?AxiosError: |^Caused by: |^  code: '",
        (
            "refused",
            "reset",
            "no-answer",
            "unreachable",
            "dns",
            "tls",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        files={
            "status.mjs": 'import axios from "axios";\n\n'
            'const response = await axios.get("{url}/api/status", { timeout: 5000 });\n'
            "console.log(response.status, response.data);\n",
        },
        needs=("node",),
        setup=_LINK_NODE,
    ),
    *_per_fault(
        "aiohttp",
        "python status.py",
        r"^(aiohttp\.client_exceptions\.)?\w*(Error|Exception)\b",
        (
            "refused",
            "reset",
            "no-answer",
            "unreachable",
            "dns",
            "tls",
            "503",
            "502",
            "500",
            "429",
            "cut-short",
        ),
        files={
            "status.py": "import asyncio\n\nimport aiohttp\n\n\n"
            "async def main() -> None:\n"
            "    async with aiohttp.ClientSession() as session:\n"
            '        async with session.get("{url}/api/status", '
            "timeout=aiohttp.ClientTimeout(total=5)) as response:\n"
            "            response.raise_for_status()\n"
            "            print(await response.text())\n\n\n"
            "asyncio.run(main())\n",
        },
    ),
    *_per_fault(
        "grpcio",
        "python cart_total.py {url}",
        r"^grpc\._channel\._InactiveRpcError|^\tstatus = |^\tdetails = |Handshake failed",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls"),
        files={
            "cart_total.py": "import sys\nfrom urllib.parse import urlsplit\n\nimport grpc\n\n"
            "endpoint = urlsplit(sys.argv[1])\n"
            'if endpoint.scheme == "https":\n'
            "    channel = grpc.secure_channel(\n"
            '        f"{endpoint.hostname}:443", grpc.ssl_channel_credentials()\n'
            "    )\n"
            "else:\n"
            '    channel = grpc.insecure_channel(f"{endpoint.hostname}:80")\n'
            'total = channel.unary_unary("/zoo.Cart/Total")(b"", timeout=5)\n'
            "print(total)\n",
        },
    ),
    *_per_fault(
        "pipx",
        "PIPX_HOME=$PWD/.pipx PIPX_BIN_DIR=$PWD/.pipx/bin UV_HTTP_TIMEOUT=5 "
        "pipx install --index-url {url}/simple cowsay",
        r"^Fatal error from uv|^\s+(error|cause): |^Error installing",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        needs=("pipx",),
    ),
    *_per_fault(
        "bower",
        "bower install --allow-root",
        r"^bower \S+\s+E[A-Z]+ ",
        ("refused", "reset", "unreachable", "dns", "tls", "503", "502", "500", "429", "cut-short"),
        files={
            ".bowerrc": '{ "registry": "{url}", "interactive": false, "timeout": 5000 }\n',
            "bower.json": '{ "name": "zoo", "dependencies": { "jquery": "3.7.1" } }\n',
        },
        needs=("bower",),
    ),
    *_per_fault(
        "rsync",
        "rsync -av --timeout=5 --contimeout=5 rsync://{host}/module/ ./dest/",
        r"^rsync: |^rsync error: ",
        ("refused", "unreachable", "dns"),
        needs=("rsync",),
    ),
    *_per_fault(
        "rsync-ssh",
        'rsync -av --timeout=5 -e "ssh -o ConnectTimeout=5 -o BatchMode=yes '
        '-o StrictHostKeyChecking=no -p 80" deploy@{host}:/srv/site/ ./dest/',
        r"^rsync: |^rsync error: |^ssh: |^Connection (timed out|to)",
        ("refused", "no-answer", "unreachable", "dns"),
        needs=("rsync", "ssh"),
    ),
    *_per_fault(
        "lftp",
        'lftp -c "set net:timeout 5; set net:max-retries 1; get {url}/file.tar.gz"',
        r"^get: ",
        ("refused", "no-answer", "unreachable", "dns", "tls", "500"),
        needs=("lftp",),
    ),
    *_per_fault(
        "ruby-faraday",
        "ruby status.rb",
        r"^\S.*\((Faraday|Net|Errno|OpenSSL|SocketError)[\w:]*\)$",
        ("refused", "reset", "no-answer", "unreachable", "dns", "tls", "503", "502", "500", "429"),
        files={
            "status.rb": 'require "faraday"\n\n'
            "connection = Faraday.new(request: { timeout: 5 }) do |f|\n"
            "  f.response :raise_error\n"
            "end\n"
            'response = connection.get("{url}/api/status")\n'
            "puts response.body\n",
        },
        needs=("ruby",),
    ),
]

_UNSEEN_G_FIXES: dict[str, dict[str, str]] = {}

_UNSEEN_G_VERSIONS: dict[str, str] = {
    "axios": "node -p \"'axios ' + require(process.env.ZOO_NODE + "
    "'/node_modules/axios/package.json').version\"",
    "aiohttp": "python -c \"import aiohttp; print('aiohttp', aiohttp.__version__)\"",
    "grpcio": "python -c \"import grpc; print('grpcio', grpc.__version__)\"",
    "pipx": "echo pipx $(pipx --version) $(uv --version)",
    "bower": "echo bower $(bower --version --allow-root)",
    "rsync": "rsync --version",
    "rsync-ssh": "rsync --version",
    "lftp": "lftp --version",
    "ruby-faraday": "ruby -rfaraday -e 'puts \"faraday #{Faraday::VERSION}\"'",
}


CASES: list[Case] = [
    *PERSISTENT,
    *_NATIVE,
    *_MORE_LANGUAGES,
    *_DOCS_WEB_AND_PY,
    *_MORE_CHECKS,
    *_LOCK_DRIFT,
    *_BUN_DENO,
    *TRANSIENT,
    *_MORE_CLIENTS,
    *_C_SHELL,
    *_GO_CRYSTAL_MISC,
    *_JVM_BEAM,
    *_CLIENTS_2,
    *_VIM,
    *_FRAMEWORKS,
    *_CLIENTS_3,
    *_PYCHECKS,
    *_JSCHECKS,
    *_CLIENTS_4,
    *_UNSEEN_A,
    *_UNSEEN_B,
    *_UNSEEN_E,
    *_UNSEEN_C,
    *_UNSEEN_F,
    *_UNSEEN_D,
    *_UNSEEN_G,
]

# The fault mended: files that replace the faulty ones, so that the same command passes.
# Each pair (the failing run, the passing one) measures the last-green-run baseline.
FIXES: dict[str, dict[str, str]] = {
    "pytest-assert": {
        "test_cart.py": "from cart import total\n\n\ndef test_total_applies_discount():\n"
        "    assert total([1000, 500], discount=10) == 1350\n"
    },
    "unittest-failure": {
        "test_cart.py": "import unittest\n\nfrom cart import total\n\n\n"
        "class CartTest(unittest.TestCase):\n    def test_discount(self):\n"
        "        self.assertEqual(total([1000, 500], discount=10), 1350)\n"
    },
    "mypy-type-error": {
        "app.py": "def count(items: list[str]) -> int:\n    return len(items)\n\n\n"
        "total: int = count(['a', 'b'])\n"
    },
    "ruff-check": {"app.py": "import sys\n\n\ndef main():\n    return sys.argv\n"},
    "flake8": {"app.py": "def main():\n    x = 1\n    return x\n"},
    "black-check": {"app.py": 'def main(a, b):\n    return {"a": a, "b": b}\n'},
    "jest-failure": {"sum.js": "module.exports = (a, b) => a + b;\n"},
    "vitest-failure": {"sum.mjs": "export const sum = (a, b) => a + b;\n"},
    "mocha-failure": {
        "test/sum.test.js": "const assert = require('assert');\n\n"
        "describe('sum', () => {\n  it('adds', () => {\n    assert.strictEqual(1 + 2, 3);\n  });\n});\n"
    },
    "tsc-type-error": {
        "app.ts": "function count(items: string[]): number {\n  return items.length;\n}\n\n"
        "const total: number = count(['a']);\nconsole.log(total);\n"
    },
    "eslint": {"src/app.js": "const used = 1;\nconsole.log(used);\n"},
    "prettier-check": {"src/app.js": "const a = { b: 1, c: 2 };\nconsole.log(a);\n"},
    "go-test-failure": {"cart.go": "package zoo\n\nfunc Total(a, b int) int { return a + b }\n"},
    "gofmt": {"main.go": "package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}\n"},
    "go-build-error": {"main.go": "package main\n\nfunc main() {\n\tvar n int = 3\n\t_ = n\n}\n"},
    "cargo-test-failure": {
        "src/lib.rs": "pub fn add(a: i32, b: i32) -> i32 { a + b }\n\n#[cfg(test)]\nmod tests {\n"
        "    #[test]\n    fn adds() {\n        assert_eq!(super::add(1, 2), 3);\n    }\n}\n"
    },
    "cargo-build-error": {"src/lib.rs": "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n"},
    "gcc-compile-error": {"src/cart.c": "int total(int a, int b) {\n    return a + b;\n}\n"},
    "ctest-failure": {
        "test.c": "#include <stdio.h>\nint main(void) {\n    int total = 1 + 2;\n"
        '    if (total != 3) { printf("cart_total: expected 3, got %d\\n", total); return 1; }\n'
        "    return 0;\n}\n"
    },
    "javac-error": {
        "src/Cart.java": "public class Cart {\n    int price = 2;\n    int count = 3;\n"
        "    int total() {\n        return price * count;\n    }\n}\n"
    },
    "rspec-failure": {
        "spec/cart_spec.rb": "RSpec.describe 'cart' do\n  it 'totals' do\n"
        "    expect(1 + 2).to eq(3)\n  end\nend\n"
    },
    "minitest-failure": {
        "test/cart_test.rb": "require 'minitest/autorun'\n\nclass CartTest < Minitest::Test\n"
        "  def test_total\n    assert_equal 3, 1 + 2\n  end\nend\n"
    },
    "phpunit-failure": {
        "tests/CartTest.php": "<?php\nuse PHPUnit\\Framework\\TestCase;\n\n"
        "final class CartTest extends TestCase\n{\n    public function testTotal(): void\n    {\n"
        "        $this->assertSame(3, 1 + 2);\n    }\n}\n"
    },
    "shellcheck": {
        "scripts/deploy.sh": '#!/bin/bash\nfiles=$1\nrm -rf "$files"\ncd /tmp || exit\n'
    },
    "bats-failure": {
        "test/cart.bats": '@test "total adds" {\n  result=$((1 + 2))\n  [ "$result" -eq 3 ]\n}\n'
    },
    "mix-test-failure": {"lib/zoo.ex": "defmodule Zoo do\n  def add(a, b), do: a + b\nend\n"},
}
FIXES.update(
    {
        **_NATIVE_FIXES,
        **_MORE_LANGUAGES_FIXES,
        **_DOCS_WEB_AND_PY_FIXES,
        **_MORE_CHECKS_FIXES,
        **_LOCK_DRIFT_FIXES,
        **_C_SHELL_FIXES,
        **_GO_CRYSTAL_MISC_FIXES,
        **_JVM_BEAM_FIXES,
        **_VIM_FIXES,
        **_FRAMEWORKS_FIXES,
        **_PYCHECKS_FIXES,
        **_JSCHECKS_FIXES,
        **_UNSEEN_A_FIXES,
        **_UNSEEN_B_FIXES,
        **_UNSEEN_E_FIXES,
        **_UNSEEN_C_FIXES,
        **_UNSEEN_F_FIXES,
        **_UNSEEN_D_FIXES,
        **_UNSEEN_G_FIXES,
    }
)

# How the tools of the later sections tell their versions (generate.py's VERSION_COMMANDS
# has the others).
MORE_VERSION_COMMANDS: dict[str, str] = {
    **_NATIVE_VERSIONS,
    **_MORE_LANGUAGES_VERSIONS,
    **_DOCS_WEB_AND_PY_VERSIONS,
    **_MORE_CHECKS_VERSIONS,
    **_MORE_CLIENTS_VERSIONS,
    **_C_SHELL_VERSIONS,
    **_GO_CRYSTAL_MISC_VERSIONS,
    **_JVM_BEAM_VERSIONS,
    **_CLIENTS_2_VERSIONS,
    **_VIM_VERSIONS,
    **_FRAMEWORKS_VERSIONS,
    **_CLIENTS_3_VERSIONS,
    **_PYCHECKS_VERSIONS,
    **_JSCHECKS_VERSIONS,
    **_CLIENTS_4_VERSIONS,
    **_UNSEEN_A_VERSIONS,
    **_UNSEEN_B_VERSIONS,
    **_UNSEEN_E_VERSIONS,
    **_UNSEEN_C_VERSIONS,
    **_UNSEEN_F_VERSIONS,
    **_UNSEEN_D_VERSIONS,
    **_UNSEEN_G_VERSIONS,
}
