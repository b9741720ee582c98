import ExerciseReports
import ExerciseSupport
import Foundation
import Grading

/// The student's loop, as `book progress` and `book watch` run it, with the grader's machinery:
/// build once, then run each chapter's exercise tests in a child process of its own, in its own
/// process group, with a time limit. A crash or a hang costs only its exercise, and Ctrl-C
/// stops everything that was started.
enum StudentRun {
    /// The book in the current folder, built in the folder this very tool was built in (so that
    /// `BOOK_EXERCISES=Solutions swift run --scratch-path .build-solutions book` checks the
    /// solutions without building everything a second time).
    static func currentBook() throws -> BuiltBook {
        let package = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard FileManager.default.fileExists(atPath: package.appendingPathComponent("Package.swift").path) else {
            throw CommandFailure("Run `swift run book` from the book's folder (the one with Package.swift).")
        }
        return BuiltBook(package: package, scratch: scratchFolder(package: package))
    }

    /// The build folder: the one holding this executable when it lies inside the package
    /// (`.build/x86_64-unknown-linux-gnu/debug/book`), else `.build`.
    static func scratchFolder(package: URL) -> URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = executable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let root = package.resolvingSymlinksInPath().path + "/"
        if candidate.path.hasPrefix(root),
           FileManager.default.fileExists(atPath: candidate.appendingPathComponent("workspace-state.json").path) {
            return candidate
        }
        return package.appendingPathComponent(".build")
    }

    /// Builds the book, saying so on standard error. Returns the compiler's errors, or nil when
    /// it built.
    static func build(_ book: BuiltBook, status: StatusLine) throws -> [String]? {
        status.show("Building (swift build --build-tests; the first build takes a few minutes)...")
        let result = try book.build(timeout: 3_600)
        status.finish()
        guard !result.succeeded else { return nil }
        if result.termination == .timedOut { return ["The build ran past an hour and was stopped."] }
        let errors = CompilerErrors(buildOutput: result.output, sandbox: book.package.path)
        let lines = errors.byChapter.keys.sorted().flatMap { errors.byChapter[$0]! } + errors.unattributed
        return lines.isEmpty ? Array(result.output.split(separator: "\n").suffix(20).map(String.init)) : lines
    }

    /// Runs the exercise tests of each chapter, one test process per chapter.
    static func results(_ book: BuiltBook, chapters: [Int], timeout: Double, status: StatusLine) throws -> [ExerciseResult] {
        let tests = ChapterTests(book: book, timeout: timeout)
        var results: [ExerciseResult] = []
        for chapter in chapters {
            let exercises = Catalogue.exercises(inChapter: chapter)
            guard !exercises.isEmpty else { continue }
            status.show("Checking chapter \(chapter)'s exercises...")
            results += try tests.run(exercises)
        }
        status.finish()
        return results
    }

    /// The message for a build that failed.
    static func buildFailure(_ errors: [String]) -> String {
        "The book did not build, so no exercise could be checked. The compiler said:\n"
            + errors.prefix(10).joined(separator: "\n")
            + (errors.count > 10 ? "\n… and \(errors.count - 10) more" : "")
            + "\n\nFix these errors (or put the stub back: `throw NotAttempted(\"N.M\")`) and try again."
    }

    /// `--timeout S`: seconds allowed to one chapter's test process.
    static let timeoutHelp = """
    --timeout S  seconds allowed to one chapter's test process (default 60). Each exercise's
                 check is stopped a little before, after S minus a fifth (at least 2 s), so a
                 hang is reported by its own check; BOOK_EXERCISE_TIMEOUT, when set lower, wins.
    """
}

/// A status line on standard error: rewritten in place on a terminal, printed line by line in a log.
final class StatusLine {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var last = ""

    func show(_ text: String) {
        guard text != last else { return }
        last = text
        let line = isTerminal ? "\r\u{1B}[2K" + text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if isTerminal && !last.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        last = ""
    }
}
