import Foundation

/// A submission's grades in Gradescope's autograder format (`/autograder/results/results.json`,
/// as Gradescope's "Autograder Specifications" page documents it):
///
/// ```json
/// {"score": 40, "execution_time": 12, "output": "Score: 40 / 65\nStatus: graded\n…",
///  "output_format": "text", "test_output_format": "text", "test_name_format": "text",
///  "visibility": "visible", "stdout_visibility": "hidden",
///  "tests": [{"name": "1.1 The product node", "number": "1.1", "score": 5,
///   "max_score": 5, "status": "passed", "output": "passed."}, ...]}
/// ```
///
/// Gradescope shows each test's `output` to the student, so it carries the same explanation as
/// `feedback.md`: the failure message, the crash, the compiler errors. The top-level `output`
/// carries the score, the status and the notes about the submission (ignored files, a refused
/// archive, no exercise folder found). Every output is plain `text`: it quotes compiler
/// messages and file names a student chose, which must not be read as HTML or Markdown. The
/// grader's own log (`stdout`) is for the instructor only.
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
    /// Whole seconds spent grading the submission, when measured.
    public let executionTime: Int?
    public let tests: [Test]
    /// The score, the status and the notes about the whole submission, shown to the student.
    public let output: String
    /// How Gradescope renders `output`, the tests' outputs and the tests' names: `text`
    /// (Gradescope also knows `html`, `simple_format`, `md` and `ansi`).
    public let outputFormat: String
    public let testOutputFormat: String
    public let testNameFormat: String
    /// Who sees the results: `visible` (Gradescope also knows `hidden`, `after_due_date`,
    /// `after_published`).
    public let visibility: String
    /// Who sees the grader's log: `hidden`, the instructor only.
    public let stdoutVisibility: String

    enum CodingKeys: String, CodingKey {
        case score, tests, output, visibility
        case executionTime = "execution_time"
        case outputFormat = "output_format"
        case testOutputFormat = "test_output_format"
        case testNameFormat = "test_name_format"
        case stdoutVisibility = "stdout_visibility"
    }

    public init(_ grade: StudentGrade) {
        let ran = grade.status.exercisesRan
        tests = grade.grades.map { item in
            Test(
                name: "\(item.exercise.number) \(item.exercise.title)",
                number: item.exercise.number,
                score: item.points,
                maxScore: item.exercise.points,
                status: item.status == .passed ? "passed" : "failed",
                output: ran ? Feedback.explanation(item) : "Not graded: \(Feedback.oneLine(grade.status.text)) (see the note at the top).")
        }
        score = grade.points
        executionTime = grade.seconds.map { Int($0.rounded(.up)) }
        let head = "Score: \(grade.points) / \(grade.possible)\nStatus: \(Feedback.oneLine(grade.status.text))"
        output = grade.notes.isEmpty ? head : head + "\n\n" + grade.notes.map { "- " + $0 }.joined(separator: "\n")
        outputFormat = "text"
        testOutputFormat = "text"
        testNameFormat = "text"
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
