#!/usr/bin/env bash
# Checks, on the built objects, the two facts that keep the AVX2 and AVX-512 kernels from ever
# running on a CPU without those instructions (see Sources/Tensors/KernelDispatch.swift):
#
#   1. The kernel modules (compiled with -march=x86-64-v3 / v4) define no code but their own
#      public kernel functions: no weak (shared) function that the linker could pick in place
#      of a baseline copy of the same function from another module, and no code of any other
#      module's name.
#   2. No other module of the package contains a single VEX or EVEX instruction (AVX, AVX2,
#      FMA, AVX-512): everything outside the kernel modules is baseline x86-64.
#
#     swift build -c release && Tools/check-kernel-isolation.sh .build/release
#     swift build --build-tests && Tools/check-kernel-isolation.sh .build/debug
#
# Linux x86-64 only (ELF objects, nm and objdump from binutils).
set -euo pipefail
build="${1:-.build/release}"
failed=0
kernels=(KernelsAVX2 KernelsAVX512)
for module in "${kernels[@]}"; do
    objects=("$build/$module.build/"*.o)
    [ -e "${objects[0]}" ] || { echo "no objects for $module in $build (build first)" >&2; exit 2; }
    prefix="\$s${#module}${module}"
    # nm: T/t code, W/w weak code or weak undefined, V/v weak data.
    bad="$(nm --defined-only "${objects[@]}" | awk -v prefix="$prefix" '
        NF >= 3 && ($2 == "W" || $2 == "w" || (($2 == "T" || $2 == "t" || $2 == "i") && index($3, prefix) != 1)) { print }')"
    if [ -n "$bad" ]; then
        echo "FAIL: $module defines code other than its own kernels:" >&2
        echo "$bad" >&2
        failed=1
    else
        echo "ok: $module defines only its own kernel functions ($(nm --defined-only "${objects[@]}" | grep -c ' T ') of them)"
    fi
done
count=0
for dir in "$build"/*.build; do
    name="$(basename "$dir" .build)"
    [[ " ${kernels[*]} " == *" $name "* ]] && continue
    for object in "$dir"/*.o; do
        [ -e "$object" ] || continue
        count=$((count + 1))
        vex="$(objdump -d --no-show-raw-insn "$object" | grep -E '^\s+[0-9a-f]+:\s+v[a-z0-9]+\s' | head -n 3 || true)"
        if [ -n "$vex" ]; then
            echo "FAIL: $object (module $name) contains AVX instructions:" >&2
            echo "$vex" >&2
            failed=1
        fi
    done
done
echo "ok: checked $count objects of the other modules for AVX instructions"
exit $failed
