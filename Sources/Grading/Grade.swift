import ExerciseReports
import Foundation
import ExerciseSupport

/// A whole submission's grades, in catalogue order, with notes about the submission itself
/// (files ignored, archive entries rejected).
public struct StudentGrade: Sendable {
    public let student: String
    public let grades: [ExerciseResult]
    /// Things the student should know that are not about one exercise.
    public let notes: [String]
    /// The Swift files the submission gave, by chapter (for the similarity report).
    public let sources: [Int: [SourceFile]]

    public init(student: String, grades: [ExerciseResult], notes: [String] = [], sources: [Int: [SourceFile]] = [:]) {
        self.student = student
        self.grades = grades
        self.notes = notes
        self.sources = sources
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
