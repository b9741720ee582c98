import ExerciseReports
import ExerciseSupport
import Foundation
import Grading

let gradeCommand = Command(
    name: "grade",
    summary: "Grade a folder of student submissions into a gradebook and a class summary (for instructors).",
    usage: "book grade SUBMISSIONS --out REPORT_DIR [--chapters 1,3] [--timeout S] [--work FOLDER] [--roster FILE] [--excel] [--extra-tests FOLDER [--show-hidden]] [LIMITS]",
    details: """
    SUBMISSIONS holds one entry per student: a folder, a .zip or a .tar.gz (.tgz), named after
    the student. Each holds an `Exercises/` folder at any depth (a zipped clone), or bare
    `ChapterN/` folders of answers. Only the `ChapterN/**/*.swift` files of that folder are
    taken; hidden folders (.build, .git, .swiftpm) are skipped unread. A submission is built
    against this package's own Package.swift, Sources/ and Tests/ (run `book grade` from a
    clean clone).

    Writes, in REPORT_DIR:
      gradebook.csv       one row a student: status (graded, stubs only, refused: why, no
                          exercises found, no submission), points per exercise, per chapter
                          and in total
      summary.md          each exercise's pass rate, its three most common failure messages, a
                          score histogram (scores.svg), and the similar answers
      similarity.csv      pairs of answers that are the same once comments, whitespace, the
                          names they declare and number formats are normalised away
      STUDENT/feedback.md and STUDENT/results.json (Gradescope's format)

    A chapter that does not compile is graded from its stub (0 points, with the compiler's
    errors). Each chapter's tests run in their own process, stopped after --timeout seconds
    (default 60); a crash or a hang costs only the exercise that caused it.

    --roster FILE    the class list, so that students who sent nothing get a row ("no
                     submission"): one name per line, or a CSV whose header has a `name` (or
                     `student`) column; names match submissions ignoring case
    --excel          write gradebook.csv and similarity.csv with a UTF-8 byte order mark, so
                     that Excel on Windows shows accented names rightly
    \(gradingOptionsHelp)

    Student code runs with the limits above and, when the grader is root, as the user nobody;
    still, grade inside a container or a VM.
    """,
    examples: [
        "swift run book grade ~/course/submissions --out ~/course/grades",
        "swift run book grade submissions --out grades --chapters 1,3 --timeout 30",
        "swift run book grade submissions --out grades --extra-tests ~/course/hidden-tests",
        "swift run book grade submissions --out grades --roster roster.csv --excel",
    ],
    run: { raw in
        let arguments = try Arguments(raw, command: gradeCommand, options: Set(["out", "work", "roster"] + GradingArguments.options),
                                      flags: Set(["no-similarity", "excel"] + GradingArguments.flags))
        try arguments.expectPositionals(1...1)
        guard let outPath = arguments.option("out") else {
            throw UsageError("--out REPORT_DIR is required: the folder the gradebook and feedback go to.", command: gradeCommand)
        }
        let package = try packageFolder(gradeCommand)
        let settings = try GradingArguments(arguments, package: package)
        let submissionsFolder = URL(fileURLWithPath: arguments.positionals[0])
        let out = URL(fileURLWithPath: outPath)
        let work = URL(fileURLWithPath: arguments.option("work") ?? ".build-grading")

        let (submissions, skipped) = try discover(submissionsFolder)
        for line in skipped { printError("skipped \(line)") }
        let roster = try arguments.option("roster").map(readRoster)
        guard !submissions.isEmpty || !(roster?.names.isEmpty ?? true) else {
            throw CommandFailure("No submissions in \(submissionsFolder.path): expected one folder, .zip or .tar.gz per student.")
        }
        let excel = arguments.flag("excel")
        ActiveChild.killOnInterrupt()
        let options = settings.options(package: package, work: work)
        let grader = try Grader(options)
        print("Grading \(submissions.count) submission(s), chapter(s) \(options.chapters.map(String.init).joined(separator: ", ")), \(grader.exercises.count) exercises.")
        print(options.limits.map { "Limits on student code: \($0.summary)." } ?? "No limits on student code (--no-limits).")
        for note in grader.limitNotes { print("Note: \(note)") }
        if options.extraTests != nil {
            print("Hidden tests from \(options.extraTests!.path)\(options.showHidden ? ", with their messages shown" : "").")
        }
        let start = Date()
        let line = StatusLine()
        line.show("preparing the sandbox (first build)")
        try grader.prepare()
        let prepared = Date().timeIntervalSince(start)

        var grades: [(grade: StudentGrade, seconds: Double)] = []
        // Students on the roster who sent nothing: a row of zeros that says so.
        for name in roster?.missing(from: submissions.map(\.student)) ?? [] {
            let grade = StudentGrade.noSubmission(name, exercises: grader.exercises)
            grades.append((grade, 0))
            try Reports.write(grade, to: out)
        }
        func gradebookRows() -> [StudentGrade] {
            roster.map { $0.ordered(grades.map(\.grade)) } ?? grades.map(\.grade)
        }
        for (index, submission) in submissions.enumerated() {
            let began = Date()
            var grade = grader.grade(submission) { phase in
                line.show("[\(index + 1)/\(submissions.count)] \(submission.student): \(phase)")
            }
            grade.seconds = Date().timeIntervalSince(began)
            grades.append((grade, grade.seconds ?? 0))
            try Reports.write(grade, to: out)
            try Reports.writeGradebook(gradebookRows(), exercises: grader.exercises, to: out, byteOrderMark: excel)
        }
        try Reports.writeGradebook(gradebookRows(), exercises: grader.exercises, to: out, byteOrderMark: excel)
        line.finish()
        if let roster {
            let missing = grades.filter { $0.grade.status == .noSubmission }.count
            print("Roster: \(roster.names.count) name(s); \(missing) without a submission (status \"no submission\").")
            for name in roster.unknown(submissions.map(\.student)) {
                print("Note: \(name) is not on the roster; graded anyway.")
            }
        }
        let similarity: SimilarityReport? = arguments.flag("no-similarity") ? nil : SimilarityReport(
            students: grades.map { ($0.grade.student, $0.grade.sources) }, exercises: grader.exercises,
            stubs: grader.sandbox.stubs.mapValues { $0.map { SourceFile(path: $0.path, contents: $0.contents) } },
            reference: referenceSolutions(package: package, chapters: options.chapters))
        try ClassSummary.write(gradebookRows(), exercises: grader.exercises, similarity: similarity,
                               notes: grader.limitNotes, to: out, byteOrderMark: excel)
        let ordered = gradebookRows()
        print(summaryTable(ordered.map { grade in (grade, grade.seconds ?? 0) }))
        let total = Date().timeIntervalSince(start)
        print(String(format: "Graded %d submission(s) in %.1f s (preparing the sandbox: %.1f s; then %.1f s a student). Gradebook: %@",
                     submissions.count, total, prepared, (total - prepared) / Double(max(1, submissions.count)),
                     out.appendingPathComponent("gradebook.csv").path))
        print("Class summary: \(out.appendingPathComponent("summary.md").path)")
    }
)

/// The options `book grade` and `book gradescope` share: what to grade and the limits on
/// student code.
struct GradingArguments {
    static let options = ["chapters", "timeout", "extra-tests", "memory", "file-size", "processes", "cpu"]
    static let flags = ["show-hidden", "allow-network", "no-limits"]

    let chapters: [Int]
    let timeout: Int
    let extraTests: URL?
    let showHidden: Bool
    let limits: ResourceLimits?
    /// The same settings as `book grade` arguments (for `run_autograder`).
    let asArguments: [String]

    init(_ arguments: Arguments, package: URL) throws {
        let command = arguments.command
        let gradable = GradingOptions.gradableChapters(in: package)
        chapters = try parseChapterList(arguments.option("chapters"), gradable: gradable)
        timeout = try arguments.intOption("timeout", default: 60, in: 1...86_400)
        extraTests = arguments.option("extra-tests").map { URL(fileURLWithPath: $0) }
        showHidden = arguments.flag("show-hidden")
        if showHidden && extraTests == nil {
            throw UsageError("--show-hidden needs --extra-tests FOLDER.", command: command)
        }
        var list = ["--chapters", chapters.map(String.init).joined(separator: ","), "--timeout", String(timeout)]
        if showHidden { list.append("--show-hidden") }
        if arguments.flag("no-limits") {
            limits = nil
            list.append("--no-limits")
        } else {
            let defaults = ResourceLimits()
            let memory = try arguments.intOption("memory", default: Int(defaults.memoryBytes / 1_048_576), in: 64...1_048_576)
            let file = try arguments.intOption("file-size", default: Int(defaults.fileBytes / 1_048_576), in: 1...1_048_576)
            let processes = try arguments.intOption("processes", default: defaults.processes, in: 16...1_000_000)
            let cpu = try arguments.intOption("cpu", default: defaults.cpuSeconds, in: 1...86_400)
            let network = arguments.flag("allow-network")
            limits = ResourceLimits(memoryMB: memory, fileMB: file, processes: processes, cpuSeconds: cpu, network: network)
            list += ["--memory", String(memory), "--file-size", String(file), "--processes", String(processes), "--cpu", String(cpu)]
            if network { list.append("--allow-network") }
        }
        asArguments = list
    }

    func options(package: URL, work: URL) -> GradingOptions {
        GradingOptions(package: package, work: work, chapters: chapters, timeout: Double(timeout), limits: limits,
                       extraTests: extraTests, showHidden: showHidden)
    }
}

let gradingOptionsHelp = """
--chapters 1,3   chapters to grade (default: every chapter with exercises)
--timeout S      seconds allowed to one chapter's test process (default 60)
--work FOLDER    the sandbox and its build folder, reused between runs (default: .build-grading)
--extra-tests F  the instructor's hidden tests, F/ChapterN/*.swift: an exercise scores only
                 when its hidden tests pass too; feedback says "a hidden test failed"
--show-hidden    quote the hidden tests' failure messages in the feedback
--no-similarity  skip the similarity report

LIMITS on every process that runs student code (Linux):
--memory MB      address space per process (default 4096)
--file-size MB   largest file a process may write (default 256)
--processes N    processes and threads the tests may run at once (default 512)
--cpu S          CPU seconds per process (default 300)
--allow-network  let student code use the network (default: off, when the machine allows)
--no-limits      none of these
"""

/// The current folder, which must be the book's package.
func packageFolder(_ command: Command) throws -> URL {
    let package = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    guard FileManager.default.fileExists(atPath: package.appendingPathComponent("Package.swift").path) else {
        throw CommandFailure("Run `book \(command.name)` from the book's package folder (the one with Package.swift).")
    }
    return package
}

/// The reference solutions of the chapters, when the package has them (`Solutions/ChapterN`).
func referenceSolutions(package: URL, chapters: [Int]) -> [Int: [SourceFile]]? {
    var result: [Int: [SourceFile]] = [:]
    for chapter in chapters {
        let files = referenceFiles(package.appendingPathComponent("Solutions/Chapter\(chapter)"))
        if !files.isEmpty { result[chapter] = files }
    }
    return result.isEmpty ? nil : result
}

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
            throw UsageError("--chapters: '\(part)' is not a chapter with exercises. Gradable: \(gradable.map(String.init).joined(separator: ", ")).")
        }
        if !chapters.contains(chapter) { chapters.append(chapter) }
    }
    guard !chapters.isEmpty else { throw UsageError("--chapters needs at least one chapter, as in --chapters 1,3.") }
    return chapters.sorted()
}

/// The table printed at the end: one row a student, with points, a count of each exercise
/// status, the time, and the submission's status (`refused: why` cut to fit).
func summaryTable(_ grades: [(grade: StudentGrade, seconds: Double)]) -> String {
    let width = min(30, max(7, grades.map(\.grade.student.count).max() ?? 7))
    let columns: [(String, ExerciseStatus)] = [("pass", .passed), ("fail", .failed), ("n/a", .notAttempted),
                                            ("no-compile", .didNotCompile), ("crash", .crashed), ("timeout", .timedOut)]
    var lines = ["Student".padding(toLength: width, withPad: " ", startingAt: 0) + "  Points   "
        + columns.map { $0.0.leftPadded(to: max(5, $0.0.count)) }.joined(separator: " ") + "    Time  Status"]
    for (grade, seconds) in grades {
        let counts = columns.map { column in
            String(grade.grades.filter { $0.status == column.1 && grade.status.exercisesRan }.count).leftPadded(to: max(5, column.0.count))
        }
        let status = grade.status.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        lines.append(String(grade.student.prefix(width)).padding(toLength: width, withPad: " ", startingAt: 0)
            + "  " + "\(grade.points)/\(grade.possible)".padding(toLength: 9, withPad: " ", startingAt: 0)
            + counts.joined(separator: " ") + String(format: "  %5.1fs", seconds)
            + "  " + (status.count > 70 ? String(status.prefix(69)) + "…" : status)
            + (grade.status == .graderError ? " (see feedback)" : ""))
    }
    return lines.joined(separator: "\n")
}

/// Reads `--roster FILE`.
func readRoster(_ path: String) throws -> Roster {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw CommandFailure("--roster: \(path) could not be read as UTF-8 text.")
    }
    do {
        return try Roster(text: text)
    } catch {
        throw CommandFailure("--roster: \(path): \(error).")
    }
}
