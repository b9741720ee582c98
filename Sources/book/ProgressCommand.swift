import ExerciseReports
import ExerciseSupport
import Foundation
import Grading

let progressCommand = Command(
    name: "progress",
    summary: "Check your exercises and show what passes, what fails and what is left.",
    usage: "book progress [CHAPTER] [--timeout S]",
    details: """
    Builds the book once, then runs each chapter's exercise checks in a test process of its own,
    as the grader does: a crash or an endless loop costs only the exercise that caused it, and
    is reported in one line (`8.3 crashed: Index out of range at Exercises/Chapter8/Exercises.swift:42`).
    Without a chapter it prints one line per chapter; with one it lists that chapter's exercises
    with their messages. `book` with no command does the same as `book progress`.

    \(StudentRun.timeoutHelp)

    Set BOOK_EXERCISES=Solutions to see the reference answers pass.
    """,
    examples: [
        "swift run book", "swift run book progress 8", "swift run book --timeout 20",
        "BOOK_EXERCISES=Solutions swift run --scratch-path .build-solutions book progress",
    ],
    run: { raw in
        let arguments = try Arguments(raw, command: progressCommand, options: ["timeout"])
        try arguments.expectPositionals(0...1)
        let chapter = try arguments.positionals.first.map { try parseChapter($0, command: progressCommand) }
        let timeout = try arguments.intOption("timeout", default: 60, in: 1...86_400)
        ActiveChild.killOnInterrupt()
        let book = try StudentRun.currentBook()
        let status = StatusLine()
        if let errors = try StudentRun.build(book, status: status) {
            throw CommandFailure(StudentRun.buildFailure(errors))
        }
        let chapters = chapter.map { [$0] } ?? Catalogue.chapters
        let results = try StudentRun.results(book, chapters: chapters, timeout: Double(timeout), status: status)
        if let chapter {
            print(chapterDetail(chapter, results: results))
        } else {
            print(progressTable(results))
        }
    }
)

/// Reads a chapter number and checks the book has it.
func parseChapter(_ text: String, command: Command) throws -> Int {
    guard let chapter = Int(text), Catalogue.chapterTitles[chapter] != nil else {
        throw UsageError("'\(text)' is not a chapter: chapters are numbered 1 to 9.", command: command)
    }
    return chapter
}

/// One line a chapter (attempted, passing, points), the total, every crash and timeout in one
/// line each, then what to look at next.
func progressTable(_ results: [ExerciseResult]) -> String {
    var lines = ["Ch  " + "Title".padding(toLength: 48, withPad: " ", startingAt: 0) + "Attempted  Passing  Points"]
    var earned = 0, possible = 0
    for chapter in Catalogue.chapterTitles.keys.sorted() {
        let mine = results.filter { $0.exercise.chapter == chapter }
        let title = Catalogue.chapterTitles[chapter]!.padding(toLength: 48, withPad: " ", startingAt: 0)
        guard !mine.isEmpty else {
            lines.append(String(format: "%2d  ", chapter) + title + "(not checked)")
            continue
        }
        let attempted = mine.filter { $0.status != .notAttempted && $0.status != .notRun }.count
        let passing = mine.filter { $0.status == .passed }.count
        let points = mine.map(\.points).reduce(0, +)
        let total = mine.map(\.exercise.points).reduce(0, +)
        earned += points
        possible += total
        lines.append(String(format: "%2d  ", chapter) + title
            + "\(attempted)/\(mine.count)".padding(toLength: 11, withPad: " ", startingAt: 0)
            + "\(passing)/\(mine.count)".padding(toLength: 9, withPad: " ", startingAt: 0)
            + "\(points)/\(total)")
    }
    lines.append("Total: \(earned)/\(possible) points")
    let stopped = results.filter { $0.status == .crashed || $0.status == .timedOut }
    if !stopped.isEmpty {
        lines.append("")
        lines += stopped.map { "  " + oneLine($0) }
    }
    if let failing = results.first(where: { [.failed, .crashed, .timedOut].contains($0.status) }) {
        lines.append("\nFailing: \(failing.exercise.number) \"\(failing.exercise.title)\". Details: swift run book progress \(failing.exercise.chapter)")
    }
    if let next = results.first(where: { $0.status == .notAttempted }) {
        lines.append("Next up: \(next.exercise.number) \(next.exercise.starString) \"\(next.exercise.title)\" in \(next.exercise.path). Stuck? swift run book hint \(next.exercise.number)")
    }
    return lines.joined(separator: "\n")
}

/// A crash or timeout in one line: the check's own report when it gave one.
func oneLine(_ result: ExerciseResult) -> String {
    let number = result.exercise.number
    let prefixes = ["\(number) crashed:", "\(number) timed out:"]
    if let report = result.messages.first(where: { message in prefixes.contains { message.hasPrefix($0) } }) {
        return String(report.split(separator: "\n").first ?? "")
    }
    return "\(number) \(result.status.rawValue)"
}

/// Every exercise of one chapter, with its status and any failure messages.
func chapterDetail(_ chapter: Int, results: [ExerciseResult]) -> String {
    var lines = ["Chapter \(chapter): \(Catalogue.chapterTitles[chapter] ?? "")", ""]
    guard !results.isEmpty else { return lines[0] + "\n(no exercises yet)" }
    for result in results {
        let mark = switch result.status {
        case .passed: "✔"
        case .failed, .crashed, .timedOut, .didNotCompile: "✘"
        case .notAttempted, .notRun: "·"
        }
        lines.append("\(mark) \(result.exercise.number) \(result.exercise.starString) \(result.exercise.title.padding(toLength: 36, withPad: " ", startingAt: 0)) \(result.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(result.points)/\(result.exercise.points)")
        for message in result.messages.prefix(3) {
            lines.append("      " + message.replacingOccurrences(of: "\n", with: "\n      "))
        }
        if result.messages.count > 3 {
            lines.append("      … and \(result.messages.count - 3) more")
        }
    }
    let points = results.map(\.points).reduce(0, +)
    let total = results.map(\.exercise.points).reduce(0, +)
    lines.append("\n\(points)/\(total) points. The full output: swift test --filter Chapter\(chapter)")
    return lines.joined(separator: "\n")
}
