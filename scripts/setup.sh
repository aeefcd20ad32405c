#!/usr/bin/env bash
# Installs whatever this machine lacks for slm-energy, then builds it. Idempotent and quiet when
# everything is already there. Called by `npm run reproduce` and `npm test`.
#   - npm packages (npm ci from the committed lockfile) when node_modules is missing or stale
#   - Debian's Jupyter (nbconvert, nbclient, ipykernel; the notebook server `slm-energy lab` starts)
#     and Chromium, when missing (needs root)
#   - the tslab kernelspec in a project-local folder (.jupyter/), never in $HOME
#   - a self-link node_modules/slm-energy -> the project, so notebooks import it by package name
#   - the TypeScript build (dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '[setup] %s\n' "$*" >&2; }

# 1. npm packages, exactly as the committed lockfile records them (npm 10 and npm 11 both accept it;
#    scripts/lock-platform-packages.mjs keeps node-llama-cpp's per-platform entries complete)
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. Debian packages: Jupyter and Chromium (figures and notebooks need them)
need_apt=()
[ -x /usr/bin/jupyter-nbconvert ] || need_apt+=(jupyter-nbconvert python3-nbclient python3-ipykernel)
[ -x /usr/bin/jupyter-notebook ] || need_apt+=(jupyter-notebook)  # Debian 12 packages Notebook 6.4, not JupyterLab
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)  # the font figures pin
if [ "${SLM_ENERGY_SKIP_APT:-}" != "1" ] && [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
    say "missing Debian packages: ${need_apt[*]}; run as root or install them: apt-get install -y ${need_apt[*]}"
    exit 1
  fi
  SUDO=""; [ "$(id -u)" = "0" ] || SUDO=sudo
  say "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fonts-dejavu-core >/dev/null
fi

# 3. self-link so notebooks (tslab) can `import ... from "slm-energy"`
if [ ! -e node_modules/slm-energy ]; then
  ln -s .. node_modules/slm-energy
fi

# 4. tslab kernelspec, project-local
if [ -x /usr/bin/python3 ] && [ -x /usr/bin/jupyter-nbconvert ] && [ ! -f .jupyter/share/jupyter/kernels/tslab/kernel.json ]; then
  say "registering the tslab kernel in .jupyter/"
  PATH="$root/node_modules/.bin:$PATH" npx --no-install tslab install --python=/usr/bin/python3 --prefix="$root/.jupyter" >/dev/null 2>&1 \
    || { say "tslab kernel registration failed; try: npx tslab install --python=/usr/bin/python3 --prefix=$root/.jupyter"; exit 1; }
fi

# 5. build
# The project's own TypeScript, by path: tslab ships an older compiler that can take the
# node_modules/.bin/tsc name depending on install order.
node node_modules/typescript/bin/tsc -p tsconfig.json
