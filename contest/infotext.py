"""The small markup of the organisers' information pages, rendered with everything escaped (no HTML of anyone's).

A blank line starts a new paragraph; "## " starts a heading (h2, "### " h3), "- " an item of a list; other lines of a
paragraph are kept as line breaks. Web and e-mail addresses become links. Pure: text in, safe HTML out.
"""

from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from slugify import slugify

HEADINGS = (("### ", "h3"), ("## ", "h2"))
ITEM = "- "


def _inline(text):
    """Escaped text with web and e-mail addresses as links (urlize escapes everything else itself)."""
    return urlize(text.strip(), nofollow=True, autoescape=True)


def _heading(line):
    for prefix, tag in HEADINGS:
        if line.startswith(prefix):
            return tag, line[len(prefix):].strip()
    return None


def blocks(text):
    """The text as (kind, content) blocks: ("h2"|"h3", text), ("ul", [items]), ("p", [lines])."""
    result = []
    paragraph, items = [], []

    def flush():
        if paragraph:
            result.append(("p", list(paragraph)))
            paragraph.clear()
        if items:
            result.append(("ul", list(items)))
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = _heading(line)
        if heading:
            flush()
            result.append(heading)
        elif line.startswith(ITEM):
            if paragraph:
                result.append(("p", list(paragraph)))
                paragraph.clear()
            items.append(line[len(ITEM):])
        else:
            if items:
                result.append(("ul", list(items)))
                items.clear()
            paragraph.append(line)
    flush()
    return result


def render(text):
    """Safe HTML of the text. Headings get ids (Polish letters transliterated) so a section can be linked to."""
    html, ids = [], set()
    for kind, content in blocks(text):
        if kind in ("h2", "h3"):
            anchor = slugify(content) or "sekcja"
            unique, number = anchor, 2
            while unique in ids:
                unique, number = f"{anchor}-{number}", number + 1
            ids.add(unique)
            html.append(f'<{kind} id="{escape(unique)}">{_inline(content)}</{kind}>')
        elif kind == "ul":
            html.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in content) + "</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line) for line in content) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece above is escaped
