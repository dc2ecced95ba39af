"""Catalogue search, one interface over the two databases (chosen by the one in use):

- SQLite: an FTS5 table `catalog_listing_fts` (name, producer, body), kept in step with
  the listing rows by triggers, ranked by bm25 with weights 10, 4 and 1;
- PostgreSQL: a generated, GIN-indexed `tsvector` column `search_vector` (weights A, B and
  C, the 'simple' configuration), ranked by ts_rank.

The indexed text is folded (no diacritics, "đ" → "d", lower case) before it is stored and
so is the query, so "che ta xua" finds "Chè Shan Tuyết Tà Xùa" on both. Every query word
of four letters or more also matches as a prefix ("arab" finds "Arabica"); a shorter one is
a whole syllable ("tra" finds "Trà", not "Tràng"), in any order, all of them required.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ocop.search.text import fold

WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 8
PREFIX_FROM = 4  # letters: shorter words are whole Vietnamese syllables


def words(query: str) -> list[str]:
    """The query as folded words ("Đắk-Nông!" → ["dak", "nong"])."""
    return WORD.findall(fold(query))[:MAX_WORDS]


def _sqlite_match(terms: list[str]) -> str:
    return " ".join(f'"{t}"*' if len(t) >= PREFIX_FROM else f'"{t}"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    return " & ".join(f"{t}:*" if len(t) >= PREFIX_FROM else t for t in terms)


# The orders a query's matches can be read in, as SQL on catalog_listing: `relevance` puts
# the best match first ({rank} is the match's relevance), the others ignore the words.
ORDERS = {
    "relevance": "{rank} DESC, catalog_listing.stars DESC, catalog_listing.recognised_on DESC, "
    "catalog_listing.id",
    "stars": "catalog_listing.stars DESC, catalog_listing.recognised_on DESC, catalog_listing.id",
    "newest": "catalog_listing.recognised_on DESC, catalog_listing.stars DESC, catalog_listing.id",
}


def ranked_rows(
    query: str, columns: list[str], where: str, params: list, *, order: str = "relevance"
) -> list[tuple] | None:
    """The matching listings' `columns` (of catalog_listing, as SQL) in the order `order`
    (one of ORDERS), restricted by `where` (SQL on catalog_listing, with `params`); None when
    the query has no word. One evaluation of the match, read with a plain cursor: a common
    word matches thousands of listings, which the database sorts faster than Python."""
    terms = words(query)
    if not terms:
        return None
    select = ", ".join(f"catalog_listing.{c}" for c in columns)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {select} FROM catalog_listing, "
            f"to_tsquery('simple', %s) AS q WHERE search_vector @@ q AND {where}"
        )
        args, rank = [_tsquery(terms), *params], "ts_rank(search_vector, q)"
    else:
        # CROSS JOIN makes SQLite start from the index, not from a filter on the listings.
        sql = (
            f"SELECT {select} FROM catalog_listing_fts CROSS JOIN catalog_listing "
            "ON catalog_listing.id = catalog_listing_fts.rowid "
            f"WHERE catalog_listing_fts MATCH %s AND {where}"
        )
        args, rank = [_sqlite_match(terms), *params], "-bm25(catalog_listing_fts, 10.0, 4.0, 1.0)"
    sql += " ORDER BY " + ORDERS.get(order, ORDERS["relevance"]).format(rank=rank)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def matching(qs: QuerySet, query: str) -> QuerySet:
    """`qs` (listings) narrowed to those matching `query` (an empty query leaves it as it is).
    The match is a subquery on the index, which both databases run first."""
    terms = words(query)
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        sql = "SELECT id FROM catalog_listing WHERE search_vector @@ to_tsquery('simple', %s)"
        return qs.filter(pk__in=RawSQL(sql, [_tsquery(terms)]))
    sql = "SELECT rowid FROM catalog_listing_fts WHERE catalog_listing_fts MATCH %s"
    return qs.filter(pk__in=RawSQL(sql, [_sqlite_match(terms)]))
