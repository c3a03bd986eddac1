"""Messages for people, in the language the client asked for (English or 简体中文).

Code writes a message once, as an English template with named placeholders:
`text("Use at most {maximum} characters", maximum=120)`. The result is a `Message`, a `str`
whose value is the English sentence (logs, tests and code that compare strings see English),
and which keeps its template and parameters so that `render` can write it in the language of
the request being answered. That language is read once per request from `Accept-Language`
(`parse_accept_language`) into `language_var`; the GraphQL layer renders `userErrors` and the
`BAD_USER_INPUT` errors our code raises with it. Translations live in `flashmart/locales/`,
keyed by the English template; a template without one is answered in English.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache, lru_cache
from importlib import resources
from string import Formatter
from typing import Final

ENGLISH: Final = "en"
CHINESE: Final = "zh-CN"
LANGUAGES: Final = (ENGLISH, CHINESE)
# Catalog file of each language other than English (the templates are English).
_CATALOG_FILES: Final = {CHINESE: "zh_CN.json"}

# The language of the request being answered: set per request by the GraphQL view.
language_var: ContextVar[str] = ContextVar("language", default=ENGLISH)

# An `Accept-Language` longer than this is read up to here (a browser sends a few dozen bytes).
_MAX_HEADER = 512


class Message(str):
    """An English sentence that remembers how to be written in another language."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, params: Mapping[str, object]) -> Message:
        message = super().__new__(cls, template.format_map(params))
        message.template = template
        message.params = params
        return message

    def __reduce__(self) -> tuple[type[Message], tuple[str, Mapping[str, object]]]:
        return (Message, (self.template, dict(self.params)))


def text(template: str, /, **params: object) -> Message:
    """A message: `template` is English, its `{name}` placeholders are filled from `params`.

    A parameter that is itself a `Message` (a field's name, say) is written in the same
    language as the message. Numbers are formatted by the placeholder's format spec, which
    translations keep, so they read the same in every language."""
    return Message(template, params)


def placeholders(template: str) -> set[tuple[str, str]]:
    """The (name, format spec) of each placeholder of `template`."""
    return {
        (name, spec or "") for _, name, spec, _ in Formatter().parse(template) if name is not None
    }


@cache
def catalog(language: str) -> dict[str, str]:
    """English template → the template in `language` (empty for English)."""
    name = _CATALOG_FILES.get(language)
    if name is None:
        return {}
    data = resources.files("flashmart.locales").joinpath(name).read_text(encoding="utf-8")
    loaded = json.loads(data)
    if not isinstance(loaded, dict):
        raise ValueError(f"{name}: the catalog must be an object")
    return {str(k): str(v) for k, v in loaded.items()}


def render(message: str, language: str | None = None) -> str:
    """`message` in `language` (the request's when None); a plain string as it is."""
    if not isinstance(message, Message):
        return str(message)
    language = language or language_var.get()
    if language == ENGLISH:
        return str(message)
    template = catalog(language).get(message.template)
    if template is None:
        return str(message)
    params = {
        name: render(value, language) if isinstance(value, Message) else value
        for name, value in message.params.items()
    }
    return template.format_map(params)


def _language_of(tag: str) -> str | None:
    """The language we answer for one language tag, or None when we do not write it."""
    parts = tag.lower().split("-")
    if parts[0] == "en":
        return ENGLISH
    if parts[0] == "zh":
        rest = parts[1:]
        if not rest or rest[0] in ("cn", "sg", "hans"):
            return CHINESE
    return None


@lru_cache(maxsize=256)
def parse_accept_language(header: str | None) -> str:
    """The language to answer in for an `Accept-Language` header: the first we write by
    preference (q-value, then order); `zh`, `zh-CN`, `zh-Hans` (and `zh-SG`) are 简体中文;
    English when the header is missing or names nothing we write."""
    if not header:
        return ENGLISH
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header[:_MAX_HEADER].split(",")):
        tag, _, rest = item.strip().partition(";")
        tag = tag.strip()
        if not tag:
            continue
        quality = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0:
                    quality = 0.0
        if quality > 0.0:
            ranked.append((-quality, position, tag))
    for _, _, tag in sorted(ranked):
        language = _language_of(tag)
        if language is not None:
            return language
    return ENGLISH
