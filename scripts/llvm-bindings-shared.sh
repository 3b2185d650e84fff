#!/usr/bin/env bash
# One copy of LLVM per process (issue 12, cold start and memory). `npm install` builds
# llvm-bindings with LLVM 14 linked statically into its 110 MB .node, while the emit
# addon (native/) links Debian's shared libLLVM-14: a compile mapped LLVM twice
# (~88 MiB, ~110 ms to load). This rebuilds llvm-bindings against the same shared
# libLLVM-14, so both use one copy.
#
# llvm-bindings' CMake maps LLVM components to the static libraries
# (llvm_map_components_to_libnames in cmake/LLVM.cmake); the rebuild links the `LLVM`
# dylib target of LLVM's CMake package instead. It builds in a copy of the package under
# node_modules/.cache and swaps the finished .node in with one rename, so a process
# loading llvm-bindings meanwhile never sees half a file. Idempotent: does nothing when
# the installed .node already links libLLVM-14. Takes ~80 s on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PKG=$ROOT/node_modules/llvm-bindings
TARGET=$PKG/build/Release/llvm-bindings.node
WORK=$ROOT/node_modules/.cache/llvm-bindings-shared

links_shared_llvm() { readelf -d "$1" 2>/dev/null | grep -q 'NEEDED.*\[libLLVM-14\.so'; }

if [ ! -f "$TARGET" ]; then
  echo "llvm-bindings-shared: $TARGET is missing: run npm install first" >&2
  exit 1
fi
if links_shared_llvm "$TARGET"; then
  exit 0
fi

echo "llvm-bindings-shared: rebuilding llvm-bindings against the shared libLLVM-14 (about a minute and a half)"
rm -rf "$WORK"
mkdir -p "$WORK"
tar -C "$PKG" --exclude=./build -cf - . | tar -C "$WORK" -xf -
# The one change: link the LLVM dylib instead of the static component libraries.
sed -i 's/^llvm_map_components_to_libnames(LLVM_LIBS .*)$/set(LLVM_LIBS LLVM)/' "$WORK/cmake/LLVM.cmake"
if ! grep -qx 'set(LLVM_LIBS LLVM)' "$WORK/cmake/LLVM.cmake"; then
  echo "llvm-bindings-shared: cmake/LLVM.cmake of this llvm-bindings version is not the expected one" >&2
  exit 1
fi
# llvm-bindings' CMake looks for llvm-config and cmake-js on PATH (as `npm install` runs it).
export PATH="$ROOT/node_modules/.bin:/usr/lib/llvm-14/bin:$PATH"
# cmake-js takes Node's headers from npm's `nodedir` (as `npm install` ran it), and would
# otherwise download them.
nodedir=$(npm config get nodedir 2>/dev/null || true)
if [ -n "$nodedir" ] && [ "$nodedir" != undefined ] && [ "$nodedir" != null ]; then export npm_config_nodedir=$nodedir; fi
(cd "$WORK" && cmake-js compile >"$WORK/build.log" 2>&1) || {
  tail -40 "$WORK/build.log" >&2
  echo "llvm-bindings-shared: the build failed (log above); the static llvm-bindings stays in place" >&2
  exit 1
}
BUILT=$WORK/build/Release/llvm-bindings.node
if ! links_shared_llvm "$BUILT"; then
  echo "llvm-bindings-shared: the new build does not link libLLVM-14; the static one stays in place" >&2
  exit 1
fi
# Loads and builds a module before it replaces anything.
if ! node -e "
const llvm = require(process.argv[1]);
const ctx = new llvm.LLVMContext();
const m = new llvm.Module('probe', ctx);
const b = new llvm.IRBuilder(ctx);
const f = llvm.Function.Create(llvm.FunctionType.get(b.getInt64Ty(), false), llvm.Function.LinkageTypes.ExternalLinkage, 'f', m);
b.SetInsertPoint(llvm.BasicBlock.Create(ctx, 'entry', f));
b.CreateRet(b.getInt64(7));
if (llvm.verifyModule(m) || !m.print().includes('ret i64 7')) process.exit(1);
" "$WORK"; then
  echo "llvm-bindings-shared: the new build does not load or build a module; the static one stays in place" >&2
  exit 1
fi
cp "$BUILT" "$TARGET.new"
mv -f "$TARGET.new" "$TARGET"
rm -rf "$WORK"
echo "llvm-bindings-shared: llvm-bindings now links $(readelf -d "$TARGET" | grep -o 'libLLVM-14[^]]*')"
