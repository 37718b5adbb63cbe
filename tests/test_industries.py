"""Industry tagging against the shipped taxonomy, and the jieba user dictionary built from it."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.gazetteer import normalise
from parks.parsers.industries import find_industries, industry_counts, load_industries
from parks.parsers.lexicon import data_path
from parks.parsers.segment import user_dictionary_words


def tags(text: str) -> list[str]:
    return [m.industry for m in find_industries(normalise(text))]


def test_taxonomy_ids_are_unique_and_synonyms_belong_to_one_industry() -> None:
    inds = load_industries()
    assert len({i.id for i in inds}) == len(inds)
    owners: dict[str, set[str]] = {}
    with data_path("industries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for syn in row["synonyms"].split("|"):
                owners.setdefault(syn, set()).add(row["id"])
    assert {s: o for s, o in owners.items() if len(o) > 1} == {}
    assert {"sei_1", "sei_5", "ind_pv", "ind_rare_earth"} <= {i.id for i in inds}


@pytest.mark.parametrize(("text", "expected"), [
    ("新能源汽车产业链日趋完善", ["sei_5"]),
    ("发展新能源和储能电池", ["sei_6", "ind_energy_storage"]),
    ("建设工业互联网平台", ["ind_network_5g"]),
    ("屋顶分布式光伏发电", ["ind_pv"]),
    ("稀土永磁材料项目签约", ["ind_rare_earth"]),
    ("生物医药和集成电路", ["ind_biomedicine", "ind_ic"]),
    ("AI大模型", ["ind_ai", "ind_ai"]),
])
def test_longest_synonym_wins(text: str, expected: list[str]) -> None:
    assert tags(text) == expected


def test_synonym_inside_a_park_name_is_not_an_industry() -> None:
    assert tags("包头稀土高新区发展稀土新材料") == ["ind_rare_earth"]
    assert tags("泰州医药高新区") == []


def test_synonym_inside_a_university_name_is_not_an_industry() -> None:
    assert tags("北京航空航天大学的团队") == []
    assert tags("发展航空航天产业") == ["ind_aerospace"]


def test_ascii_synonyms_stand_as_words() -> None:
    assert tags("CHAIN和PAIR不是芯片") == ["ind_ic"]
    assert tags("5G基站") == ["ind_network_5g"]


def test_offsets_and_counts() -> None:
    norm = normalise("光伏、光伏组件和风电")
    found = find_industries(norm)
    assert [norm[m.start:m.end] for m in found] == [m.surface for m in found] == ["光伏", "光伏组件", "风电"]
    assert industry_counts(found) == {"ind_pv": 2, "ind_wind": 1}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("新能源汽车光伏稀土高新区包头医药大学航空AI5G芯片，。 ")) | st.characters(),
               max_size=100))
def test_find_industries_never_raises(text: str) -> None:
    for m in find_industries(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface


def test_user_dictionary_holds_parks_industries_and_companies() -> None:
    words = user_dictionary_words()
    assert len(words) == len(set(words))
    for w in ("无锡高新区", "包头稀土高新区", "稀土高新区", "新能源汽车", "宁德时代"):
        assert w in words
    assert "高新区" not in words  # a generic word stays splittable


def test_segment_module_does_not_import_jieba() -> None:
    code = "import sys, parks.parsers.segment; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_jieba_keeps_names_whole() -> None:
    from parks.parsers.segment import cut, load_jieba

    assert load_jieba() is load_jieba()
    words = cut("无锡高新区引进宁德时代，包头稀土高新区发展新能源汽车")
    for w in ("无锡高新区", "宁德时代", "包头稀土高新区", "新能源汽车"):
        assert w in words
