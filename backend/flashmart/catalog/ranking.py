"""How well one product matches a search: the same scores on SQLite and PostgreSQL.

A query is split into words (letters and digits; Chinese, Japanese and Korean text is one
word per unbroken run, matched as a substring). A word preceded by `-` excludes products that
contain it. Every other word must match the product somewhere, and scores:

- 1.0 when a word of the name starts with it (CJK: when the name contains it);
- 0.7 when it sits inside a word of the name ("phone" in "Headphones");
- 0.6 times the trigram word similarity when that is at least `FUZZY_MIN` against a word of the
  name (typos: "spekar" → "Speaker"; only for words of three or more characters);
- 0.3 when the description has it as a whole word (CJK: contains it);
- 0.2 when a description word has trigram similarity of at least `SIMILAR_MIN` with it
  ("speakers" → "speaker", but not "pro" → "product").

The product's score is the mean over the words, plus `WHOLE_NAME_BONUS` when the name starts
with the whole query, so "pro" lists "Pro Gamepad" first, then the other "… Pro" products, and
no product whose description merely says "product". Trigrams follow PostgreSQL's pg_trgm:
each lower-cased word padded with two spaces in front and one behind, and both similarities are
pg_trgm's (tests/backend/catalog/test_search.py compares them with the extension's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

MAX_WORDS = 8
FUZZY_MIN = 0.4
SIMILAR_MIN = 0.5
FUZZY_MIN_LENGTH = 3
SIMILAR_MIN_LENGTH = 4
NAME_PREFIX = 1.0
NAME_INSIDE = 0.7
NAME_FUZZY = 0.6
DESCRIPTION_WORD = 0.3
DESCRIPTION_SIMILAR = 0.2
WHOLE_NAME_BONUS = 0.5
SCALE = 1000  # scores are stored as integers (score times SCALE) so cursors carry exact values

_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Query:
    text: str  # the normalised query: its words joined by single spaces
    words: tuple[str, ...]
    excluded: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def parse(raw: str) -> Query:
    """The words of a search box entry (punctuation dropped, at most `MAX_WORDS`)."""
    words: list[str] = []
    excluded: list[str] = []
    for part in raw.split():
        target = excluded if part.startswith("-") and len(part) > 1 else words
        for word in words_of(part):
            if word not in target:
                target.append(word)
    kept = tuple(words[:MAX_WORDS])
    return Query(text=" ".join(kept), words=kept, excluded=tuple(excluded[:MAX_WORDS]))


def is_cjk(word: str) -> bool:
    return _CJK.search(word) is not None


@lru_cache(maxsize=4096)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


@lru_cache(maxsize=65_536)
def word_similarity(word: str, other: str) -> float:
    """pg_trgm's word_similarity of `word` within the single word `other`: the best, over runs
    of consecutive trigrams of `other`, of the trigrams shared over all trigrams of both. (Over a
    whole text, pg_trgm's runs may also cross words, so its value is never lower than this.)"""
    mine = trigrams(word)
    padded = f"  {other} "
    ordered = [padded[i : i + 3] for i in range(len(padded) - 2)]
    best = 0.0
    for start, first in enumerate(ordered):
        if first not in mine:  # a run that starts (or ends) off a shared trigram scores less
            continue
        shared: set[str] = set()
        extra: set[str] = set()
        for trigram in ordered[start:]:
            if trigram in mine:
                shared.add(trigram)
                best = max(best, len(shared) / (len(mine) + len(extra)))
            else:
                extra.add(trigram)
    return best


@lru_cache(maxsize=65_536)
def similarity(word: str, other: str) -> float:
    """Shared trigrams over all trigrams of both (pg_trgm's similarity)."""
    mine, theirs = trigrams(word), trigrams(other)
    return len(mine & theirs) / len(mine | theirs)


def _contains(tokens: Iterable[str], word: str) -> bool:
    return any(word in token for token in tokens)


def _word_score(word: str, name: list[str], description: list[str]) -> float:
    if is_cjk(word):
        if _contains(name, word):
            return NAME_PREFIX
        return DESCRIPTION_WORD if _contains(description, word) else 0.0
    if any(token.startswith(word) for token in name):
        return NAME_PREFIX
    if _contains(name, word):
        return NAME_INSIDE
    best = 0.0
    if len(word) >= FUZZY_MIN_LENGTH:
        fuzzy = max((word_similarity(word, token) for token in name), default=0.0)
        if fuzzy >= FUZZY_MIN:
            best = NAME_FUZZY * fuzzy
    if word in description:
        return max(best, DESCRIPTION_WORD)
    if len(word) >= SIMILAR_MIN_LENGTH and any(
        similarity(word, token) >= SIMILAR_MIN for token in description
    ):
        return max(best, DESCRIPTION_SIMILAR)
    return best


def score(query: Query, name: str, description: str = "") -> int | None:
    """`query`'s score for a product times SCALE, or None when the product does not match."""
    name_words = words_of(name)
    description_words = words_of(description)
    for word in query.excluded:
        if is_cjk(word):
            if word in name.casefold() or word in description.casefold():
                return None
        elif word in name_words or word in description_words:
            return None
    total = 0.0
    for word in query.words:
        found = _word_score(word, name_words, description_words)
        if found == 0.0:
            return None
        total += found
    mean = total / len(query.words)
    if " ".join(name_words).startswith(query.text):
        mean += WHOLE_NAME_BONUS
    return round(mean * SCALE)
