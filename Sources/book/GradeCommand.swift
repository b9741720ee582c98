import ExerciseSupport
import Foundation
import Grading

let gradeCommand = Command(
    name: "grade",
    summary: "Grade a folder of student submissions into a gradebook (for instructors).",
    usage: "book grade SUBMISSIONS --out REPORT_DIR [--chapters 1,3] [--timeout SECONDS] [--work FOLDER]",
    details: """
    SUBMISSIONS holds one entry per student: a folder, a .zip or a .tar.gz (.tgz), named after
    the student. Each holds an `Exercises/` folder, at its top or one folder down (a zipped clone).
    Only `Exercises/ChapterN/**/*.swift` is taken from a submission; it is built against this
    package's own Package.swift, Sources/ and Tests/ (run `book grade` from a clean clone).

    Writes REPORT_DIR/gradebook.csv (one row a student, points per exercise, per chapter and in
    total), and for each student REPORT_DIR/STUDENT/feedback.md and REPORT_DIR/STUDENT/results.json
    (Gradescope's autograder format).

    A chapter that does not compile is graded from its stub (0 points, with the compiler's
    errors). Each chapter's tests run in their own process, stopped after --timeout seconds
    (default 60); a crash or a hang costs only the exercise that caused it.

    --chapters   chapters to grade (default: every chapter with exercises)
    --work       the sandbox and its build folder, reused between runs (default: .build-grading)

    WARNING: student code runs with your permissions. Grade inside a container or a VM.
    """,
    examples: [
        "swift run book grade ~/course/submissions --out ~/course/grades",
        "swift run book grade submissions --out grades --chapters 1,3 --timeout 30",
    ],
    run: { raw in
        let arguments = try Arguments(raw, command: gradeCommand, options: ["out", "chapters", "timeout", "work"])
        try arguments.expectPositionals(1...1)
        guard let outPath = arguments.option("out") else {
            throw UsageError("--out REPORT_DIR is required: the folder the gradebook and feedback go to.", command: gradeCommand)
        }
        let package = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard FileManager.default.fileExists(atPath: package.appendingPathComponent("Package.swift").path) else {
            throw CommandFailure("Run `book grade` from the book's package folder (the one with Package.swift).")
        }
        let gradable = GradingOptions.gradableChapters(in: package)
        let chapters = try parseChapterList(arguments.option("chapters"), gradable: gradable)
        let timeout = try arguments.intOption("timeout", default: 60, in: 1...86_400)
        let submissionsFolder = URL(fileURLWithPath: arguments.positionals[0])
        let out = URL(fileURLWithPath: outPath)
        let work = URL(fileURLWithPath: arguments.option("work") ?? ".build-grading")

        let (submissions, skipped) = try discover(submissionsFolder)
        for line in skipped { printError("skipped \(line)") }
        guard !submissions.isEmpty else {
            throw CommandFailure("No submissions in \(submissionsFolder.path): expected one folder, .zip or .tar.gz per student.")
        }
        ActiveChild.killOnInterrupt()
        let options = GradingOptions(package: package, work: work, chapters: chapters, timeout: Double(timeout))
        let grader = try Grader(options)
        print("Grading \(submissions.count) submission(s), chapter(s) \(chapters.map(String.init).joined(separator: ", ")), \(grader.exercises.count) exercises.")
        print("Student code runs with your permissions: grade inside a container or a VM.")
        let start = Date()
        let line = StatusLine()
        line.show("preparing the sandbox (first build)")
        try grader.prepare()

        var grades: [(grade: StudentGrade, seconds: Double)] = []
        for (index, submission) in submissions.enumerated() {
            let began = Date()
            let grade = grader.grade(submission) { phase in
                line.show("[\(index + 1)/\(submissions.count)] \(submission.student): \(phase)")
            }
            grades.append((grade, Date().timeIntervalSince(began)))
            try Reports.write(grade, to: out)
            try Reports.writeGradebook(grades.map(\.grade), exercises: grader.exercises, to: out)
        }
        line.finish()
        print(summaryTable(grades))
        print(String(format: "Graded %d submission(s) in %.1f s. Gradebook: %@", submissions.count,
                     Date().timeIntervalSince(start), out.appendingPathComponent("gradebook.csv").path))
    }
)

private func discover(_ folder: URL) throws -> (submissions: [Submission], skipped: [String]) {
    guard SubmissionsFolder.exists(folder) else {
        throw CommandFailure("\(folder.path) is not a folder: pass the folder that holds one entry per student.")
    }
    return try Submission.discover(in: folder)
}

private enum SubmissionsFolder {
    static func exists(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}

/// Reads `--chapters 1,3`; every chapter must be one this package can grade.
func parseChapterList(_ text: String?, gradable: [Int]) throws -> [Int] {
    guard let text else {
        guard !gradable.isEmpty else { throw CommandFailure("This package has no chapter with exercises and tests to grade.") }
        return gradable
    }
    var chapters: [Int] = []
    for part in text.split(separator: ",") {
        guard let chapter = Int(part.trimmingCharacters(in: .whitespaces)), gradable.contains(chapter) else {
            throw UsageError("--chapters: '\(part)' is not a chapter with exercises. Gradable: \(gradable.map(String.init).joined(separator: ", ")).", command: gradeCommand)
        }
        if !chapters.contains(chapter) { chapters.append(chapter) }
    }
    guard !chapters.isEmpty else { throw UsageError("--chapters needs at least one chapter, as in --chapters 1,3.", command: gradeCommand) }
    return chapters.sorted()
}

/// The table printed at the end: one row a student, with points and a count of each status.
func summaryTable(_ grades: [(grade: StudentGrade, seconds: Double)]) -> String {
    let width = min(30, max(7, grades.map(\.grade.student.count).max() ?? 7))
    let columns: [(String, GradeStatus)] = [("pass", .passed), ("fail", .failed), ("n/a", .notAttempted),
                                            ("no-compile", .didNotCompile), ("crash", .crashed), ("timeout", .timedOut)]
    var lines = ["Student".padding(toLength: width, withPad: " ", startingAt: 0) + "  Points   "
        + columns.map { $0.0.leftPadded(to: max(5, $0.0.count)) }.joined(separator: " ") + "  Time"]
    for (grade, seconds) in grades {
        let counts = columns.map { column in
            String(grade.grades.filter { $0.status == column.1 }.count).leftPadded(to: max(5, column.0.count))
        }
        lines.append(String(grade.student.prefix(width)).padding(toLength: width, withPad: " ", startingAt: 0)
            + "  " + "\(grade.points)/\(grade.possible)".padding(toLength: 9, withPad: " ", startingAt: 0)
            + counts.joined(separator: " ") + String(format: "  %.1fs", seconds)
            + (grade.notes.contains { $0.hasPrefix("The submission could not be graded") } ? "  (grader error: see feedback)" : ""))
    }
    return lines.joined(separator: "\n")
}

/// A status line: rewritten in place on a terminal, printed line by line in a log.
final class StatusLine {
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private var last = ""

    func show(_ text: String) {
        guard text != last else { return }
        last = text
        if isTerminal {
            print("\r\u{1B}[2K" + text, terminator: "")
            fflush(nil)
        } else {
            print(text)
            fflush(nil)
        }
    }

    func finish() {
        if isTerminal { print("\r\u{1B}[2K", terminator: "") }
    }
}
