#!/usr/bin/env bash
# The composite action's scan step. Every input arrives as an environment variable (TA_*), so nothing
# a workflow author or a pull request writes is ever parsed as shell code. Writes `exit-code` and
# `sarif-file` to $GITHUB_OUTPUT and exits 0: the action's last step fails the job, after the upload.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${GITHUB_OUTPUT:-/dev/null}"

args=(scan)
while IFS= read -r p; do
  p="${p#"${p%%[![:space:]]*}"}"; p="${p%"${p##*[![:space:]]}"}"
  [ -n "$p" ] && args+=("$p")
done <<< "${TA_PATHS:-.}"
[ "${#args[@]}" -gt 1 ] || args+=(.)

[ -n "${TA_ACCOUNT:-}" ] && args+=(--account "$TA_ACCOUNT")
[ -n "${TA_TRUSTED_ACCOUNTS:-}" ] && args+=(--trusted-account "$TA_TRUSTED_ACCOUNTS")
[ -n "${TA_CONFIG:-}" ] && args+=(--config "$TA_CONFIG")

untrusted="${TA_UNTRUSTED:-auto}"
if [ "$untrusted" = auto ]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target) untrusted=true ;;
    *) untrusted=false ;;
  esac
fi
case "$untrusted" in
  true) args+=(--no-repo-config --no-inline-suppressions) ;;
  false) ;;
  *) echo "trustaudit action: untrusted must be true, false or auto, not \"$untrusted\"" >&2; exit 2 ;;
esac

formats="${TA_FORMATS:-sarif}"
dir="${TA_OUTPUT_DIR:-trustaudit-reports}"
mkdir -p -- "$dir"
args+=(--format "$formats" --output-dir "$dir" --fail-on "${TA_FAIL_ON:-low}" --no-db)

node "$here/bin/trustaudit.js" "${args[@]}"
code=$?
echo "exit-code=$code" >> "$out"
case ",$formats," in
  *,sarif,*) [ -f "$dir/trustaudit.sarif" ] && echo "sarif-file=$dir/trustaudit.sarif" >> "$out" ;;
esac
exit 0
