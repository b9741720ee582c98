#!/usr/bin/env bash
# The student's loop, measured (issue 8, point 1): in a book already built in debug, for each
# chapter, save the chapter's exercise file (touch) and time `swift test --filter ChapterN`,
# which rebuilds that exercise module, relinks the tests and runs the chapter's tests.
#
#     Tools/feedback_times.sh            # chapters 1 to 9, 3 runs each
#     Tools/feedback_times.sh 5 6        # only chapters 5 and 6
#     RUNS=5 Tools/feedback_times.sh     # 5 runs each
#
# Prints a Markdown table: the fastest and the median wall-clock time of the runs, the time
# Swift Testing reports for the tests alone, how many tests ran and how many of them were the
# chapter's exercise checks, and the load average at the end (the machine's other work shows
# there: measure on a quiet machine). Run it from anywhere; it works in the book's folder.
# Not run by CI: speed is measured, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${RUNS:-3}"
chapters=("$@")
if [ ${#chapters[@]} -eq 0 ]; then chapters=(1 2 3 4 5 6 7 8 9); fi

echo "Building once (swift build --build-tests)..." >&2
swift build --build-tests > /dev/null

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "| Chapter | Fastest | Median | Tests alone (Swift Testing) | Tests run | Exercise checks | Load average |"
echo "|---|---|---|---|---|---|---|"
for chapter in "${chapters[@]}"; do
    files=(Exercises/Chapter"$chapter"/*.swift)
    times=()
    for _ in $(seq "$runs"); do
        touch "${files[@]}"
        start=$(date +%s.%N)
        swift test --filter "Chapter$chapter" > "$log" 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    fastest=${sorted[0]}
    median=${sorted[$(( ${#sorted[@]} / 2 ))]}
    # "✔ Test run with 24 tests in 5 suites passed after 1.234 seconds."
    summary=$(grep -E "Test run with [0-9]+ tests? " "$log" | tail -1 || true)
    tests=$(echo "$summary" | sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p')
    alone=$(echo "$summary" | sed -nE 's/.* after ([0-9.]+) seconds.*/\1/p')
    checks=$({ grep -E "Test \"Exercise $chapter\.[0-9]+ " "$log" || true; } | sed -nE "s/.*Test \"Exercise ($chapter\.[0-9]+) .*/\1/p" | sort -u | wc -l)
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
    printf '| %s | %.1f s | %.1f s | %s s | %s | %s | %s |\n' "$chapter" "$fastest" "$median" "${alone:-?}" "${tests:-?}" "$checks" "$load"
done
