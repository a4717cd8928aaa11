"""Schemathesis hooks for tests/schemathesis/run.

The platform refuses control characters other than tab and line breaks
(platform::http::text) in JSON and form bodies, query strings and the
multipart text fields routes read, with 422 problem+json, which the
document states on every such operation's 422; no schema keyword says it of
every string at once. Randomly generated requests would be full of them and
so test that one rule over and over, so in each generated body (keys too)
and query string every control character but tab and newline is replaced by
`?`: the same length, not whitespace, outside every pattern the document
declares, so a valid value stays valid and an invalid one invalid. Path
parameters and headers keep theirs (a path with one is not found, 404).
The replacing shapes the fuzzing and stateful phases; the coverage phase draws
its values from the schema and needs no such care (its only control
character is a form feed standing for whitespace, which every string field
that must not be blank refuses anyway).

A repeated `Idempotency-Key` answers 200 with the first request's result
without reading the body, as the document says, so a generated key that is
valid is made unique to its request just before it is sent (in every
phase): otherwise an invalid body sent with a key drawn twice would be
answered 200.
"""

import re
import unicodedata
import uuid

import schemathesis

VALID_KEY = re.compile(r"[!-~]{1,200}")


def _clean_text(text: str) -> str:
    return "".join("?" if unicodedata.category(c) == "Cc" and c not in "\t\n" else c for c in text)


def _clean(value):
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {(_clean_text(k) if isinstance(k, str) else k): _clean(v) for k, v in value.items()}
    return value


@schemathesis.hook
def map_query(context, query):
    return _clean(query)


@schemathesis.hook
def map_body(context, body):
    return _clean(body)


@schemathesis.hook
def before_call(context, case, kwargs):
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if isinstance(key, str) and VALID_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
