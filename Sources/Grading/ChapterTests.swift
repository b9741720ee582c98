import ExerciseReports
import ExerciseSupport
import Foundation

/// Runs one chapter's exercise tests in a built book and turns them into results, even when
/// the student's code crashes, hangs or tries to forge its results. The grader, `book progress`
/// and `book watch` all use it.
///
/// 1. All the chapter's exercise tests run in one process (in parallel, as Swift Testing runs
///    them), filtered to `ChapterNTests.<suite>/exerciseN_M(` (and `exerciseN_M_…(`, the
///    instructor's hidden tests), with the event stream going to a pipe this process reads
///    (``ChildProcess/Channel``): the test process gets the pipe's write end as `/dev/fd/N`,
///    and no path that student code could find and write to.
/// 2. Each exercise check runs in a child process of its own (an exit test), which reports a
///    trap or a hang as a failure starting `N.M crashed:` or `N.M timed out:`. The check's
///    limit (`BOOK_EXERCISE_TIMEOUT`) is set a little below the process's, so that a hang is
///    stopped by its own check and the process still ends by itself with every other result.
/// 3. The run's results count only when the run can be trusted (``RunVerdict``): it exited
///    with 0 or 1, its stream is whole, and every expected test reported exactly once.
///    Otherwise: when it died with exactly one exercise running, that one crashed; every other
///    exercise runs again alone, all side by side (so a chapter where everything hangs costs
///    about two `timeout`s, not one per exercise), and each crash, hang or forgery is pinned on
///    its own exercise, under the same rules.
public struct ChapterTests: Sendable {
    public let book: BuiltBook
    /// Seconds allowed to one test process.
    public let timeout: Double
    /// Tests whose source path contains this (the instructor's hidden tests) report a failure
    /// without its details, unless `showHidden`.
    public var hiddenPathMarker: String?
    public var showHidden: Bool
    /// The stable IDs of the tests each chapter's run must report, taken from a run on the
    /// stubs (the grader's `prepare()`), or nil to check only that each stream is whole.
    public var expectedTests: [Int: Set<String>]?

    public init(book: BuiltBook, timeout: Double, hiddenPathMarker: String? = nil, showHidden: Bool = false,
                expectedTests: [Int: Set<String>]? = nil) {
        self.book = book
        self.timeout = timeout
        self.hiddenPathMarker = hiddenPathMarker
        self.showHidden = showHidden
        self.expectedTests = expectedTests
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

    /// The descriptor the test process writes its event stream to (`/dev/fd/200`): above the
    /// ones it opens itself, so that Swift Testing, which closes every descriptor above the
    /// ones it hands on when it starts an exit test, keeps it from the checks' children (the
    /// checks also mark it close-on-exec: `ExerciseTesting`'s `TestProcessGuard`).
    public static let eventDescriptor: Int32 = 200

    /// Runs the exercises' tests (all of one chapter) and returns one result for each, in order.
    public func run(_ exercises: [Exercise]) throws -> [ExerciseResult] {
        var results: [String: ExerciseResult] = [:]
        let first = try process(exercises)
        let verdict = first.verdict(expected: expected(for: exercises))
        var forkLoop = false
        switch verdict.kind {
        case .trusted:
            for exercise in exercises {
                if let result = first.result(exercise, hiding: hiding) { results[exercise.number] = result }
            }
            // A fork loop fills the process limit, which the other checks of the same process
            // need to start: whatever did not pass beside it is checked again, alone.
            forkLoop = first.child.leftBehind >= Self.forkLoopThreshold
        case .timedOut:
            // Every exercise runs again alone, side by side: a hang costs one more `timeout` at
            // most, whatever the number of exercises. (The exercises still running are not
            // simply called timed out: a stall of the whole process, such as a crash report
            // that waited for ever, would cost exercises that were fine.)
            break
        case .died:
            let running = exercises.filter { first.isRunning($0) }
            if running.count == 1, first.child.leftBehind < Self.forkLoopThreshold {
                results[running[0].number] = first.abnormalResult(running[0], exercisesFolder: book.exercisesFolder)
            }
        case .untrustworthy:
            break
        }
        let again = exercises.filter { exercise in
            let status = results[exercise.number]?.status
            return status == nil || (forkLoop && status != .passed && status != .notAttempted)
        }
        for (exercise, result) in try alone(again, sideBySide: !forkLoop) {
            results[exercise.number] = result
        }
        return exercises.map { results[$0.number] ?? ExerciseResult($0, .notRun) }
    }

    /// Runs each exercise's tests in a process of its own, all at once unless `sideBySide` is
    /// false (after a fork loop, which would take the processes the others need). When one of
    /// them runs a fork loop anyway, the others that did not pass run again, one at a time.
    func alone(_ exercises: [Exercise], sideBySide: Bool) throws -> [(Exercise, ExerciseResult)] {
        guard !exercises.isEmpty else { return [] }
        var results = sideBySide ? try concurrently(exercises, aloneResult) : try exercises.map(aloneResult)
        if sideBySide, results.contains(where: { $0.forkLoop }) {
            for index in results.indices where !results[index].forkLoop
                && results[index].result.status != .passed && results[index].result.status != .notAttempted {
                results[index] = try aloneResult(exercises[index])
            }
        }
        return zip(exercises, results.map(\.result)).map { ($0, $1) }
    }

    /// One exercise's result from a process of its own, and whether it ran a fork loop.
    func aloneResult(_ exercise: Exercise) throws -> (result: ExerciseResult, forkLoop: Bool) {
        let alone = try process([exercise])
        let verdict = alone.verdict(expected: expected(for: [exercise]))
        var result: ExerciseResult
        switch verdict.kind {
        case .trusted:
            result = alone.result(exercise, hiding: hiding) ?? ExerciseResult(exercise, .notRun)
        case .timedOut, .died:
            result = alone.abnormalResult(exercise, exercisesFolder: book.exercisesFolder)
        case .untrustworthy:
            result = RunVerdict.untrusted(exercise, problems: verdict.problems)
        }
        let forkLoop = alone.child.leftBehind >= Self.forkLoopThreshold
        if forkLoop {
            let limit = book.limits.map { " The grader lets student code start at most \($0.limits.processes) processes and threads;" } ?? ""
            result = ExerciseResult(exercise, result.status == .passed ? .failed : result.status, messages: result.messages + [
                "\(exercise.number) left \(alone.child.leftBehind) processes running when its test ended: a fork loop?\(limit) they were all stopped.",
            ])
        }
        return (result, forkLoop)
    }

    /// `work` applied to every item, each on a thread of its own, all at once (not as many at
    /// a time as there are cores, as `concurrentPerform` would: the work is mostly waiting);
    /// results in order.
    func concurrently<Item: Sendable, Output: Sendable>(_ items: [Item], _ work: @escaping @Sendable (Item) throws -> Output) throws -> [Output] {
        let outputs = Outputs<Output>(count: items.count)
        let done = DispatchSemaphore(value: 0)
        for (index, item) in items.enumerated() {
            Thread {
                outputs.set(index, Result { try work(item) })
                done.signal()
            }.start()
        }
        for _ in items { done.wait() }
        return try outputs.values.map { try $0!.get() }
    }

    /// Results filled in by several threads.
    final class Outputs<Output: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Output, any Error>?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Result<Output, any Error>) { lock.withLock { slots[index] = value } }
        var values: [Result<Output, any Error>?] { lock.withLock { slots } }
    }

    /// Runs the exercises' tests in one process and returns their results with the stable IDs
    /// of every test the run reported, when the run can be trusted on its own accounts. The
    /// grader calls it on the stubs, before any student, to learn which tests each run must
    /// report.
    public func inventory(_ exercises: [Exercise]) throws -> (results: [ExerciseResult], tests: Set<String>) {
        let run = try process(exercises)
        let verdict = run.verdict(expected: nil)
        guard verdict.trusted else {
            throw GradingError("the run of \(exercises.map(\.number).joined(separator: ", ")) on the stubs cannot be trusted: "
                + verdict.problems.joined(separator: "; ") + "\n" + String(run.child.output.suffix(2_000)))
        }
        let results = exercises.map { run.result($0, hiding: hiding) ?? ExerciseResult($0, .notRun) }
        return (results, run.report.reportedTests)
    }

    /// The tests a run of these exercises must report, when known.
    func expected(for exercises: [Exercise]) -> Set<String>? {
        guard let expectedTests else { return nil }
        var tests: Set<String> = []
        for exercise in exercises {
            tests.formUnion((expectedTests[exercise.chapter] ?? []).filter { EventStreamReport.test($0, belongsTo: exercise) })
        }
        return tests
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

        /// Whether the run's results can be trusted, and if not, why.
        func verdict(expected: Set<String>?) -> RunVerdict {
            RunVerdict(report: report, child: child, expected: expected)
        }

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
                    "\(number) crashed: the test process exited with status \(status) before its run ended (does the code call exit()?)",
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

    /// Runs the test binary with a filter that selects exactly these exercises' tests. On
    /// Linux the event stream goes to a pipe this process reads; elsewhere (`swift test`, which
    /// does not pass descriptors on) to a file in `book.runFolder`.
    func process(_ exercises: [Exercise]) throws -> TestProcess {
        var arguments = try book.testCommand()
        for exercise in exercises {
            arguments += ["--filter", "^Chapter\(exercise.chapter)Tests\\.[^/]*/\(exercise.testFunctionName)[(_]"]
        }
        var environment = book.environment
        environment["BOOK_EXERCISE_TIMEOUT"] = String(Self.checkLimit(processLimit: timeout, environment: book.environment))
        if book.limits != nil {
            environment["TMPDIR"] = book.runFolder.path
            environment["HOME"] = book.runFolder.path
        }
        #if os(Linux)
        arguments += ["--event-stream-output-path", "/dev/fd/\(Self.eventDescriptor)"]
        let child = try ChildProcess.run(arguments, in: book.package, environment: environment,
                                         timeout: timeout, captureLimit: 64 * 1024, limits: book.limits,
                                         channel: ChildProcess.Channel(descriptor: Self.eventDescriptor))
        let report = EventStreamReport(jsonLines: String(decoding: child.channel.bytes, as: UTF8.self))
        #else
        let events = book.runFolder.appendingPathComponent("events-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: events) }
        arguments += ["--event-stream-output-path", events.path]
        let child = try ChildProcess.run(arguments, in: book.package, environment: environment,
                                         timeout: timeout, captureLimit: 64 * 1024, limits: book.limits)
        let report = (try? EventStreamReport(contentsOf: events)) ?? EventStreamReport(jsonLines: "")
        #endif
        return TestProcess(report: report, child: child)
    }
}
