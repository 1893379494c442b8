"""What to run for a search: the user's terms as a Whoosh query tree of matching and ranking, with its filters.

**Matching** is exact: a term matches an article when its normalized text occurs in the article's headline, byline,
body, captions or credits (:class:`~searcher.matching.Exact`, answered by each segment's suffix arrays), so what the
user typed is found whatever jieba makes of it, and nothing else is. Terms in a group are alternatives (或, an
abbreviation's other forms, a pinyin reading), groups must all match, excluded terms must not.

**Ranking** only orders what matched. By default (``"words"``) it is BM25F over jieba's words of each term (headline
×3, byline ×2, body), with bonuses for a term found whole in the headline and for the words of a term (and of the
terms, in the order typed) found side by side, so exact and adjacent matches rank above scattered ones.
``"strings"`` is BM25 over how often each typed term occurs, counted by the suffix arrays that matched it
(:class:`~searcher.matching.Counted`, headline ×3), with the same bonuses; ``"blend"`` adds both. ``bench/ranking.py``
measures the three on known-item searches over 24,100 news items (whole headlines, 6–12-character spans of
headlines, an article's three key words): ``"words"`` ranks best on spans and key words (MRR 0.864 and 0.688
against 0.847 and 0.641), ``"strings"`` costs a third as much on a term's first search (it reads no word postings).
Ranking is what users see, so words rank; the others stay, measured on every ``make bench``.

**Filters**: series and dates go into the query (they narrow the facet counts too); the unit filter is applied by
:mod:`searcher.evaluate` after the facets are counted, so every unit stays visible, with its count, to be toggled.

A Latin term may be pinyin typed by mistake: :func:`read_pinyin` adds the word it spells as another form of it when
the term itself matches nothing, or far less than the word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from whoosh import query

from searcher import evaluate
from searcher.analysis import query_words
from searcher.matching import Adjacent, Counted, exact
from searcher.postings import Segments
from searcher.query import ParsedQuery, Term, parse
from searcher.search.request import Request
from searcher.spelling import Words, is_pinyin

__all__ = [
    "constrained",
    "corrections_that_find",
    "match_query",
    "plan",
    "read_pinyin",
    "unit_filter",
    "unmatched",
    "whoosh_query",
]

TITLE_BONUS = 4.0
RANKINGS = ("words", "strings", "blend")  # the first is the default
TITLE_WEIGHT = 3.0  # a string's occurrences in the headline count as three in the body
PHRASE_BOOST = 2.0
PINYIN_RATIO = 10  # a Latin term is also read as pinyin when its reading is in this many times more articles


def plan(
    segments: Segments, words: Callable[[], Words], request: Request
) -> tuple[ParsedQuery, tuple[tuple[str, str], ...], query.Query]:
    """Return the parsed query (with pinyin readings added), the readings, and the Whoosh query to run."""
    parsed, readings = request.parsed, ()
    if not request.literal and not request.browsing:
        parsed, readings = read_pinyin(segments, words, parsed)
    base = whoosh_query(parsed) if not request.browsing else query.Every()
    return parsed, readings, constrained(base, request.series, request.date_from, request.date_to)


def match_query(term: Term) -> query.Query:
    """The exact-match query of one term (what decides whether an article is a result)."""
    if term.title_only:
        return exact("title", term.text)
    return query.Or([exact("title", term.text), exact("text", term.text)])


def _rank(term: Term, ranking: str) -> list[query.Query]:
    """The optional queries that score an article for one term."""
    scoring: list[query.Query] = []
    if ranking in {"words", "blend"}:
        words = query_words(term.text)
        fields = ("title",) if term.title_only else ("title", "byline", "body")
        scoring += [query.Term(f, w) for f in fields for w in words]
        if len(words) > 1:
            scoring.extend(Adjacent(f, words, boost=PHRASE_BOOST) for f in fields if f != "byline")
    if ranking in {"strings", "blend"}:
        scoring.append(Counted("title", term.text, boost=TITLE_WEIGHT))
        if not term.title_only:
            scoring.append(Counted("text", term.text))
    scoring.append(query.ConstantScoreQuery(exact("title", term.text), TITLE_BONUS))
    return scoring


def whoosh_query(parsed: ParsedQuery, ranking: str = RANKINGS[0]) -> query.Query:
    """The query tree of a parsed query: its groups must match (exactly), its exclusions must not, and its ranking
    queries score only what matched (``AndMaybe`` over a constant-scored match).

    :param ranking: one of :data:`RANKINGS` (see the module docstring).
    """
    if ranking not in RANKINGS:
        raise ValueError(f"unknown ranking {ranking!r}: one of {', '.join(RANKINGS)}")
    required = query.And([query.Or([match_query(t) for t in group]) for group in parsed.groups])
    if parsed.excluded:
        required = query.AndNot(required, query.Or([match_query(t) for t in parsed.excluded]))
    ranking_queries = [q for term in parsed.terms for q in _rank(term, ranking)]
    if len(parsed.terms) > 1:
        # The whole query as one string in the headline: a pasted headline finds its article first.
        # (also as typed, punctuation and all: a headline pasted with its ，、 splits into terms)
        for whole in dict.fromkeys((" ".join(t.text for t in parsed.terms), parsed.whole)):
            if whole:
                ranking_queries.append(query.ConstantScoreQuery(exact("title", whole), TITLE_BONUS * 2))
    if len(parsed.groups) > 1 and all(len(g) == 1 for g in parsed.groups):
        # The terms side by side, in the order typed, rank above the same terms scattered.
        if ranking in {"words", "blend"}:
            words = [w for t in parsed.terms for w in query_words(t.text)]
            if len(words) > 1:
                ranking_queries.extend(Adjacent(f, words, boost=PHRASE_BOOST) for f in ("title", "body"))
        if ranking in {"strings", "blend"}:
            joined = "".join(t.text for t in parsed.terms)
            ranking_queries += [
                Counted("title", joined, boost=PHRASE_BOOST * TITLE_WEIGHT),
                Counted("text", joined, boost=PHRASE_BOOST),
            ]
    return query.AndMaybe(query.ConstantScoreQuery(required, 0.0), query.Or(ranking_queries))


def constrained(base: query.Query, series: Sequence[str], date_from: str, date_to: str) -> query.Query:
    """Add the series and date filters to the query itself: unlike units, they narrow the facet counts too."""
    parts = [base]
    if series:
        parts.append(query.Or([query.Term("series", x) for x in series]))
    if date_from or date_to:
        parts.append(query.TermRange("date", date_from or None, date_to or None))
    return parts[0] if len(parts) == 1 else query.And(parts)


def unit_filter(units: Sequence[str]) -> query.Query | None:
    """The unit filter's query: any of the units, or ``None`` for no filter."""
    return query.Or([query.Term("unit", u) for u in units]) if units else None


def read_pinyin(
    segments: Segments, words: Callable[[], Words], parsed: ParsedQuery
) -> tuple[ParsedQuery, tuple[tuple[str, str], ...]]:
    """Also search a Latin term's pinyin reading when the term itself matches nothing, or far less than it.

    The reading is added as another form of the term (never instead of it), and reported.

    :param words: returns the index's words table (loaded only for a query that may be pinyin).
    """
    if not any(is_pinyin(term.text) for term in parsed.terms):
        return parsed, ()  # the words table is loaded only for a query that may be pinyin
    table = words()
    singles = [group[0] for group in parsed.groups if len(group) == 1]
    if (
        len(singles) == len(parsed.groups) > 1
        and not parsed.excluded
        and all(is_pinyin(t.text) and not t.title_only for t in singles)
    ):
        # Pinyin typed with spaces (gong tong fu yu): one reading for the whole query, when its terms together
        # match nothing; the terms are then searched as the phrase they were typed as, or the reading.
        found = table.read_pinyin("".join(t.text for t in singles), limit=1)
        if found and not evaluate.count(segments, whoosh_query(parsed), limit=1):
            typed = " ".join(t.typed for t in singles)
            phrase = Term(" ".join(t.text for t in singles), typed)
            reading = Term(found[0], found[0], expanded_from=typed)
            return ParsedQuery(((phrase, reading),)), ((typed, found[0]),)
    groups, readings = [], []
    for group in parsed.groups:
        terms = list(group)
        for term in group:
            if term.expanded_from or not is_pinyin(term.text):
                continue
            found = table.read_pinyin(term.text, limit=1)
            if not found:
                continue
            word = found[0]
            enough = table.frequency[word] // PINYIN_RATIO + 1
            literal_count = evaluate.count(segments, match_query(term), limit=enough)
            if literal_count < enough:
                terms.append(replace(term, text=word, typed=word, expanded_from=term.typed))
                readings.append((term.typed, word))
        groups.append(tuple(terms))
    return replace(parsed, groups=tuple(groups)), tuple(readings)


def unmatched(segments: Segments, parsed: ParsedQuery) -> tuple[tuple[str, ...], str | None]:
    """Say which terms match no article at all, and the query without them (if anything is left)."""
    missing = tuple(
        term.typed
        for group in parsed.groups
        for term in group
        if not term.expanded_from
        and all(
            not evaluate.count(segments, match_query(form), limit=1)
            for form in group
            if form is term or form.expanded_from == term.typed
        )
    )
    rest = parsed.without(set(missing)) if missing else ""
    return missing, (rest if rest and parse(rest).groups else None)


def corrections_that_find(segments: Segments, parsed: ParsedQuery, typed: str, words: Sequence[str]) -> tuple[str, ...]:
    """Keep the ``words`` that, put in place of the term typed as ``typed``, make the whole query find something:
    a correction that would find nothing with the rest of the query is no help (量子 → 样子 beside 共同富裕)."""
    kept = []
    for word in words:
        groups = tuple(
            tuple(replace(term, text=word, typed=word) if term.typed == typed else term for term in group)
            for group in parsed.groups
        )
        if evaluate.count(segments, whoosh_query(replace(parsed, groups=groups)), limit=1):
            kept.append(word)
    return tuple(kept)
