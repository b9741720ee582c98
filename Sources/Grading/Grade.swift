import ExerciseSupport

/// What became of one exercise when a submission was graded.
public enum GradeStatus: String, Sendable, Codable, CaseIterable {
    /// The exercise's test passed: full points.
    case passed
    /// The test ran and failed, with messages saying why.
    case failed
    /// Still the stub: it threw `NotAttempted`.
    case notAttempted = "not attempted"
    /// The chapter's exercise files did not compile, so the pristine stub was graded instead.
    case didNotCompile = "did not compile"
    /// The test process died while this exercise's test ran (a trap, an index out of range).
    case crashed
    /// The test ran past the time limit and was stopped.
    case timedOut = "timed out"
    /// The test never produced a result (it is missing from the test binary, or was skipped).
    case notRun = "not run"
}

/// One exercise's grade: status, points, and the messages that explain it.
public struct ExerciseGrade: Sendable, Equatable {
    public let exercise: Exercise
    public let status: GradeStatus
    /// Failure messages, the crash message, or the compiler's first errors.
    public let messages: [String]

    public init(_ exercise: Exercise, _ status: GradeStatus, messages: [String] = []) {
        self.exercise = exercise
        self.status = status
        self.messages = messages
    }

    /// All the exercise's points for a pass, none otherwise.
    public var points: Int { status == .passed ? exercise.points : 0 }
}

/// A whole submission's grades, in catalogue order, with notes about the submission itself
/// (files ignored, archive entries rejected).
public struct StudentGrade: Sendable {
    public let student: String
    public let grades: [ExerciseGrade]
    /// Things the student should know that are not about one exercise.
    public let notes: [String]

    public init(student: String, grades: [ExerciseGrade], notes: [String] = []) {
        self.student = student
        self.grades = grades
        self.notes = notes
    }

    public var points: Int { grades.map(\.points).reduce(0, +) }
    public var possible: Int { grades.map(\.exercise.points).reduce(0, +) }

    /// Points earned in one chapter.
    public func points(inChapter chapter: Int) -> Int {
        grades.filter { $0.exercise.chapter == chapter }.map(\.points).reduce(0, +)
    }

    /// The chapters graded, in order.
    public var chapters: [Int] {
        Array(Set(grades.map(\.exercise.chapter))).sorted()
    }
}

extension String {
    /// The text cut to at most `limit` characters, saying how much was cut.
    func capped(_ limit: Int) -> String {
        guard count > limit else { return self }
        return String(prefix(limit)) + "\n… (\(count - limit) more characters cut)"
    }
}
