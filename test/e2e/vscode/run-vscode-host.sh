#!/usr/bin/env bash
# Extension-host tests with the real `vscode` API: code-server loads the repository as a development extension
# (bundled into dist/ first) and runs out/client-test/index.js in its Node extension host.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
. "$HERE/env.sh"
OUT=${E2E_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/healthlint-vscode-host-XXXXXX")}
WS="$OUT/ws"
mkdir -p "$WS" && cp "$HERE/ws/"* "$WS/"
(cd "$REPO" && node scripts/bundle.js && npx tsc -p client/test)
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export PATH="$NODE24_DIR/bin:$PATH" XDG_CONFIG_HOME="$OUT/xdg-config" XDG_DATA_HOME="$OUT/xdg-data" XDG_CACHE_HOME="$OUT/xdg-cache"
mkdir -p "$OUT/user/User"
cat > "$OUT/user/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "workbench.tips.enabled": false, "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "telemetry.telemetryLevel": "off",
  "update.mode": "none", "chat.disableAIFeatures": true, "workbench.enableExperiments": false, "git.enabled": false }
JSON
# Built VS Code honours the extensionDevelopmentPath/extensionTestsPath payload only with the smoke-test driver on.
setsid "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --vscode-option enable-smoke-test-driver \
  --user-data-dir "$OUT/user" --extensions-dir "$OUT/exts" > "$OUT/code-server.log" 2>&1 &
CS_PID=$!
trap 'kill -- -$CS_PID 2>/dev/null || true; wait $CS_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
rc=0
node "$HERE/vscode-host.js" "http://127.0.0.1:$PORT" "$WS" "$REPO" "$REPO/out/client-test/index.js" "$OUT" || rc=$?
echo "logs: $OUT"
exit $rc
