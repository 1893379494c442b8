"""The ``searcher`` command: thin click commands over the library (parse, index, search, serve).

Each command parses its options, calls one library function and turns its errors into a clear message and exit
status; nothing is computed here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from searcher import config
from searcher.build import BuildReport, build
from searcher.export import EXPORT_HEADER, csv_bytes, docx_bytes, export_rows
from searcher.index import IndexMissingError, IndexOutdatedError, SearchIndexError, live_path, read_sources
from searcher.query import QueryError
from searcher.reading import Problem, expand, read_paths, read_structure
from searcher.search import SearchResult, SearchService, result_json

__all__ = ["main"]

index_dir_option = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (default: $SEARCHER_INDEX_DIR or ./index).",
)


@click.group()
@click.version_option(package_name="searcher")
def main() -> None:
    """Search Chinese newspaper articles by keyword and unit."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the article records as a JSON list.")
@click.option("--explain", is_flag=True, help="Show every line of each page with the role the reader gave it.")
def parse(files: tuple[Path, ...], as_json: bool, explain: bool) -> None:
    """Read FILES (pages as .txt, .html, .docx; JSON Lines .jsonl) and print what was read."""
    if explain:
        _explain(files)
        return
    result = read_paths(files)
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in result.articles], ensure_ascii=False, indent=2))
    else:
        for a in result.articles:
            note = f"  [{a.repair}]" if a.repair else ""
            when = f"\t{a.date}" if a.date else ""
            click.echo(f"{a.id}\t{a.kind}\t{a.byline or '-'}\t{a.title}\t{len(a.paragraphs)} paragraphs{when}{note}")
        furniture = {line for a in result.articles for line in a.furniture}
        if furniture:
            click.echo(f"page furniture ({len(furniture)} lines): " + " | ".join(sorted(furniture)[:8]))
    _report(result.problems, result.notices)
    if result.problems:
        sys.exit(1)


def _explain(files: tuple[Path, ...]) -> None:
    """Print each line's number, role, the article it went to, and any doubt (for ``parse --explain``)."""
    paths, problems = expand(files)
    for path in paths:
        try:
            page = read_structure(path, path.read_bytes())
        except (OSError, ValueError) as error:
            problems.append(Problem(str(path), getattr(error, "strerror", None) or str(error)))
            continue
        click.echo(f"== {path}")
        if not page.articles:
            problems.append(Problem(str(path), "no articles found"))
        for line in sorted(page.lines, key=lambda item: item.number):
            where = "-" if line.article is None else f"#{line.article + 1}"
            flag = "?" if line.doubt else " "
            roles = "+".join(line.roles)
            click.echo(f"{line.number:>5} {flag} p{line.page + 1} {where:>4} {roles:<14} {line.text[:60]}")
            if line.doubt:
                click.echo(f"{'':>9}^ {line.doubt}")
        for n, article in enumerate(page.articles, 1):
            click.echo(f"   #{n} {article.kind} {article.id}: {article.title} [{article.byline or '-'}] {article.date}")
        for number, what, value in page.found:
            click.echo(f"   {what} {value} from line {number}")
        doubted = {line.number for line in page.lines if line.doubt}
        for notice in page.notices:
            if notice.line not in doubted:
                click.echo(f"   ? line {notice.line}: {notice.message}")
    _report(problems, [])
    if problems:
        sys.exit(1)


def _report(problems: list, notices: list) -> None:
    for notice in notices:
        click.echo(f"notice {notice}", err=True)
    for problem in problems:
        click.echo(f"skipped {problem}", err=True)


@main.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Build a fresh index and switch to it atomically.")
@click.option(
    "--procs",
    type=click.IntRange(1, 64),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Processes for a fresh build.",
)
def index_command(paths: tuple[Path, ...], index_dir: Path | None, rebuild: bool, procs: int) -> None:
    """Build or update the index from PATHS (files or folders); re-indexing a file replaces its articles.

    Exits with status 1 while any file or line could not be read (reported on every run until it is fixed);
    notices (lines the reader had to guess) are printed too, and don't change the status.
    """
    report = _build(paths, config.index_dir(index_dir), rebuild, procs)
    if report.problems:
        sys.exit(1)


def _build(paths: tuple[Path, ...], index_dir: Path, rebuild: bool, procs: int = 1) -> BuildReport:
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            unit = {"reading": " files"}.get(stage, " articles" if total else "")
            desc = f"{stage} ({procs} processes)" if procs > 1 and stage != "reading" else stage
            bar = bars[stage] = tqdm(
                total=total or None, unit=unit, desc=desc, file=sys.stderr, disable=None, dynamic_ncols=True
            )
        bar.total = total or None
        bar.update(done - bar.n)

    try:
        report = build(paths, index_dir, rebuild=rebuild, progress=progress, procs=procs)
    except KeyboardInterrupt:
        for bar in bars.values():
            bar.close()
        click.echo("interrupted: nothing was written; the index is as it was before", err=True)
        sys.exit(130)
    except SearchIndexError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(
            f"could not write the index in {index_dir} ({error.strerror or error}); "
            "the previous index is unchanged and still served: make room and run the command again"
        ) from error
    finally:
        for bar in bars.values():
            bar.close()
    _report(report.problems, report.notices)
    for reason, count in report.left_as_printed.items():
        click.echo(f"{count} article(s) {reason}", err=True)
    click.echo(report.summary())
    return report


@main.command()
@click.argument("query", required=False, default="")
@index_dir_option
@click.option("--unit", "units", multiple=True, help="Only this unit (repeat for several).")
@click.option("--series", "series", multiple=True, help="Only this series (repeat for several).")
@click.option("--from", "date_from", default="", help="Only articles dated on or after YYYY-MM-DD.")
@click.option("--to", "date_to", default="", help="Only articles dated on or before YYYY-MM-DD.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 50), help="Results to show.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page of results.")
@click.option(
    "--sort", type=click.Choice(["score", "date"]), default=None, help="Default: score, or date without QUERY."
)
@click.option("--literal", is_flag=True, help="Search only what was typed (no abbreviation expansion, no pinyin).")
@click.option("--every-printing", is_flag=True, help="List every printing of a story (reprints are grouped).")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as /api/search.")
@click.option("--csv", "as_csv", is_flag=True, help="Print every result (up to 1,000) as CSV, as /export.csv does.")
@click.option(
    "--docx",
    "docx_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write every result (up to 1,000) as a Word 摘编 to this file, as /export.docx does.",
)
def search(
    query: str,
    index_dir: Path | None,
    units: tuple[str, ...],
    series: tuple[str, ...],
    date_from: str,
    date_to: str,
    limit: int,
    page: int,
    sort: str | None,
    literal: bool,
    every_printing: bool,
    as_json: bool,
    as_csv: bool,
    docx_file: Path | None,
) -> None:
    """Search the index for QUERY ("phrase", “短语”, -exclude, a OR b, a 或 b, 标题:word).

    QUERY may be left out when --unit, --series, --from or --to is given: every article that passes the filters
    is listed, newest first.
    """
    if not query.strip() and not (units or series or date_from or date_to):
        raise click.UsageError("give a QUERY, or a filter (--unit, --series, --from, --to)")
    filters = {
        "literal": literal, "series": series, "date_from": date_from, "date_to": date_to, "group": not every_printing
    }  # fmt: skip
    try:
        service = SearchService(config.index_dir(index_dir))
        if as_csv:
            rows = service.export(query, units, sort or "", **filters)
            sys.stdout.buffer.write(csv_bytes(EXPORT_HEADER, export_rows(rows, lambda i: f"/article/{i}")))
            return
        if docx_file:
            rows = service.export(query, units, sort or "", **filters)
            passages = service.passages([r.id for r, _ in rows], query, literal=literal)
            described = f"检索：{query or '、'.join(units)}，共 {len(passages)} 篇"
            docx_file.write_bytes(docx_bytes("文章摘编", described, passages))
            click.echo(f"{len(passages)} articles written to {docx_file}")
            return
        result = service.search(query, units=units, page=page, per_page=limit, sort=sort or "", **filters)
    except (SearchIndexError, QueryError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        return
    _print_result(result, page, limit)


def _print_result(result: SearchResult, page: int, limit: int) -> None:
    merged = result.printings - result.total if result.grouped else 0
    grouped = f" ({merged} reprints grouped; --every-printing lists them)" if merged else ""
    click.echo(f"{result.total} articles{grouped}")
    for typed, word in result.pinyin:
        click.echo(f"read {typed} as pinyin: also searched for {word} (--literal searches only what was typed)")
    for typed, words in result.corrections:
        click.echo(f"did you mean: {'、'.join(words)} (for {typed})")
    for typed, forms in result.expanded:
        click.echo(f"also searched for {'、'.join(forms)} (forms of {typed}; --literal searches only what was typed)")
    if result.unmatched:
        click.echo("no article contains: " + ", ".join(result.unmatched))
        if result.suggestion:
            click.echo(f"try: {result.suggestion}")
    for n, hit in enumerate(result.hits, (page - 1) * limit + 1):
        byline = " ".join(p for p in (hit.unit, hit.position, hit.person) if p)
        click.echo(f"{n}. {hit.title}  [{byline or '-'}] {hit.date or ''}  /article/{hit.id}")
        click.echo(f"   {hit.snippet.striptags()}")
        for other in hit.reprints:
            click.echo(f"   also printed: {other.paper or other.unit or '-'} {other.date or ''}  /article/{other.id}")


@main.command()
@index_dir_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="gunicorn worker processes")
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="threads per worker (see BENCHMARKS.md)"
)
def serve(index_dir: Path | None, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the search page with gunicorn; builds the index from the bundled articles if there is none."""
    from searcher.server import run  # noqa: PLC0415 - gunicorn is needed by this command only

    folder = config.index_dir(index_dir)
    ensure_index(folder)
    run(folder, host, port, workers, threads)


def ensure_index(folder: Path) -> None:
    """Make sure ``folder`` holds an index this searcher can serve.

    With none, it is built from the bundled articles. One built by another version from the bundled articles only
    (the index ``make serve`` made before an upgrade) is rebuilt from them; any other outdated or damaged index is
    left alone, with the command that rebuilds it, since only its owner knows which articles it held.
    """
    bundled = config.bundled_articles().resolve()
    try:
        SearchService(folder).close()
    except IndexMissingError:
        click.echo(f"no index in {folder}: building it from {bundled}", err=True)
        _build((bundled,), folder, rebuild=False)
    except IndexOutdatedError as error:
        sources = read_sources(live_path(folder))
        if not sources or not all(Path(key).is_relative_to(bundled) for key in sources):
            raise click.ClickException(str(error)) from error
        click.echo(f"the index in {folder} was built by another version: rebuilding it from {bundled}", err=True)
        _build((bundled,), folder, rebuild=True)
    except SearchIndexError as error:
        raise click.ClickException(str(error)) from error
