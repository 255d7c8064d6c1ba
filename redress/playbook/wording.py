"""Finding flagged phrases in a message, tolerant of how people type.

Text and phrases are compared in a normal form: NFKC (full-width letters and punctuation
become their usual forms), case-folded, with spaces and punctuation removed, so
"这是 合作伙伴的问题！" and "Not our-fault" are found. Each position of the normal form
remembers where it came from, so a flag points at the words as the agent wrote them.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# A `*` in a phrase: any few characters (不归*管: 不归我们管, 不归物业管).
GAP = 6
_LATIN = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Phrase:
    phrase: str
    kind: str
    suggestion: str
    language: str


@dataclass(frozen=True)
class WordingFlag:
    """A flagged phrase found in a message: `span` is (start, end) in the text as written,
    `matched` the words there."""

    phrase: str
    matched: str
    span: tuple[int, int]
    kind: str
    suggestion: str

    def as_json(self) -> dict[str, object]:
        return {
            "phrase": self.phrase, "matched": self.matched, "start": self.span[0],
            "end": self.span[1], "kind": self.kind, "suggestion": self.suggestion,
        }


def _kept(char: str) -> bool:
    category = unicodedata.category(char)
    return not (category[0] in "PZC" or category[0] == "S")


def normal_form(text: str) -> tuple[str, list[int]]:
    """The text compared against phrases, and for each of its characters the index of the
    character of `text` it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if _kept(folded):
                chars.append(folded)
                origin.append(index)
    return "".join(chars), origin


def _pattern(phrase: str) -> re.Pattern[str] | None:
    pieces = [normal_form(piece)[0] for piece in phrase.split("*")]
    if not any(pieces):
        return None
    return re.compile(f".{{0,{GAP}}}?".join(re.escape(piece) for piece in pieces))


def _word_end(text: str, start: int, end: int) -> int | None:
    """Where an English phrase found at `start:end` ends as whole words, taking in a plural
    s ("system errors"); None when it is part of a longer word ("ecosystem errors")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end:end + 1] or " "
    if before.isalnum() and before.isascii():
        return None
    if after.isalnum() and after.isascii():
        plural = re.match(r"(?i)e?s(?![a-z0-9])", text[end:])
        return end + plural.end() if plural else None
    return end


def find(text: str, phrases: Iterable[Phrase]) -> list[WordingFlag]:
    """The flagged phrases in `text`, in reading order; where two overlap, the longer."""
    normal, origin = normal_form(text)
    if not normal:
        return []
    found: list[WordingFlag] = []
    for phrase in phrases:
        pattern = _pattern(phrase.phrase)
        if pattern is None:
            continue
        latin = bool(_LATIN.match(normal_form(phrase.phrase)[0]))
        for match in pattern.finditer(normal):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if latin:
                whole = _word_end(text, start, end)
                if whole is None:
                    continue
                end = whole
            found.append(WordingFlag(
                phrase=phrase.phrase, matched=text[start:end], span=(start, end),
                kind=phrase.kind, suggestion=phrase.suggestion,
            ))
    found.sort(key=lambda f: (f.span[0], -(f.span[1] - f.span[0])))
    kept: list[WordingFlag] = []
    for flag in found:
        if kept and flag.span[0] < kept[-1].span[1]:
            if flag.span[1] - flag.span[0] > kept[-1].span[1] - kept[-1].span[0]:
                kept[-1] = flag
            continue
        kept.append(flag)
    return kept
