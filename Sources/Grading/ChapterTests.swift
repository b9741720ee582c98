import ExerciseReports
import ExerciseSupport
import Foundation

/// Runs one chapter's exercise tests in a built book and turns them into results, even when
/// the student's code crashes or hangs. The grader, `book progress` and `book watch` all use it.
///
/// 1. All the chapter's exercise tests run in one process (in parallel, as Swift Testing runs
///    them), filtered to `ChapterNTests.<suite>/exerciseN_M(` (and `exerciseN_M_…(`, the
///    instructor's hidden tests), with the event stream on.
/// 2. Each exercise check runs in a child process of its own (an exit test), which reports a
///    trap or a hang as a failure starting `N.M crashed:` or `N.M timed out:`. The check's
///    limit (`BOOK_EXERCISE_TIMEOUT`) is set a little below the process's, so that a hang is
///    stopped by its own check and the process still ends by itself with every other result.
/// 3. If the process dies or runs past `timeout` anyway (a test that does not isolate its
///    check), the tests that ended keep their results. When exactly one exercise was still
///    running, it is the one that crashed or hung. Otherwise every exercise without a result
///    runs again alone, so each crash is pinned on its own exercise.
public struct ChapterTests: Sendable {
    public let book: BuiltBook
    /// Seconds allowed to one test process.
    public let timeout: Double
    /// Tests whose source path contains this (the instructor's hidden tests) report a failure
    /// without its details, unless `showHidden`.
    public var hiddenPathMarker: String?
    public var showHidden: Bool

    public init(book: BuiltBook, timeout: Double, hiddenPathMarker: String? = nil, showHidden: Bool = false) {
        self.book = book
        self.timeout = timeout
        self.hiddenPathMarker = hiddenPathMarker
        self.showHidden = showHidden
    }

    /// The limit each exercise check gets inside a test process limited to `timeout` seconds:
    /// `timeout` less a margin of a fifth (at least 2 s, at most half), or `BOOK_EXERCISE_TIMEOUT`
    /// when that is set lower.
    public static func checkLimit(processLimit timeout: Double, environment: [String: String]) -> Double {
        let margin = min(max(2, timeout * 0.2), timeout / 2)
        let derived = timeout - margin
        if let set = environment["BOOK_EXERCISE_TIMEOUT"].flatMap(Double.init), set > 0 {
            return min(set, derived)
        }
        return derived
    }

    /// A test process that leaves this many processes behind has run a fork loop.
    public static let forkLoopThreshold = 16

    /// Runs the exercises' tests (all of one chapter) and returns one result for each, in order.
    public func run(_ exercises: [Exercise]) throws -> [ExerciseResult] {
        var results: [String: ExerciseResult] = [:]
        let first = try process(exercises)
        for exercise in exercises {
            if let result = first.result(exercise, hiding: hiding) { results[exercise.number] = result }
        }
        // A fork loop fills the process limit, which the other checks of the same process need
        // to start: whatever did not pass beside it is checked again, alone.
        let forkLoop = first.child.leftBehind >= Self.forkLoopThreshold
        if !first.finished && !forkLoop {
            let running = exercises.filter { first.isRunning($0) }
            if running.count == 1 {
                results[running[0].number] = first.abnormalResult(running[0], exercisesFolder: book.exercisesFolder)
            }
        }
        for exercise in exercises {
            let status = results[exercise.number]?.status
            guard status == nil || (forkLoop && status != .passed && status != .notAttempted) else { continue }
            let alone = try process([exercise])
            var result = alone.result(exercise, hiding: hiding)
                ?? (alone.finished ? ExerciseResult(exercise, .notRun)
                    : alone.abnormalResult(exercise, exercisesFolder: book.exercisesFolder))
            if alone.child.leftBehind >= Self.forkLoopThreshold {
                let limit = book.limits.map { " The grader lets student code start at most \($0.limits.processes) processes and threads;" } ?? ""
                result = ExerciseResult(exercise, result.status == .passed ? .failed : result.status, messages: result.messages + [
                    "\(exercise.number) left \(alone.child.leftBehind) processes running when its test ended: a fork loop?\(limit) they were all stopped.",
                ])
            }
            results[exercise.number] = result
        }
        return exercises.map { results[$0.number] ?? ExerciseResult($0, .notRun) }
    }

    /// Which tests' details are hidden.
    var hiding: (@Sendable (TestResult) -> Bool)? {
        guard let marker = hiddenPathMarker, !showHidden else { return nil }
        return { $0.sourcePath?.contains(marker) == true }
    }

    /// One test process over some exercises of one chapter.
    struct TestProcess {
        let report: EventStreamReport
        let child: ChildResult

        /// Whether the run reached its end (every test it started has ended).
        var finished: Bool { report.runEnded && child.termination != .timedOut }

        /// The result the event stream gives, when all of the exercise's tests ended.
        func result(_ exercise: Exercise, hiding: ((TestResult) -> Bool)?) -> ExerciseResult? {
            report.exerciseResult(exercise, hiding: hiding)
        }

        /// Whether one of the exercise's tests was running when the process died or was stopped.
        func isRunning(_ exercise: Exercise) -> Bool {
            report.results(for: exercise).contains { $0.outcome == .unfinished }
        }

        /// The result of an exercise whose test was running when the process died or hung, in
        /// one line: `8.3 crashed: Index out of range at Exercises/Chapter8/Exercises.swift:42`.
        func abnormalResult(_ exercise: Exercise, exercisesFolder: String) -> ExerciseResult {
            let number = exercise.number
            switch child.termination {
            case .timedOut:
                return ExerciseResult(exercise, .timedOut, messages: [
                    "\(number) timed out: its test process was stopped after \(Int(child.seconds.rounded())) s. Is there a loop that never ends?",
                ])
            case .signalled(let signal):
                let reason = runtimeReason(chapter: exercise.chapter, exercisesFolder: exercisesFolder)
                    ?? Self.describe(signal: signal)
                return ExerciseResult(exercise, .crashed, messages: ["\(number) crashed: \(reason)"])
            case .exited(let status):
                return ExerciseResult(exercise, .crashed, messages: [
                    "\(number) crashed: the test process exited with status \(status) before the test ended (does the code call exit()?)",
                ])
            }
        }

        /// The runtime's own words about the crash, with the student's file and line when the
        /// runtime names them: `student gave up at Exercises/Chapter1/Exercises.swift:22`.
        func runtimeReason(chapter: Int, exercisesFolder: String) -> String? {
            let lines = child.output.split(whereSeparator: \.isNewline).map(String.init)
            guard let line = lines.first(where: { $0.contains("Fatal error: ") || $0.contains("Precondition failed: ") }) else {
                return lines.first { $0.contains("Fatal error") }.map { String($0.prefix(300)) }
            }
            let marker = line.range(of: "Fatal error: ") ?? line.range(of: "Precondition failed: ")!
            var reason = String(line[marker.upperBound...].prefix(300))
            if reason.isEmpty { reason = "fatal error" }
            // `Chapter8Exercises/Exercises.swift:22: Fatal error: …` (the file ID of the call).
            let place = line[..<marker.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: ": "))
            let module = "Chapter\(chapter)Exercises/"
            if let range = place.range(of: module) {
                reason += " at \(exercisesFolder)/Chapter\(chapter)/" + place[range.upperBound...]
            } else if place.contains("/Chapter\(chapter)/") {
                reason += " at " + place
            }
            return reason
        }

        static func describe(signal: Int32) -> String {
            switch signal {
            case 4, 5: "a runtime trap (signal \(signal)): an index out of range, an arithmetic overflow, unwrapping nil or fatalError"
            case 6: "the process aborted (SIGABRT)"
            case 9: "the process was killed (SIGKILL), perhaps for using too much memory"
            case 11, 7: "a memory fault (signal \(signal)), perhaps from recursion that goes too deep"
            default: "the process was ended by signal \(signal)"
            }
        }
    }

    /// Runs the test binary with a filter that selects exactly these exercises' tests.
    func process(_ exercises: [Exercise]) throws -> TestProcess {
        let events = book.runFolder.appendingPathComponent("events-\(ProcessInfo.processInfo.processIdentifier).jsonl")
        try? FileManager.default.removeItem(at: events)
        defer { try? FileManager.default.removeItem(at: events) }
        var arguments = try book.testCommand()
        for exercise in exercises {
            arguments += ["--filter", "^Chapter\(exercise.chapter)Tests\\.[^/]*/\(exercise.testFunctionName)[(_]"]
        }
        arguments += ["--event-stream-output-path", events.path]
        var environment = book.environment
        environment["BOOK_EXERCISE_TIMEOUT"] = String(Self.checkLimit(processLimit: timeout, environment: book.environment))
        if book.limits != nil {
            environment["TMPDIR"] = book.runFolder.path
            environment["HOME"] = book.runFolder.path
        }
        let child = try ChildProcess.run(arguments, in: book.package, environment: environment,
                                         timeout: timeout, captureLimit: 64 * 1024, limits: book.limits)
        let report = (try? EventStreamReport(contentsOf: events)) ?? EventStreamReport(jsonLines: "")
        return TestProcess(report: report, child: child)
    }
}
