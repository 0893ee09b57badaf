#!/usr/bin/env bash
# Installs everything schemactl needs to build and test on Debian 12 (bookworm).
# Skips apt entirely when every package is already installed, so local reruns are fast.
# Works as root (CI) and uses sudo only when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libcli11-dev libpqxx-dev libpq-dev libmysqlcppconn-dev libboost-dev
  libyaml-cpp-dev nlohmann-json3-dev libkainjow-mustache-dev libfmt-dev
  libpg-query-dev doctest-dev libssl-dev
  postgresql-15 postgresql-contrib mariadb-server mariadb-client
  clang-format git ca-certificates openssl help2man
  clang libclang-rt-14-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#PACKAGES[@]} packages already installed; skipping apt" >&2
  exit 0
fi

echo "deps: missing: ${missing[*]}" >&2

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "deps: not root and sudo is not available; cannot install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)

"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update
# Only the missing ones: naming an installed package would also upgrade it (and its deps).
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null

# Verify.
still=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || still+=("$pkg")
done
if ((${#still[@]} > 0)); then
  echo "deps: still not installed after apt-get: ${still[*]}" >&2
  exit 1
fi
echo "deps: installed ${#missing[@]} missing package(s)" >&2
