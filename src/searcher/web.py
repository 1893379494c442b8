"""The web front end: an app factory and one blueprint that only renders what :mod:`searcher.search` returns.

Each process holds one :class:`~searcher.search.SearchService`, created on first use (so gunicorn can load the app,
and jieba with it, before forking, while every worker opens its own index files) and refreshed on each request when
the index has changed.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request, send_file, url_for
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from searcher import config, units
from searcher.export import EXPORT_HEADER, FeedEntry, atom_bytes, csv_bytes, docx_bytes, export_rows, xlsx_bytes
from searcher.index import SearchIndexError
from searcher.pageview import PageMissingError, page_image
from searcher.query import MAX_QUERY_LENGTH, QueryError
from searcher.search import MAX_RESULT_WINDOW, ArticleView, Row, SearchResult, SearchService, result_json

__all__ = ["create_app"]

bp = Blueprint("searcher", __name__)

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(config_overrides: dict[str, Any] | None = None) -> Flask:
    """Create the Flask app.

    :param config_overrides: settings; ``INDEX_DIR`` is the index folder (default: :func:`searcher.config.index_dir`).
    """
    web = config.web_dir()
    app = Flask(__name__, template_folder=str(web / "templates"), static_folder=str(web / "static"))
    app.config.from_mapping(INDEX_DIR=str(config.index_dir()), JSON_AS_ASCII=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if config_overrides:
        app.config.update(config_overrides)
    if config.behind_proxy():
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.register_blueprint(bp)
    app.after_request(_secure)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(SearchIndexError, _index_unavailable)
    app.jinja_env.globals["max_query_length"] = MAX_QUERY_LENGTH
    app.jinja_env.filters["web_link"] = web_link
    app.jinja_env.filters["repair_zh"] = repair_zh
    app.jinja_env.globals["toggled"] = toggled
    app.jinja_env.globals["full_name"] = units.full_name
    app.jinja_env.globals["unit_type"] = units.unit_type
    app.jinja_env.globals["units_of_type"] = units_of_type
    app.jinja_env.globals["feed_url"] = feed_url
    return app


def web_link(url: str) -> str | None:
    """Return ``url`` if it is an http(s) address fit for a link, else ``None`` (no ``javascript:`` from data)."""
    parts = urlsplit(url or "")
    return url if parts.scheme in ("http", "https") and parts.netloc else None


_REPAIRS_ZH = {
    "lead moved first": "导语移至篇首",
    "first point moved first": "第一部分移至篇首",
    "rejoined a sentence cut at the seam": "接合了被截断的句子",
}


def repair_zh(note: str) -> str:
    """Say in Chinese what the reader restored (the record keeps the English note of :mod:`searcher.repair`)."""
    done = note.removeprefix("rotated: ").split("; ")
    return "；".join(_REPAIRS_ZH.get(part, part) for part in done)


def service() -> SearchService:
    """Return this process's search service, opening the index on first use."""
    svc = current_app.extensions.get("searcher")
    if svc is None:
        svc = SearchService(Path(current_app.config["INDEX_DIR"]), cache_size=config.cache_size())
        current_app.extensions["searcher"] = svc
    return svc


def _secure(response):
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


_HTTP_ZH = {
    400: "请求有误。",
    404: "页面不存在。",
    405: "不支持这种请求方式。",
    413: "请求过大。",
    414: "网址过长。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器出错，请稍后再试。",
}


def zh(message: str) -> str:
    """Return the Chinese part of a bilingual message ("中文。 English.") for the page, which speaks Chinese only."""
    head, sep, _ = message.partition("。 ")
    return head + "。" if sep else message


def _http_error(error: HTTPException):
    # Our own messages are bilingual ("中文。 English."); Werkzeug's defaults are English only, and get Chinese first.
    ours = bool(error.description and re.search(r"[\u4e00-\u9fff]", error.description))
    chinese = _HTTP_ZH.get(error.code or 0, "请求无法完成。")
    if _wants_json():
        return jsonify(error=error.description if ours else f"{chinese} {error.description}", status=error.code), (
            error.code
        )
    message = zh(error.description) if ours else chinese
    return render_template("error.html", code=error.code, message=message), error.code


def _index_unavailable(error: SearchIndexError):
    current_app.logger.error("index unavailable: %s", error)
    message = "索引暂不可用，请稍后再试。 The search index is unavailable."
    if _wants_json():
        return jsonify(error=message, status=503), 503
    return render_template("error.html", code=503, message=zh(message)), 503


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise BadRequest(f"参数 {name} 须为正整数。 '{name}' must be a positive whole number.")
    return int(raw)


def _list_arg(name: str, label: str) -> list[str]:
    values = request.args.getlist(name)
    if len(values) > 20 or any(len(v) > 64 for v in values):
        raise BadRequest(f"{label}筛选过多或过长。 Too many or too long '{name}' filters.")
    return values


def _search() -> SearchResult | None:
    """Run the search the request asks for; ``None`` when there is neither a keyword nor a filter."""
    text = request.args.get("q", "")
    units, series = _list_arg("unit", "单位"), _list_arg("series", "系列")
    date_from, date_to = request.args.get("from", "").strip(), request.args.get("to", "").strip()
    if not text.strip() and not any(u.strip() for u in units + series) and not date_from and not date_to:
        return None
    try:
        return service().search(
            text,
            units=units,
            page=_int_arg("page", 1),
            per_page=_int_arg("per_page", 10),
            sort=request.args.get("sort", ""),
            literal=request.args.get("literal") == "1",
            series=series,
            date_from=date_from,
            date_to=date_to,
            group=request.args.get("group") != "0",
        )
    except QueryError as error:
        raise BadRequest(str(error)) from error


@bp.route("/")
def index() -> str:
    """The search page: results with facets and paging; with no keyword and no filter, a view of the archive."""
    text = request.args.get("q", "")
    try:
        result = _search()
    except BadRequest as error:
        return render_template("search.html", q=text, result=None, error=zh(error.description)), 400
    if result is None:
        svc = service()
        return render_template(
            "search.html",
            q=text,
            result=None,
            units=svc.facet_values("unit"),
            series=svc.facet_values("series"),
            overview=svc.overview(),
        )
    return render_template(
        "search.html", q=text, result=result, link=result_url, bars=timeline(result), chart=(CHART_WIDTH, CHART_HEIGHT)
    )


def result_url(result: SearchResult, endpoint: str = "searcher.index", **changes: object) -> str:
    """Return a link to ``result``'s search with ``changes``, keeping every other parameter (filters, sort, paging).

    ``page`` goes back to 1 unless it is one of the changes; a parameter set to ``None`` is dropped.
    """
    params: dict[str, object] = {
        "q": result.query or None,
        "unit": list(result.units),
        "series": list(result.series),
        "from": result.date_from or None,
        "to": result.date_to or None,
        "sort": result.sort if result.sort != ("date" if result.browsing else "score") else None,
        "per_page": result.per_page if result.per_page != 10 else None,
        "literal": "1" if result.literal else None,
        "group": None if result.grouped else "0",
    }
    params.update(changes)
    return url_for(endpoint, **{k: v for k, v in params.items() if v is not None and v != []})


@dataclass(frozen=True)
class Bar:
    """One bar of the mentions-over-time chart: its period, count, link and place in the drawing."""

    label: str
    count: int
    url: str
    x: float
    height: float


#: Articles in a feed, newest first.
FEED_ENTRIES = 30
#: Past this many months between the first and the last, the chart counts by year.
MAX_MONTHS = 36
CHART_WIDTH, CHART_HEIGHT = 600.0, 120.0


def timeline(result: SearchResult) -> list[Bar]:
    """The bars of how many matching articles each month (or year, over a long span) printed; none when they all
    fall in one month. Each bar links to the same search narrowed to its period; months without an article are
    drawn as empty so that the axis is time."""
    if len(result.months) < 2:
        return []
    first, last = min(result.months), max(result.months)
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    periods: list[tuple[str, int, str, str]] = []
    if span > MAX_MONTHS:
        for year in range(int(first[:4]), int(last[:4]) + 1):
            count = sum(n for month, n in result.months.items() if month.startswith(f"{year}-"))
            periods.append((f"{year}", count, f"{year}-01-01", f"{year}-12-31"))
    else:
        year, month = int(first[:4]), int(first[5:])
        for _ in range(span):
            key = f"{year}-{month:02d}"
            end = calendar.monthrange(year, month)[1]
            periods.append((key, result.months.get(key, 0), f"{key}-01", f"{key}-{end:02d}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    top = max(count for _, count, _, _ in periods) or 1
    step = CHART_WIDTH / len(periods)
    return [
        Bar(label, count, result_url(result, **{"from": start, "to": end}), n * step, CHART_HEIGHT * count / top)
        for n, (label, count, start, end) in enumerate(periods)
    ]


def feed_url(result: SearchResult) -> str:
    """The Atom feed of ``result``'s keyword, units and series (dates, sort and paging do not belong in a feed)."""
    return result_url(result, "searcher.feed", **dict.fromkeys(("from", "to", "sort", "per_page", "literal")))


def units_of_type(names: object, kind: str) -> list[str]:
    """Return the units among ``names`` of type ``kind`` (部门, 乡镇街道, 其他), for a unit-type facet link."""
    return [name for name in names if units.unit_type(name) == kind]


def toggled(values: tuple[str, ...], value: str) -> list[str]:
    """Return ``values`` with ``value`` removed if present, else added (a facet link)."""
    return [v for v in values if v != value] if value in values else [*values, value]


@bp.route("/article/<article_id>")
def article(article_id: str) -> str:
    """The whole article, with the query's strings marked and numbered paragraph anchors."""
    text = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    view = service().article(article_id, text, literal=request.args.get("literal") == "1")
    if view is None:
        abort(404, description="没有这篇文章。 No such article.")
    back = {k: v for k, v in request.args.lists() if k in _CONTEXT}
    related = service().related(article_id) or []
    return render_template("article.html", a=view, q=text, back=back, related=related)


def _article_or_404(article_id: str, printed_page: bool = False) -> ArticleView:
    """The article (without marks), or a 404 that says why: no such article, or no printed page (not from a PDF)."""
    view = service().article(article_id)
    if view is None:
        abort(404, description="没有这篇文章。 No such article.")
    if printed_page and not view.layout:
        abort(404, description="这篇文章没有版面图（只有 PDF 版面有）。 This article has no printed page.")
    return view


@bp.route("/article/<article_id>/printed")
def printed(article_id: str) -> str:
    """The article's body in the order it was printed, before the reading order was restored."""
    return render_template("printed.html", a=_article_or_404(article_id))


@bp.route("/article/<article_id>/page")
def page_view(article_id: str) -> str:
    """版面: the printed page a PDF article is on, with the article's area outlined."""
    return render_template("page.html", a=_article_or_404(article_id, printed_page=True))


@bp.route("/article/<article_id>/page.png")
def page_png(article_id: str) -> Response:
    """The printed page as an image, rendered once and cached beside the index."""
    view = _article_or_404(article_id, printed_page=True)
    try:
        image = page_image(Path(view.origin), int(view.layout["page"]), Path(current_app.config["INDEX_DIR"]))
    except PageMissingError:
        abort(404, description="原版 PDF 已不在索引时的位置，无法显示版面。 The PDF is no longer where it was indexed.")
    return send_file(image, mimetype="image/png", max_age=86400)


#: The parameters of a search that an article link carries, so that "back to results" returns to the same list.
_CONTEXT = ("q", "unit", "series", "from", "to", "sort", "per_page", "page", "literal")


@bp.route("/api/search")
def api_search():
    """JSON search results (same values as the page and ``searcher search --json``)."""
    result = _search()
    if result is None:
        raise BadRequest(
            "缺少查询参数 q（或 unit、series、from、to 筛选）。 Give 'q', or a unit, series or date filter."
        )
    return jsonify(result_json(result, lambda i: url_for("searcher.article", article_id=i)))


def _export_rows() -> list[tuple[Row, list[Row]]]:
    args = request.args
    try:
        return service().export(
            args.get("q", ""),
            _list_arg("unit", "单位"),
            args.get("sort", ""),
            literal=args.get("literal") == "1",
            series=_list_arg("series", "系列"),
            date_from=args.get("from", "").strip(),
            date_to=args.get("to", "").strip(),
            group=args.get("group") != "0",
        )
    except QueryError as error:
        raise BadRequest(str(error)) from error


def _export_table() -> tuple[list[str], list[list[str]]]:
    link = lambda i: url_for("searcher.article", article_id=i, _external=True)  # noqa: E731
    return EXPORT_HEADER, export_rows(_export_rows(), link)


_EXPORTS = {
    "csv": (csv_bytes, "text/csv"),
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@bp.route("/export.<any(csv, xlsx):suffix>")
def export(suffix: str) -> Response:
    """The current result list as CSV (UTF-8 with a BOM, so that Excel reads the Chinese) or as an Excel workbook.

    Same parameters as ``/``: every result up to the result window, in the page's order.
    """
    write, mimetype = _EXPORTS[suffix]
    header, rows = _export_table()
    return Response(write(header, rows), mimetype=mimetype, headers={"Content-Disposition": _attachment(suffix)})


_NOT_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _attachment(suffix: str, kind: str = "检索结果") -> str:
    """The download's file name: what was searched (keyword, units, series) and the day, e.g.
    ``检索结果-共同富裕-石梁镇-20261202.xlsx``, so that several exports in one folder tell themselves apart."""
    args = request.args
    searched = [args.get("q", "").strip(), *args.getlist("unit"), *args.getlist("series")]
    words = _NOT_IN_NAME.sub(" ", "-".join(w.strip() for w in searched if w.strip())).strip()[:40]
    name = "-".join(part for part in (kind, words, time.strftime("%Y%m%d")) if part) + f".{suffix}"
    return f"attachment; filename=\"searcher-results.{suffix}\"; filename*=UTF-8''{quote(name)}"


@bp.route("/export.docx")
def export_docx() -> Response:
    """A Word 摘编 of the page's results (or of the articles ticked: ``ids=a,b,c`` or ``id=a&id=b``), the query's
    strings in bold."""
    text = request.args.get("q", "")
    # ids=a,b,c in a link, or id=a&id=b from the results page's ticks (kept across pages by pick.js)
    ticked = [*request.args.get("ids", "").split(","), *request.args.getlist("id")]
    chosen = list(dict.fromkeys(i.strip() for i in ticked if i.strip()))[:MAX_RESULT_WINDOW]  # bounded
    ids = chosen or [row.id for row, _ in _export_rows()]
    link = lambda i: url_for("searcher.article", article_id=i, _external=True)  # noqa: E731
    passages = service().passages(ids, text, link, literal=request.args.get("literal") == "1")
    units = "、".join(_list_arg("unit", "单位"))
    described = "检索：" + "，".join(
        part for part in (text.strip() and f"关键词“{text.strip()}”", units and f"单位 {units}",
                          f"共 {len(passages)} 篇", time.strftime("导出于 %Y-%m-%d")) if part
    )  # fmt: skip
    body = docx_bytes("文章摘编", described, passages)
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": _attachment("docx", "文章摘编")})


@bp.route("/feed.atom")
def feed() -> Response:
    """An Atom feed of the newest articles matching the page's keyword, unit and series: subscribe in any reader."""
    args = request.args
    text, units, series = args.get("q", ""), _list_arg("unit", "单位"), _list_arg("series", "系列")
    if not text.strip() and not units and not series:
        raise BadRequest("订阅需要关键词、单位或系列。 A feed needs 'q', 'unit' or 'series'.")
    try:
        result = service().search(text, units=units, per_page=FEED_ENTRIES, sort="date", series=series)
    except QueryError as error:
        raise BadRequest(str(error)) from error
    described = "、".join(part for part in (text.strip(), *units, *series) if part)
    absolute = lambda i: url_for("searcher.article", article_id=i, _external=True)  # noqa: E731
    entries = [FeedEntry(absolute(h.id), h.title, h.date, h.unit, str(h.snippet)) for h in result.hits]
    page = url_for("searcher.index", _external=True, **{k: v for k, v in args.lists() if k in ("q", "unit", "series")})
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = atom_bytes(f"文章检索：{described}", request.url, page, entries, now)
    return Response(body, mimetype="application/atom+xml")


@bp.route("/api/related/<article_id>")
def api_related(article_id: str):
    """Up to five articles on the same topic as ``article_id`` (JSON)."""
    rows = service().related(article_id)
    if rows is None:
        abort(404, description="没有这篇文章。 No such article.")
    return jsonify(
        {
            "related": [
                {
                    "id": r.id,
                    "title": r.title,
                    "date": r.date,
                    "unit": r.unit,
                    "url": url_for("searcher.article", article_id=r.id),
                }
                for r in rows
            ]
        }
    )


@bp.route("/api/suggest")
def api_suggest():
    """Completions for the search box: indexed words starting with ``q``, most frequent first."""
    text = request.args.get("q", "")[:32]
    return jsonify(query=text, suggestions=service().suggest(text))


@bp.route("/healthz")
def healthz():
    """Report whether the index can be searched."""
    svc = service()
    return jsonify(status="ok", articles=svc.article_count())
