#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine, then runs it.
# System packages: PyTorch for the trainer (Debian's build, for /usr/bin/python3), OpenBLAS (without it
# torch falls back to a reference BLAS ~47x slower), and Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
/usr/bin/python3 -c 'import torch, numpy, PIL' 2>/dev/null || need+=(python3-torch python3-numpy python3-pil)
dpkg -s libopenblas-dev >/dev/null 2>&1 || need+=(libopenblas-dev)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
npm ci --no-audit --no-fund
npm test
