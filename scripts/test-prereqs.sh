#!/usr/bin/env bash
# Makes sure what the test suite needs outside npm is present, installing it where possible:
#  - Chromium (Debian package) for the HTML report's browser test;
#  - Debian's pre-commit for the hook test;
#  - a Python that can `import moto` for the live-AWS integration tests.
# Fails loudly rather than letting a suite skip silently.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-prereqs: installing chromium (Debian package) for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || { echo "test-prereqs: could not install chromium with apt-get" >&2; exit 1; }
  else
    echo "test-prereqs: /usr/bin/chromium is missing; install it (apt-get install chromium) to run the browser tests" >&2
    exit 1
  fi
fi

if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-prereqs: installing pre-commit (Debian package) for the hook test..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit >/dev/null) \
      || { echo "test-prereqs: could not install pre-commit with apt-get" >&2; exit 1; }
  else
    echo "test-prereqs: pre-commit is missing; install it (apt-get install pre-commit) to run the hook test" >&2
    exit 1
  fi
fi

found=""
for py in "${TRUSTAUDIT_PYTHON:-}" python3 /root/.pyenv/versions/*/bin/python3 /usr/bin/python3; do
  [ -n "$py" ] || continue
  if "$py" -c 'import moto' >/dev/null 2>&1; then found="$py"; break; fi
done
if [ -z "$found" ]; then
  echo "test-prereqs: no Python interpreter here can 'import moto' (needed for the live-AWS tests); set TRUSTAUDIT_PYTHON or install moto[server]" >&2
  exit 1
fi
echo "test-prereqs: chromium and pre-commit ok, moto via $found"
