"""The vocabulary: each word once, with its rank, name and colour."""

from __future__ import annotations

from schemas import vocabulary as v


def test_ratings_rank_weakest_first():
    weakest_first = sorted(v.RATINGS, key=lambda r: r.rank)
    assert [r.word for r in weakest_first] == [
        "Không đạt",
        "Chưa có số liệu",
        "Không so được",
        "Đạt",
        "Vượt",
    ]


def test_every_rating_has_its_own_csv_name_and_colour():
    assert len({r.slug for r in v.RATINGS}) == len(v.RATINGS)
    assert all(r.fill.startswith("#") and r.ink.startswith("#") for r in v.RATINGS)


def test_published_words_are_read_in_full():
    assert {v.PUBLISHED_WORDS[w] for w in ("k đạt", "k. đạt", "không đạt", "chưa đạt")} == {
        v.MISSED
    }
    assert v.PUBLISHED_WORDS["vượt"] == v.EXCEEDED
    assert set(v.PUBLISHED_WORDS.values()) == set(v.PUBLISHED)


def test_a_merge_rule_says_whether_and_by_what_it_weights():
    assert v.MERGE_RULE[v.SUM].weight is None and v.MERGE_RULE[v.SUM].merges
    assert v.MERGE_RULE[v.POP_MEAN].weight == "dan_so"
    assert v.MERGE_RULE[v.AREA_MEAN].weight == "dien_tich"
    assert not v.MERGE_RULE[v.NO_MERGE].merges
    assert set(v.MEAN_RULES) == {v.POP_MEAN, v.AREA_MEAN}
