import ExerciseReports
import Foundation
import ExerciseSupport

/// What became of a submission as a whole, the gradebook's `status` column.
public enum SubmissionStatus: Sendable, Equatable {
    /// Exercise files were found and at least one exercise is more than its stub.
    case graded
    /// Exercise files were found, but every exercise is still its stub (not attempted).
    case stubsOnly
    /// The archive was refused, and why (`..` in a path, a link out of the archive).
    case refused(String)
    /// Neither an `Exercises` folder nor a bare `ChapterN` folder of answers was found.
    case noExercisesFound
    /// On the roster, but nothing was submitted.
    case noSubmission
    /// The grader itself failed on this submission (the notes say how).
    case graderError
    /// Graded, but the grade is void: its tests changed the grader's sandbox (the notes name
    /// the files), so every exercise scores 0.
    case void

    /// The status in words: `graded`, `stubs only`, `refused: why`, `no exercises found`,
    /// `no submission`, `grader error` or `void: …`.
    public var text: String {
        switch self {
        case .graded: "graded"
        case .stubsOnly: "stubs only"
        case .refused(let why): "refused: " + why
        case .noExercisesFound: "no exercises found"
        case .noSubmission: "no submission"
        case .graderError: "grader error"
        case .void: "void: its tests changed the grader's files"
        }
    }

    /// Whether the exercises were built and tested, so each one's result says something.
    public var exercisesRan: Bool { self == .graded || self == .stubsOnly }
}

/// A whole submission's grades, in catalogue order, with notes about the submission itself
/// (files ignored, archive entries rejected).
public struct StudentGrade: Sendable {
    public let student: String
    public let grades: [ExerciseResult]
    /// Things the student should know that are not about one exercise.
    public let notes: [String]
    /// The Swift files the submission gave, by chapter (for the similarity report).
    public let sources: [Int: [SourceFile]]
    /// What became of the submission as a whole.
    public let status: SubmissionStatus
    /// Seconds spent grading it, when measured (Gradescope's `execution_time`).
    public var seconds: Double?

    /// A grade; without `status`, it is `stubs only` when every exercise is not attempted
    /// and `graded` otherwise.
    public init(student: String, grades: [ExerciseResult], notes: [String] = [], sources: [Int: [SourceFile]] = [:],
                status: SubmissionStatus? = nil) {
        self.student = student
        self.grades = grades
        self.notes = notes
        self.sources = sources
        self.status = status ?? (grades.allSatisfy { $0.status == .notAttempted } ? .stubsOnly : .graded)
    }

    /// A student on the roster who submitted nothing: every exercise 0.
    public static func noSubmission(_ student: String, exercises: [Exercise]) -> StudentGrade {
        StudentGrade(student: student, grades: exercises.map { ExerciseResult($0, .notAttempted) },
                     notes: ["No submission was found for \(student): every exercise scores 0."], status: .noSubmission)
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

/// One file of a submission: its path inside `Exercises/ChapterN/`, and its bytes.
public struct SourceFile: Sendable, Equatable {
    public let path: String
    public let contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    /// The contents as text (invalid UTF-8 replaced).
    public var text: String { String(decoding: contents, as: UTF8.self) }
}

extension String {
    /// The text cut to at most `limit` characters, saying how much was cut.
    func capped(_ limit: Int) -> String {
        guard count > limit else { return self }
        return String(prefix(limit)) + "\n… (\(count - limit) more characters cut)"
    }
}
