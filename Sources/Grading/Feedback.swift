import ExerciseReports
import ExerciseSupport
import Foundation

/// A student's `feedback.md`: a score line, the submission's status, notes about the
/// submission, then one entry an exercise, chapter by chapter. When nothing was graded (a
/// refused archive, no exercise folder found, no submission), the notes say why and no
/// exercise is listed: a list of "not attempted" would hide the reason.
///
/// ```
/// # Feedback for jane
///
/// Score: 40 / 65
/// Status: graded
///
/// ## Chapter 1: Scalar reverse-mode autodiff (40 / 65)
///
/// - ✔ **1.1 The product node** (5 / 5): passed.
/// - ✘ **1.3 Central differences** (0 / 10): failed.
///
///   ```
///   ∂f/∂x0 should be -6.0, got -5.9
///   ```
/// ```
public enum Feedback {
    /// The longest message kept for one exercise: a failing test may print a whole array, or a
    /// student's error may describe itself at length.
    public static let messageLimit = 2_000
    /// The most messages kept for one exercise.
    public static let messageCount = 5

    public static func markdown(_ grade: StudentGrade) -> String {
        var lines = ["# Feedback for \(grade.student)", "", "Score: \(grade.points) / \(grade.possible)  ",
                     "Status: \(oneLine(grade.status.text))", ""]
        if !grade.notes.isEmpty {
            lines.append("## About the submission")
            lines.append("")
            lines += grade.notes.map { "- " + $0.capped(messageLimit).replacingOccurrences(of: "\n", with: "\n  ") }
            lines.append("")
        }
        guard grade.status.exercisesRan else {
            lines.append("None of the \(grade.grades.count) exercises was graded, for the reason above.")
            lines.append("")
            return lines.joined(separator: "\n")
        }
        for chapter in grade.chapters {
            let items = grade.grades.filter { $0.exercise.chapter == chapter }
            let possible = items.map(\.exercise.points).reduce(0, +)
            let title = Catalogue.chapterTitles[chapter].map { ": \($0)" } ?? ""
            lines.append("## Chapter \(chapter)\(title) (\(grade.points(inChapter: chapter)) / \(possible))")
            lines.append("")
            // A chapter that did not compile shows the compiler's errors once, not per exercise.
            let compilerErrors = items.first { $0.status == .didNotCompile }.map(messages) ?? ""
            if !compilerErrors.isEmpty {
                lines.append("This chapter's files did not compile, so its stubs were graded instead (0 points). The compiler said:")
                lines.append("")
                lines.append(fenced(compilerErrors))
                lines.append("")
            }
            for item in items {
                lines.append(item.status == .didNotCompile ? entry(ExerciseResult(item.exercise, .didNotCompile)) : entry(item))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// One exercise's entry: mark, number, title, points, status, and the messages in a block.
    static func entry(_ item: ExerciseResult) -> String {
        let mark = item.status == .passed ? "✔" : item.status == .notAttempted ? "·" : "✘"
        var text = "- \(mark) **\(item.exercise.number) \(item.exercise.title)** "
            + "(\(item.points) / \(item.exercise.points)): \(summary(item.status))"
        let body = messages(item)
        if !body.isEmpty {
            text += "\n\n" + fenced(body).split(separator: "\n", omittingEmptySubsequences: false)
                .map { "  " + $0 }.joined(separator: "\n")
        }
        return text
    }

    /// Text on one line, cut to 300 characters (a status read from an error).
    static func oneLine(_ text: String) -> String {
        let joined = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
    }

    /// The entry's plain-text explanation, for Gradescope's `output`.
    public static func explanation(_ item: ExerciseResult) -> String {
        let body = messages(item)
        return body.isEmpty ? summary(item.status) : summary(item.status) + "\n\n" + body
    }

    static func summary(_ status: ExerciseStatus) -> String {
        switch status {
        case .passed: "passed."
        case .failed: "failed."
        case .notAttempted: "not attempted (the stub still throws NotAttempted)."
        case .didNotCompile: "did not compile (the chapter was graded from its stubs)."
        case .crashed: "crashed: the check stopped on a runtime error or a limit, as said below."
        case .timedOut: "timed out: the check ran past its time limit and was stopped (an endless loop?)."
        case .notRun: "not run: the grader found no result for this exercise's test."
        }
    }

    static func messages(_ item: ExerciseResult) -> String {
        var kept = item.messages.prefix(messageCount).map { $0.capped(messageLimit) }
        if item.messages.count > messageCount {
            kept.append("… and \(item.messages.count - messageCount) more")
        }
        return kept.joined(separator: "\n")
    }

    /// A code block that the text cannot close early: the fence is longer than any run of
    /// backticks inside.
    static func fenced(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "\n" + text + "\n" + fence
    }
}
