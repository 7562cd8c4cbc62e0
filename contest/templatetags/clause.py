"""{% clause_notice %}: the current information clause (RODO art. 13) with its version, where people give their data."""

from django import template

from contest import clause, infotext

register = template.Library()


@register.inclusion_tag("contest/_clause_notice.html")
def clause_notice():
    shown = clause.current()
    if shown is None:
        return {"clause": None}
    version, title, body = shown
    return {"clause": {"version": version, "title": title, "body": infotext.render(body)}}
