import ExerciseSupport

/// Where an exercise stands after a test run.
public enum ExerciseStatus: String, Sendable, Codable {
    case passed
    case failed
    case notAttempted = "not attempted"
    /// The exercise's test did not run (filtered out, or the process died before it).
    case notRun = "not run"
    /// The test started and the process died during it (a trap in the student's code).
    case crashed
}

/// One exercise's result: the catalogue entry, its status and the failure messages.
public struct ExerciseResult: Sendable {
    public let exercise: Exercise
    public let status: ExerciseStatus
    public let messages: [String]

    public init(exercise: Exercise, status: ExerciseStatus, messages: [String] = []) {
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

    /// The status of every exercise in the catalogue (optionally only some chapters).
    public func exerciseResults(chapters: Set<Int>? = nil) -> [ExerciseResult] {
        Catalogue.all.filter { chapters?.contains($0.chapter) ?? true }.map { exercise in
            guard let result = result(for: exercise) else {
                return ExerciseResult(exercise: exercise, status: .notRun)
            }
            switch result.outcome {
            case .passed: return ExerciseResult(exercise: exercise, status: .passed)
            case .failed: return ExerciseResult(exercise: exercise, status: .failed, messages: result.failureMessages)
            case .cancelled: return ExerciseResult(exercise: exercise, status: .notAttempted)
            case .skipped: return ExerciseResult(exercise: exercise, status: .notRun)
            case .unfinished: return ExerciseResult(exercise: exercise, status: .crashed)
            }
        }
    }

    /// Tests that are not exercise checks: the book's own tests of its reference modules.
    public var referenceResults: [TestResult] {
        results.filter { result in !result.name.hasPrefix("exercise") }
    }
}
