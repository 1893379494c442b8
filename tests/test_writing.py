"""The one-pass segment writer against Whoosh's own: the same documents give the same files, byte for byte.

searcher writes fresh segments itself (:class:`searcher.writing.SegmentBuilder`) and reads them with Whoosh and with
its array path, so the proof that nothing changed is that Whoosh's ``SegmentWriter``, given the same documents and
codec, writes exactly the same bytes: term table, postings, stored fields, every column. The suffix arrays it writes
beside them are the ones an update builds later from the segment's stored fields alone.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from searcher.arrays import write_segment
from searcher.build import build
from searcher.index import CODEC, SCHEMA, arrays_of, document, open_index, stored_texts
from searcher.reading import Article, read_paths
from searcher.search import SearchService
from searcher.writing import SegmentBuilder, write_parallel
from tests.conftest import PAGE, xwlb_articles

PAGES = Path(__file__).parent / "pages"


def _segment_files(folder: Path, documents: list[dict], ours: bool) -> dict[str, bytes]:
    """Write ``documents`` as one segment of a new index in ``folder``; return its files by kind (.trm, .pst, …)."""
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(SCHEMA)
    if ours:
        builder = SegmentBuilder(ix, CODEC, limitmb=512)
        for doc in documents:
            builder.add_document(**doc)
        segment = builder.finish()
    else:
        writer = SegmentWriter(ix, codec=CODEC, limitmb=512, compound=False)
        for doc in documents:
            writer.add_document(**doc)
        segment = writer._finalize_segment()
        writer.cancel()
        # The arrays an update writes for a segment Whoosh wrote: from its stored fields.
        with SegmentReader(ix.storage, ix.schema, segment) as reader:
            write_segment(folder, segment.segment_id(), *stored_texts(reader))
    prefix = f"{segment.segment_id()}."
    return {p.name[len(prefix) :]: p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)}


def assert_same_segment(tmp_path: Path, documents: list[dict]) -> None:
    theirs = _segment_files(tmp_path / "whoosh", documents, ours=False)
    ours = _segment_files(tmp_path / "ours", documents, ours=True)
    assert {"trm", "pst", "_stored.col", "_body_len.col", "unit.col", "text.sa.npy", "title.sym.npy"} <= set(theirs)
    assert sorted(ours) == sorted(theirs)
    for kind in theirs:
        assert ours[kind] == theirs[kind], f"{kind} differs"


def _documents(articles: list[Article]) -> list[dict]:
    return [document(article, "k") for article in articles]


def test_the_bundled_page_and_the_test_pages_are_written_as_whoosh_writes_them(tmp_path):
    read = read_paths([PAGE, PAGES])
    assert len(read.articles) > 20
    assert_same_segment(tmp_path, _documents(read.articles))


def test_news_items_are_written_as_whoosh_writes_them(tmp_path):
    assert_same_segment(tmp_path, _documents(xwlb_articles(300)))


def test_unusual_documents_are_written_as_whoosh_writes_them(tmp_path):
    """Terms in more than one block, long texts (positions past 255 and 65,535), traditional and full-width
    characters, empty and missing fields, and a title boost that makes weights differ within a block."""
    rng = random.Random(7)
    words = ["發展", "ＬＥＤ", "共同富裕", "乡村振兴", "石梁镇", "数字化", "2026年", "的", "，", "\n", "  "]
    documents = []
    for n in range(300):
        body = "".join(rng.choice(words) for _ in range(rng.randrange(1, 60)))
        doc = {"id": f"d{n}", "title": "发展" * rng.randrange(1, 4), "body": body}
        doc |= {"unit": rng.choice(["石梁镇", "", "区发改局"]), "date": f"2026-0{1 + n % 9}-01", "byline": ""}
        documents.append(doc)
    documents.append({"id": "long", "body": "发展" * 40_000, "title": None})
    documents.append({"id": "bare"})
    assert_same_segment(tmp_path, documents)


def test_a_build_split_into_many_segments_finds_what_one_segment_finds(tmp_path):
    """A worker starts a new segment whenever the postings it holds reach ``limitmb``: memory stays bounded."""
    articles = xwlb_articles(400)
    ix_path = tmp_path / "many"
    ix_path.mkdir()
    ix = FileStorage(str(ix_path)).create_index(SCHEMA)
    documents = _documents(articles)
    many_written = write_parallel(ix, documents, procs=2, limitmb=2, codec=CODEC, counted=("title", "body"))
    assert many_written.segments > 4
    single = tmp_path / "single"
    single.mkdir()
    ix_single = FileStorage(str(single)).create_index(SCHEMA)
    written = write_parallel(ix_single, documents, procs=1, limitmb=512, codec=CODEC, counted=("title", "body"))
    assert written.segments == 1
    # The words' document frequencies, counted as they were written, are the index's own, however it is split.
    assert many_written.frequencies == written.frequencies
    with ix_single.reader() as reader:
        for word in ("发展", "会议", "中国"):
            assert written.frequencies[word] == reader.doc_frequency("title", word) + reader.doc_frequency("body", word)
    with ix.searcher() as many, ix_single.searcher() as whole:
        assert many.doc_count() == whole.doc_count() == len(documents)
        assert [many.stored_fields(n)["id"] for n in range(len(documents))] == [a.id for a in articles]
        for word in ("发展", "会议", "中国", "经济"):
            assert many.doc_frequency("body", word) == whole.doc_frequency("body", word) > 0
            # The suffix arrays find the same documents, split over many segments or not.
            assert _exact_docnums(many, word) == _exact_docnums(whole, word) != []


def _exact_docnums(searcher, text: str) -> list[int]:
    return [
        offset + int(n)
        for leaf, offset in searcher.reader().leaf_readers()
        for n in arrays_of(leaf).field("text").documents(text)[0]
    ]


@pytest.mark.parametrize("procs", [1, 2])
def test_a_fresh_build_opens_and_searches(tmp_path, procs):
    build([PAGE], tmp_path / "index", procs=procs)
    open_index(tmp_path / "index")
    with SearchService(tmp_path / "index") as service:
        assert service.search("共同富裕").total == 6
