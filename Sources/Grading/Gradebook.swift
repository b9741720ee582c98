import ExerciseSupport
import Foundation

/// The class gradebook as CSV (RFC 4180): one row a student, one column an exercise.
///
/// Columns: `student`, `status` (``SubmissionStatus/text``: `graded`, `stubs only`,
/// `refused: why`, `no exercises found`, `no submission`, `grader error`), then one per exercise
/// (`1.1`, `1.2`, ...) holding the points earned, then `chapter 1`, `chapter 2`, ... (points a
/// chapter) and `total`. A header row comes first and a row `max points` second, so a
/// spreadsheet shows what each column is out of.
///
/// ```
/// student,status,1.1,1.2,...,chapter 1,total
/// max points,,5,5,...,65,65
/// "Doe, Jane",graded,5,0,...,40,40
/// ```
public enum Gradebook {
    /// The byte order mark that tells Excel on Windows the file is UTF-8 (without it, "José"
    /// shows as "JosÃ©").
    public static let byteOrderMark = "\u{FEFF}"

    public static func csv(_ students: [StudentGrade], exercises: [Exercise]) -> String {
        let chapters = Array(Set(exercises.map(\.chapter))).sorted()
        var rows: [[String]] = []
        rows.append(["student", "status"] + exercises.map(\.number) + chapters.map { "chapter \($0)" } + ["total"])
        rows.append(["max points", ""] + exercises.map { String($0.points) }
            + chapters.map { chapter in String(exercises.filter { $0.chapter == chapter }.map(\.points).reduce(0, +)) }
            + [String(exercises.map(\.points).reduce(0, +))])
        for student in students {
            let earned = exercises.map { exercise in
                student.grades.first { $0.exercise.number == exercise.number }?.points ?? 0
            }
            let perChapter = chapters.map { chapter in
                zip(exercises, earned).filter { $0.0.chapter == chapter }.map(\.1).reduce(0, +)
            }
            rows.append([student.student, Feedback.oneLine(student.status.text)] + earned.map(String.init) + perChapter.map(String.init)
                + [String(earned.reduce(0, +))])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV field: quoted when it holds a comma, a quote, a line break or leading/trailing
    /// space, with inner quotes doubled. A field starting with `=`, `+`, `-` or `@` gets a leading
    /// apostrophe, so a spreadsheet shows a student's name instead of running it as a formula.
    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), Int(text) == nil {
            text = "'" + text
        }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
