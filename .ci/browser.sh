#!/usr/bin/env bash
# Make headless Chromium and its driver available for the console's browser tests (idempotent):
# Debian's chromium and chromium-driver packages. Exit code 0 when both are installed at the end.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi
echo "browser.sh: installing chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/tmp/asyncrpc-apt-chromium.log 2>&1 \
  || { tail -20 /tmp/asyncrpc-apt-chromium.log; exit 1; }
echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null)"
