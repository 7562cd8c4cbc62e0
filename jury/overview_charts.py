"""Small server-rendered SVG charts for the organiser's home page: pure functions of numbers, no ORM.

The Content-Security-Policy forbids style attributes and inline scripts, so shapes carry presentation attributes
only; every chart comes with its numbers as text (a table beside a bar, or a data table under a chart)."""

import datetime
import html

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .ranking import Chart

BAR_WIDTH = 120
BAR_HEIGHT = 12
# Enough columns to read a month of submissions day by day; longer calls are shown by week.
MAX_COLUMNS = 62
MIN_SLOTS = 14

_WIDTH = 480
_HEIGHT = 180
_LEFT = 36
_RIGHT = 8
_TOP = 24
_BOTTOM = 28
_FILL = "#1f5fa8"
_TRACK = "#e3e8ef"
_INK = "#333"


def _e(text):
    return html.escape(str(text), quote=True)


def bar(value, maximum, colour=_FILL):
    """A horizontal bar for a table cell, hidden from screen readers: the cell beside it says the number."""
    share = (float(value) / float(maximum)) if maximum else 0.0
    filled = round(BAR_WIDTH * min(max(share, 0.0), 1.0), 1)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" '
        f'width="{BAR_WIDTH}" height="{BAR_HEIGHT}" aria-hidden="true" focusable="false">'
        f'<rect x="0" y="0" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="{_TRACK}"/>'
        f'<rect x="0" y="0" width="{filled}" height="{BAR_HEIGHT}" fill="{colour}"/></svg>'
    )


def _buckets(per_day, until=None):
    """(first day, count) per day from the first submission to the last (or `until`), empty days included; by week
    (from Monday) when that is more than MAX_COLUMNS days."""
    if not per_day:
        return [], False
    counts = dict(per_day)
    first = min(counts)
    last = max([*counts, until]) if until and until >= first else max(counts)
    days = (last - first).days + 1
    if days <= MAX_COLUMNS:
        span = [first + datetime.timedelta(d) for d in range(days)]
        return [(day, counts.get(day, 0)) for day in span], False
    start = first - datetime.timedelta(first.weekday())
    weeks = {}
    for day, n in counts.items():
        monday = day - datetime.timedelta(day.weekday())
        weeks[monday] = weeks.get(monday, 0) + n
    count = (last - start).days // 7 + 1
    mondays = [start + datetime.timedelta(7 * w) for w in range(count)]
    return [(monday, weeks.get(monday, 0)) for monday in mondays], True


def submissions_chart(per_day, until=None):
    """Columns of submissions per day (per week for a long call) with the running total as a line; `until` (a date)
    stretches the axis to the deadline while the call is open."""
    columns, weekly = _buckets(per_day, until)
    title = _("Submissions per week") if weekly else _("Submissions per day")
    description = _("Columns: submissions in the period; line: the running total.")
    header = (_("Week from") if weekly else _("Day"), _("Submissions"), _("Running total"))
    height = _HEIGHT
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = height - _TOP - _BOTTOM
    base = _TOP + plot_h
    body = [f'<text x="{_LEFT}" y="14" font-size="12" fill="{_INK}">{_e(title)}</text>']
    rows = []
    total = sum(n for _d, n in columns)
    peak = max([n for _d, n in columns] or [0]) or 1
    # A column is at most a fortnight's share of the width: two days of a new call do not fill the chart.
    step = plot_w / max(len(columns), MIN_SLOTS)
    running = 0
    points = []
    for k, (day, n) in enumerate(columns):
        running += n
        x = _LEFT + k * step
        h = plot_h * n / peak
        label = day.strftime("%d.%m.%Y")
        if n:
            body.append(
                f'<rect x="{x + step * 0.1:.1f}" y="{base - h:.1f}" width="{max(step * 0.8, 1):.1f}" height="{h:.1f}" '
                f'fill="{_FILL}"><title>{_e(label)}: {n}</title></rect>'
            )
        points.append(f"{x + step / 2:.1f},{base - plot_h * running / max(total, 1):.1f}")
        rows.append((label, n, running))
    if points:
        body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#b35900" stroke-width="2"/>')
    body.append(f'<line x1="{_LEFT}" y1="{base}" x2="{_WIDTH - _RIGHT}" y2="{base}" stroke="#555" stroke-width="1"/>')
    body.append(
        f'<text x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end" font-size="11" fill="{_INK}">{peak}</text>'
        f'<text x="{_LEFT - 4}" y="{base}" text-anchor="end" font-size="11" fill="{_INK}">0</text>'
    )
    if columns:
        body.append(f'<text x="{_LEFT}" y="{base + 16}" font-size="11" fill="{_INK}">{_e(rows[0][0])}</text>')
    if len(columns) * step > 150:  # room for the last date beside the first
        body.append(
            f'<text x="{_LEFT + len(columns) * step:.1f}" y="{base + 16}" text-anchor="end" font-size="11" '
            f'fill="{_INK}">{_e(rows[-1][0])}</text>'
        )
    label = _e(title)
    svg = mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" '
        f'height="{height}" role="img" aria-label="{label}"><title>{label}</title><desc>{_e(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    return Chart(svg, title, header, tuple(rows))
