"""The one normal form of text for the public search: lower case, Polish letters transliterated, punctuation gone.

PublishedEntry.search_text is built with search_form() and every search query goes through it too, so `lodz`,
`Łódź` and `ŁÓDŹ` all find Łódź on any database (no collation or unaccent extension needed)."""

from slugify import slugify

from contest.collation import POLISH_ALPHABET, polish_sort_key  # noqa: F401 (kept where results code imports it)

MAX_TERMS = 8  # words of a query that count; more only slow the query down without narrowing it usefully


def search_form(text):
    """`Łódź – Metropolia, "Razem"` -> `lodz metropolia razem` (words separated by single spaces)."""
    return slugify(str(text or ""), separator=" ")


def search_terms(query):
    """The distinct words of a query in search form, at most MAX_TERMS of them, in the order typed."""
    terms = []
    for term in search_form(query).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]
