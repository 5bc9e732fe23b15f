#!/usr/bin/env bash
# Install what a fresh Debian machine lacks, then the project into .venv. Safe to run again:
# each step is skipped when its result is already there.
#   scripts/bootstrap.sh serve   what `casapay serve` needs (make serve)
#   scripts/bootstrap.sh [test]  that, plus the test tools: Chromium for the browser tests, the
#                                dev Python packages, stripe-node for the SDK test (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"
case "$mode" in serve|test) ;; *) echo "usage: $0 [serve|test]" >&2; exit 2 ;; esac

need_apt=()
command -v tesseract >/dev/null || need_apt+=(tesseract-ocr)
for lang in eng deu fra nld spa ita; do
  [ -e "/usr/share/tesseract-ocr/5/tessdata/$lang.traineddata" ] \
    || [ -e "/usr/share/tesseract-ocr/4.00/tessdata/$lang.traineddata" ] \
    || need_apt+=("tesseract-ocr-$lang")
done
command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
# tesserocr is built against Debian's libtesseract (below): the same engine as the tesseract
# binary, kept loaded in the worker's reader processes.
[ -e /usr/include/tesseract/baseapi.h ] || need_apt+=(libtesseract-dev)
[ -e /usr/include/leptonica/allheaders.h ] || need_apt+=(libleptonica-dev)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v g++ >/dev/null || need_apt+=(g++)
if [ "$mode" = test ] && [ "${CASAPAY_BROWSER_TESTS:-1}" = "1" ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  # Readable text in the workbench screenshots the browser tests save.
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
fi
if [ "$mode" = test ]; then
  command -v npm >/dev/null || need_apt+=(nodejs npm)  # the stripe-node SDK test
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Another apt or dpkg (unattended upgrades, a second shell) may hold the lock: wait for it.
  apt_wait=(-o DPkg::Lock::Timeout=600)
  $SUDO apt-get "${apt_wait[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${apt_wait[@]}" install -y -qq \
    --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
hash="$(sha256sum pyproject.toml | cut -c1-16)"
stamp=".venv/.installed-$mode-$hash"
# A test install includes everything serving needs.
if [ ! -e "$stamp" ] && ! { [ "$mode" = serve ] && [ -e ".venv/.installed-test-$hash" ]; }; then
  echo "bootstrap: installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  # --no-binary: the tesserocr wheel bundles another tesseract (5.5), which reads some pages
  # differently from the system's; building it takes a minute.
  extras=""; [ "$mode" = test ] && extras="[dev]"
  PIP_NO_BINARY=tesserocr .venv/bin/python -m pip install -q -e ".$extras"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

node_sdk=tests/api/stripe_node
if [ "$mode" = test ] && [ ! -e "$node_sdk/node_modules/stripe/package.json" ]; then
  echo "bootstrap: installing stripe-node for the SDK test"
  npm ci --prefix "$node_sdk" --no-audit --no-fund --loglevel=error
fi
