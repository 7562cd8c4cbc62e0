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

How the text is typed does not matter: matching runs on a "shadow" of the text (compatibility forms such as
full-width letters made plain, invisible format characters such as soft hyphens and zero-width spaces dropped,
Cyrillic and Greek look-alike letters read as Latin, diacritics removed), and the stretches found there are mapped
back to the original text, which is otherwise left exactly as written. So "Zbaszynek", "www.zbaszynek.pl", a
decomposed "Zbąszynek" copied from a PDF and "ＺＢĄＳＺＹＮＥＫ" are all redacted like "Zbąszynek". Patterns are
built from the names with their Polish letters (declension rules need them) and folded the same way.
"""

import functools
import html
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace

from contest.identifiers import ORGANISATION_WORDS, SEPARATORS

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
# A web address with its scheme or "www.", or a bare domain followed by a path (facebook.com/GminaZbaszynek, x.pl/a);
# bare domains only under the usual top-level domains, so that "tys.zł/rok" is not taken for one.
WEB_DOMAINS = "pl|com|eu|org|net|info|gov|edu|io|me|tv|biz|app|online|site|page|link|ly|gl|be|de|uk|cz|sk|ua|lt"
URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?<![\w.@-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{WEB_DOMAINS})/[^\s<>\"]*",
    re.IGNORECASE,
)
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


# The separators the forms accept inside NIP, REGON and KRS (contest.identifiers), one of them between two digits.
NUMBER_SEPARATOR = SEPARATORS.pattern.removesuffix("+")
assert NUMBER_SEPARATOR.startswith("[") and NUMBER_SEPARATOR.endswith("]"), "SEPARATORS is one character class"


def digits_pattern(number):
    """A regex for a number written with or without separators between its digits.

    Leading zeros may be left out (a KRS stored as 0000412345 is written "KRS 412345"), as long as at least five
    digits remain; a shorter remainder is redacted only right after "KRS".
    """
    digits = re.sub(r"\D", "", number or "")
    if len(digits) < 5:
        return None
    separator = NUMBER_SEPARATOR + "{0,3}"
    significant = digits.lstrip("0")
    zeros = len(digits) - len(significant)
    if not zeros:
        return r"(?<!\d)" + separator.join(digits) + r"(?!\d)"
    if not significant:
        return None
    body = separator.join(significant)
    if len(significant) >= 5:
        return rf"(?<!\d)(?:0{separator}){{0,{zeros}}}{body}(?!\d)"
    return rf"(?<!\w)KRS\W{{0,5}}(?:nr\W{{0,3}})?(?:0{separator}){{0,{zeros}}}{body}(?!\d)"


# Demonyms the stem of a place name does not reach (Gdańsk → gdańszczanin, Płock → płocczanie, Ełk → ełczanka,
# Kołobrzeg → kołobrzeżanie, Wałbrzych → wałbrzyszanin): (ending of the name, what replaces it), all that apply.
# Most others already start with the name's stem (sopocianie, krakowianka, gdynianin, łodzianie, katowiczanin).
DEMONYM_RULES = [
    ("sk", "szczan"),
    ("ck", "cczan"),
    ("ek", "czan"),  # Zbąszynek → zbąszynczanin
    ("k", "czan"),
    ("g", "żan"),
    ("ch", "szan"),
]


def demonym_stems(name):
    """Stems of the inhabitants' names of a one-word place (gdańszczan-), or an empty list."""
    words = [w for w in _words(name) if w.isalpha() or "-" in w]
    if len(words) != 1:
        return []
    stems = []
    for part in re.split(r"[-–]", words[0]):
        lower = part.casefold()
        if not lower.isalpha() or lower in GENERIC_WORDS:
            continue
        for ending, replacement in DEMONYM_RULES:
            if lower.endswith(ending) and len(lower) - len(ending) >= 2:
                stems.append(lower[: -len(ending)] + replacement)
    return list(dict.fromkeys(stems))


def demonym_pattern(demonym):
    """Every form of the inhabitants' name: gdańszczanin, gdańszczanie, gdańszczanka, gdańszczanom…"""
    return rf"(?<!\w){_fragment(demonym)}{WORD_CHARS}*"


# Mailbox names that are everyday words; the local part of a contact address is redacted alone unless it is one.
GENERIC_MAILBOXES = {
    "admin",
    "administracja",
    "biuro",
    "contact",
    "email",
    "gmina",
    "informacja",
    "informacje",
    "kancelaria",
    "kontakt",
    "office",
    "poczta",
    "projekt",
    "projekty",
    "promocja",
    "sekretariat",
    "starostwo",
    "urzad",
    "wnioski",
}


def email_local_pattern(email):
    """The part of a contact address before "@" on its own (bozydar.wasikiewicz), when it identifies: with a dot
    or of at least six characters, and not an everyday mailbox name (sekretariat, kontakt)."""
    local, at, _domain = (email or "").partition("@")
    if not at or not ("." in local or len(local) >= 6) or sum(c.isalnum() for c in local) < 3:
        return None
    if local.casefold() in GENERIC_MAILBOXES:
        return None
    return rf"(?<![\w.+\-]){re.escape(local)}(?![\w])"


# Matching on a shadow of the text ---------------------------------------------------------------------------------

# Cyrillic and Greek letters that look like Latin ones, read as the Latin letter (a small map of the usual ones).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ү": "y", "ь": "b",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I", "Ү": "Y",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "α": "a", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "υ": "u", "ϲ": "c",
    "ϳ": "j", "Ϲ": "C",
    # Latin look-alikes without a decomposition
    "ı": "i", "ȷ": "j",
}  # fmt: skip
# Letters whose diacritic is not a combining mark in Unicode (NFD does not split them).
FOLDED_LETTERS = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L"}
MARK_CATEGORIES = {"Mn", "Me"}


@functools.lru_cache(maxsize=4096)
def _fold_char(char):
    """One character without its diacritics (ą → a, Ł → L, ó → o), as one or more characters."""
    if char.isascii():
        return char
    if char in FOLDED_LETTERS:
        return FOLDED_LETTERS[char]
    return "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) not in MARK_CATEGORIES)


@functools.lru_cache(maxsize=8192)
def _shadow_char(char):
    """What one character of the text reads as when matching: (text, possibly empty; a mark of the one before?)."""
    category = unicodedata.category(char)
    if category == "Cf":
        return "", False
    if category in MARK_CATEGORIES:
        return "", True
    result = ""
    for plain in unicodedata.normalize("NFKC", char):
        if unicodedata.category(plain) in MARK_CATEGORIES or unicodedata.category(plain) == "Cf":
            continue
        result += "".join(CONFUSABLES.get(c, c) for c in _fold_char(CONFUSABLES.get(plain, plain)))
    return result, False


# Character references typed into a text ("Zb&#261;szynek", "&oacute;"): numeric ones with or without ";", named
# ones with it. A page escapes "&", so the juror reads them literally, and anyone decodes them at a glance.
CHARACTER_REFERENCE_RE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# A word broken at the end of a line with a hyphen ("Zbą-\nszynek", copied from a justified PDF or Word document).
LINE_END_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011][ \t]*\r?\n[ \t]*(?=[^\W\d_])")
# Text-direction controls: embeddings, overrides, isolates and their pops, and the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
BIDI_CONTROLS_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
PARAGRAPH_BREAKS = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")


def _right_to_left_overridden(text):
    """For each character of the text, whether a right-to-left override (U+202E) makes the browser draw it reversed.

    The explicit levels of the Unicode bidirectional algorithm, simplified: embeddings and isolates push, their
    pops pop, a paragraph break ends them all; the innermost one says whether letters are forced right to left.
    """
    stack, result = [], []
    for char in text:
        if char in PARAGRAPH_BREAKS:
            stack.clear()
        elif char in "\u202a\u202b\u202d\u202e":
            stack.append(("embedding", char == "\u202e"))
        elif char in "\u2066\u2067\u2068":
            stack.append(("isolate", False))
        elif char == "\u202c" and stack and stack[-1][0] == "embedding":
            stack.pop()
        elif char == "\u2069" and any(kind == "isolate" for kind, _rtl in stack):
            while stack.pop()[0] != "isolate":
                pass
        result.append(bool(stack) and stack[-1][1])
    return result


def shadow(text, format_as_space=False, join_breaks=False, visual=False):
    """The text as matching reads it, and where each of its characters comes from: (shadow, starts, ends).

    Character i of the shadow comes from text[starts[i]:ends[i]]; a combining mark or a dropped format character
    belongs to the stretch around it, a decoded character reference to the whole reference. With `format_as_space`,
    format characters (a zero-width space) separate words; with `join_breaks`, a hyphen at the end of a line between
    two letters is read as nothing; with `visual`, stretches under a right-to-left override are read in the order
    the browser draws them (so starts and ends are then not in order: take their minimum and maximum).
    """
    if text.isascii() and "&" not in text and not join_breaks:
        return text, range(len(text)), range(1, len(text) + 1)
    replaced = {}  # start → (end, what the stretch reads as)
    for match in CHARACTER_REFERENCE_RE.finditer(text):
        decoded = html.unescape(match.group())
        if decoded != match.group():
            replaced[match.start()] = (match.end(), decoded)
    if join_breaks:
        for match in LINE_END_HYPHEN_RE.finditer(text):
            replaced[match.start()] = (match.end(), "")
    reversed_at = _right_to_left_overridden(text) if visual else None
    pieces, starts, ends, flipped = [], [], [], []
    index = 0
    while index < len(text):
        end, chars = replaced.get(index, (index + 1, text[index]))
        for char in chars:
            piece, mark = (char, False) if char.isascii() else _shadow_char(char)
            if not piece and format_as_space and unicodedata.category(char) == "Cf":
                piece = " "
            if piece:
                pieces.append(piece)
                starts += [index] * len(piece)
                ends += [end] * len(piece)
                flipped += [bool(reversed_at and reversed_at[index])] * len(piece)
            elif mark and ends:
                ends[-1] = end
        index = end
    plain = "".join(pieces)
    if reversed_at:
        plain, starts, ends = _reverse_runs(plain, starts, ends, flipped)
    return plain, starts, ends


def _reverse_runs(plain, starts, ends, flipped):
    """The shadow with each run of characters drawn right to left reversed, starts and ends with it."""
    chars = list(plain)
    for is_flipped, group in itertools.groupby(range(len(chars)), key=lambda i: flipped[i]):
        positions = list(group)
        if is_flipped and len(positions) > 1:
            first, last = positions[0], positions[-1] + 1
            for values in (chars, starts, ends):
                values[first:last] = values[first:last][::-1]
    return "".join(chars), starts, ends


def _has_format_characters(text):
    return not text.isascii() and any(unicodedata.category(c) == "Cf" for c in text)


def _clean_term(term):
    """A name as patterns are built from it: compatibility forms made plain, invisible characters dropped, look-alike
    letters read as Latin; Polish letters kept (declension rules need them) and composed."""
    plain = unicodedata.normalize("NFKC", term or "")
    plain = "".join(CONFUSABLES.get(c, c) for c in plain if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFC", plain)


def _fold_pattern(pattern):
    """A pattern built from names with Polish letters, folded as the shadow is (their escapes are ASCII)."""
    return "".join(_fold_char(c) for c in pattern)


@dataclass(frozen=True)
class Terms:
    """What to redact for one entry: names (matched as phrases and by distinctive words), people, numbers."""

    names: tuple = ()
    place_names: tuple = ()
    people: tuple = ()
    numbers: tuple = ()
    emails: tuple = ()
    extra: tuple = ()  # an edition's own terms (nicknames, mayors, local brands), each redacted as a whole phrase


@dataclass(frozen=True)
class Compiled:
    """The compiled patterns of one entry's terms; the edition's extra terms are compiled once and shared."""

    regexes: tuple


def _entry_patterns(terms):
    patterns = []
    words = set()
    names = tuple(_clean_term(n) for n in terms.names)
    place_names = tuple(_clean_term(n) for n in terms.place_names)
    people = tuple(_clean_term(n) for n in terms.people)
    for name in (*names, *place_names, *people):
        pattern = phrase_pattern(name)
        if pattern:
            patterns.append(pattern)
    for name in names:
        initials = acronym(name)
        if initials:
            patterns.append(acronym_pattern(initials))
    adjectives = {adjective for name in place_names for adjective in place_adjective_stems(name)}
    for adjective in sorted(adjectives):
        patterns.append(adjective_pattern(adjective))
    demonyms = {demonym for name in place_names for demonym in demonym_stems(name)}
    for demonym in sorted(demonyms):
        patterns.append(demonym_pattern(demonym))
    # Place names and people are redacted word by word too, whatever the rest of the text says around them.
    for name in (*place_names, *people):
        words.update(word for _index, word in distinctive_words(name))
    # In organisation names, capitalised non-generic words are proper names (Bobru, Zbąszynka); they are redacted
    # alone only where they start with a capital, so that "Celowy" in a name does not hide "celowo" in the text.
    proper = set()
    for name in names:
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
            patterns.append(re.escape(_clean_term(email)))
            local = email_local_pattern(_clean_term(email))
            if local:
                patterns.append(local)
    return patterns


WORD_START = r"(?<!\w)"
# Where a name may start in the text: after anything but a letter (a space, "#", "@", "/", ".", "_", a digit), or
# inside a word at a lower-to-upper case change (#GminaZbąszynek, facebook.com/RazemZbaszynek, 2024Zbąszynek,
# @bozydar_wasikiewicz). The shadow has no diacritics, so [a-z] and [A-Z] cover Polish letters too.
NAME_START = r"(?:(?<![^\W\d_])|(?-i:(?<=[a-z])(?=[A-Z])))"


def _combine(patterns):
    """The patterns as at most two regexes, longest first so that a full name is one match before its parts are.

    Patterns that can only start a word share one look-behind, so that inside a word the many alternatives are
    not tried at all (this keeps an edition's hundreds of terms cheap); the patterns say WORD_START, the combined
    regex lets a name start where NAME_START does.
    """
    folded = sorted(dict.fromkeys(_fold_pattern(p) for p in patterns), key=len, reverse=True)
    at_word = [p[len(WORD_START) :] for p in folded if p.startswith(WORD_START)]
    anywhere = [p for p in folded if not p.startswith(WORD_START)]
    regexes = []
    if at_word:
        regexes.append(NAME_START + "(?:" + "|".join(f"(?:{p})" for p in at_word) + ")")
    if anywhere:
        regexes.append("|".join(f"(?:{p})" for p in anywhere))
    return tuple(re.compile(r, re.IGNORECASE | re.UNICODE) for r in regexes)


@functools.lru_cache(maxsize=512)
def _compiled_entry(terms):
    return _combine(_entry_patterns(terms))


@functools.lru_cache(maxsize=16)
def _compiled_extra(extra):
    patterns = [phrase_pattern(_clean_term(term)) for term in extra]
    return _combine([p for p in patterns if p])


def compile_terms(terms):
    """The compiled patterns for the entry's terms (cached: a juror's page does not compile them again)."""
    entry = replace(terms, extra=())
    regexes = _compiled_entry(entry) + _compiled_extra(tuple(terms.extra))
    return Compiled(regexes) if regexes else None


def _readings(text):
    """The ways of reading the text that matching tries: (format_as_space, join_breaks, visual) for each shadow."""
    options = [
        (False, True) if _has_format_characters(text) else (False,),
        # "Zbą-\nszynek" reads as one word; "Ełk-\nSopot" as two: try both readings.
        (False, True) if LINE_END_HYPHEN_RE.search(text) else (False,),
        # Under a right-to-left override "kenyzsąbZ" is drawn "Zbąszynek": read it in both orders.
        (False, True) if "\u202e" in text else (False,),
    ]
    return itertools.product(*options)


def _found(text, compiled):
    """(start, end) stretches of the original text that some pattern matches on one of its shadows."""
    found = []
    # "Gmina\u200bZbąszynek" reads as two words, "Zbą\u00adszynek" as one: both readings are tried.
    shadows = [shadow(text, *reading) for reading in _readings(text)]
    regexes = (EMAIL_RE, URL_RE, *(compiled.regexes if compiled is not None else ()), PHONE_RE, IDENTIFIER_RE)
    for plain, starts, ends in shadows:
        ordered = isinstance(starts, range)
        for regex in regexes:
            for match in regex.finditer(plain):
                first, last = match.start(), match.end()
                if last <= first:
                    continue
                if ordered:
                    found.append((starts[first], ends[last - 1]))
                else:
                    found.append((min(starts[first:last]), max(ends[first:last])))
    return found


GAP_RE = re.compile(r"[\s\-–,+]*")


def spans(text, compiled):
    """The (start, end) stretches of the text that redact() replaces, overlapping and neighbouring ones merged.

    A "+" right before a stretch (+48…) belongs to it; invisible format characters between two stretches do not
    keep them apart.
    """
    text = text or ""
    merged = []
    for start, end in sorted(_found(text, compiled)):
        if start > 0 and text[start - 1] == "+":
            start -= 1
        gap = "".join(c for c in text[merged[-1][1] : start] if unicodedata.category(c) != "Cf") if merged else None
        if merged and (start <= merged[-1][1] or GAP_RE.fullmatch(gap)):
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


def redact(text, compiled):
    """Replace known names and any e-mail, web address, phone number or register number with the mark.

    Exactly the stretches highlight() shows are replaced, one mark each; the rest of the text stays as written, except
    that text-direction controls are dropped from it, so the browser draws the text in the order redaction read it
    (the applicant's forms refuse them; texts saved before that, or pasted by an organiser, may hold them).
    """
    if not text:
        return text or ""
    pieces = highlight(text, compiled)
    return "".join(MARK if redacted else BIDI_CONTROLS_RE.sub("", piece) for piece, redacted in pieces)


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
