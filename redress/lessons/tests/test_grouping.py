"""Which complaints are about the same thing."""

import pytest

from redress.lessons.grouping import (
    JOIN_AT,
    best_match,
    centroid_add,
    cosine,
    normalise_place,
    terms,
)


def test_near_identical_complaints_are_similar_and_different_ones_are_not():
    slow = terms("上菜太慢，等了一个小时，汤还是凉的！")
    slow_again = terms("等了一个小时才上菜，汤都凉了")
    aircon = terms("房间空调坏了，一晚上没睡好")
    assert cosine(slow, slow_again) >= JOIN_AT
    assert cosine(slow, aircon) < JOIN_AT


def test_english_words_count_too():
    a = terms("The air conditioning in my room was broken all night.")
    b = terms("Air conditioning broken in the room, could not sleep all night")
    assert cosine(a, b) >= JOIN_AT


def test_a_case_joins_the_closest_group_only_above_the_threshold():
    groups = [
        (1, centroid_add({}, 0, terms("房间空调坏了，一晚上没睡好"))),
        (2, centroid_add({}, 0, terms("上菜太慢，等了一个小时"))),
    ]
    assert best_match(terms("房间空调坏了，太热了没睡好"), groups)[0] == 1
    assert best_match(terms("账单多收了一晚房费"), groups)[0] is None


def test_a_centroid_weighs_each_case_once():
    centroid = centroid_add({}, 0, terms("空调坏了"))
    centroid = centroid_add(centroid, 1, terms("空调坏了空调坏了空调坏了"))
    assert centroid["空调"] == pytest.approx(centroid["调坏"])


@pytest.mark.parametrize("a, b", [("  春熙路 店", "春熙路店"), ("Chunxi Road", "chunxi road"),
                                  ("ＡＢＣ店", "abc店")])
def test_places_are_compared_normalised(a, b):
    assert normalise_place(a) == normalise_place(b)
