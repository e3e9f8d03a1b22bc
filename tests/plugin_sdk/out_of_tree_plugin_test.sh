#!/usr/bin/env bash
# Installs clinicd (SDK headers, libclinic_proto, the CMake package) into a
# temp prefix, builds plugins/sdk/example out of tree with find_package, and
# checks that clinicd loads the result.
#   out_of_tree_plugin_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/clinicd/plugin_abi.h"
test -f "$work/prefix/lib/cmake/clinicd/clinicdConfig.cmake"

cmake -S "$source_dir/plugins/sdk/example" -B "$work/build" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" >/dev/null

mkdir "$work/plugins"
cp "$work/build/sdk_example.so" "$work/plugins/"
"$build_dir/services/server/clinicd" plugins --plugin_dir="$work/plugins" 2>"$work/log" | tee "$work/out"
grep -q "^LOADED .*sdk_example.so  plugins/sdk_example 1.0.0  provides treatmentTypes/sdk_example_facial" "$work/out"
echo "out-of-tree plugin built against the installed SDK and loaded"
