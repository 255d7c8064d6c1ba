"""Which complaints are about the same thing: labels first, then the words.

A case's *bucket* is what its labels say: the organisation, the scenario (blank until
triage or staff read it) and the place (branch or address, normalised). The case has no
product field; when one is added it becomes one more part of the bucket here.

Within a bucket, cases are grouped by what they say. The words are compared as
*character bigrams* for Chinese (两个相邻的汉字: "空调", "调坏", "坏了") and lower-case
words for English, weighted by how often they occur, and a case joins the group whose
centroid is most similar (cosine) when the similarity reaches `JOIN_AT`; otherwise it
starts a group of its own. Bigrams need no dictionary and no model, so this runs offline
and gives the same answer on every machine; it catches the same complaint worded
differently ("上菜太慢，等了一个小时" / "等了一个小时才上菜") because most of the
bigrams are shared. No library is added for it: the stdlib Counter is enough at the
size of a week's complaints.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

# Similarity (cosine, 0–1) at which a case joins an existing group.
JOIN_AT = 0.35
# A group's centroid keeps its most frequent terms only, so it stays small in the row.
CENTROID_TERMS = 120

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z]{3,}")
# Bigrams and words that every complaint has: they say nothing about what went wrong.
_STOP = frozenset({
    "我们", "你们", "他们", "一个", "没有", "什么", "这个", "那个", "就是", "还是", "但是", "因为",
    "所以", "已经", "然后", "自己", "可以", "现在", "时候", "我的", "你的", "了我", "了一", "是我",
    "the", "and", "was", "were", "for", "with", "that", "this", "have", "had", "but", "not",
    "you", "your", "our", "are", "they", "them", "from", "when", "then", "there", "very",
})


def normalise_place(text: str) -> str:
    """'  Chunxi  Road 店 ' and 'chunxi road店' are the same place."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", "", folded)


def terms(text: str) -> Counter[str]:
    """The terms of a complaint: Chinese character bigrams and English words."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    found: Counter[str] = Counter()
    for run in _HAN_RUN.findall(folded):
        if len(run) == 1:
            found[run] += 1
        for i in range(len(run) - 1):
            found[run[i:i + 2]] += 1
    found.update(_WORD.findall(folded))
    for stop in _STOP & found.keys():
        del found[stop]
    return found


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(weight * large.get(term, 0.0) for term, weight in small.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def centroid_add(centroid: Mapping[str, float], members: int, text_terms: Counter[str]
                 ) -> dict[str, float]:
    """The centroid of a group of `members` cases with one more case added, trimmed to its
    `CENTROID_TERMS` heaviest terms. Each case counts once, whatever its length."""
    norm = math.sqrt(sum(c * c for c in text_terms.values())) or 1.0
    merged = {term: weight * members for term, weight in centroid.items()}
    for term, count in text_terms.items():
        merged[term] = merged.get(term, 0.0) + count / norm
    top = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:CENTROID_TERMS]
    return {term: round(weight / (members + 1), 5) for term, weight in top}


def best_match(text_terms: Counter[str], centroids: Iterable[tuple[int, Mapping[str, float]]]
               ) -> tuple[int | None, float]:
    """The id of the most similar centroid at or above `JOIN_AT`, and the similarity."""
    best: tuple[int | None, float] = (None, 0.0)
    for group_id, centroid in centroids:
        score = cosine(text_terms, centroid)
        if score > best[1]:
            best = (group_id, score)
    return best if best[1] >= JOIN_AT else (None, best[1])


def example(text: str, *, length: int = 60) -> str:
    """A complaint's first words on one line, to name its group on a page."""
    line = " ".join((text or "").split())
    return line if len(line) <= length else line[: length - 1] + "…"
