#!/usr/bin/env bash
# Runs every test suite: the .NET test projects (against a private PostgreSQL cluster they
# start themselves, or LEDGER_TEST_DB) and the Node suites that hold our GraphQL engine and
# server to graphql-js and the GraphQL-over-HTTP audit. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

passed=0
failed=0
status=0
log=$(mktemp -d)

# Node test tooling (graphql-js, the graphql-http audit, real protocol clients) is pinned in
# tests/js/package-lock.json; the .NET suites call on it too, so it is installed first.
# The browser test drives Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH) with playwright-core.
# Reinstalled whenever the lock file is newer than the installed tree.
if [ -f tests/js/package-lock.json ] && { [ ! -d tests/js/node_modules ] || [ tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; }; then
  echo "== npm ci (tests/js)"
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error) || status=1
fi

echo "== dotnet test"
dotnet test IncidentLedger.sln --nologo -c Release 2>&1 | tee "$log/dotnet.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# VSTest prints one summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12"
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p))
done < <(sed -nE 's/.*Failed: +([0-9]+), Passed: +([0-9]+),.*/\1 \2/p' "$log/dotnet.txt")

if [ -d tests/js ] && ls tests/js/*.test.mjs >/dev/null 2>&1; then
  echo "== node --test tests/js"
  (cd tests/js && node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$log/node.tap" ./*.test.mjs)
  [ $? -eq 0 ] || status=1
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log/node.tap" | tail -1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log/node.tap" | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
fi

rm -rf "$log"
echo
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit $status
