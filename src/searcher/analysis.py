"""Analyze text: normalization, the word tokenizer the index ranks with, and the lines exact matching compares.

Chinese has no spaces between words, so an index has to decide what its terms are. searcher keeps two views of every
text, and each answers a different question:

* **Words** (:class:`JiebaTokenizer`): jieba's segmentation, with search-mode sub-words at index time
  (共同富裕 → 共同, 富裕, 共同富裕). Words drive *ranking* (BM25F) and completions. They cannot drive *matching*:
  jieba cuts the same string differently in different contexts (振兴战 in a query is not a word of
  乡村振兴战略 in the text), so a word index misses strings that are plainly in an article.
* **Characters** (:func:`match_lines`): the text itself, line by line, searched by suffix array
  (:mod:`searcher.arrays`), so a term matches exactly when it is a substring of a line of the text. This is the
  recall guarantee. (Up to schema 8 it was character unigram and bigram fields, three quarters of all postings.)

Both views see the text through :func:`normalize` (NFKC, lower case, traditional characters folded to simplified),
*for matching only*: stored text stays as printed, and every token keeps ``startchar``/``endchar`` offsets into the
original string. Normalization is done one character at a time, so that each normalized character maps back to
exactly one printed character; that map is what lets the highlighter mark the printed text.

Positions follow Whoosh's convention (a counter, not a character offset — jieba's own ``ChineseTokenizer`` puts the
character offset in ``pos``, which breaks phrase queries).

The user dictionary (``userdict.txt`` beside this module) is loaded when this module is imported, so every process
that can analyze text — the indexer, its worker processes, each gunicorn worker — segments the same way. Any change to
the dictionary or to the tokenizers changes :data:`ANALYZER_VERSION`, and an index built by another version is refused
until it is rebuilt (see :mod:`searcher.index`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources

import jieba
import opencc
from whoosh.analysis import Token, Tokenizer

__all__ = [
    "ANALYZER_VERSION",
    "JiebaTokenizer",
    "match_lines",
    "normalize",
    "normalize_with_offsets",
    "query_words",
    "word_analyzer",
    "word_postings",
]

jieba.setLogLevel(logging.WARNING)

_USERDICT = resources.files("searcher").joinpath("userdict.txt").read_bytes()
jieba.load_userdict(_USERDICT.decode("utf-8").splitlines())

#: Bump the leading number whenever tokenization changes in a way the index can see. OpenCC's version is part of it:
#: its tables decide the script folding.
ANALYZER_VERSION = (
    f"4/jieba-{jieba.__version__}/opencc-{opencc.__version__}/dict-{hashlib.sha1(_USERDICT).hexdigest()[:10]}"
)

# Traditional → simplified, one character at a time (see _NormTable). The compiled OpenCC is used rather than the
# pure-Python reimplementation: it is called once per distinct character, so its speed hardly matters, but it is
# OpenCC's own maintained tables, and its import costs milliseconds.
_T2S = opencc.OpenCC("t2s")


class _NormTable(dict):
    """A ``str.translate`` table that normalizes each character (NFKC, lower case, simplified) on first sight.

    Folding traditional characters one by one (OpenCC's character table, not its phrase tables) is what matching
    needs: the index and the query fold the same character the same way whatever surrounds it, and each printed
    character still maps to exactly one normalized character, so highlights land on the printed text.

    ``str.translate`` looks characters up in C, so after warm-up normalizing a text costs about as much as copying it;
    ``__missing__`` runs once per distinct character. ``changes_length`` collects the characters whose normal form is
    not exactly one character (ﬁ → fi, ㈠ → (一)), which is when offsets must be mapped one by one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.changes_length: set[str] = set()

    def __missing__(self, code: int) -> str:
        char = chr(code)
        normal = "".join(_fold(c) for c in unicodedata.normalize("NFKC", char).lower())
        if len(normal) != 1:
            self.changes_length.add(char)
        self[code] = normal
        return normal


def _fold(char: str) -> str:
    """Return the simplified form of one character (itself when OpenCC has none, or gives more than one)."""
    folded = _T2S.convert(char)
    return folded if len(folded) == 1 else char


_TABLE = _NormTable()


def normalize(text: str) -> str:
    """Return the form of ``text`` used for matching: NFKC, lower case and simplified, one character at a time.

    Full-width and half-width forms match each other (２６县 and 26县, ＬＥＤ and led), and so do traditional and
    simplified characters (數字化 and 数字化); the printed text is never replaced by this form.
    """
    return text.translate(_TABLE)


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Normalize ``text`` and say where each normalized character came from.

    :return: ``(normal, offsets)`` where ``offsets[i]`` is the index in ``text`` of the character that produced
        ``normal[i]``; ``offsets`` is ``None`` when the two strings line up one to one (the usual case).
    """
    normal = text.translate(_TABLE)
    if len(normal) == len(text) and _TABLE.changes_length.isdisjoint(text):
        return normal, None
    offsets: list[int] = []
    for i, char in enumerate(text):
        offsets.extend([i] * len(char.translate(_TABLE)))
    return normal, offsets


_WORD_CHAR = re.compile(r"\w", re.UNICODE)


class _SpanTokenizer(Tokenizer):
    """A Whoosh tokenizer over the normalized text: subclasses say which spans are tokens, this class makes Tokens.

    ``_spans`` yields ``(text, start, end, position)`` with offsets into the normalized text; they are mapped back to
    the printed text here, once for both tokenizers.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), *sorted(vars(self).items())))

    def _spans(self, normal: str, tokenize: bool, mode: str) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def __call__(  # noqa: PLR0913, PLR0917 - Whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        normal, offsets = normalize_with_offsets(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, start, end, pos in self._spans(normal, tokenize, mode):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + (offsets[start] if offsets else start)
                token.endchar = start_char + (offsets[end - 1] + 1 if offsets else end)
            yield token


class JiebaTokenizer(_SpanTokenizer):
    """Yield jieba's words of the normalized text, with search-mode sub-words at index time.

    Positions count words; a sub-word shares the position of the word it is part of, so a phrase of whole words
    still matches consecutive positions. Whitespace and punctuation-only tokens are dropped: they carry no meaning for
    ranking (matching is the suffix arrays' job). With ``mode="query"`` no sub-words are added, so a query word
    is not diluted into its parts.
    """

    def _spans(self, normal: str, tokenize: bool, mode: str) -> Iterator[tuple[str, int, int, int]]:
        if not tokenize:
            return iter([(normal, 0, len(normal), 0)])
        return _word_spans(normal, subwords=mode != "query")


def _word_spans(normal: str, subwords: bool) -> Iterator[tuple[str, int, int, int]]:
    """Yield ``(word, start, end, ordinal)`` for jieba's words of ``normal``.

    The sub-words are the dictionary 2- and 3-grams inside a longer word, exactly as ``jieba.tokenize(mode="search")``
    picks them (jieba 0.42.1 ``Tokenizer.tokenize``); they are rebuilt here so that they can share their word's
    ordinal position.
    """
    freq = jieba.dt.FREQ
    start = 0
    ordinal = 0
    for word in jieba.cut(normal, HMM=True):
        width = len(word)
        if _WORD_CHAR.search(word):
            if subwords and width > 2:
                for n in (2, 3):
                    if width > n:
                        for i in range(width - n + 1):
                            gram = word[i : i + n]
                            if freq.get(gram):
                                yield gram, start + i, start + i + n, ordinal
            yield word, start, start + width, ordinal
            ordinal += 1
        start += width


_LINE_SPLIT = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")
_SPACES = re.compile(r"\s+")


def match_lines(value: str) -> list[str]:
    """Return the lines of ``value`` in the form exact matching compares: normalized, each run of spaces one space.

    A term matches where its normalized text occurs inside one of these lines (:mod:`searcher.arrays`).
    """
    return [_SPACES.sub(" ", line) for line in _LINE_SPLIT.split(normalize(value))]


def word_postings(value: str) -> dict[str, list[int]]:
    """Return each word of ``value`` (with search-mode sub-words) and its positions, as the index writes them.

    Exactly the words and positions :class:`JiebaTokenizer` yields at index time, without a Token per word (what
    :class:`searcher.writing.SegmentBuilder` writes); a sub-word inside a word repeats that word's position.
    """
    postings: dict[str, list[int]] = {}
    for word, _, _, ordinal in _word_spans(normalize(value), subwords=True):
        postings.setdefault(word, []).append(ordinal)
    return postings


def query_words(text: str) -> list[str]:
    """Return jieba's words of a query string (normalized, no sub-words, no punctuation)."""
    return [word for word, _, _, _ in _word_spans(normalize(text), subwords=False)]


def word_analyzer() -> JiebaTokenizer:
    """Return the analyzer of the word fields (title, body, byline)."""
    return JiebaTokenizer()
