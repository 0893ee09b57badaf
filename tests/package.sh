#!/usr/bin/env bash
# The Debian package, end to end: a Release build (no sanitizers, no tests) in build-pkg, `cpack -G DEB`,
# its Depends checked against the packages that own the libraries the binary links, the package
# unpacked into a scratch root (dpkg -x: the machine's dpkg database is not touched), and the
# installed `schemactl generate` run from a directory that holds only a registry: its output must be
# the committed generated/, byte for byte.
#   bash tests/package.sh [BUILD_DIR]        (default build-pkg; run from anywhere)
#   SCHEMACTL_BUILD_ONLY=1 bash tests/package.sh   -> only the Release build
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=$PWD
build=${1:-build-pkg}

fail() {
  echo "package: FAILED: $*" >&2
  exit 1
}

launcher=()
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$src}  # cache hits across checkouts in other folders
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSCHEMACTL_TESTS=OFF -DSCHEMACTL_SANITIZE=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j2 --target schemactl schemactl_man
if [[ "${SCHEMACTL_BUILD_ONLY:-0}" == 1 ]]; then
  echo "package: built $build/schemactl (SCHEMACTL_BUILD_ONLY=1: not packaged)"
  exit 0
fi
rm -f "$build"/schemactl_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/schemactl_*.deb)
echo "package: built $deb ($(du -k "$deb" | cut -f1) KiB)"

info=$(dpkg-deb -I "$deb")
echo "$info"
depends=$(dpkg-deb -f "$deb" Depends)
[[ -n "$depends" ]] || fail "the package declares no Depends"

root=$(mktemp -d -t schemactl-pkg-root.XXXXXX)
work=$(mktemp -d -t schemactl-pkg-work.XXXXXX)
trap 'rm -rf "$root" "$work"' EXIT
dpkg -x "$deb" "$root"
bin=$root/usr/bin/schemactl
[[ -x "$bin" ]] || fail "no usr/bin/schemactl in the package"
[[ -f "$root/usr/share/man/man1/schemactl.1.gz" ]] || fail "no man page in the package"
zcat "$root/usr/share/man/man1/schemactl.1.gz" | grep -q 'migrate' || fail "the man page does not mention migrate"

# Every shared library the installed binary links directly (ELF NEEDED) belongs to a package the
# .deb depends on (the libraries those pull in are their packages' own dependencies).
libs=$(ldd "$bin")
needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" {print $2}')
[[ -n "$needed" ]] || fail "objdump found no NEEDED entries in $bin"
depend_names=$(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*//; s/[[:space:]]//g')
for soname in $needed; do
  [[ "$soname" == ld-linux* ]] && continue
  lib=$(awk -v s="$soname" '$1 == s && $3 ~ /^\// {print $3}' <<<"$libs")
  [[ -n "$lib" ]] || fail "ldd does not resolve $soname"
  owner=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1) || true
  [[ -n "$owner" ]] || owner=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1) || true
  [[ -n "$owner" ]] || fail "no package owns $lib ($soname)"
  grep -qxF "$owner" <<<"$depend_names" || fail "$soname ($owner) is not in Depends: $depends"
  echo "package: $soname -> $owner, in Depends"
done

# The installed binary, away from the source tree: a directory holding only a registry.
cp -r "$src/schema" "$work/schema"
"$bin" --version
(cd "$work" && "$bin" generate)
diff -r "$src/generated" "$work/generated" || fail "the installed schemactl's generate differs from generated/"
(cd "$work" && "$bin" validate >/dev/null)
echo "package: ok (Depends: $depends)"
