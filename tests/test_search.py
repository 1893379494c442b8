"""Searching the bundled page (exact units, filter, facets, snippets) and the matching contract against brute force."""

from __future__ import annotations

import random

import pytest

from searcher.query import QueryError, expand, parse
from searcher.search import MAX_RESULT_WINDOW
from tests.conftest import brute_force


def units(service, text, **kwargs):
    return sorted(h.unit for h in service.search(text, **kwargs).hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("共同富裕", ["", "区农业农村局", "区卫健局", "区发改局", "华墅乡", "石梁镇"]),
        ("乡村振兴", ["区农业农村局", "区发改局", "华墅乡", "石梁镇"]),
        ("数字化改革", ["区卫健局", "石室乡"]),
        ("医共体", ["区卫健局"]),
        ("鱼", ["石室乡"]),  # a single character
        ("国", ["区农业农村局", "区发改局"]),
        ("振兴战", ["区农业农村局"]),  # jieba cuts 乡村振兴战略 differently from the query
        ("26县", ["区农业农村局", "区发改局"]),
        ("led", ["区农业农村局"]),  # the page prints LED
        ("任文俊", ["区发改局"]),  # the byline is searchable
        ("局长 三农", ["区农业农村局"]),
        ('"抢抓政策机遇 助推"', ["区发改局"]),
        ("标题:共同富裕", ["华墅乡"]),
        ("石梁 OR 石室", ["石室乡", "石梁镇"]),
        ("乡村振兴 -华墅乡", ["区农业农村局", "区发改局", "石梁镇"]),
        ("编者按", [""]),
    ],
)
def test_keyword_searches_return_exactly_the_interviews_that_contain_them(service, text, expected):
    assert units(service, text) == expected


def test_the_unit_filter_narrows_and_the_facets_count_every_unit(service):
    result = service.search("共同富裕", units=["石梁镇", "区卫健局"])
    assert sorted(h.unit for h in result.hits) == ["区卫健局", "石梁镇"] and result.total == 2
    assert result.facets == {
        "unit": {"区农业农村局": 1, "区卫健局": 1, "区发改局": 1, "华墅乡": 1, "石梁镇": 1},
        "unit_type": {"部门": 3, "乡镇街道": 2},  # from units.txt
        "year": {},  # the bundled page prints no date
    }
    assert service.search("共同富裕", units=["不存在的单位"]).total == 0


def test_snippet_html_is_exact(service):
    (hit,) = service.search("LED灯光").hits
    # 120 characters: 57 before the match, the match, 58 after, across the paragraph break (shown as a space).
    assert str(hit.snippet) == (
        "…地建设。全力推进全国农产品产地冷藏保鲜整县试点工作，不断健全冷链物流体系。加快建设数字农业科创（孵化）园，培育壮大"
        "<mark>LED灯光</mark>育苗等数字农业新业态。 二是要高标准建设未来乡村。按照“一村一特色”、"
        "“微改造、精提升”的理念，充分挖掘乡村特色优势…"
    )
    (hit,) = service.search("标题:大健康").hits
    assert str(hit.title_html) == "立足<mark>大健康</mark> 展现大担当"


def test_a_string_the_page_cut_in_two_is_found_and_marked_whole(service):
    (hit,) = service.search("卫生健康数字化改革").hits
    assert hit.unit == "区卫健局" and "<mark>卫生健康数字化改革</mark>" in str(hit.snippet)
    (hit,) = service.search("全域土地综合整治").hits
    assert hit.unit == "华墅乡" and "<mark>全域土地综合整治</mark>" in str(hit.snippet)


def test_only_the_headline_matched_shows_the_opening(service):
    (hit,) = service.search("标题:急先锋").hits
    assert str(hit.snippet).startswith("二是突出“产业带动”")


def test_zero_results_say_which_terms_matched_nothing(service):
    result = service.search("共同富裕 火星基地")
    assert result.total == 0 and result.unmatched == ("火星基地",) and result.suggestion == "共同富裕"
    assert service.search("火星基地").suggestion is None


def test_paging_and_limits(service):
    everything = service.search("共同富裕", per_page=50)
    pages = [h.id for p in (1, 2, 3) for h in service.search("共同富裕", page=p, per_page=2).hits]
    assert pages == [h.id for h in everything.hits]
    for kwargs in ({"page": 0}, {"per_page": 0}, {"per_page": 51}, {"page": MAX_RESULT_WINDOW // 10 + 1}):
        with pytest.raises(QueryError):
            service.search("共同富裕", **kwargs)


def test_ranking_puts_the_headline_match_first(service):
    assert service.search("共同富裕").hits[0].unit == "华墅乡"  # the only headline with 共同富裕


def test_article_view_marks_the_headline_and_the_paragraphs(service):
    (hit,) = service.search("乡村振兴", units=["华墅乡"]).hits
    assert str(service.article(hit.id, "乡村振兴").title_html) == "聚焦<mark>乡村振兴</mark> 助力共同富裕"
    (hit,) = service.search("乡村振兴", units=["区农业农村局"]).hits
    marked = [str(p).count("<mark>乡村振兴</mark>") for p in service.article(hit.id, "乡村振兴").paragraphs_html]
    assert marked == [1, 0, 0, 1]
    assert service.article("../../etc/passwd") is None and service.article("nope") is None


def test_suggestions_are_indexed_words_by_prefix(service):
    assert "乡村振兴" in service.suggest("乡村")
    assert service.suggest("") == []


def _random_terms(rng, articles, count):
    texts = [a.title for a in articles] + [a.body for a in articles] + [a.byline for a in articles if a.byline]
    terms = []
    while len(terms) < count:
        text = rng.choice(texts)
        size = rng.randint(1, 8)
        start = rng.randrange(max(1, len(text) - size))
        piece = "".join(text[start : start + size].split())
        if piece and '"' not in piece and not piece.startswith("-") and piece != "OR":
            terms.append(piece)
    return terms


def test_the_page_meets_the_matching_contract(service, articles):
    rng = random.Random(1)
    terms = [*_random_terms(rng, articles, 300), "，", "“", "(一)", "ＬＥＤ", "十四五”", "a", "。二是"]
    for text in terms:
        if not parse(text).groups:  # "，" alone separates nothing: a blank query, which finds nothing
            assert service.search(text).total == 0 and service.matching_ids(text) == set(), text
            continue
        expected = brute_force(articles, expand(parse(text))[0])  # what was typed, and its abbreviation forms
        assert {h.id for h in service.search(text, per_page=50).hits} == expected, text
        assert service.matching_ids(text) == expected, text
        assert service.matching_ids(text, literal=True) == brute_force(articles, parse(text)), text


def test_xwlb_meets_the_matching_contract(xwlb_index):
    articles, service = xwlb_index
    rng = random.Random(2)
    singles = _random_terms(rng, articles, 150)
    pairs = [f"{a} {b}" for a, b in zip(singles[::2], singles[1::2], strict=False)]
    for text in singles + pairs + ["国", "的", "了的", "2022年", "ＣＣＴＶ", "习近平 -会见"]:
        result = service.search(text, per_page=50)
        expected = brute_force(articles, expand(parse(text))[0])
        assert service.matching_ids(text) == expected, text
        assert service.matching_ids(text, literal=True) == brute_force(articles, parse(text)), text
        assert result.total == len(expected), text
        assert {h.id for h in result.hits} <= expected, text


def test_an_article_about_the_term_ranks_above_one_that_mentions_it_in_passing(tmp_path):
    from searcher.build import build
    from searcher.search import SearchService
    from tests.conftest import write_jsonl

    filler = "会议还研究了其他事项，部署了下一阶段工作。" * 6
    data = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "passing", "title": "全区工作会议召开", "body": filler + "会上也提到了垃圾分类。"},
            {"id": "about", "title": "社区新风", "body": "垃圾分类进小区，垃圾分类有奖励，垃圾分类成习惯。"},
            {"id": "other", "title": "无关", "body": "今天天气晴。"},
        ],
    )
    build([data], tmp_path / "index")
    with SearchService(tmp_path / "index") as service:
        assert [h.id for h in service.search("垃圾分类").hits] == ["about", "passing"]
        # A headline that says it outranks a body that says it three times.
        (tmp_path / "a.jsonl").write_text(
            (tmp_path / "a.jsonl").read_text("utf-8").replace("全区工作会议召开", "垃圾分类工作会议召开"), "utf-8"
        )
        build([data], tmp_path / "index")
        assert [h.id for h in service.search("垃圾分类").hits] == ["passing", "about"]


def test_adjacent_terms_rank_above_scattered_ones(tmp_path):
    from searcher.build import build
    from searcher.search import SearchService
    from tests.conftest import write_jsonl

    data = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "scattered", "title": "甲", "body": "乡村的发展，要靠振兴产业。乡村和振兴各自出现。"},
            {"id": "adjacent", "title": "乙", "body": "推进乡村振兴。"},
        ],
    )
    build([data], tmp_path / "index")
    assert [h.id for h in SearchService(tmp_path / "index").search("乡村 振兴").hits] == ["adjacent", "scattered"]


def test_an_abbreviation_also_finds_its_full_form_and_says_so(service, articles):
    from searcher.query import parse

    full = service.search("共同富裕", per_page=50)
    short = service.search("共富", per_page=50)
    assert {h.id for h in short.hits} == {h.id for h in full.hits} | brute_force(articles, parse("共富"))
    assert short.expanded == (("共富", ("共同富裕",)),) and short.total == full.total > 0
    assert "<mark>共同富裕</mark>" in str(short.hits[0].snippet) + str(short.hits[0].title_html)
    literal = service.search("共富", per_page=50, literal=True)
    assert literal.expanded == () and {h.id for h in literal.hits} == brute_force(articles, parse("共富"))
    # Exclusions are never expanded: "-共富" excludes only what prints 共富.
    assert service.search("乡村振兴 -共富").total == service.search("乡村振兴", literal=True).total


def test_traditional_queries_find_simplified_text_with_highlights_on_the_printed_characters(service):
    simplified = service.search("数字化改革", per_page=50)
    traditional = service.search("數字化改革", per_page=50)
    assert simplified.total > 0 and [h.id for h in traditional.hits] == [h.id for h in simplified.hits]
    assert "<mark>数字化改革</mark>" in "".join(str(h.snippet) for h in traditional.hits)


@pytest.mark.parametrize("headline", ["主攻“三农”战场 实现村强民富", "主攻“三农”战场，实现村强民富"])
def test_a_pasted_headline_with_its_quotes_and_commas_finds_its_article_first(service, headline):
    result = service.search(headline)
    assert result.total >= 1 and result.hits[0].title == "主攻“三农”战场 实现村强民富"
