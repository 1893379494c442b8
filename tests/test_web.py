"""The web app, through Flask's test client: pages, the JSON API, errors and headers."""

from __future__ import annotations

import re

import pytest


def _hits(html: str) -> list[str]:
    return (
        re.findall(r'<span class="unit">([^<]*)</span>', html.split('<ol class="hits"')[1])
        if '<ol class="hits"' in html
        else []
    )


def test_the_search_page_shows_marked_results_and_unit_facets(client):
    html = client.get("/?q=共同富裕").get_data(as_text=True)
    assert "找到 <strong>6</strong> 篇" in html
    assert "<mark>共同富裕</mark>" in html
    assert sorted(_hits(html)) == ["区农业农村局", "区卫健局", "区发改局", "华墅乡", "石梁镇"]
    assert 'href="/?q=%E5%85%B1%E5%90%8C%E5%AF%8C%E8%A3%95&amp;unit=%E7%9F%B3%E6%A2%81%E9%95%87"' in html


def test_a_unit_link_toggles_the_filter_and_the_url_stays_shareable(client):
    html = client.get("/?q=共同富裕&unit=石梁镇").get_data(as_text=True)
    assert _hits(html) == ["石梁镇"] and "找到 <strong>1</strong> 篇（石梁镇）" in html
    assert 'class="facet selected"' in html
    # The selected unit's link removes it again.
    (href,) = re.findall(r'class="facet selected" href="([^"]*)"', html)
    assert href == "/?q=%E5%85%B1%E5%90%8C%E5%AF%8C%E8%A3%95"
    two = client.get("/?q=共同富裕&unit=石梁镇&unit=区卫健局").get_data(as_text=True)
    assert sorted(_hits(two)) == ["区卫健局", "石梁镇"]


def test_with_no_query_the_units_and_series_are_links(client):
    html = client.get("/").get_data(as_text=True)
    for unit in ("区发改局", "石梁镇", "石室乡", "区农业农村局", "区卫健局", "华墅乡"):
        assert f">{unit}</a>" in html
    assert "“一把手”谈共同富裕(一)</a>" in html


def test_the_article_page_has_anchors_marks_and_the_repair_note(client, service):
    (hit,) = service.search("卫生健康数字化改革").hits
    html = client.get(f"/article/{hit.id}?q=卫生健康数字化改革").get_data(as_text=True)
    assert "<mark>卫生健康数字化改革</mark>" in html
    assert 'id="p1"' in html and 'id="p4"' in html and 'href="#p3"' in html
    assert "本文正文顺序已按原意恢复：导语移至篇首；接合了被截断的句子。" in html
    printed = client.get(f"/article/{hit.id}/printed").get_data(as_text=True)
    assert printed.index("字化改革。全面推行") < printed.index("三要蓄力")  # the printed order


def test_missing_parts_are_flagged_on_the_article_page(client, service):
    (hit,) = service.search("急先锋").hits
    assert "原文不完整：缺第一部分" in client.get(f"/article/{hit.id}").get_data(as_text=True)


def test_unknown_articles_are_404(client):
    assert "没有这篇文章" in client.get("/article/nope").get_data(as_text=True)
    for path in (
        "/article/nope",
        "/article/..%2F..%2Fetc%2Fpasswd",
        "/article/a%00b",
        "/article/a\\b",
        "/article/x/printed",
    ):
        assert client.get(path).status_code == 404, path


def test_the_api_returns_the_documented_shape(client):
    data = client.get("/api/search?q=乡村振兴&unit=石梁镇").get_json()
    assert list(data)[:7] == ["query", "total", "page", "per_page", "sort", "units", "hits"]
    assert (data["query"], data["total"], data["page"], data["per_page"]) == ("乡村振兴", 1, 1, 10)
    (hit,) = data["hits"]
    assert set(hit) >= {"id", "title", "unit", "position", "person", "url", "snippet"}
    assert (hit["unit"], hit["person"], hit["url"]) == ("石梁镇", "周锋", f"/article/{hit['id']}")
    assert "<mark>乡村振兴</mark>" in hit["snippet"]
    assert data["facets"]["unit"] == {"区农业农村局": 1, "区发改局": 1, "华墅乡": 1, "石梁镇": 1}


@pytest.mark.parametrize(
    "query",
    ["q=共同富裕&page=abc", "q=共同富裕&page=0", "q=共同富裕&page=1000000000", "q=共同富裕&per_page=1000000000",
     "q=共同富裕&per_page=-1", "q=-共同富裕", "q=" + "长" * 300, "q=", "q=共同富裕&sort=random"],
)  # fmt: skip
def test_bad_parameters_are_400_with_a_message(client, query):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400 and response.get_json()["error"]
    page = client.get("/?" + query)
    assert page.status_code in (200, 400) and "Internal Server Error" not in page.get_data(as_text=True)


def test_whoosh_syntax_is_literal_and_quick(client):
    for q in ("body:[a TO 龥]", "(" * 150, "*", "a*", "~2", "共同^5"):
        response = client.get("/api/search", query_string={"q": q})
        assert response.status_code in (200, 400), q


def test_suggest_and_healthz(client):
    assert "乡村振兴" in client.get("/api/suggest?q=乡村").get_json()["suggestions"]
    assert client.get("/healthz").get_json() == {"status": "ok", "articles": 7}


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"


def test_no_index_is_503_not_500(tmp_path):
    from searcher.web import create_app

    client = create_app({"INDEX_DIR": str(tmp_path), "TESTING": True}).test_client()
    assert client.get("/?q=x").status_code == 503
    assert client.get("/api/search?q=x").get_json()["status"] == 503


def test_an_interview_found_by_its_subtitle_is_filtered_by_unit_and_shows_source_credits_and_captions(tmp_path):
    """A staff member's session on pages whose speaker is not on a byline line (subtitle, guest line)."""
    from searcher.build import build
    from tests.conftest import app_for
    from tests.test_pages import PAGES

    index_dir = tmp_path / "index"
    pages = [PAGES / "interview-subtitle.txt", PAGES / "online-interview.txt"]
    assert build(pages, index_dir).problems == []
    with app_for(index_dir) as app:
        client = app.test_client()
        api = client.get("/api/search", query_string={"q": "共富工坊"}).get_json()
        assert {hit["unit"] for hit in api["hits"]} == {"青溪县石湖镇", "青溪县农业农村局"}
        assert api["facets"]["unit"] == {"青溪县农业农村局": 1, "青溪县石湖镇": 1}
        narrowed = client.get("/api/search", query_string={"q": "共富工坊", "unit": "青溪县石湖镇"}).get_json()
        assert [(h["person"], h["paper"]) for h in narrowed["hits"]] == [("郑海波", "青溪日报")]
        # A caption and a credit are searchable; the page furniture is not.
        for text in ("竹编共富工坊。", "吴敏", "林晓"):
            assert client.get("/api/search", query_string={"q": text}).get_json()["total"] == 1, text
        assert client.get("/api/search", query_string={"q": "浙ICP备"}).get_json()["total"] == 0
        html = client.get(narrowed["hits"][0]["url"], query_string={"q": "竹编"}).get_data(as_text=True)
    assert "来源：青溪日报" in html and "interview-subtitle.txt" not in html
    caption = "图为石湖镇新建的<mark>竹编</mark>共富工坊。 孙立 摄"
    assert f'<ul class="captions" aria-label="图片说明"><li>{caption}</li></ul>' in html
    assert "<span>本报记者 孙立 通讯员 钱晓燕</span> <span>责任编辑：吴敏</span> <span>审 核：陈静</span>" in html
