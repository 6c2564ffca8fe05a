"""Vietnamese dictionary order, for the names a form lists."""

from __future__ import annotations

import unicodedata

from pipeline.text import vietnamese_order


def test_names_sort_letter_by_letter_then_by_tone_as_a_dictionary_does():
    names = ["Tỷ lệ", "Đảng", "Duy trì", "ăn", "Âm", "an", "Xã", "Trường", "Tổng", "Tuyến", "à"]
    names += ["á", "ả", "a", "ạ", "ã", "Thu 5 năm", "Thu năm", "Ưu", "Ủy"]
    assert sorted(names, key=vietnamese_order) == [
        "a", "à", "ả", "ã", "á", "ạ", "an", "ăn", "Âm", "Duy trì", "Đảng", "Thu 5 năm",
        "Thu năm", "Tổng", "Trường", "Tuyến", "Tỷ lệ", "Ủy", "Ưu", "Xã",
    ]  # fmt: skip


def test_a_name_typed_decomposed_sorts_as_the_same_name_precomposed():
    typed = unicodedata.normalize("NFD", "Đảng viên")
    assert vietnamese_order(typed)[:2] == vietnamese_order("Đảng viên")[:2]
