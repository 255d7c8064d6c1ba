"""Cheap facts about a piece of text, used before triage has read it."""

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def guess_language(text: str) -> str:
    """'zh' when the text is mostly written in Chinese characters, else 'en'."""
    han = len(_HAN.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    # One Chinese character carries about as much as one English word.
    return "zh" if han and han >= latin_words else "en"
