"""Hostile text and queries: escaped everywhere, abusive parameters answered 200/400 quickly, fuzzed, path walks."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searcher.build import build
from tests.conftest import app_for, write_jsonl

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<svg onload=alert(3)>",
    "\"'><b>quoted</b>",
    "a & b &amp; c",
    "</mark><mark>",
    "javascript:alert(4)",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    records = [
        {
            "id": f"x-{i}",
            "title": f"标题{payload}共同富裕",
            "body": f"正文{payload}共同富裕\n第二段{payload}",
            "unit": f"单位{payload}",
            "person": f"人{payload}",
            "position": payload,
            "url": payload,
        }
        for i, payload in enumerate(XSS)
    ]
    data = write_jsonl(folder / "xss.jsonl", records)
    build([data], folder / "index")
    with app_for(folder / "index") as app:
        yield app.test_client()


def _unescaped(text: str) -> list[str]:
    """Markup from the data that reached the page unescaped."""
    return re.findall(r"<(?:script>alert|img src=x|svg onload|b>quoted)|onerror=\"alert", text)


@pytest.mark.parametrize("query", ["共同富裕", "script", "onerror", "<svg", "</mark>", "&", "\"'>"])
def test_no_markup_from_data_is_unescaped_in_html_or_json(hostile, query):
    page = hostile.get("/", query_string={"q": query}).get_data(as_text=True)
    assert _unescaped(page) == []
    data = hostile.get("/api/search", query_string={"q": query}).get_json()
    for hit in data["hits"]:
        assert _unescaped(hit["snippet"] + hit["title_html"]) == []
        assert "</mark><mark>" not in hit["snippet"].replace("<mark>&lt;/mark&gt;&lt;mark&gt;</mark>", "")
    for hit in data["hits"]:
        article = hostile.get(hit["url"], query_string={"q": query}).get_data(as_text=True)
        assert _unescaped(article) == []
        assert 'href="javascript:' not in article


def test_unit_filters_with_markup_are_escaped(hostile):
    page = hostile.get("/", query_string={"q": "共同富裕", "unit": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)" not in page


ABUSIVE = [
    {"q": "body:[a TO 龥]"},
    {"q": "(" * 1000},
    {"q": "共" * 20000},
    {"q": "*"},
    {"q": "a*"},
    {"q": "~2"},
    {"q": "共同富裕", "page": "abc"},
    {"q": "共同富裕", "page": "0"},
    {"q": "共同富裕", "page": str(10**9)},
    {"q": "共同富裕", "per_page": str(10**9)},
    {"q": "共同富裕", "unit": "<script>"},
    {"q": "\0\0共同富裕"},
]


@pytest.mark.parametrize("params", ABUSIVE, ids=lambda p: repr(p)[:40])
def test_abusive_queries_are_answered_200_or_400_within_2_seconds(client, params):
    for path in ("/", "/api/search"):
        started = time.monotonic()
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400), (path, params)
        assert time.monotonic() - started < 2


def test_invalid_utf8_in_the_url(client):
    for raw in ("/?q=%ff%fe%e5", "/api/search?q=%c3%28", "/article/%ff"):
        assert client.get(raw).status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "path",
    ["/article/../../etc/passwd", "/article/..%2F..%2Fsecret", "/article/a%5Cb", "/article/%00",
     "/static/../pyproject.toml", "/static/..%2Fpyproject.toml", "/article/.env"],
)  # fmt: skip
def test_path_walks_are_404(client, path):
    assert client.get(path).status_code == 404


text = st.text(max_size=60)
# derandomize: the same examples on every run, so that CI is repeatable; a failure found once stays found.
fuzz = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@fuzz
@given(q=text, unit=text, page=st.one_of(st.integers(-5, 10**12).map(str), text))
def test_fuzzed_search_never_500s(client, q, unit, page):
    for path in ("/", "/api/search"):
        started = time.monotonic()
        response = client.get(path, query_string={"q": q, "unit": unit, "page": page})
        assert response.status_code in (200, 400), (q, unit, page)
        assert time.monotonic() - started < 2


@fuzz
@given(article_id=st.text(max_size=80), q=text)
def test_fuzzed_article_ids_never_500(client, article_id, q):
    response = client.get(
        "/article/" + article_id.replace("/", "%2F").replace("?", "%3F").replace("#", "%23"), query_string={"q": q}
    )
    assert response.status_code in (200, 308, 400, 404)
    if response.status_code == 308:  # werkzeug merging the slashes of /article//x: a redirect on this site only
        location = response.headers["Location"]
        assert location.startswith("/article/") or location.startswith("http://localhost/article/"), location
