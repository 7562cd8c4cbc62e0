#!/usr/bin/env bash
# The system packages the project needs beyond Python: gettext (msgfmt) and Pango (WeasyPrint) always,
# Debian's Chromium for the browser tests. Installs what is missing when it can (root with apt-get);
# otherwise stops at once with the exact command to run. Usage: system-deps.sh [run|test]
set -euo pipefail
purpose=${1:-test}

missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# ldconfig exists on Linux only; elsewhere (macOS: `brew install pango`) WeasyPrint reports a missing Pango itself.
# The list is read whole before it is searched: `ldconfig -p | grep -q` under pipefail fails when grep stops early.
libraries=""
[ "$(uname -s)" = Linux ] && libraries=$( { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } || true)
if [ "$(uname -s)" = Linux ] && ! grep -q 'libpango-1.0.so' <<<"$libraries"; then
  missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
# The browser tests find Chromium under these names (tests/e2e/conftest.py), or wherever E2E_CHROMIUM points.
if [ "$purpose" = test ] && [ -z "${E2E_CHROMIUM:-}" ] \
  && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
  && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

command_line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  command_line="sudo apt-get update && sudo $command_line"
fi
echo "Missing system packages: ${missing[*]}." >&2
echo "Install them, then run make again:" >&2
echo "    $command_line" >&2
echo "(Elsewhere than Debian/Ubuntu: install gettext, Pango and Chromium with your package manager; set E2E_CHROMIUM to the browser's path.)" >&2
exit 1
