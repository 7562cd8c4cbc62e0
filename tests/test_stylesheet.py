"""Our stylesheet is well formed: one unclosed rule makes the browser ignore every rule after it (a merge once left
the header's focus rule open, and the header's wrapping, the workspace's layout and the phone fixes were all lost)."""

import re
from pathlib import Path

from django.conf import settings


def test_every_rule_of_the_stylesheet_is_closed_and_only_media_rules_nest():
    css = re.sub(r"/\*.*?\*/", "", (Path(settings.BASE_DIR) / "static/css/site.css").read_text(), flags=re.S)
    depth, problems, opened = 0, [], []
    for match in re.finditer(r"[{}]", css):
        line = css.count("\n", 0, match.start()) + 1
        if match.group() == "{":
            selector = css[: match.start()].rsplit("}", 1)[-1].rsplit("{", 1)[-1].strip()
            if depth == 1 and not opened[-1].startswith("@"):
                problems.append(f"line {line}: a rule inside the rule {opened[-1]!r}")
            opened.append(selector)
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                problems.append(f"line {line}: a closing brace without a rule")
                depth = 0
            else:
                opened.pop()
    assert (problems, depth) == ([], 0)
