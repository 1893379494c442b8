"""The web front end: an app factory and one blueprint that only renders what :mod:`searcher.search` returns.

Each process holds one :class:`~searcher.search.SearchService`, created on first use (so gunicorn can load the app,
and jieba with it, before forking, while every worker opens its own index files) and refreshed on each request when
the index has changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException

from searcher import config
from searcher.index import SearchIndexError
from searcher.query import MAX_QUERY_LENGTH, QueryError
from searcher.search import SearchResult, SearchService, result_json

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
    app.register_blueprint(bp)
    app.after_request(_secure)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(SearchIndexError, _index_unavailable)
    app.jinja_env.globals["max_query_length"] = MAX_QUERY_LENGTH
    app.jinja_env.filters["web_link"] = web_link
    app.jinja_env.filters["repair_zh"] = repair_zh
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


def _http_error(error: HTTPException):
    if _wants_json():
        return jsonify(error=error.description, status=error.code), error.code
    return render_template("error.html", code=error.code, message=error.description), error.code


def _index_unavailable(error: SearchIndexError):
    current_app.logger.error("index unavailable: %s", error)
    message = "索引暂不可用，请稍后再试。 The search index is unavailable."
    if _wants_json():
        return jsonify(error=message, status=503), 503
    return render_template("error.html", code=503, message=message), 503


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise BadRequest(f"参数 {name} 须为正整数。 '{name}' must be a positive whole number.")
    return int(raw)


def _search() -> SearchResult | None:
    """Run the search the request asks for; ``None`` when there is no query."""
    text = request.args.get("q", "")
    if not text.strip():
        return None
    units = request.args.getlist("unit")
    page = _int_arg("page", 1)
    per_page = _int_arg("per_page", 10)
    if len(units) > 20 or any(len(u) > 64 for u in units):
        raise BadRequest("单位筛选过多或过长。 Too many or too long unit filters.")
    try:
        return service().search(
            text,
            units=units,
            page=page,
            per_page=per_page,
            sort=request.args.get("sort", "score"),
            literal=request.args.get("literal") == "1",
        )
    except QueryError as error:
        raise BadRequest(str(error)) from error


@bp.route("/")
def index() -> str:
    """The search page: a query box, results with a unit filter and paging; with no query, the units and series."""
    text = request.args.get("q", "")
    try:
        result = _search()
    except BadRequest as error:
        return render_template("search.html", q=text, result=None, error=error.description), 400
    if result is None:
        svc = service()
        return render_template(
            "search.html", q=text, result=None, units=svc.facet_values("unit"), series=svc.facet_values("series")
        )
    return render_template(
        "search.html",
        q=text,
        result=result,
        toggle=_toggle_url,
        page_url=_page_url,
        literal_url=_literal_url,
        replace_url=_replace_url,
    )


def _toggle_url(result: SearchResult, unit: str) -> str:
    units = [u for u in result.units if u != unit] if unit in result.units else [*result.units, unit]
    return url_for("searcher.index", q=result.query, unit=units, sort=_sort_arg(result), literal=_literal_arg(result))


def _page_url(result: SearchResult, page: int) -> str:
    return url_for(
        "searcher.index",
        q=result.query,
        unit=list(result.units),
        page=page,
        sort=_sort_arg(result),
        literal=_literal_arg(result),
    )


def _literal_url(result: SearchResult) -> str:
    """The same search with no abbreviation expansion (“只搜索所输入的词”)."""
    return url_for("searcher.index", q=result.query, unit=list(result.units), sort=_sort_arg(result), literal="1")


def _replace_url(result: SearchResult, typed: str, word: str) -> str:
    """The same search with one typed term replaced by a suggested word (“您是不是要找”)."""
    query = result.query.replace(typed, word, 1)
    return url_for("searcher.index", q=query, unit=list(result.units), sort=_sort_arg(result))


def _literal_arg(result: SearchResult) -> str | None:
    return "1" if result.literal else None


def _sort_arg(result: SearchResult) -> str | None:
    return result.sort if result.sort != "score" else None


@bp.route("/article/<article_id>")
def article(article_id: str) -> str:
    """The whole article, with the query's strings marked and numbered paragraph anchors."""
    text = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    view = service().article(article_id, text, literal=request.args.get("literal") == "1")
    if view is None:
        abort(404, description="没有这篇文章。 No such article.")
    return render_template("article.html", a=view, q=text)


@bp.route("/article/<article_id>/printed")
def printed(article_id: str) -> str:
    """The article's body in the order it was printed, before the reading order was restored."""
    view = service().article(article_id)
    if view is None:
        abort(404, description="没有这篇文章。 No such article.")
    return render_template("printed.html", a=view)


@bp.route("/api/search")
def api_search():
    """JSON search results (same values as the page and ``searcher search --json``)."""
    if not request.args.get("q", "").strip():
        raise BadRequest("缺少查询参数 q。 The 'q' parameter is required.")
    result = _search()
    return jsonify(result_json(result, lambda i: url_for("searcher.article", article_id=i)))


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
