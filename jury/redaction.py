"""Pure redaction of jury-visible text: every known name, person and identifier of an entry becomes a neutral mark.

Polish inflects names (Bolesławiec → Bolesławca, Kraków → Krakowie, bolesławiecki → bolesławieckiego), so names are
matched by stem: the word with its case ending cut off, followed by any letters. This over-redacts a little (a stem
may also start an unrelated word); for blind scoring that is the safe side.
"""

import re
from dataclasses import dataclass

from contest.identifiers import ORGANISATION_WORDS

MARK = "[■■■]"

# Words that describe what a unit or organisation is rather than which one it is; they are redacted only as part
# of a full name, never on their own.
GENERIC_WORDS = ORGANISATION_WORDS | {
    "z",
    "i",
    "w",
    "we",
    "na",
    "dla",
    "do",
    "od",
    "nad",
    "pod",
    "przy",
    "oraz",
    "the",
    "of",
    "and",
    "partnerstwo",
    "partnerstwa",
    "lokalna",
    "grupa",
    "działania",
    "rozwoju",
    "rozwój",
    "centrum",
    "instytut",
    "uniwersytet",
    "akademia",
    "politechnika",
    "szkoła",
    "ośrodek",
    "spółdzielnia",
    "zakład",
    "przedsiębiorstwo",
    "biuro",
    "agencja",
    "izba",
    "koło",
    "klub",
    "towarzystwo",
    "kultury",
    "sportu",
    "pomocy",
    "społecznej",
    "ul.",
    "ulica",
    "obszar",
    "obszaru",
    "funkcjonalnego",
    "funkcjonalny",
    "aglomeracja",
    "metropolia",
    "metropolitalny",
    "metropolitalna",
    "unia",
    "komunalny",
    "komunalne",
    "komunalnych",
    "wodociągi",
    "usług",
    "usługi",
    "razem",
    "wspólnie",
    "dolina",
    "doliny",
    "ziemia",
    "ziemi",
    "regionu",
    "region",
}
VOWEL_ENDINGS = "aeiouyąę"
ADJECTIVE_RE = re.compile(r"(sk|ck|dzk)(i|a|ie|iego|iej|iemu|im|ich|imi|ą|o)$")
UPPER_INITIAL = r"(?=(?-i:[A-ZĄĆĘŁŃÓŚŹŻ]))"
MIN_STEM = 4
WORD_CHARS = r"[^\W\d_]"

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
PHONE_RE = re.compile(
    r"(?:(?:\+|00)\s?48[\s-]?)\(?\d{2,3}\)?[\s-]?\d{3}[\s-]?\d{2,3}(?:[\s-]?\d{1,3})?"
    r"|\b\d{3}-\d{3}-\d{3}\b"
    r"|\b\d{2}[\s-]\d{3}[\s-]\d{2}[\s-]\d{2}\b"
    r"|\b(?:tel|tel\.|telefon|fax|kom|phone)[.:]?\s*\(?\+?[\d\s()-]{7,}\d",
    re.IGNORECASE,
)
# NIP (10), REGON (9 or 14), KRS (10) written as one run of digits or with the usual separators.
IDENTIFIER_RE = re.compile(r"\b\d{9}\b|\b\d{10}\b|\b\d{14}\b|\b\d{3}-\d{2,3}-\d{2}-\d{2,3}\b")


def stem(word, min_stem=MIN_STEM):
    """The part of a Polish name that survives declension, as a regex fragment (or None when too short)."""
    lower = word.casefold()
    base = word
    adjective = ADJECTIVE_RE.search(lower)
    if adjective and adjective.start(2) >= min_stem:
        # bolesławiecki, bolesławieckiego, Lubuskiej → bolesławieck, Lubusk
        return _fragment(word[: adjective.start(2)])
    for ending in ("iec", "ec", "ek"):
        if lower.endswith(ending) and len(word) - len(ending) >= min_stem:
            base = word[: -len(ending)]
            break
    else:
        if lower[-1:] and lower[-1] in VOWEL_ENDINGS and len(word) - 1 >= min_stem:
            base = word[:-1]
    if len(base) < min_stem:
        return None
    return _fragment(base)


def _fragment(base):
    """The stem as a regex, letting ó/o and ą/ę alternate as they do in declension (Kraków → Krakowa)."""
    fragment = ""
    for char in base:
        low = char.casefold()
        if low == "ó":
            fragment += "[óo]"
        elif low == "ą":
            fragment += "[ąę]"
        elif low == "ę":
            fragment += "[ęą]"
        else:
            fragment += re.escape(char)
    return fragment


def word_pattern(word, min_stem=MIN_STEM):
    """A regex matching the word in any of its inflected forms."""
    fragment = stem(word, min_stem)
    if fragment is None:
        # Short names (Ełk, Iłża): the word itself with the common case endings.
        return re.escape(word) + r"(?:a|u|em|ie|owi|y|i|ą|ę|om|ach|ami)?(?!\w)"
    return fragment + WORD_CHARS + "*"


def _words(name):
    return [w for w in re.split(r"[\s,;/()\"„”«»]+", name or "") if w]


def phrase_pattern(name):
    """A regex for a whole multi-word name, each word in any inflected form."""
    parts = []
    for word in _words(name):
        clean = word.strip(".-–")
        if not clean:
            continue
        if not any(c.isalpha() for c in clean):
            parts.append(re.escape(clean))
        else:
            # Inside a whole name a shorter stem is safe: the neighbouring words anchor it.
            parts.append(word_pattern(clean, min_stem=3))
    if not parts:
        return None
    return r"(?<!\w)" + r"[\s\-–.,]+".join(parts)


def distinctive_words(name):
    """Words of a name that identify on their own: not generic, at least three letters."""
    result = []
    for index, word in enumerate(_words(name)):
        # Double-barrelled names (Przybyszewska-Grzmot, Kudowa-Zdrój) identify by each part as well.
        for part in re.split(r"[-–]", word.strip(".'\"")):
            if len(part) < 3 or part.casefold() in GENERIC_WORDS or not part.isalpha():
                continue
            result.append((index, part))
    return result


def digits_pattern(number):
    """A regex for a number written with or without separators between its digits."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) < 5:
        return None
    return r"(?<!\d)" + r"[\s\-.]?".join(digits) + r"(?!\d)"


@dataclass(frozen=True)
class Terms:
    """What to redact for one entry: names (matched as phrases and by distinctive words), people, numbers."""

    names: tuple = ()
    place_names: tuple = ()
    people: tuple = ()
    numbers: tuple = ()
    emails: tuple = ()


def compile_terms(terms):
    patterns = []
    words = set()
    for name in (*terms.names, *terms.place_names, *terms.people):
        pattern = phrase_pattern(name)
        if pattern:
            patterns.append(pattern)
    # Place names and people are redacted word by word too, whatever the rest of the text says around them.
    for name in (*terms.place_names, *terms.people):
        words.update(word for _index, word in distinctive_words(name))
    # In organisation names, capitalised non-generic words are proper names (Bobru, Zbąszynka); they are redacted
    # alone only where they start with a capital, so that "Celowy" in a name does not hide "celowo" in the text.
    proper = set()
    for name in terms.names:
        for index, word in distinctive_words(name):
            if word[:1].isupper() and (index > 0 or len(_words(name)) == 1):
                proper.add(word)
    for word in sorted(words, key=lambda w: (-len(w), w)):
        patterns.append(r"(?<!\w)" + word_pattern(word))
    for word in sorted(proper - words, key=lambda w: (-len(w), w)):
        patterns.append(r"(?<!\w)" + UPPER_INITIAL + word_pattern(word))
    for number in terms.numbers:
        pattern = digits_pattern(number)
        if pattern:
            patterns.append(pattern)
    for email in terms.emails:
        if email:
            patterns.append(re.escape(email))
    # Longest first, so that a full name is replaced as one mark before its parts are.
    patterns.sort(key=len, reverse=True)
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.UNICODE)


def redact(text, compiled):
    """Replace known names and any e-mail, web address, phone number or register number with the mark."""
    if not text:
        return text or ""
    text = EMAIL_RE.sub(MARK, text)
    text = URL_RE.sub(MARK, text)
    if compiled is not None:
        text = compiled.sub(MARK, text)
    text = PHONE_RE.sub(MARK, text)
    text = IDENTIFIER_RE.sub(MARK, text)
    # Neighbouring marks read as one.
    mark = re.escape(MARK)
    return re.sub(rf"\+?{mark}(?:[\s\-–,]*{mark})+|\+{mark}", MARK, text)


def redact_fields(fields, terms):
    """Redact a mapping of field name → text with one compiled pattern."""
    compiled = compile_terms(terms)
    return {key: redact(value, compiled) for key, value in fields.items()}
