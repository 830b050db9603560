#!/usr/bin/env bash
# Installs the Debian packages archsim needs, only those that are missing.
# Idempotent; runs as root (CI) or through sudo. Usage: scripts/setup.sh
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libsimgrid-dev librdkafka-dev nlohmann-json3-dev libcli11-dev
  libfmt-dev libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema kcat
  libimgui-dev libstb-dev libglfw3-dev libgl-dev   # archsim-gui: Dear ImGui (GLFW/OpenGL3 backends), PNG writer
  xvfb xauth libgl1-mesa-dri   # archsim-gui's tests: a virtual X server with Mesa's software OpenGL
  chromium fonts-dejavu-core   # headless browser (and a font) for the HTML report test
  clang libclang-rt-14-dev     # libFuzzer targets (tests/fuzz), built by scripts/test.sh
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 4; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
