"""Reprints: the same story printed more than once (a 通稿 in the county paper, the city paper and on a government
site), found at index time so that results can show each story once.

**What counts as a reprint.** Two articles are printings of one story when their bodies are the same text, allowing
for what a reprinting paper changes: the headline (not compared), the dateline (本报讯（记者 …）, 新华社…电, the day
in the lead: 昨天 → 6日), credits and source lines (fields of their own), a sentence or paragraph cut or added, a
corrected character. A story *on the same topic* is never folded in, and neither is a yearly or daily template with
new facts (``国家主席习近平将发表二〇二五年新年贺词`` and its 2026 twin share 94 % of their shingles): the xwlb
corpus has hundreds of such pairs and no true reprints, which is what set the rules below (``bench/reprints.py``
measures them).

**How.** Each body (normalized, past its dateline, punctuation and spaces dropped) becomes its set of 5-character
shingles and a MinHash of it (``datasketch``, 64 permutations); an LSH index over the MinHashes finds the candidate
pairs whose estimated Jaccard similarity is about :data:`CANDIDATE` or more, in time linear in the articles. The two
texts of a candidate are aligned (``difflib``) sentence by sentence, then character by character inside the
sentences that differ, and the pair is a reprint only when:

* both printings are dated within :data:`DAYS` days of each other, or either is undated (a template's twins are a
  year, a session or a day's bulletin apart, a reprint days at most);
* no figure changed outside the lead's day words (another year, another count, another meeting), and at most one
  other word per :data:`EDIT_EVERY` characters (a template changes names and places all through: 法文版 and 俄文版
  announcements share 90 % of their shingles and are two stories);
* what one has and the other lacks (cuts and additions of :data:`TRIM` characters or more) is at most
  :data:`TRIMMED` of the longer text.

A story's printings are each a reprint of every other, checked against up to :data:`LINKAGE` printings of each side
(a cut copy matches the full text and a twin whose figures changed only in the cut paragraph; the twin does not
join). The stories are written to ``reprints.json`` beside the index (only those of two printings or more), each
listed earliest first; MinHashes are kept in ``reprints.npz`` by article id and content digest, so an update computes
only the changed articles'. Search reads the stories per commit (:class:`Reprints`).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from whoosh.index import Index

from searcher.analysis import normalize
from searcher.forked import forked_map

__all__ = ["REPRINTS", "Printing", "Reprints", "find_stories", "is_reprint", "signature", "write_reprints"]

REPRINTS = "reprints.json"
SIGNATURES = "reprints.npz"
NUM_PERM = 64
SCHEME = "affine32"  # datasketch 2's own; named, so that cached MinHashes are read back alike
SHINGLE = 5
CANDIDATE = 0.6  # the LSH threshold: pairs estimated this similar or more are checked
DAYS = 31  # printings of one story further apart than this are two stories
TRIM = 8  # a difference this long or longer is a cut or an addition, a shorter one an edit
TRIMMED = 0.35  # at most this share of the longer text cut or added
EDIT_EVERY = 500  # one edit, and one more per this many characters (a corrected character, a title)
LINKAGE = 6  # printings of each side checked when two stories would join
MIN_CHARACTERS = 100  # a body shorter than this is too short to call a copy (a one-sentence notice)
_MULTIPLIER = np.uint64(1_000_003)
_MASK = np.uint64(0xFFFFFFFF)


# A dateline or source at the body's start, which a reprinter rewrites: 本报讯（记者 …）, 新华社北京5月6日电（记者 …）,
# 本报5月6日讯, 央视网消息（新闻联播）：.
_DATELINE = re.compile(r"^\s*[^。，,\n]{0,24}?(?:电|讯|消息)\s*(?:[（(][^）)\n]{0,40}[）)])?\s*[：:]?")
_NOT_TEXT = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_FIGURE = re.compile(r"[0-9〇零一二三四五六七八九十百千万亿%]")
_DAY = re.compile(
    r"(?:昨天|今天|前天|昨日|今日|当天|当日|日前|近日|上午|下午|晚上|晚间|早上|[0-9〇零一二三四五六七八九十]+[日号])*"
)
_NUMERAL = re.compile(r"[0-9〇零一二三四五六七八九十]+")


def _day_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a difference) is day words only: 昨天, 6日, or the day's digits before 日."""
    part = text[start:end]
    return bool(_DAY.fullmatch(part) or (_NUMERAL.fullmatch(part) and text[end : end + 1] in ("日", "号")))


def _sentences(body: str) -> list[str]:
    """The sentences two printings are compared by: the body normalized and past its dateline, each sentence with
    punctuation and spaces dropped (a reprinter re-punctuates and re-wraps), empty ones left out."""
    text = _DATELINE.sub("", normalize(body), count=1)
    cleaned = (_NOT_TEXT.sub("", sentence) for sentence in _SENTENCE_END.split(text))
    return [sentence for sentence in cleaned if sentence]


def _shingles(text: str) -> np.ndarray:
    """The distinct 5-character shingles of ``text`` as 32-bit hashes (a polynomial hash over code points)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = len(points) - SHINGLE + 1
    if count < 1:
        return np.unique(points)
    hashes = np.zeros(count, dtype=np.uint64)
    for j in range(SHINGLE):
        hashes = (hashes * _MULTIPLIER + points[j : j + count]) & _MASK
    return np.unique(hashes)


def signature(body: str) -> np.ndarray:
    """The MinHash of the shingles of a body's compared text (``NUM_PERM`` values)."""
    # Imported here: datasketch imports scipy (over half a second), which searching never needs.
    from datasketch import MinHash  # noqa: PLC0415

    minhash = MinHash(num_perm=NUM_PERM, hashfunc=int, scheme=SCHEME)
    minhash.update_batch(_shingles("".join(_sentences(body))).tolist())
    return minhash.hashvalues


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def is_reprint(a: str, b: str, a_date: str = "", b_date: str = "") -> bool:
    """Tell whether bodies ``a`` and ``b`` (dated ``YYYY-MM-DD`` or undated) are printings of one story."""
    return _reprinted(_sentences(a), _sentences(b), _day(a_date), _day(b_date))


def _reprinted(sentences_a: list[str], sentences_b: list[str], day_a: date | None, day_b: date | None) -> bool:
    """:func:`is_reprint` of two bodies' :func:`_sentences`."""
    if day_a and day_b and abs((day_a - day_b).days) > DAYS:
        return False
    shorter, longer = sorted((sum(map(len, sentences_a)), sum(map(len, sentences_b))))
    if shorter < MIN_CHARACTERS or shorter < (1 - TRIMMED) * longer:
        return False
    # Sentence by sentence first (a few dozen items, so any pair is quick), then character by character inside the
    # sentences that differ.
    edits = trimmed = 0
    matcher = difflib.SequenceMatcher(None, sentences_a, sentences_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        x, y = "".join(sentences_a[i1:i2]), "".join(sentences_b[j1:j2])
        if tag != "replace":
            trimmed += len(x) + len(y)  # sentences cut or added
            continue
        lead_x = len(sentences_a[0]) if i1 == 0 else 0
        lead_y = len(sentences_b[0]) if j1 == 0 else 0
        for change, c1, c2, d1, d2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
            changed = x[c1:c2] + y[d1:d2]
            if change == "equal":
                continue
            if max(c2 - c1, d2 - d1) >= TRIM:
                trimmed += len(changed)  # a clause cut or added
                edits += 2 if change == "replace" else 0  # or rewritten: a story of its own unless the text is long
            elif not (c1 < lead_x and d1 < lead_y and _day_words(x, c1, c2) and _day_words(y, d1, d2)):
                if _FIGURE.search(changed):
                    return False  # a figure changed: another meeting, another year, another count
                edits += 1  # a word changed (the day in the lead is the reprinter's: 昨天 → 6日)
    return edits <= 1 + shorter // EDIT_EVERY and trimmed <= TRIMMED * longer


@dataclass
class Printing:
    """What grouping needs of an article: its id, date (``YYYY-MM-DD`` or ""), body and content digest."""

    id: str
    date: str
    body: str
    digest: str


def find_stories(articles: list[Printing], signatures: dict[str, np.ndarray]) -> list[list[str]]:
    """Group ``articles`` into stories of two printings or more (ids, earliest first), by their MinHashes."""
    from datasketch import LeanMinHash, MinHashLSH  # noqa: PLC0415 - see signature

    lsh = MinHashLSH(threshold=CANDIDATE, num_perm=NUM_PERM)
    hashes: dict[str, object] = {}
    for article in articles:
        if len(article.body) >= MIN_CHARACTERS:
            hashes[article.id] = LeanMinHash(seed=1, hashvalues=signatures[article.id], scheme=SCHEME)
            lsh.insert(article.id, hashes[article.id], check_duplication=False)
    by_id = {a.id: a for a in articles}
    story: dict[str, list[str]] = {}  # id → the printings of its story (one list shared by them all)

    compared: dict[str, tuple[list[str], date | None]] = {}

    def same(x: str, y: str) -> bool:
        for key in (x, y):
            if key not in compared:
                compared[key] = (_sentences(by_id[key].body), _day(by_id[key].date))
        (sentences_x, day_x), (sentences_y, day_y) = compared[x], compared[y]
        return _reprinted(sentences_x, sentences_y, day_x, day_y)

    for key, minhash in hashes.items():
        for other in lsh.query(minhash):
            mine, theirs = story.get(key, [key]), story.get(other, [other])
            if other <= key or mine is theirs:
                continue
            # Every printing of one story must be a reprint of every other: a cut copy is a reprint of the full
            # text and of a twin whose figures changed only in the cut paragraph, which are not of each other.
            # (Checked against the first LINKAGE printings of each side: a story of many printings costs no more.)
            if all(same(x, y) for x in mine[:LINKAGE] for y in theirs[:LINKAGE]):
                joined = mine + theirs
                for member in joined:
                    story[member] = joined
    groups = {id(ids): ids for ids in story.values()}.values()
    stories = [sorted(ids, key=lambda i: (by_id[i].date or "9999", i)) for ids in groups]
    return sorted((s for s in stories if len(s) > 1), key=lambda s: s[0])


def write_reprints(ix: Index, folder: Path, procs: int = 1) -> int:
    """Find the index's stories and write ``reprints.json`` for its current commit; return how many there are.

    :param procs: processes that compute the MinHashes of new and changed articles (2,000 or more).
    """
    cached: dict[tuple[str, str], np.ndarray] = {}
    try:
        with np.load(folder / SIGNATURES, allow_pickle=False) as saved:
            for key, digest, values in zip(saved["ids"], saved["digests"], saved["values"], strict=True):
                cached[(str(key), str(digest))] = values
    except (OSError, ValueError, KeyError):
        pass  # none yet, or damaged: computed again
    articles: list[Printing] = []
    with ix.reader() as reader:
        for _, stored in reader.iter_docs():
            articles.append(
                Printing(stored["id"], stored.get("date", ""), stored.get("body", ""), stored.get("digest", ""))
            )
    signatures = {a.id: cached[(a.id, a.digest)] for a in articles if (a.id, a.digest) in cached}
    missing = [a for a in articles if a.id not in signatures]
    found = forked_map(signature, [a.body for a in missing], procs, 2000)
    signatures.update(zip([a.id for a in missing], found, strict=True))
    stories = find_stories(articles, signatures)
    _replace(
        folder / SIGNATURES,
        lambda out: np.savez(
            out,
            ids=np.array([a.id for a in articles], dtype=str),
            digests=np.array([a.digest for a in articles], dtype=str),
            values=np.array([signatures[a.id] for a in articles]).reshape(len(articles), NUM_PERM),
        ),
    )
    _replace(folder / REPRINTS, lambda out: out.write(json.dumps({"stories": stories}, ensure_ascii=False).encode()))
    return len(stories)


def _replace(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as out:
        write(out)
    temporary.replace(path)


@dataclass(frozen=True)
class Reprints:
    """The index's stories of several printings: ``story[id]`` numbers an article's story, ``members[n]`` lists it."""

    story: dict[str, int] = field(default_factory=dict)
    members: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def load(cls, folder: Path) -> Reprints:
        """Read ``reprints.json``; none when it is missing or damaged (an index built before it: results ungrouped)."""
        try:
            stories = json.loads((folder / REPRINTS).read_text("utf-8"))["stories"]
        except (OSError, ValueError, KeyError, TypeError):
            return cls()
        members = tuple(tuple(str(i) for i in ids) for ids in stories if isinstance(ids, list))
        return cls({i: n for n, ids in enumerate(members) for i in ids}, members)
