import ExerciseSupport

/// Where an exercise stands after its test ran: the one status that `book progress`,
/// `book watch`, `book verify` and the grader all use.
public enum ExerciseStatus: String, Sendable, Codable, CaseIterable {
    /// The exercise's test passed: full points.
    case passed
    /// The test ran and failed, with messages saying why.
    case failed
    /// Still the stub: it threw `NotAttempted`, so the test ended cancelled.
    case notAttempted = "not attempted"
    /// The chapter's exercise files did not compile (the grader then grades the stubs).
    case didNotCompile = "did not compile"
    /// The check trapped (index out of range, `fatalError`, overflow, unwrapping nil, a stack
    /// overflow), or its process died while it ran.
    case crashed
    /// The check ran past its time limit and was stopped.
    case timedOut = "timed out"
    /// The test produced no result (filtered out, missing from the test binary, or skipped).
    case notRun = "not run"
}

/// One exercise's result: the catalogue entry, its status and the messages that explain it
/// (failure messages, the one-line crash or timeout report, or the compiler's first errors).
public struct ExerciseResult: Sendable, Equatable {
    public let exercise: Exercise
    public let status: ExerciseStatus
    public let messages: [String]

    public init(_ exercise: Exercise, _ status: ExerciseStatus, messages: [String] = []) {
        self.exercise = exercise
        self.status = status
        self.messages = messages
    }

    /// Points earned: all of them for a pass, none otherwise.
    public var points: Int { status == .passed ? exercise.points : 0 }
}

extension EventStreamReport {
    /// The test result for an exercise: the test function named `exerciseN_M()` in
    /// `ChapterNTests`.
    public func result(for exercise: Exercise) -> TestResult? {
        let name = exercise.testFunctionName + "()"
        return results.first { $0.name == name && $0.id.hasPrefix("Chapter\(exercise.chapter)Tests.") }
    }

    /// Every test of an exercise: `exerciseN_M()` and any `exerciseN_M_…()` in `ChapterNTests`
    /// (an instructor's hidden tests join the book's under such names).
    public func results(for exercise: Exercise) -> [TestResult] {
        let name = exercise.testFunctionName
        return results.filter { result in
            result.id.hasPrefix("Chapter\(exercise.chapter)Tests.")
                && (result.name == name + "()" || (result.name.hasPrefix(name + "_") && result.name.hasSuffix(")")))
        }
    }

    /// The exercise's result, from all of its tests: it passes only when every one passed. Nil
    /// when one of them did not end (the process died or was stopped while it ran) or none ran.
    ///
    /// An exercise test that runs its check in a child process reports a trap or a hang itself,
    /// as a failure whose message starts `N.M crashed:` or `N.M timed out:`
    /// (`ExerciseTesting/Isolation.swift`); such a failure is classified as crashed or timed out.
    ///
    /// - Parameter hiding: tests whose failures are reported as "a hidden test failed", without
    ///   their messages (an instructor's hidden tests).
    public func exerciseResult(_ exercise: Exercise, hiding: ((TestResult) -> Bool)? = nil) -> ExerciseResult? {
        let tests = results(for: exercise)
        guard !tests.isEmpty, !tests.contains(where: { $0.outcome == .unfinished }) else { return nil }
        let number = exercise.number
        var messages: [String] = []
        var statuses: [ExerciseStatus] = []
        for test in tests {
            switch test.outcome {
            case .passed: statuses.append(.passed)
            case .cancelled: statuses.append(.notAttempted)
            case .skipped: statuses.append(.notRun)
            case .unfinished: return nil
            case .failed:
                let status = Self.classify(test.failureMessages, exercise: number)
                statuses.append(status)
                if let hiding, hiding(test) {
                    let how = status == .failed ? "failed" : status.rawValue
                    messages.append("A hidden test of \(number) \(how) (the instructor's tests are not shown).")
                } else {
                    messages += test.failureMessages
                }
            }
        }
        // The worst outcome decides: a crash or hang over a failure, a failure over a stub.
        let order: [ExerciseStatus] = [.crashed, .timedOut, .failed, .notAttempted, .notRun, .passed]
        let status = order.first(where: statuses.contains) ?? .notRun
        return ExerciseResult(exercise, status, messages: status == .passed || status == .notAttempted ? [] : messages)
    }

    /// The status of every exercise in the catalogue (optionally only some chapters), from this
    /// one stream: a test that never ended counts as crashed, one that never ran as not run.
    public func exerciseResults(chapters: Set<Int>? = nil) -> [ExerciseResult] {
        Catalogue.all.filter { chapters?.contains($0.chapter) ?? true }.map { exercise in
            if let result = exerciseResult(exercise) { return result }
            return ExerciseResult(exercise, results(for: exercise).isEmpty ? .notRun : .crashed)
        }
    }

    /// Crashed or timed out when a message is the isolation's one-line report, else failed.
    static func classify(_ messages: [String], exercise number: String) -> ExerciseStatus {
        if messages.contains(where: { $0.hasPrefix("\(number) crashed:") }) { return .crashed }
        if messages.contains(where: { $0.hasPrefix("\(number) timed out:") }) { return .timedOut }
        return .failed
    }

    /// Tests that are not exercise checks: the book's own tests of its reference modules.
    public var referenceResults: [TestResult] {
        results.filter { result in !result.name.hasPrefix("exercise") }
    }
}
