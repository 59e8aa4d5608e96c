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
    """Keyword names stand for paths: `src__app_js` is `src/app.js`."""
    return {name.replace("__", "/").replace("_DOT_", "."): text for name, text in files.items()}


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
) -> Case:
    return Case(id, "network", tool, "transient", category, command, key, files or {}, needs=needs)


def _per_fault(
    tool: str,
    make: str,
    key: str,
    faults: tuple[str, ...],
    files: dict[str, str] | None = None,
    needs: tuple[str, ...] = (),
) -> list[Case]:
    """One case per fault; `make` is a command template with {url} and {host}."""
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
        cases.append(_transient(f"{tool}-{fault}", tool, category, command, key, made, needs))
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

CASES: list[Case] = [*PERSISTENT, *TRANSIENT]

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
