import Foundation

/// A submission's grades in Gradescope's autograder format (`/autograder/results/results.json`,
/// as Gradescope's "Autograder Specifications" page documents it):
///
/// ```json
/// {"score": 40, "output": "…", "stdout_visibility": "hidden", "visibility": "visible",
///  "tests": [{"name": "1.1 The product node", "number": "1.1", "score": 5,
///   "max_score": 5, "status": "passed", "output": "passed."}, ...]}
/// ```
///
/// Gradescope shows each test's `output` to the student, so it carries the same explanation as
/// `feedback.md`: the failure message, the crash, the compiler errors. The top-level `output`
/// carries the notes about the submission (ignored files, a refused archive). The grader's own
/// log (`stdout`) is for the instructor only.
public struct GradescopeResults: Codable, Equatable, Sendable {
    public struct Test: Codable, Equatable, Sendable {
        public let name: String
        public let number: String
        public let score: Int
        public let maxScore: Int
        /// `passed` or `failed`: Gradescope knows only these two.
        public let status: String
        public let output: String

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output
            case maxScore = "max_score"
        }
    }

    public let score: Int
    public let tests: [Test]
    /// Notes about the whole submission, shown to the student.
    public let output: String
    /// Who sees the results: `visible` (Gradescope also knows `hidden`, `after_due_date`,
    /// `after_published`).
    public let visibility: String
    /// Who sees the grader's log: `hidden`, the instructor only.
    public let stdoutVisibility: String

    enum CodingKeys: String, CodingKey {
        case score, tests, output, visibility
        case stdoutVisibility = "stdout_visibility"
    }

    public init(_ grade: StudentGrade) {
        tests = grade.grades.map { item in
            Test(
                name: "\(item.exercise.number) \(item.exercise.title)",
                number: item.exercise.number,
                score: item.points,
                maxScore: item.exercise.points,
                status: item.status == .passed ? "passed" : "failed",
                output: Feedback.explanation(item))
        }
        score = grade.points
        output = grade.notes.isEmpty ? "Score: \(grade.points) / \(grade.possible)"
            : "Score: \(grade.points) / \(grade.possible)\n\n" + grade.notes.map { "- " + $0 }.joined(separator: "\n")
        visibility = "visible"
        stdoutVisibility = "hidden"
    }

    /// The JSON text, keys sorted, pretty-printed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
