#!/usr/bin/env bash
# Browser test of the `optel dev` dashboard (not part of `npm test`): builds, then drives Debian's
# Chromium with playwright-core against a real dev server fed by the real todo example.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: /usr/bin/chromium is missing, installing Debian's chromium" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO apt-get install -y chromium
fi

npm run build
node test/e2e/dashboard.e2e.mjs "$@"
