"""Polish alphabetical order without a database collation: l < ł < m, s < ś < t, z < ź < ż."""

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_POLISH_ORDER = {letter: index for index, letter in enumerate(POLISH_ALPHABET)}


def polish_sort_key(text):
    """Alphabetical order as a Polish reader expects it (l < ł < m, s < ś < t), without a database collation."""
    return [(_POLISH_ORDER.get(char, len(POLISH_ALPHABET)), char) for char in str(text).casefold()]
