#!/usr/bin/env bash
# Real VS Code (code-server) end-to-end: packages the .vsix, installs it into code-server, serves on loopback and
# drives it with Debian's Chromium (vscode-ui.js). Run after `npm ci` and install-editors.sh.
# Prints E2E OK and exits 0 on success; logs and screenshots go to $E2E_OUT (a temp dir by default).
set -euo pipefail
. "$(dirname "$0")/code-server.sh"
(cd "$REPO" && npx vsce package --no-dependencies -o "$OUT/healthlint.vsix" < /dev/null > "$OUT/vsce.log" 2>&1)
"$CODE_SERVER" --user-data-dir "$OUT/user" --extensions-dir "$OUT/exts" --install-extension "$OUT/healthlint.vsix" --force > "$OUT/install-extension.log" 2>&1
start_code_server
rc=0
node "$HERE/vscode-ui.js" "http://127.0.0.1:$PORT" "$WS" clinic-openapi.yaml "$OUT" || rc=$?
echo "logs and screenshots: $OUT"
exit $rc
