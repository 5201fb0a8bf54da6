#!/usr/bin/env bash
# Extension-host tests with the real `vscode` API: code-server loads the repository as a development extension
# (bundled into dist/ first) and runs out/client-test/index.js in its Node extension host.
set -euo pipefail
. "$(dirname "$0")/code-server.sh"
(cd "$REPO" && node scripts/bundle.js && npx tsc -p client/test)
# Built VS Code honours the extensionDevelopmentPath/extensionTestsPath payload only with the smoke-test driver on.
start_code_server --vscode-option enable-smoke-test-driver
rc=0
node "$HERE/vscode-host.js" "http://127.0.0.1:$PORT" "$WS" "$REPO" "$REPO/out/client-test/index.js" "$OUT" || rc=$?
echo "logs: $OUT"
exit $rc
