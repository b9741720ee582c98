import ExerciseReports
import Foundation

/// Runs `swift test` on this package as a child process and reads its event stream.
///
/// Only the exercise checks run (`--filter /exerciseN_M`), so a progress report costs one build
/// and a second or two of tests. The environment passes through, so `BOOK_EXERCISES=Solutions`
/// reports on the reference answers.
struct TestRun {
    /// The parsed events, when the tests ran at all.
    let report: EventStreamReport?
    /// The first compiler errors, when the build failed.
    let buildErrors: [String]

    static func exercises(filter: String = "/exercise[0-9]+_[0-9]+\\(") throws -> TestRun {
        let eventsURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("book-progress-\(ProcessInfo.processInfo.processIdentifier).jsonl")
        defer { try? FileManager.default.removeItem(at: eventsURL) }
        let outputURL = eventsURL.deletingPathExtension().appendingPathExtension("log")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "test", "--filter", filter, "--event-stream-output-path", eventsURL.path]
            + scratchPathArguments()
        process.standardOutput = output
        process.standardError = output
        printError("Building and running the exercise tests (swift test)...")
        do {
            try process.run()
        } catch {
            throw CommandFailure("Could not start `swift test`: \(error). Is the Swift toolchain on your PATH?")
        }
        process.waitUntilExit()
        try? output.close()

        let log = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        if FileManager.default.fileExists(atPath: eventsURL.path), let report = try? EventStreamReport(contentsOf: eventsURL),
           !report.results.isEmpty || report.runEnded {
            return TestRun(report: report, buildErrors: [])
        }
        let errors = log.split(separator: "\n").map(String.init).filter { $0.contains("error:") }
        return TestRun(report: nil, buildErrors: errors.isEmpty ? Array(log.split(separator: "\n").suffix(20).map(String.init)) : errors)
    }

    /// When BOOK_EXERCISES points elsewhere, build in `.build-<folder>` so that switching back
    /// and forth does not rebuild everything.
    private static func scratchPathArguments() -> [String] {
        guard let folder = ProcessInfo.processInfo.environment["BOOK_EXERCISES"], folder != "Exercises" else { return [] }
        let safe = folder.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return ["--scratch-path", ".build-" + String(safe)]
    }
}
