#!/usr/bin/env bash
# Set up and run every check: the README's test command.
# Uses SQLite unless DATABASE_URL points at a PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

# The browser tests drive Debian's Chromium; the translation check needs gettext; npm
# installs the dashboard's chart library.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The monthly PDF report embeds this Chinese TrueType font (it falls back to a built-in one).
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "Please install these Debian packages first: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

echo "== chart library (npm ci: ECharts as pinned in package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

export PATH="$PWD/.venv/bin:$PATH"
echo "== lint (ruff), import direction (import-linter), types (mypy)"
ruff check redress tests conftest.py
lint-imports
mypy redress

echo "== tests on $([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite)"
# A throwaway data directory: the tests never touch a real installation's database.
export REDRESS_DATA_DIR="${REDRESS_DATA_DIR:-$(mktemp -d)}"
pytest -p no:cacheprovider "$@"
