"""Pure redaction of jury-visible text: every known name, person and identifier of an entry becomes a neutral mark.

Polish inflects names (Bolesławiec → Bolesławca, Kraków → Krakowie, bolesławiecki → bolesławieckiego), so names are
matched by stem: the word with its case ending cut off, followed by any letters, its last consonant allowed to soften
as it does in the locative (Sopot → Sopocie, Poznań → Poznaniu, Trójmiasto → Trójmieście). This over-redacts a little
(a stem may also start an unrelated word); for blind scoring that is the safe side.

Names the register does not know are covered too:
- acronyms of organisation names, one initial per capitalised word, and per capitalised part of a hyphenated word
  ("Gdańsko-Gdyńsko-Sopocki Obszar Metropolitalny" → GGSOM), matched case-sensitively with a case ending
  (GGSOM-u, GGSOMie); lower-case words (i, w, na) give no initial; acronyms shorter than three letters (UE, RP are
  everyday words) and acronyms of names made only of generic words (Lokalna Grupa Działania) are not redacted;
- adjectives formed from place names with their consonant change (Gdańsk → gdański, Sopot → sopocki, Ełk → ełcki,
  Nowy Targ → nowotarski, Kalisz → kaliski, Wałbrzych → wałbrzyski, Bełchatów → bełchatowski), in every case,
  gender and number (-ski/-ska/-skie/-skiego/-skiej/-skim/-skich/-skimi/-ską/-scy, the same for -cki/-ccy);
- extra terms an organiser lists for the edition (nicknames, mayors, local brands), each as a whole phrase in any
  inflected form.
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
LOWER_CHARS = "a-ząćęłńóśźż"
MIN_ACRONYM = 3

# The last consonant of a stem as it may change in the locative and dative (Sopot → Sopocie, Poznań → Poznaniu,
# Trójmiasto → Trójmieście, Łódź → Łodzi, Piotr → Piotrze); longest endings first.
SOFTENING = [
    ("st", "(?:st|ść|śc)"),
    ("sł", "(?:sł|śl)"),
    ("zd", "(?:zd|źdz)"),
    ("ch", "(?:ch|sz|ś)"),
    ("t", "(?:t|c)"),
    ("d", "(?:d|dz)"),
    ("r", "(?:r|rz)"),
    ("ł", "(?:ł|l)"),
    ("k", "(?:k|c)"),
    ("g", "(?:g|dz)"),
    ("ń", "(?:ń|n)"),
    ("ć", "(?:ć|c)"),
    ("ś", "(?:ś|s)"),
    ("ź", "(?:ź|z)"),
]
# Case, gender and number endings of an adjective whose stem ends in -sk/-ck/-dzk (the masculine personal plural
# -scy/-ccy/-dzcy is written separately); -o and -u for compounds and adverbs (gdańsko-gdyński, po gdańsku).
ADJECTIVE_ENDINGS = "(?:i|a|ie|iego|iej|iemu|im|ich|imi|ą|o|u)"
# Adjectives formed from place names: (ending of the name without its final vowel, what replaces it), first match.
ADJECTIVE_RULES = [
    ("czk", "ck"),  # Wieliczka → wielicki
    ("dzk", "dzk"),
    ("ńsk", "ńsk"),
    ("sk", "sk"),
    ("ck", "ck"),
    ("zk", "zk"),
    ("rk", "rsk"),  # Lębork → lęborski
    ("k", "ck"),  # Ełk → ełcki, Zbąszynek → zbąszynecki
    ("g", "sk"),  # Nowy Targ → nowotarski, Brzeg → brzeski
    ("szcz", "sk"),  # Bydgoszcz → bydgoski
    ("sz", "sk"),  # Kalisz → kaliski
    ("ch", "sk"),  # Wałbrzych → wałbrzyski, Tychy → tyski
    ("rz", "rsk"),  # Sandomierz → sandomierski
    ("dź", "dzk"),  # Łódź → łódzki
    ("dz", "dzk"),  # Sieradz → sieradzki
    ("d", "dzk"),  # Ostróda → ostródzki, Stargard → stargardzki
    ("t", "ck"),  # Sopot → sopocki
    ("c", "ck"),  # Katowice → katowicki
    ("ów", "owsk"),  # Bełchatów → bełchatowski
    ("n", "ńsk"),  # Szczecin → szczeciński, Gdynia → gdyński
    ("", "sk"),  # Tczew → tczewski, Radom → radomski, Poznań → poznański
]
SOFT_BEFORE_I = {"n": "ń", "s": "ś", "z": "ź", "c": "ć"}

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
    return _softened(fragment) + WORD_CHARS + "*"


def _softened(fragment):
    """The stem with its last consonant free to soften and a final "ia" free to become "ie" (miasto → mieście)."""
    for ending, alternatives in SOFTENING:
        escaped = re.escape(ending)
        if fragment.casefold().endswith(escaped) and len(fragment) > len(escaped):
            head = fragment[: -len(escaped)]
            if head.casefold().endswith("ia"):
                head = head[:-1] + "[ae]"
            return head + alternatives
    return fragment


def acronym(name):
    """The initials of a name's capitalised words and hyphenated parts (GGSOM), or None when too short or generic."""
    letters = []
    distinctive = False
    for word in _words(name):
        for part in re.split(r"[-–]", word):
            part = part.strip(".'\"")
            if not part[:1].isalpha() or not part[:1].isupper():
                continue
            letters.append(part[0])
            distinctive = distinctive or part.casefold() not in GENERIC_WORDS
    if len(letters) < MIN_ACRONYM or not distinctive:
        return None
    return "".join(letters)


def acronym_pattern(initials):
    """The acronym as written, upper case only, with or without a hyphen before a case ending (GGSOM-u, GGSOMie)."""
    return rf"(?<!\w)(?-i:{re.escape(initials)}(?:-?[{LOWER_CHARS}]+)?)(?!\w)"


def adjective_stem(word):
    """The stem (ending in -sk, -ck or -dzk) of the adjective formed from a one-word place name, or None.

    Gdańsk → gdańsk, Sopot → sopock, Gdynia → gdyńsk, Kalisz → kalisk, Wałbrzych → wałbrzysk, Ełk → ełck.
    """
    base = word.casefold()
    if not base.isalpha() or ADJECTIVE_RE.search(base) or base in GENERIC_WORDS:
        return None
    if base[-1] in VOWEL_ENDINGS:
        base = base[:-1]
        if base.endswith("i"):
            # Gdynia → gdyń-, Kłodzko keeps its -k.
            base = base[:-2] + SOFT_BEFORE_I.get(base[-2:-1], base[-2:-1]) if len(base) > 1 else base
    for ending, replacement in ADJECTIVE_RULES:
        if base.endswith(ending):
            result = base[: len(base) - len(ending)] + replacement
            return result if len(result) >= MIN_STEM else None
    return None


def place_adjective_stems(name):
    """Adjective stems of a place name: each hyphenated part, the first word, or the compound of two (nowotarsk)."""
    words = [w for w in _words(name) if w.isalpha() or "-" in w]
    if not words:
        return []
    first = words[0]
    stems = []
    if len(words) >= 2 and first.casefold()[-1:] in ("y", "a", "e", "i") and len(first) > 3:
        # Nowy Targ → nowotarski, Zielona Góra → zielonogórski, Jelenia Góra → jeleniogórski.
        second = adjective_stem(words[1])
        if second:
            stems.append(first.casefold()[:-1] + "o" + second)
    else:
        stems += [s for s in (adjective_stem(part) for part in re.split(r"[-–]", first)) if s]
    return list(dict.fromkeys(stems))


def adjective_pattern(adjective):
    """Every form of the adjective: gdański, gdańska, gdańskiego, gdańską, gdańscy…"""
    head = _fragment(adjective[:-1])
    return rf"(?<!\w){head}(?:k{ADJECTIVE_ENDINGS}|cy)(?!\w)"


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
    extra: tuple = ()  # an edition's own terms (nicknames, mayors, local brands), each redacted as a whole phrase


def compile_terms(terms):
    patterns = []
    words = set()
    for name in (*terms.names, *terms.place_names, *terms.people, *terms.extra):
        pattern = phrase_pattern(name)
        if pattern:
            patterns.append(pattern)
    for name in terms.names:
        initials = acronym(name)
        if initials:
            patterns.append(acronym_pattern(initials))
    adjectives = {adjective for name in terms.place_names for adjective in place_adjective_stems(name)}
    for adjective in sorted(adjectives):
        patterns.append(adjective_pattern(adjective))
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


def spans(text, compiled):
    """The (start, end) stretches of the text that redact() replaces, overlapping and neighbouring ones merged."""
    found = []
    for regex in (EMAIL_RE, URL_RE, compiled, PHONE_RE, IDENTIFIER_RE):
        if regex is not None:
            found += [m.span() for m in regex.finditer(text or "") if m.end() > m.start()]
    merged = []
    for start, end in sorted(found):
        if merged and (start <= merged[-1][1] or re.fullmatch(r"[\s\-–,+]*", text[merged[-1][1] : start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text, compiled):
    """The text cut into (piece, redacted) pairs, so that a page can show what the redaction takes out."""
    text = text or ""
    pieces, position = [], 0
    for start, end in spans(text, compiled):
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def marked(redacted_text):
    """A redacted text cut into (piece, is_mark) pairs, for highlighting every mark a juror will see."""
    pieces = []
    for index, piece in enumerate((redacted_text or "").split(MARK)):
        if index:
            pieces.append((MARK, True))
        if piece:
            pieces.append((piece, False))
    return pieces


def redact_fields(fields, terms):
    """Redact a mapping of field name → text with one compiled pattern."""
    compiled = compile_terms(terms)
    return {key: redact(value, compiled) for key, value in fields.items()}
