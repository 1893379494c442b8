"""Baselines on the same documents and queries: tantivy-py over jieba-pre-tokenized text, SQLite FTS5 (trigram).

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
