import Foundation

/// The zip Gradescope's "zip file upload" autograder takes (`book gradescope --out
/// autograder.zip`): `setup.sh` and `run_autograder` at its top, the book in `book/`, and the
/// hidden tests, if any, in `hidden-tests/`.
///
/// Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh` once as root when it
/// builds the image, and runs `run_autograder` for each submission, with the student's files
/// in `/autograder/submission`; `run_autograder` must write `/autograder/results/results.json`.
///
/// - `setup.sh` installs Swift (from swift.org, for the image's Ubuntu release) unless it is
///   there, builds the `book` tool, and grades one empty submission, which builds the grading
///   sandbox with the stubs: each student then costs only their own chapters' rebuild.
/// - `run_autograder` copies the submission into a class of one, grades it with `book grade`
///   and the options given here, and copies the student's `results.json` into place.
///
/// Both read `AUTOGRADER_ROOT` (default `/autograder`), so the layout can be tried in any folder,
/// and `BOOK_TOOL`, an already built `book` to use instead of building one.
public enum GradescopeAutograder {
    /// The Swift release `setup.sh` installs.
    public static let swiftVersion = "6.3.1"
    /// What is taken from the book: the package and the stubs (never `Solutions/`).
    public static let bookItems = ["Package.swift", "Sources", "Tests", "Mutants", "Exercises"]

    /// The zip's entries: the two scripts, the book, and the hidden tests.
    ///
    /// - Parameter gradeArguments: the options `run_autograder` passes to `book grade`
    ///   (chapters, timeout, limits), without `--extra-tests`, which this adds when
    ///   `extraTests` is given.
    public static func entries(package: URL, extraTests: URL?, gradeArguments: [String]) throws -> [ZipWriter.Entry] {
        var arguments = gradeArguments
        var entries: [ZipWriter.Entry] = []
        for item in bookItems {
            let url = package.appendingPathComponent(item)
            if SubmissionFiles.isFolder(url) {
                for file in SubmissionFiles.walk(url, depth: 16) where file.type == .typeRegular
                    && !file.relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                    entries.append(ZipWriter.Entry(path: "book/\(item)/\(file.relative)", contents: [UInt8](try Data(contentsOf: file.url))))
                }
            } else if FileManager.default.fileExists(atPath: url.path) {
                entries.append(ZipWriter.Entry(path: "book/\(item)", contents: [UInt8](try Data(contentsOf: url))))
            } else {
                throw GradingError("\(package.path) has no \(item): run `book gradescope` from the book's folder")
            }
        }
        if let extraTests {
            for file in SubmissionFiles.walk(extraTests, depth: 9) where file.type == .typeRegular && file.relative.hasSuffix(".swift") {
                entries.append(ZipWriter.Entry(path: "hidden-tests/\(file.relative)", contents: [UInt8](try Data(contentsOf: file.url))))
            }
            arguments += ["--extra-tests", "../hidden-tests"]
        }
        entries.insert(ZipWriter.Entry(path: "run_autograder", contents: Array(runScript(gradeArguments: arguments).utf8), mode: 0o100755), at: 0)
        entries.insert(ZipWriter.Entry(path: "setup.sh", contents: Array(setupScript(gradeArguments: arguments).utf8), mode: 0o100755), at: 0)
        return entries
    }

    /// Arguments written into a shell script, each quoted.
    static func quoted(_ arguments: [String]) -> String {
        arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    }

    public static func runScript(gradeArguments: [String]) -> String {
        """
        #!/usr/bin/env bash
        # Gradescope runs this for each submission, as root, from /autograder. It grades the files
        # in $AUTOGRADER_ROOT/submission (an Exercises/ folder at any depth, or ChapterN/ folders) with
        # the book's grader, and writes $AUTOGRADER_ROOT/results/results.json.
        set -uo pipefail
        root="${AUTOGRADER_ROOT:-/autograder}"
        work="${BOOK_GRADING_WORK:-$root/book-work}"
        book="${BOOK_TOOL:-$root/source/book/.build/debug/book}"
        export PATH="/opt/swift/usr/bin:$PATH"
        mkdir -p "$root/results"
        rm -rf "$work/class" "$work/report"
        mkdir -p "$work/class"
        cp -R "$root/submission" "$work/class/student"
        cd "$root/source/book"
        if "$book" grade "$work/class" --out "$work/report" --work "$work" --no-similarity \(quoted(gradeArguments)) \\
            && [ -s "$work/report/student/results.json" ]; then
            cp "$work/report/student/results.json" "$root/results/results.json"
        else
            cat > "$root/results/results.json" <<'JSON'
        {"score": 0, "output": "The autograder itself failed, so this submission was not graded. Your instructor can see why in the autograder's log.", "stdout_visibility": "hidden", "tests": []}
        JSON
        fi

        """
    }

    public static func setupScript(gradeArguments: [String]) -> String {
        """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder's image: it installs
        # Swift \(swiftVersion) from swift.org (unless a Swift is on the PATH or BOOK_TOOL names a built
        # `book`), builds the book's grader, and grades one empty submission, which builds the
        # grading sandbox with the stubs and checks them.
        set -euo pipefail
        root="${AUTOGRADER_ROOT:-/autograder}"
        work="${BOOK_GRADING_WORK:-$root/book-work}"
        export PATH="/opt/swift/usr/bin:$PATH"

        if [ -z "${BOOK_TOOL:-}" ] && ! command -v swift > /dev/null 2>&1; then
            . /etc/os-release
            case "$VERSION_ID" in
                22.04) gcc=11 ;;
                24.04) gcc=13 ;;
                *) echo "setup.sh knows Ubuntu 22.04 and 24.04, not $PRETTY_NAME: install Swift \(swiftVersion) by hand" >&2; exit 1 ;;
            esac
            apt-get update
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
                binutils ca-certificates curl git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 \\
                "libgcc-$gcc-dev" libpython3-dev libsqlite3-0 "libstdc++-$gcc-dev" libxml2-dev \\
                libz3-dev pkg-config tzdata unzip zlib1g-dev util-linux
            platform="ubuntu$VERSION_ID"
            url="https://download.swift.org/swift-\(swiftVersion)-release/${platform//./}/swift-\(swiftVersion)-RELEASE/swift-\(swiftVersion)-RELEASE-$platform.tar.gz"
            mkdir -p /opt/swift
            curl -fsSL "$url" | tar -xz -C /opt/swift --strip-components=1
        fi

        book="${BOOK_TOOL:-$root/source/book/.build/debug/book}"
        if [ -z "${BOOK_TOOL:-}" ]; then
            (cd "$root/source/book" && swift build --product book)
        fi
        chmod +x "$root/source/run_autograder"
        # Student code runs as an unprivileged user, who must be able to reach the sandbox.
        chmod o+x "$root"
        mkdir -p "$work/empty/nobody"
        (cd "$root/source/book" && "$book" grade "$work/empty" --out "$work/empty-report" --work "$work" --no-similarity \(quoted(gradeArguments)))
        rm -rf "$work/empty" "$work/empty-report"

        """
    }
}
