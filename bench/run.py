"""Run every benchmark and write BENCHMARKS.md: build, queries (in process and over HTTP, first pass and again),
throughput through gunicorn and its workers × threads grid, 200,000 short documents, incremental re-indexing,
baselines (stock Whoosh, tantivy, SQLite FTS5), the side-by-side check of the array path, cost at 1k/5k/10k/24k
items, and quality.

Run: ``make bench`` (needs ../shared/corpus; about 40 minutes on 2 cores). ``--quick`` runs smaller sizes,
``--short 0`` skips the short documents.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.baselines import fts5_baseline, tantivy_baseline, whoosh_baseline
from bench.common import (
    OUT,
    ROOT,
    git_revision,
    machine,
    now,
    percentile,
    require_corpus,
    sample_queries,
    xwlb_count,
    xwlb_records,
    xwlb_subset,
)
from searcher.reading import read_jsonl
from searcher.search import SearchService

CLI = str(Path(sys.executable).with_name("searcher"))


def short_documents(count: int, size: int = 67) -> Path:
    """Write ``count`` short documents of ``size`` characters cut from xwlb bodies (bench/out), titled by their item.

    They stand in for the short-text archive of the speed issue (200,000 classical poems of about 67 characters),
    which is not among the corpora here: the same number of documents of the same length, of real text.
    """
    path = OUT / f"short-{count}.jsonl"
    if path.exists():
        return path
    records = []
    for item in xwlb_records():
        body = "".join(item["body"].split())
        for start in range(0, len(body) - size + 1, size):
            records.append({"id": f"s{len(records)}", "title": item["title"][:12], "body": body[start : start + size]})
            if len(records) == count:
                break
        if len(records) == count:
            break
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def build_once(items: int | None, procs: int, source: Path | None = None, name: str = "") -> dict:
    """Build a fresh index in a child process; report seconds, rate, size and the child's peak RSS."""
    source = source or xwlb_subset(items)
    index_dir = OUT / f"index-{name or items or 'all'}"
    shutil.rmtree(index_dir, ignore_errors=True)
    # The build runs under a small Python parent that prints its children's peak RSS: RUSAGE_CHILDREN of this
    # process would carry the peak of every earlier build too.
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, CLI, "index", str(source), "--index-dir", str(index_dir),
                           "--procs", str(procs)], check=True, capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    peak = int(done.stdout.split()[-1])
    count = items or sum(1 for _ in source.open(encoding="utf-8"))
    return {
        "items": count,
        "seconds": seconds,
        "docs_per_s": count / seconds,
        "mb_per_s": source.stat().st_size / 2**20 / seconds,
        "index_mb": _size_mb(index_dir),
        "segments": sum(1 for _ in (index_dir / "current").resolve().glob("*.trm")),
        "peak_rss_mb": peak / 1024,
        "index_dir": str(index_dir),
    }


def phases(items: int) -> dict:
    """Where a single-process build's time goes: read (parse + repair), analyze (jieba alone, then every field),
    hold (the builder's per-term lists and per-document columns) and write (the segment's files)."""
    import jieba
    from whoosh.filedb.filestore import FileStorage

    from searcher import arrays
    from searcher.analysis import normalize
    from searcher.index import CODEC, SCHEMA, document, match_texts
    from searcher.writing import SegmentBuilder

    source = xwlb_subset(items)
    started = time.perf_counter()
    articles, _ = read_jsonl(source.read_text("utf-8"), str(source))
    docs = [document(a, "k") for a in articles]
    read = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        for name in ("title", "body", "byline"):
            if doc[name]:
                list(jieba.cut(normalize(doc[name]), HMM=True))
    jieba_s = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="phases-"))
    builder = SegmentBuilder(FileStorage(str(folder)).create_index(SCHEMA), CODEC, limitmb=4096)
    started = time.perf_counter()
    for doc in docs:  # each field analyzed as the builder analyzes it, the postings dropped
        for name, value in doc.items():
            field = builder._fields.get(name)
            if field and value is not None and field.analyze:
                field.analyze(value)
            elif field and value is not None:
                list(field.field.index(value))
    analyze = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        builder.add_document(**doc)
    add = time.perf_counter() - started
    started = time.perf_counter()
    texts = [match_texts(doc) for doc in docs]
    for field in (0, 1):
        arrays.build_field([t[field] for t in texts])
    suffix = time.perf_counter() - started
    started = time.perf_counter()
    builder.finish()
    write = time.perf_counter() - started - suffix  # finish writes the arrays too
    shutil.rmtree(folder, ignore_errors=True)
    return {"items": items, "read": read, "jieba": jieba_s, "analyze": analyze, "hold": max(0.0, add - analyze),
            "write": max(0.0, write), "arrays": suffix}  # fmt: skip


def in_process_queries(index_dir: str, queries: list[str], passes: int = 1) -> list[dict]:
    """Percentiles of each pass over ``queries`` through one ``SearchService`` with its result cache off.

    The first pass reads every term's postings from the segment files; later passes find them decoded in the
    service's postings cache (what a serving process holds after a while), so both figures are reported.
    """
    service = SearchService(Path(index_dir), cache_size=0)
    service.search("中国")
    figures = []
    for _ in range(passes):
        times = []
        for text in queries:
            started = time.perf_counter()
            service.search(text, per_page=10)
            times.append((time.perf_counter() - started) * 1000)
        figures.append({q: percentile(times, q) for q in (50, 95, 99)})
    service.close()
    return figures


def cpu_probe() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine was at a moment of the run (a shared VM's speed
    varies between runs; figures compare best within one run)."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``searcher serve`` as a user starts it (2 gunicorn workers × 4 threads unless given), for the HTTP figures."""

    def __init__(self, index_dir: str, cache: bool = True, workers: int = 2, threads: int = 4) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [CLI, "serve", "--index-dir", index_dir, "--port", str(self.port), "--workers", str(workers),
             "--threads", str(threads)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "SEARCHER_CACHE_SIZE": "512" if cache else "0"},
        )  # fmt: skip
        import httpx

        while True:
            try:
                httpx.get(self.url + "/api/search", params={"q": "中国"}, timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        self.first_answer_s = time.perf_counter() - self.started

    def worker_memory_mb(self, kind: str = "Rss") -> list[float]:
        """Memory per worker: ``"Rss"``, ``"Pss"`` (shared pages split between processes) or ``"Anonymous"``
        (private heap: what a worker costs beyond the page cache of the index files it maps)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(f"{kind}:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def worker_rss_mb(self) -> list[float]:
        return self.worker_memory_mb("Rss")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def http_queries(server: Server, queries: list[str], passes: int = 1) -> list[dict]:
    """Percentiles of each pass over ``queries`` through ``/api/search``, one request at a time."""
    import httpx

    figures = []
    with httpx.Client(base_url=server.url) as client:
        for _ in range(passes):
            times = []
            for text in queries:
                started = time.perf_counter()
                client.get("/api/search", params={"q": text}).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            figures.append({q: percentile(times, q) for q in (50, 95, 99)})
    return figures


async def _load(url: str, queries: list[str], seconds: float, concurrency: int) -> dict:
    import httpx

    times: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def user(offset: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            i = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    (await client.get("/api/search", params={"q": queries[i % len(queries)]})).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                except httpx.HTTPError:
                    errors += 1
                i += concurrency

    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"searches_per_s": len(times) / elapsed, "p50": percentile(times, 50), "p99": percentile(times, 99),
            "errors": errors, "seconds": elapsed, "concurrency": concurrency}  # fmt: skip


def throughput(server: Server, queries: list[str], seconds: float) -> dict:
    """Drive the server from another process (this one), so the server's 2 workers have the cores they get."""
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[1]); from bench.run import _load; "
        "print(json.dumps(asyncio.run(_load(sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4]), 4))))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), server.url, json.dumps(queries), str(seconds)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return json.loads(out)


def incremental(source: Path, index_dir: str) -> dict:
    """Re-index with nothing changed, then with 1 % of the items changed (the file is restored afterwards)."""

    def run() -> tuple[float, str]:
        started = time.perf_counter()
        done = subprocess.run(
            [CLI, "index", str(source), "--index-dir", index_dir], check=True, capture_output=True, text=True
        )
        return time.perf_counter() - started, done.stdout.strip()

    unchanged, _ = run()
    original = source.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    for i in range(0, len(lines), 100):
        record = json.loads(lines[i])
        record["body"] += "\n（更正）"
        lines[i] = json.dumps(record, ensure_ascii=False) + "\n"
    source.write_text("".join(lines), "utf-8")
    try:
        changed, summary = run()
    finally:
        source.write_bytes(original)
    run()
    return {
        "unchanged_s": unchanged,
        "changed_1pct_s": changed,
        "changed_items": len(range(0, len(lines), 100)),
        "summary": summary,
    }


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = [r["items"] for r in rows]
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    for ax, key, label in zip(
        axes,
        ("seconds", "index_mb", "p95_ms", "worker_rss_mb"),
        ("build (s, 2 processes)", "index size (MB)", "p95 top-10 + snippets + facets (ms)", "serving worker RSS (MB)"),
        strict=True,
    ):
        ax.plot(items, [r[key] for r in rows], marker="o")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("items")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def _script(name: str, *args: str, check: bool = True) -> str:
    """Run another benchmark script; its output is part of the report (with ``check=False``, even when it fails)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / name), *args], capture_output=True, text=True, check=check
    )
    return done.stdout


def write_benchmarks(*reports: str) -> None:
    """Write BENCHMARKS.md from the reports, in order."""
    (ROOT / "BENCHMARKS.md").write_text(
        "# Benchmarks\n\nWritten by `make bench` (`bench/run.py`, which also runs `bench/refresh.py`, `bench/pdf.py`, "
        "`bench/recall_cost.py`, `bench/quality.py`, `bench/ranking.py` and `bench/reprints.py`); the corpus is ../shared/corpus (xwlb news items, SIGHAN 2005 icwb2), never shipped. "
        "Timings are measurements, never pass/fail in the test suite.\n\n"
        + "\n\n".join(part.strip() for part in reports)
        + "\n",
        "utf-8",
    )


def _row(label: str, n: int, figures: list[dict]) -> list[str]:
    return [
        f"| {label} | {n:,} | {name} | {f[50]:.1f} | {f[95]:.1f} | {f[99]:.1f} |"
        for name, f in (("first", figures[0]), ("again", figures[-1]))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k/2k/5k items instead of 1k/5k/10k/24k")
    parser.add_argument("--seconds", type=float, default=60, help="length of the throughput run")
    parser.add_argument("--short", type=int, default=200_000, help="short documents for the scale run (0: skip)")
    args = parser.parse_args()
    require_corpus()
    OUT.mkdir(parents=True, exist_ok=True)
    total = xwlb_count()
    sizes = [1000, 2000, 5000] if args.quick else [1000, 5000, 10000, total]
    procs = os.cpu_count() or 1
    records_5k = xwlb_records(min(5000, sizes[-1]))
    queries = sample_queries(records_5k, 200)
    lines: list[str] = []
    say = lines.append
    probe_start = cpu_probe()

    print("building …", file=sys.stderr)
    rows = []
    for n in sizes:
        row = build_once(n, procs)
        row["p95_ms"] = in_process_queries(row["index_dir"], queries, passes=2)[-1][95]
        server = Server(row["index_dir"])
        row.update(worker_rss_mb=max(server.worker_rss_mb()), first_answer_s=server.first_answer_s)
        server.stop()
        rows.append(row)
        print(f"  {n}: {row['seconds']:.0f} s", file=sys.stderr)
    five = next(r for r in rows if r["items"] == min(5000, sizes[-1]))
    largest = rows[-1]
    single = build_once(five["items"], 1)
    phase = phases(min(2000, five["items"]))

    print("queries …", file=sys.stderr)
    in_proc = in_process_queries(largest["index_dir"], queries, passes=2)
    in_proc_5k = in_process_queries(five["index_dir"], queries, passes=2)
    server = Server(largest["index_dir"])
    over_http = http_queries(server, queries, passes=3)
    load = throughput(server, queries, args.seconds)
    rss, pss, anon = server.worker_rss_mb(), server.worker_memory_mb("Pss"), server.worker_memory_mb("Anonymous")
    first_answer = server.first_answer_s
    server.stop()
    uncached_server = Server(largest["index_dir"], cache=False)
    uncached = throughput(uncached_server, queries, args.seconds)
    uncached_server.stop()
    server5 = Server(five["index_dir"])
    over_http_5k = http_queries(server5, queries, passes=3)
    server5.stop()
    print("serving grid …", file=sys.stderr)
    grid = _script("serving.py", largest["index_dir"], "--grid", "--seconds", "20")

    print("incremental …", file=sys.stderr)
    inc = incremental(xwlb_subset(largest["items"]), largest["index_dir"])

    print("baselines …", file=sys.stderr)
    tantivy = tantivy_baseline(records_5k, queries)
    fts5 = fts5_baseline(records_5k, queries)
    stock = whoosh_baseline(records_5k, queries)

    short = None
    if args.short:
        print(f"{args.short:,} short documents …", file=sys.stderr)
        source = short_documents(args.short)
        short_records = [json.loads(line) for line in source.open(encoding="utf-8")]
        short_queries = sample_queries(short_records, 200)
        short = build_once(len(short_records), procs, source, name=f"short-{args.short}")
        short["local"] = in_process_queries(short["index_dir"], short_queries, passes=2)
        short_server = Server(short["index_dir"])
        short["http"] = http_queries(short_server, short_queries, passes=3)
        short["rss"] = max(short_server.worker_rss_mb())
        short_server.stop()
        short["tantivy"] = tantivy_baseline(short_records, short_queries)
        short["stock"] = whoosh_baseline(short_records, short_queries)

    print("side by side …", file=sys.stderr)
    sidebyside = _script("sidebyside.py", "--items", str(five["items"]), "--queries", "1000", check=False)

    probe_end = cpu_probe()
    plot_path = ROOT / "docs" / "scaling.png"
    plot(rows, plot_path)

    say(f"## Performance ({now()}, commit {git_revision()})\n")
    say(f"Machine: {machine()}. Command: `make bench` (`{' '.join(['python', 'bench/run.py', *sys.argv[1:]])}`), "
        f"one run of each measurement. CPU probe (a 10-million-step Python loop): {probe_start:.2f} s at the start, "
        f"{probe_end:.2f} s at the end. It measures plain computation only: on this shared VM, work that allocates "
        "memory (a build) varies more from run to run, so timings compare best within one run.")  # fmt: skip
    say(f"Queries: {len(queries)} sampled from the first {len(records_5k):,} xwlb bodies (half jieba words, half "
        "random 1–8-character substrings); each answered top-10 with snippets, unit and year facets.\n")  # fmt: skip
    say("### Build (fresh index, `searcher index --procs N`)\n")
    say("| items | processes | seconds | docs/s | MB/s | index MB | segments | peak RSS MB |\n"
        "|---|---|---|---|---|---|---|---|")  # fmt: skip
    for r, p in [*((r, procs) for r in rows), (single, 1), *(((short, procs),) if short else ())]:
        say(f"| {r['items']:,}{' short' if r is short else ''} | {p} | {r['seconds']:.1f} | {r['docs_per_s']:.0f} | "
            f"{r['mb_per_s']:.2f} | {r['index_mb']:.0f} | {r['segments']} | {r['peak_rss_mb']:.0f} |")  # fmt: skip
    say(f"\nWhere a single-process build of {phase['items']:,} items spends its time: read {phase['read']:.1f} s, "
        f"analyze every field {phase['analyze']:.1f} s (of which jieba's segmentation alone {phase['jieba']:.1f} s), "
        f"hold the postings per term {phase['hold']:.1f} s, write the segment {phase['write']:.1f} s (a pickle and a "
        f"zlib call per block of 128 postings, in Whoosh's format), build its suffix arrays {phase['arrays']:.1f} s."
        "\n")  # fmt: skip
    say("### Queries (top-10 with snippets and facets)\n")
    say("Each query set is run in passes, with the result cache off: *first* reads every term's postings from the "
        "segment files (a worker's first sight of a term), *again* finds them decoded in the worker's postings cache. "
        "Over HTTP the third pass is shown as *again*: gunicorn's 2 workers each keep their own cache.\n")  # fmt: skip
    say("| where | items | pass | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|")
    for label, n, figures in (
        ("in process", five["items"], in_proc_5k),
        ("in process", largest["items"], in_proc),
        ("HTTP, gunicorn", five["items"], over_http_5k),
        ("HTTP, gunicorn", largest["items"], over_http),
    ):
        lines.extend(_row(label, n, figures))
    say(f"\nThroughput, {largest['items']:,} items, `searcher serve` (2 workers × 4 threads), driven from another "
        f"process with {load['concurrency']} concurrent clients for {load['seconds']:.0f} s, cycling through the "
        f"{len(queries)} queries: **{load['searches_per_s']:.0f} searches/s**, p50 {load['p50']:.1f} ms, p99 "
        f"{load['p99']:.1f} ms, {load['errors']} errors, with each worker's result cache. Uncached "
        f"(`SEARCHER_CACHE_SIZE=0`, {uncached['seconds']:.0f} s): **{uncached['searches_per_s']:.0f} searches/s**, p50 "
        f"{uncached['p50']:.1f} ms, p99 {uncached['p99']:.1f} ms, {uncached['errors']} errors. The driver shares the "
        "2 cores with the server.\n")  # fmt: skip
    say(f"Workers × threads, uncached, 20 s each (`python bench/serving.py INDEX --grid --seconds 20`, "
        f"{largest['items']:,} items):\n\n{grid.strip()}\n")  # fmt: skip
    say(f"Serving worker memory after the load run: RSS {', '.join(f'{m:.0f}' for m in rss)} MB, PSS (shared pages "
        f"counted once between the workers) {', '.join(f'{m:.0f}' for m in pss)} MB, of which anonymous (heap and "
        f"decoded postings, not the index files' pages mapped from the page cache) "
        f"{', '.join(f'{m:.0f}' for m in anon)} MB. First answer {first_answer:.2f} s after `searcher serve` started "
        f"on the built {largest['items']:,}-item index.\n")  # fmt: skip
    if short:
        say(f"### {short['items']:,} short documents\n")
        say(f"{short['items']:,} pieces of 67 characters cut from xwlb bodies, each titled by its item's first 12 "
            "characters (standing in for an archive of short texts such as the 200,000 classical poems the speed "
            "issue names, which are not among the corpora here). 200 queries sampled from them as above.\n")  # fmt: skip
        say("| engine | build s | peak RSS MB | p50 ms | p95 ms |\n|---|---|---|---|---|")
        say(f"| searcher, in process, first pass | {short['seconds']:.1f} | {short['peak_rss_mb']:.0f} | "
            f"{short['local'][0][50]:.1f} | {short['local'][0][95]:.1f} |")  # fmt: skip
        say(f"| searcher, in process, again | | | {short['local'][-1][50]:.1f} | {short['local'][-1][95]:.1f} |")
        say(f"| searcher, HTTP, third pass | | | {short['http'][-1][50]:.1f} | {short['http'][-1][95]:.1f} |")
        say(f"| tantivy-py over jieba words | {short['tantivy']['build_s']:.1f} | | "
            f"{short['tantivy']['p50_ms']:.2f} | {short['tantivy']['p95_ms']:.2f} |")  # fmt: skip
        say(f"| stock Whoosh 2.7 + ChineseAnalyzer | {short['stock']['build_s']:.1f} | | "
            f"{short['stock']['p50_ms']:.2f} | {short['stock']['p95_ms']:.2f} |\n")  # fmt: skip
    say(f"### Incremental ({largest['items']:,} items)\n")
    say(f"Re-index with nothing changed: **{inc['unchanged_s']:.2f} s**. With {inc['changed_items']} items (1 %) "
        f"changed: {inc['changed_1pct_s']:.1f} s (`{inc['summary']}`).\n")  # fmt: skip
    say(f"### Baselines ({len(records_5k):,} items, same documents and queries, one process)\n")
    say("| engine | build s | p50 ms | p95 ms |\n|---|---|---|---|")
    say(f"| searcher (Whoosh + jieba + suffix arrays), 1 process; queries again | {single['seconds']:.1f} | "
        f"{in_proc_5k[-1][50]:.1f} | {in_proc_5k[-1][95]:.1f} |")  # fmt: skip
    say(f"| searcher, {procs} processes | {five['seconds']:.1f} | | |")
    say(f"| tantivy-py over jieba words | {tantivy['build_s']:.1f} | {tantivy['p50_ms']:.2f} | "
        f"{tantivy['p95_ms']:.2f} |")  # fmt: skip
    say(f"| SQLite FTS5 trigram | {fts5['build_s']:.1f} | {fts5['p50_ms']:.2f} | {fts5['p95_ms']:.2f} |")
    say(f"| stock Whoosh 2.7 + jieba ChineseAnalyzer (limitmb=256, procs=2, multisegment) | {stock['build_s']:.1f} "
        f"| {stock['p50_ms']:.2f} | {stock['p95_ms']:.2f} |\n")  # fmt: skip
    say(sidebyside.strip() + "\n")
    say("### Targets of the speed issue\n")
    say("| target | measured |\n|---|---|")
    spent = phase["analyze"] + phase["hold"] + phase["write"] + phase["arrays"]
    where = (f"; per {phase['items']:,} items in one process: jieba {phase['jieba']:.1f} s of {spent:.1f} s "
             f"(its tokens are pinned), writing Whoosh's format {phase['write']:.1f} s (a pickle and a zlib call "
             f"per block), the suffix arrays that stock Whoosh lacks {phase['arrays']:.1f} s")  # fmt: skip
    say(f"| build of {five['items']:,} items faster than stock Whoosh ({stock['build_s']:.1f} s) | "
        f"{five['seconds']:.1f} s with {procs} processes ({five['seconds'] / stock['build_s']:.2f}×), "
        f"{single['seconds']:.1f} s with 1{where if five['seconds'] >= stock['build_s'] else ''} |")  # fmt: skip
    say(f"| build ≤ 1.0× tantivy+jieba in one process ({tantivy['build_s']:.1f} s) | "
        f"{five['seconds'] / tantivy['build_s']:.1f}× with {procs} processes, "
        f"{single['seconds'] / tantivy['build_s']:.1f}× with 1 (tantivy writes its segments in Rust) |")  # fmt: skip
    say(f"| HTTP p95 ≤ 10× tantivy's in-process p95 at {five['items']:,} items ({tantivy['p95_ms']:.2f} ms) | "
        f"{over_http_5k[-1][95] / tantivy['p95_ms']:.0f}× again ({over_http_5k[-1][95]:.1f} ms), "
        f"{over_http_5k[0][95] / tantivy['p95_ms']:.0f}× first pass ({over_http_5k[0][95]:.1f} ms) |")  # fmt: skip
    if short:
        ratio = short["http"][-1][95] / short["tantivy"]["p95_ms"]
        say(f"| HTTP p95 ≤ 15× tantivy's at {short['items']:,} short documents ({short['tantivy']['p95_ms']:.2f} "
            f"ms) | {ratio:.0f}× again ({short['http'][-1][95]:.1f} ms), "
            f"{short['http'][0][95] / short['tantivy']['p95_ms']:.0f}× first pass |")  # fmt: skip
        say(f"| peak build RSS ≤ 1 GB on {short['items']:,} short documents | {short['peak_rss_mb']:.0f} MB |")
    say(f"| uncached ≥ 200 searches/s with p99 ≤ 50 ms at {largest['items']:,} items | "
        f"{uncached['searches_per_s']:.0f}/s, p99 {uncached['p99']:.0f} ms |")  # fmt: skip
    say("| quality: verbatim recall and precision 100 %, 0 result sets differing from brute force | "
        "see *Quality* below |")  # fmt: skip
    say(f"| unchanged re-index ≤ 2 s | {inc['unchanged_s']:.2f} s |")
    say(f"| first answer ≤ 2 s after serve starts | {first_answer:.2f} s |")
    say("\n### Cost as the archive grows\n")
    say("| items | build s | index MB | p95 ms (in process, again) | worker RSS MB |\n|---|---|---|---|---|")
    for r in rows:
        say(f"| {r['items']:,} | {r['seconds']:.0f} | {r['index_mb']:.0f} | {r['p95_ms']:.1f} | "
            f"{r['worker_rss_mb']:.0f} |")  # fmt: skip
    say("\n![build time, index size, p95 and worker RSS against items](docs/scaling.png)\n")
    report = "\n".join(lines)
    (OUT / "performance.md").write_text(report + "\n", "utf-8")
    print("quality …", file=sys.stderr)
    recall = _script("recall_cost.py")
    quality = _script("quality.py", "--items", str(largest["items"]))
    ranking = _script("ranking.py", "--items", str(largest["items"]))
    reprints = _script("reprints.py", "--items", str(largest["items"]))
    refresh = _script("refresh.py", "--items", "5000")
    pdf = _script("pdf.py", "--pages", "60")
    write_benchmarks(report, refresh, pdf, recall, quality, ranking, reprints)
    print(report)


if __name__ == "__main__":
    main()
