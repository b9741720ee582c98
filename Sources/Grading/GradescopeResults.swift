import Foundation

/// A submission's grades in Gradescope's autograder format (`/autograder/results/results.json`):
///
/// ```json
/// {"score": 40, "tests": [{"name": "1.1 The product node", "number": "1.1", "score": 5,
///   "max_score": 5, "status": "passed", "output": "Passed."}, ...]}
/// ```
///
/// Gradescope shows each test's `output` to the student, so it carries the same explanation as
/// `feedback.md`: the failure message, the crash, the compiler errors.
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
    }

    /// The JSON text, keys sorted, pretty-printed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
