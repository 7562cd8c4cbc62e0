"""Placeholders in the organisers' e-mail templates: `{{ name }}` replaced by a plain string from a dict, in one pass.

Deliberately not a Django template nor str.format: an organiser's text must not reach attributes, filters or tags
(`{{ application.owner.password }}`, `{0.__class__}`). Pure: no ORM, tested on plain strings."""

import re
from dataclasses import dataclass

# Anything between double braces is a placeholder attempt; only a known bare name is accepted. No brace inside: a
# lazy `.*?` would rescan the rest of the text from every unclosed "{{" (quadratic time on "{{{{…").
TAG = re.compile(r"\{\{([^{}]*)\}\}")
NAME = re.compile(r"\s*([a-z_]+)\s*")


@dataclass(frozen=True)
class Placeholder:
    name: str  # the English name, the key of the values
    name_pl: str  # the Polish alias: either may be written
    description: object  # lazy translation
    # A secret of the recipient (a personal link with a token): not in a subject, which the sent-mail log keeps.
    body_only: bool = False


class TemplateError(ValueError):
    """Text the organiser must fix; `problems` are the offending pieces as written."""

    def __init__(self, problems, unbalanced=False, body_only=False):
        super().__init__(", ".join(problems))
        self.problems = problems
        self.unbalanced = unbalanced
        self.body_only = body_only


def aliases(placeholders):
    """{written name: key} for both languages' names."""
    names = {}
    for placeholder in placeholders:
        names[placeholder.name] = placeholder.name
        names[placeholder.name_pl] = placeholder.name
    return names


def check(text, placeholders):
    """Raise TemplateError naming every unknown placeholder, or the broken braces, in `text`."""
    names = aliases(placeholders)
    unknown = []
    for match in TAG.finditer(text):
        inner = NAME.fullmatch(match.group(1))
        if inner is None or inner.group(1) not in names:
            if match.group(0) not in unknown:
                unknown.append(match.group(0))
    if unknown:
        raise TemplateError(unknown)
    rest = TAG.sub("", text)
    broken = [piece for piece in ("{{", "}}") if piece in rest]
    if broken:
        raise TemplateError(broken, unbalanced=True)


def check_subject(text, placeholders):
    """As check(), and also refuse the placeholders that may be written only in the body."""
    check(text, placeholders)
    names = aliases(placeholders)
    secret = {placeholder.name for placeholder in placeholders if placeholder.body_only}
    found = []
    for match in TAG.finditer(text):
        if names[NAME.fullmatch(match.group(1)).group(1)] in secret and match.group(0) not in found:
            found.append(match.group(0))
    if found:
        raise TemplateError(found, body_only=True)


def render(text, placeholders, values):
    """`text` with each known placeholder replaced by its value (empty if missing), in one pass: a value holding
    `{{ code }}` stays as written. Unknown tags are left as written (check() refuses them at save)."""
    names = aliases(placeholders)

    def replace(match):
        inner = NAME.fullmatch(match.group(1))
        if inner is None or inner.group(1) not in names:
            return match.group(0)
        return str(values.get(names[inner.group(1)], ""))

    return TAG.sub(replace, text)
