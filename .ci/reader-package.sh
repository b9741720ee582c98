#!/usr/bin/env bash
# Builds the reader's package shown in README ("Using the book's modules in your own package")
# against this checkout, from README's own code blocks, so the instructions cannot go stale.
# Then checks that a release-built program gets the library's message for a wrong shape.
#
#     .ci/reader-package.sh WORKDIR
set -euo pipefail
book="$(cd "$(dirname "$0")/.." && pwd)"
work="$1"
rm -rf "$work" && mkdir -p "$work"
ln -s "$book" "$work/EncoderDecoderBook"
package="$work/MyExperiments"
mkdir -p "$package"

# Each block follows a marker line `<!-- reader-package: PATH -->` and a ```swift fence.
awk -v root="$package" '
    /^<!-- reader-package: .* -->$/ { path = $3; next }
    path != "" && /^```swift$/ { inside = 1; file = root "/" path; system("mkdir -p \"$(dirname \"" file "\")\""); printf "" > file; next }
    inside && /^```$/ { inside = 0; path = ""; close(file); next }
    inside { print >> file }
' "$book/README.md"
test -s "$package/Package.swift" && test -s "$package/Sources/MyExperiments/main.swift"

cd "$package"
swift build -c release
output="$(swift run -c release MyExperiments)"
echo "$output"
echo "$output" | grep -q "^perplexity: 1\.4" || { echo "the reader's program did not print the expected perplexity" >&2; exit 1; }

# A wrong shape in a release-built program must still say what is wrong.
cat > Sources/MyExperiments/main.swift <<'SWIFT'
import Tensors
let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4, 5])
print(a.matmul(b))
SWIFT
swift build -c release
if message="$(swift run -c release MyExperiments 2>&1)"; then
    echo "a wrong-shape matmul ran to the end in a release build" >&2; exit 1
fi
echo "$message" | grep -q "matmul: shapes \[2, 3\] and \[4, 5\] do not match" || {
    echo "a release build lost the shape message; it printed:" >&2; echo "$message" | head -5 >&2; exit 1; }
echo "release build: the wrong shape is named"
