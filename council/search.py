"""Full-text search over papers: title, items and text sections.

On PostgreSQL a maintained `search_vector` (German stemming, weighted title >
items > sections) is ranked with SearchRank, and trigram similarity catches
compound words and typos. SQLite gets a plain substring fallback.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat

from .models import Paper, PaperSection, ResolutionItem


def _is_postgres():
    return connection.vendor == "postgresql"


# A search ranks the newest this many of its matches (the pages show them best
# first). Ranking reads each match's search vector and compares its title: for a
# common word at 100,000 papers that was 4,300 matches for a page of 20 (issue 12).
SEARCH_CANDIDATES = 500
# Matches beyond this many are not counted ("mehr als 10.000").
SEARCH_COUNTED = 10_000
# Full-text matches below this many: similar titles are searched too.
FEW_MATCHES = 20


def find_papers(papers, text):
    """(`papers` narrowed to those matching `text`, best match first, how many
    papers match, up to SEARCH_COUNTED + 1, or None where the database counts
    them later). A bare number ("949", "Drs. 949") finds the papers of that
    number, newest first."""
    text = " ".join(text.split())
    if not text:
        return papers, None
    number = Paper.split_number(text)
    if number is not None:
        return papers.with_number(number), None
    if _is_postgres():
        return _postgres_search(papers, text)
    return _plain_search(papers, text), None


def _plain_search(papers, text):
    matches = Q()
    for word in text.split():
        matches &= (
            Q(title__icontains=word)
            | Exists(
                ResolutionItem.objects.filter(
                    paper=OuterRef("pk"), text__icontains=word
                )
            )
            | Exists(
                PaperSection.objects.filter(paper=OuterRef("pk"), body__icontains=word)
            )
        )
    return papers.filter(matches)


class WordSimilar(Func):
    """`query <% title`: word similarity above pg_trgm.word_similarity_threshold.

    The operator (unlike a comparison of word_similarity()) can use the trigram
    index on the title. The default threshold 0.6 lets "Integrationsmanager" find
    "Integrationsmanagements" and single typos through, but not a paper that only
    shares "Integration".
    """

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


# Markers around the matched words of a headline; control characters, so that the
# text can be escaped first and the markers turned into <mark> after (see
# templatetags/council_format.highlight).
MARK_START, MARK_STOP = "\x02", "\x03"


def _body_text():
    """A paper's items and sections as one text, for the headline under a hit."""

    def joined(model, field):
        return Coalesce(
            Subquery(
                model.objects.filter(paper=OuterRef("pk"))
                .order_by()
                .values("paper")
                .annotate(text=StringAgg(field, " "))
                .values("text")
            ),
            Value(""),
            output_field=TextField(),
        )

    return Concat(
        joined(ResolutionItem, "text"),
        Value(" "),
        joined(PaperSection, "body"),
        output_field=TextField(),
    )


def _postgres_search(papers, text):
    query = SearchQuery(text, config="german", search_type="websearch")
    columns = ("pk", "year", "number", "suffix")
    by_words = papers.filter(search_vector=query)
    # Titles similar to the text (typos, parts of compounds) only where the words
    # themselves find less than a page: comparing the text with every title the
    # trigram index offers was most of a search's time (issue 12). PostgreSQL
    # evaluates the uncorrelated EXISTS once and skips the whole branch.
    few_by_words = ~Exists(by_words.order_by()[FEW_MATCHES - 1 : FEW_MATCHES])
    by_title = papers.filter(few_by_words, WordSimilar(Value(text), F("title")))
    # One pass over the matches finds them, newest first, and so counts them up
    # to SEARCH_COUNTED + 1; only the newest SEARCH_CANDIDATES are ranked. Each
    # branch stops there by itself: a word in half of all papers was a sort of
    # 47,000 matches for the whole union (220 ms at 100,000 papers), and UNION
    # ALL spares the hashing of every row. A paper found both ways is counted
    # once; there are fewer such papers than FEW_MATCHES (the words' matches),
    # so that many more rows hold the first `limit` papers.
    newest, limit = ("-year", "-number", "suffix"), SEARCH_COUNTED + 1
    rows = (
        by_words.values_list(*columns)
        .order_by(*newest)[:limit]
        .union(by_title.values_list(*columns).order_by(*newest)[:limit], all=True)
        .order_by(*newest)[: limit + FEW_MATCHES]
    )
    found = list(dict.fromkeys(row[0] for row in rows))[:limit]
    # The headline in the same query: PostgreSQL evaluates such an expensive
    # expression after the sort and LIMIT, for the page's rows only (EXPLAIN
    # ANALYZE at 36,000 papers: its subqueries loop 20 times for 932 hits).
    ranked = (
        # The candidates as one array parameter: 500 separate ones cost Django
        # 20,000 calls to prepare.
        papers.filter(
            pk__in=RawSQL("SELECT unnest(%s::bigint[])", [found[:SEARCH_CANDIDATES]])
        )
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            similarity=TrigramWordSimilarity(Value(text), "title"),
            headline=SearchHeadline(
                _body_text(),
                query,
                config="german",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by((F("rank") + F("similarity")).desc(), "-year", "-number", "suffix")
    )
    return ranked, len(found)
