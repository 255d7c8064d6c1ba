"""One message made ready for reading: the same text for rules and model, whatever the
customer typed, with a way back to the characters they typed.

- NFKC (full-width letters and digits become ASCII, compatibility forms fold),
- control and format characters are dropped (line breaks and tabs become spaces),
- traditional characters become simplified, one character for one, from OpenCC's
  character table (Apache-2.0, shipped by `opencc-python-reimplemented`),
- lower case,
- only the first `LIMIT` characters are read (a 100,000-character paste is read by its
  beginning, where customers say what happened).

`Text.span(start, end)` maps a span of the normalised text back to the original words so
that cues are shown as the customer wrote them.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LIMIT = 2000

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-zA-Z]")
# Cc and Cf: C0/C1 controls, zero-width and bidi marks; \t \n \r become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                      r"\u2060-\u2064\ufeff\ufff9-\ufffb]")
_SPACE = re.compile(r"[\t\n\r\u2028\u2029]")

_table: dict[int, str] | None = None
_table_lock = threading.Lock()


def _traditional_table() -> dict[int, str]:
    """Traditional → simplified, character by character (the first simplified reading)."""
    global _table
    if _table is None:
        with _table_lock:
            if _table is None:
                table: dict[int, str] = {}
                try:
                    import opencc

                    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
                    for line in path.read_text(encoding="utf-8").splitlines():
                        source, _, targets = line.partition("\t")
                        target = targets.split(" ")[0] if targets else ""
                        if len(source) == 1 and len(target) == 1 and source != target:
                            table[ord(source)] = target
                except (ImportError, OSError):  # pragma: no cover - reads untranslated
                    table = {}
                _table = table
    return _table


@dataclass(frozen=True)
class Text:
    original: str
    text: str  # normalised, what rules and model read
    index: tuple[int, ...] | None  # text position → original position; None: the same
    lang: str

    def span(self, start: int, end: int) -> str:
        """The original characters behind text[start:end]."""
        if end <= start:
            return ""
        if self.index is None:
            return self.original[start:end]
        first = self.index[start]
        last = self.index[min(end, len(self.index)) - 1]
        return self.original[first:last + 1]


def detect_lang(text: str) -> str:
    """`zh` when Chinese characters make up at least a fifth of the letters, else `en`;
    `zh` for a message with no letters at all (most customers write Chinese)."""
    head = text[:400]
    cjk = len(_CJK.findall(head))
    latin = len(_LATIN.findall(head))
    if cjk == 0 and latin == 0:
        return "zh"
    # One Chinese character carries about as much as a four-letter English word.
    return "zh" if cjk * 4 >= latin * 0.8 else "en"


def normalise(original: str) -> Text:
    if not isinstance(original, str):
        original = str(original)
    head = original[:LIMIT]
    clean = _SPACE.sub(" ", head)
    simple = (not _CONTROL.search(clean)) and unicodedata.is_normalized("NFKC", clean)
    if simple:
        text = clean.translate(_traditional_table()).lower()
        if len(text) == len(head):
            return Text(original, text, None, detect_lang(text))
    # Character by character, keeping where each output character came from.
    out: list[str] = []
    index: list[int] = []
    table = _traditional_table()
    for position, char in enumerate(clean):
        if _CONTROL.match(char):
            continue
        folded = unicodedata.normalize("NFKC", char).translate(table).lower()
        for piece in folded:
            if unicodedata.category(piece) in ("Cc", "Cf"):
                continue
            out.append(piece)
            index.append(position)
    text = "".join(out)
    return Text(original, text, tuple(index), detect_lang(text))
