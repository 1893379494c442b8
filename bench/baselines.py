"""Baselines on the same documents and queries: stock Whoosh, tantivy-py over jieba's words, SQLite FTS5 (trigram).

Stock Whoosh is the library a user would start from: Whoosh 2.7 with ``jieba.analyse.ChineseAnalyzer`` on the title
and body, built with Whoosh's own batch advice (``limitmb=256, procs=2, multisegment=True``), queried through its
``QueryParser`` (AND of the query's words) with its highlighter for a snippet. It has no character fields, so it
misses what jieba cuts differently (see the quality table); it is here for speed.

Bench-only extras (``pip install -e '.[bench]'``), never runtime dependencies. Both are given their natural setup:
tantivy indexes jieba's words (search mode, joined by spaces, whitespace tokenizer) and answers a query as the AND
of its jieba words with a snippet; FTS5's trigram tokenizer matches substrings of three or more characters (shorter
queries fall back to LIKE, as FTS5 documents) and answers with ``snippet()``.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time

import jieba

from bench.common import percentile


def _words(text: str) -> str:
    return " ".join(w for w in jieba.cut_for_search(text) if w.strip())


def whoosh_baseline(records: list[dict], queries: list[str]) -> dict:
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index, qparser

    schema = fields.Schema(
        title=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()),
        body=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()),
    )
    folder = tempfile.mkdtemp(prefix="whoosh-")
    started = time.perf_counter()
    ix = index.create_in(folder, schema)
    writer = ix.writer(limitmb=256, procs=2, multisegment=True)
    for r in records:
        writer.add_document(title=r["title"], body=r["body"])
    writer.commit()
    build = time.perf_counter() - started
    parser = qparser.QueryParser("body", schema, group=qparser.AndGroup)
    times = []
    with ix.searcher() as searcher:
        for text in queries:
            started = time.perf_counter()
            results = searcher.search(parser.parse(text), limit=10)
            for hit in results:
                hit.highlights("body")
            times.append((time.perf_counter() - started) * 1000)
    return {"build_s": build, "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}


def tantivy_baseline(records: list[dict], queries: list[str]) -> dict:
    import tantivy

    builder = tantivy.SchemaBuilder()
    for name in ("title", "body"):
        builder.add_text_field(name, stored=True, tokenizer_name="whitespace")
    schema = builder.build()
    folder = tempfile.mkdtemp(prefix="tantivy-")
    started = time.perf_counter()
    index = tantivy.Index(schema, path=folder)
    writer = index.writer(heap_size=500_000_000, num_threads=1)
    for r in records:
        writer.add_document(tantivy.Document(title=_words(r["title"]), body=_words(r["body"])))
    writer.commit()
    writer.wait_merging_threads()
    build = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()
    times = []
    for text in queries:
        started = time.perf_counter()
        words = [w for w in jieba.cut(text) if w.strip()]
        q = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.term_query(schema, "body", w)) for w in words]
        )
        result = searcher.search(q, 10)
        snippets = tantivy.SnippetGenerator.create(searcher, q, schema, "body")
        for _, address in result.hits:
            snippets.snippet_from_doc(searcher.doc(address)).to_html()
        times.append((time.perf_counter() - started) * 1000)
    return {"build_s": build, "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}


def fts5_baseline(records: list[dict], queries: list[str]) -> dict:
    db = sqlite3.connect(":memory:")
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
    db.executemany("INSERT INTO docs(title, body) VALUES (?, ?)", ((r["title"], r["body"]) for r in records))
    db.commit()
    build = time.perf_counter() - started
    times = []
    for text in queries:
        started = time.perf_counter()
        if len(text) >= 3:
            phrase = '"' + text.replace('"', '""') + '"'
            db.execute(
                "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 20) FROM docs WHERE docs MATCH ? "
                "ORDER BY rank LIMIT 10",
                (phrase,),
            ).fetchall()
        else:
            like = "%" + text.replace("%", "").replace("_", "") + "%"
            db.execute("SELECT rowid, substr(body, 1, 60) FROM docs WHERE body LIKE ? LIMIT 10", (like,)).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return {"build_s": build, "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}
