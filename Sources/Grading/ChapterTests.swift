import ExerciseReports
import ExerciseSupport
import Foundation

/// Runs one chapter's exercise tests in the built sandbox and turns them into grades, even
/// when the student's code crashes or hangs.
///
/// 1. All the chapter's exercise tests run in one process (in parallel, as Swift Testing runs
///    them), filtered to `ChapterNTests.<suite>/exerciseN_M(`, with the event stream on.
/// 2. If that process dies or times out, the tests that ended keep their results. When exactly
///    one test was still running, it is the one that crashed or hung. Otherwise every test
///    without a result runs again alone, so each crash is pinned on its own exercise and the
///    exercises that pass still count.
struct ChapterTests {
    let sandbox: Sandbox
    let timeout: Double

    func grade(_ exercises: [Exercise]) throws -> [ExerciseGrade] {
        var grades: [String: ExerciseGrade] = [:]
        let first = try run(exercises)
        for exercise in exercises {
            if let grade = first.grade(exercise) { grades[exercise.number] = grade }
        }
        if !first.finished {
            let running = exercises.filter { first.report.result(for: $0)?.outcome == .unfinished }
            if running.count == 1 {
                grades[running[0].number] = first.abnormalGrade(running[0])
            }
            for exercise in exercises where grades[exercise.number] == nil {
                let alone = try run([exercise])
                grades[exercise.number] = alone.grade(exercise)
                    ?? (alone.finished ? ExerciseGrade(exercise, .notRun) : alone.abnormalGrade(exercise))
            }
        }
        return exercises.map { grades[$0.number] ?? ExerciseGrade($0, .notRun) }
    }

    /// One test process over some exercises of one chapter.
    struct Run {
        let report: EventStreamReport
        let child: ChildResult

        /// Whether the run reached its end (every test it started has ended).
        var finished: Bool { report.runEnded && child.termination != .timedOut }

        /// The grade the event stream gives, when the exercise's test ended.
        func grade(_ exercise: Exercise) -> ExerciseGrade? {
            guard let result = report.result(for: exercise) else { return nil }
            let messages = result.failureMessages
            switch result.outcome {
            case .passed: return ExerciseGrade(exercise, .passed)
            case .failed: return ExerciseGrade(exercise, .failed, messages: messages)
            case .cancelled: return ExerciseGrade(exercise, .notAttempted)
            case .skipped: return ExerciseGrade(exercise, .notRun)
            case .unfinished: return nil
            }
        }

        /// The grade of an exercise whose test was running when the process died or hung.
        func abnormalGrade(_ exercise: Exercise) -> ExerciseGrade {
            switch child.termination {
            case .timedOut:
                return ExerciseGrade(exercise, .timedOut, messages: ["Stopped after \(Int(child.seconds.rounded())) seconds."])
            case .signalled(let signal):
                return ExerciseGrade(exercise, .crashed, messages: [Self.describe(signal: signal)] + crashLines)
            case .exited(let status):
                return ExerciseGrade(exercise, .crashed, messages: ["The test process exited with status \(status) before the test ended (does the code call exit()?)."] + crashLines)
            }
        }

        /// The runtime's own words about the crash: `Fatal error: Index out of range`.
        var crashLines: [String] {
            let markers = ["Fatal error", "fatal error", "Precondition failed", "Assertion failed", "Unexpectedly found nil", "Crash: "]
            return Array(child.output.split(whereSeparator: \.isNewline)
                .filter { line in markers.contains { line.contains($0) } }
                .prefix(3).map { String($0.prefix(500)) })
        }

        static func describe(signal: Int32) -> String {
            switch signal {
            case 4, 5: "The process trapped (signal \(signal)): a runtime error such as fatalError, an index out of range, an arithmetic overflow or unwrapping nil."
            case 6: "The process aborted (SIGABRT)."
            case 9: "The process was killed (SIGKILL), perhaps for using too much memory."
            case 11, 7: "The process crashed with a memory fault (signal \(signal)), perhaps from unbounded recursion."
            default: "The process was ended by signal \(signal)."
            }
        }
    }

    /// Runs the test binary with a filter that selects exactly these exercises' tests.
    func run(_ exercises: [Exercise]) throws -> Run {
        let events = sandbox.scratch.appendingPathComponent("events.jsonl")
        try? FileManager.default.removeItem(at: events)
        var arguments = try testCommand()
        for exercise in exercises {
            arguments += ["--filter", "^Chapter\(exercise.chapter)Tests\\.[^/]*/\(exercise.testFunctionName)\\("]
        }
        arguments += ["--event-stream-output-path", events.path]
        let child = try ChildProcess.run(arguments, in: sandbox.package, environment: Sandbox.environment,
                                         timeout: timeout, captureLimit: 64 * 1024)
        let report = (try? EventStreamReport(contentsOf: events)) ?? EventStreamReport(jsonLines: "")
        return Run(report: report, child: child)
    }

    /// The command that runs the built tests. On Linux the test bundle is an executable and is
    /// run directly (about 30 ms, where `swift test --skip-build` takes about a second).
    func testCommand() throws -> [String] {
        #if os(Linux)
        let folder = sandbox.scratch.appendingPathComponent("debug")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let binary = names.first(where: { $0.hasSuffix("PackageTests.xctest") }) else {
            throw GradingError("no test binary (*PackageTests.xctest) in \(folder.path) after the build")
        }
        return [folder.appendingPathComponent(binary).path, "--testing-library", "swift-testing"]
        #else
        return ["swift", "test", "--skip-build", "--scratch-path", sandbox.scratch.path]
        #endif
    }
}
