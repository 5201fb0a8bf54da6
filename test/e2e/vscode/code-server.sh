# Sourced by run-vscode-ui.sh and run-vscode-host.sh: a private code-server on a free loopback port.
# Defines HERE, REPO, OUT, WS, PORT; start_code_server [extra code-server args...] starts it and stops it on exit.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
. "$HERE/env.sh"
OUT=${E2E_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/healthlint-vscode-XXXXXX")}
WS="$OUT/ws"
mkdir -p "$WS" && cp "$HERE/ws/"* "$WS/"
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# code-server, VS Code and Chromium keep every profile, config and cache under $OUT, never in $HOME.
export PATH="$NODE24_DIR/bin:$PATH" XDG_CONFIG_HOME="$OUT/xdg-config" XDG_DATA_HOME="$OUT/xdg-data" XDG_CACHE_HOME="$OUT/xdg-cache"
mkdir -p "$OUT/user/User"
cat > "$OUT/user/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "workbench.tips.enabled": false, "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "telemetry.telemetryLevel": "off",
  "update.mode": "none", "chat.disableAIFeatures": true, "workbench.enableExperiments": false, "git.enabled": false,
  "files.autoSave": "off" }
JSON

start_code_server() {
  setsid "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$OUT/user" --extensions-dir "$OUT/exts" "$@" > "$OUT/code-server.log" 2>&1 &
  CS_PID=$!
  trap 'kill -- -$CS_PID 2>/dev/null || true; wait $CS_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
}
