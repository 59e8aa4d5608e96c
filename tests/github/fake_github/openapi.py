"""Validate requests against GitHub's official OpenAPI description with openapi-core."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.github.fake_github.fetch_spec import fetch

# The description declares this single server; requests are checked as if sent to it.
GITHUB_HOST = "https://api.github.com"


@dataclass
class _Request:
    """What openapi-core's ``Request`` protocol needs, built from a raw HTTP request."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    body: bytes | None
    content_type: str
    host_url: str = GITHUB_HOST
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(k, v) for k, vs in self.query.items() for v in vs]),
            header=Headers({"Content-Type": self.content_type} if self.content_type else {}),
            cookie=ImmutableMultiDict(),
        )


@dataclass(frozen=True)
class Verdict:
    ok: bool
    known_path: bool  # False: GitHub has no such endpoint at all
    message: str = ""


class GitHubContract:
    """GitHub's REST API description, loaded once; checks one request at a time."""

    def __init__(self, spec: dict[str, Any], load_seconds: float = 0.0) -> None:
        self.version = str(spec.get("info", {}).get("version", "?"))
        self.load_seconds = load_seconds
        self._api = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))

    @classmethod
    def load(cls) -> GitHubContract:
        started = time.perf_counter()
        with fetch().open("rb") as handle:
            spec = json.load(handle)
        contract = cls(spec)
        contract.load_seconds = time.perf_counter() - started
        return contract

    def check(
        self,
        method: str,
        path: str,
        query: Mapping[str, list[str]],
        body: bytes | None,
        content_type: str,
    ) -> Verdict:
        request = _Request(method.lower(), path, query, body or None, content_type)
        try:
            self._api.validate_request(request)
        except PathError as error:
            return Verdict(False, False, f"{type(error).__name__}: {error}")
        except Exception as error:
            detail = error.__cause__ or error
            reasons = getattr(detail, "schema_errors", None)
            text = "; ".join(e.message for e in reasons) if reasons else str(detail)
            return Verdict(False, True, f"{type(error).__name__}: {text}")
        return Verdict(True, True)
