"""Pinyin typed by mistake and homophone typos: read, suggested, and said — on the page, the API and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from searcher.spelling import Words, pinyin_of

CLI = str(Path(sys.executable).with_name("searcher"))


@pytest.mark.parametrize("typed", ["gongtongfuyu", "GongTongFuYu", "gtfy", "gong tong fu yu", "gongtong fuyu"])
def test_pinyin_finds_what_its_reading_finds_and_says_so(service, typed):
    reading = service.search("共同富裕", per_page=50)
    result = service.search(typed, per_page=50)
    assert [w for _, w in result.pinyin] == ["共同富裕"]
    assert {h.id for h in result.hits} == {h.id for h in reading.hits} and result.total == reading.total == 6
    assert service.search(typed, literal=True).total == 0  # the literal search is one click away


def test_a_latin_term_that_is_printed_is_not_read_as_pinyin(service):
    result = service.search("LED")  # printed in 区农业农村局's article
    assert result.total == 1 and result.pinyin == ()


def test_a_homophone_typo_gets_did_you_mean_never_a_silent_replacement(service):
    for typo, word in [("共同付裕", "共同富裕"), ("乡村振心", "乡村振兴")]:
        result = service.search(typo)
        assert result.total == 0 and result.unmatched == (typo,)
        assert result.corrections[0][0] == typo and result.corrections[0][1][0] == word


def test_did_you_mean_offers_only_words_that_find_something_with_the_rest_of_the_query(service):
    offered = dict(service.search("共同富裕 班级").corrections).get("班级", ())
    alone = dict(service.search("班级").corrections).get("班级", ())
    assert offered and set(offered) < set(alone)  # 三级, 省级, …: each is indexed, not each is beside 共同富裕
    assert all(service.search(f"共同富裕 {word}").total for word in offered)
    assert not all(service.search(f"共同富裕 {word}").total for word in alone)


def test_one_character_off_is_suggested_after_homophones():
    words = Words([["共同富裕", 9, *pinyin_of("共同富裕")], ["共同致富", 3, *pinyin_of("共同致富")]])
    assert words.corrections("共同富余") == ["共同富裕"]  # same reading
    assert words.corrections("共同发富") == ["共同致富"]  # one character off
    assert words.corrections("abc") == []


def test_the_page_says_what_it_read_and_links_back(client):
    page = client.get("/", query_string={"q": "gongtongfuyu"}).get_data(as_text=True)
    assert "按拼音 gongtongfuyu 搜索：<strong>共同富裕</strong>" in page and "literal=1" in page
    page = client.get("/", query_string={"q": "共同付裕"}).get_data(as_text=True)
    assert "您是不是要找：" in page and ">共同富裕</a>" in page
    data = client.get("/api/search", query_string={"q": "共富"}).get_json()
    assert data["expanded"] == [{"term": "共富", "also": ["共同富裕"]}] and data["total"] == 6
    page = client.get("/", query_string={"q": "共富"}).get_data(as_text=True)
    assert "也搜索了：共同富裕" in page and "只搜索所输入的词" in page
    data = client.get("/api/search", query_string={"q": "乡村振心"}).get_json()
    assert data["corrections"] == [{"term": "乡村振心", "did_you_mean": ["乡村振兴"]}]


def test_completions_accept_pinyin_prefixes(client):
    assert "共同富裕" in client.get("/api/suggest", query_string={"q": "gongtongf"}).get_json()["suggestions"]
    assert "共同富裕" in client.get("/api/suggest", query_string={"q": "gtfy"}).get_json()["suggestions"]


def test_the_cli_reports_the_same(index_dir):
    done = subprocess.run(
        [CLI, "search", "gtfy", "--json", "--index-dir", str(index_dir)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["pinyin"] == [{"term": "gtfy", "read_as": "共同富裕"}] and data["total"] == 6


@pytest.mark.corpus
def test_on_news_items_traditional_queries_and_pinyin_find_what_the_word_finds(xwlb_index):
    import random

    import opencc

    from searcher.index import live_path

    _, service = xwlb_index
    words = Words.load(live_path(service.index_dir))
    common = sorted(w for w, n in words.frequency.items() if n >= 3 and 2 <= len(w) <= 4)
    to_traditional = opencc.OpenCC("s2t")
    rng = random.Random(12)
    for word in rng.sample(common, 60):
        simplified = service.matching_ids(word, literal=True)
        assert service.matching_ids(to_traditional.convert(word), literal=True) == simplified, word
        full, _ = pinyin_of(word)
        readings = words.read_pinyin(full)
        assert word in readings or all(pinyin_of(r)[0] == full for r in readings), word
        result = service.search(full, per_page=50)
        if readings:
            assert result.pinyin == ((full, readings[0]),) and result.total >= 1, word


@pytest.mark.corpus
def test_on_news_items_a_homophone_typo_is_mostly_corrected_to_its_word(xwlb_index):
    """Typos made by replacing one character with another read the same, as an IME slip does (bench: 87 %)."""
    import random

    from pypinyin import lazy_pinyin

    from searcher.index import live_path

    _, service = xwlb_index
    words = Words.load(live_path(service.index_dir))
    readings: dict[str, set[str]] = {}
    for word in words.frequency:
        for char in word:
            readings.setdefault(lazy_pinyin(char)[0], set()).add(char)
    rng = random.Random(4)
    tried = corrected = 0
    for word in rng.sample(sorted(w for w, n in words.frequency.items() if n >= 2 and 2 <= len(w) <= 4), 80):
        i = rng.randrange(len(word))
        others = sorted(readings[lazy_pinyin(word[i])[0]] - {word[i]})
        typo = word[:i] + rng.choice(others) + word[i + 1 :] if others else ""
        if not typo or typo in words.frequency:
            continue
        result = service.search(typo)
        if result.total:  # printed somewhere after all (用税 in 用税收): found, not a typo
            assert result.corrections == (), typo
            continue
        tried += 1
        assert result.corrections, typo  # never silently replaced: suggested
        corrected += result.corrections[0][1][0] == word
    assert tried >= 40 and corrected / tried >= 0.6, (corrected, tried)


def test_initials_are_what_pypinyin_gives_as_first_letters():
    from pypinyin import Style, lazy_pinyin

    for word in ("共同富裕", "银行行长", "绿色发展", "重庆重要", "乡村振兴", "嗯"):
        expected = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
        assert pinyin_of(word)[1] == expected


def test_readings_on_several_processes_are_those_read_in_one(monkeypatch):
    from searcher import spelling

    words = ["共同富裕", "银行", "行长", "绿色", "石梁镇", "数字化改革", "乡村振兴", "发展"] * 5
    monkeypatch.setattr(spelling, "PARALLEL_READINGS", 10)
    assert spelling._readings(words, procs=2) == [pinyin_of(word) for word in words]
