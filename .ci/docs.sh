#!/usr/bin/env bash
# Builds the API documentation of every module that has a DocC catalog (Sources/X/X.docc) with
# the toolchain's own `docc` (no plugin, no package dependency), and fails on any warning, such
# as a ``link`` to a symbol that does not exist.
#
#     .ci/docs.sh            # writes .build/docs/X.doccarchive for each catalog
#
# To read them: `docc preview Sources/Tensors/Tensors.docc --additional-symbol-graph-dir
# .build/docs/symbols/Tensors`, then open the address it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/docs
rm -rf "$out" && mkdir -p "$out/symbols"
swift package dump-symbol-graph > "$out/dump.log" 2>&1 || { cat "$out/dump.log" >&2; exit 1; }
graphs="$(ls -d .build/*/symbolgraph | head -n 1)"
failed=0
for catalog in Sources/*/*.docc; do
    module="$(basename "$catalog" .docc)"
    mkdir -p "$out/symbols/$module"
    cp "$graphs/$module".symbols.json "$out/symbols/$module/"
    cp "$graphs/$module"@*.symbols.json "$out/symbols/$module/" 2>/dev/null || true
    if docc convert "$catalog" --additional-symbol-graph-dir "$out/symbols/$module" \
        --fallback-display-name "$module" --fallback-bundle-identifier "book.$module" \
        --output-path "$out/$module.doccarchive" --warnings-as-errors > "$out/$module.log" 2>&1; then
        echo "docs: $module built with no warnings"
    else
        echo "docs: $module has warnings or errors:" >&2
        grep -E "warning|error" "$out/$module.log" >&2 || cat "$out/$module.log" >&2
        failed=1
    fi
done
exit $failed
