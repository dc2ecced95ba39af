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

from ocop.search.text import fold

WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 8
PREFIX_FROM = 4  # letters: shorter words are whole Vietnamese syllables


def words(query: str) -> list[str]:
    """The query as folded words ("Đắk-Nông!" → ["dak", "nong"])."""
    return WORD.findall(fold(query))[:MAX_WORDS]


def _sqlite(qs: QuerySet, terms: list[str]) -> QuerySet:
    match = " ".join(f'"{t}"*' if len(t) >= PREFIX_FROM else f'"{t}"' for t in terms)
    return qs.extra(
        tables=["catalog_listing_fts"],
        where=[
            "catalog_listing_fts.rowid = catalog_listing.id",
            "catalog_listing_fts MATCH %s",
        ],
        params=[match],
        select={"rank": "-bm25(catalog_listing_fts, 10.0, 4.0, 1.0)"},
    )


def _postgresql(qs: QuerySet, terms: list[str]) -> QuerySet:
    tsquery = " & ".join(f"{t}:*" if len(t) >= PREFIX_FROM else t for t in terms)
    return qs.extra(
        where=["catalog_listing.search_vector @@ to_tsquery('simple', %s)"],
        params=[tsquery],
        select={"rank": "ts_rank(catalog_listing.search_vector, to_tsquery('simple', %s))"},
        select_params=[tsquery],
    )


def matching(qs: QuerySet, query: str) -> QuerySet:
    """`qs` (listings) narrowed to those matching `query`, annotated with `rank` (higher is
    better). An empty query leaves `qs` as it is, without a rank."""
    terms = words(query)
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        return _postgresql(qs, terms)
    return _sqlite(qs, terms)
