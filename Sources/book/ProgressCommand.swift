import ExerciseReports
import ExerciseSupport
import Foundation

let progressCommand = Command(
    name: "progress",
    summary: "Run your exercise tests and show what passes, what fails and what is left.",
    usage: "book progress [CHAPTER]",
    details: """
    Builds the package and runs every exercise test (about a second once built). Without a
    chapter it prints one line per chapter; with one it lists that chapter's exercises, with
    each failure's message. `book` with no command does the same as `book progress`.
    Set BOOK_EXERCISES=Solutions to see the reference answers pass.
    """,
    examples: ["swift run book", "swift run book progress 1", "BOOK_EXERCISES=Solutions swift run book progress"],
    run: { raw in
        let arguments = try Arguments(raw, command: progressCommand)
        try arguments.expectPositionals(0...1)
        let chapter = try arguments.positionals.first.map { try parseChapter($0, command: progressCommand) }
        let run = try TestRun.exercises()
        guard let report = run.report else {
            throw CommandFailure("The package did not build, so no exercise could be checked. The compiler said:\n"
                + run.buildErrors.prefix(10).joined(separator: "\n")
                + "\n\nFix these errors (or put the stub back) and run `swift run book` again.")
        }
        let results = report.exerciseResults()
        if let chapter {
            print(chapterDetail(chapter, results: results.filter { $0.exercise.chapter == chapter }))
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

/// One line a chapter: attempted, passing, points.
func progressTable(_ results: [ExerciseResult]) -> String {
    var lines = ["Ch  " + "Title".padding(toLength: 48, withPad: " ", startingAt: 0) + "Attempted  Passing  Points"]
    var earned = 0, possible = 0
    for chapter in Catalogue.chapterTitles.keys.sorted() {
        let mine = results.filter { $0.exercise.chapter == chapter }
        let title = Catalogue.chapterTitles[chapter]!.padding(toLength: 48, withPad: " ", startingAt: 0)
        guard !mine.isEmpty else {
            lines.append(String(format: "%2d  ", chapter) + title + "(no exercises yet)")
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
    if let failing = results.first(where: { $0.status == .failed || $0.status == .crashed }) {
        lines.append("\nFailing: \(failing.exercise.number) \"\(failing.exercise.title)\". Details: swift run book progress \(failing.exercise.chapter)")
    }
    if let next = results.first(where: { $0.status == .notAttempted }) {
        lines.append("Next up: \(next.exercise.number) \(next.exercise.starString) \"\(next.exercise.title)\" in Exercises/Chapter\(next.exercise.chapter). Hint: swift run book hint \(next.exercise.number)")
    }
    return lines.joined(separator: "\n")
}

/// Every exercise of one chapter, with its status and any failure messages.
func chapterDetail(_ chapter: Int, results: [ExerciseResult]) -> String {
    var lines = ["Chapter \(chapter): \(Catalogue.chapterTitles[chapter] ?? "")", ""]
    guard !results.isEmpty else { return lines[0] + "\n(no exercises yet)" }
    for result in results {
        let mark = switch result.status {
        case .passed: "✔"
        case .failed, .crashed: "✘"
        case .notAttempted, .notRun: "·"
        }
        lines.append("\(mark) \(result.exercise.number) \(result.exercise.starString) \(result.exercise.title.padding(toLength: 36, withPad: " ", startingAt: 0)) \(result.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(result.points)/\(result.exercise.points)")
        for message in result.messages.prefix(3) {
            lines.append("      " + message.replacingOccurrences(of: "\n", with: "\n      "))
        }
    }
    lines.append("\nRun `swift test --filter Chapter\(chapter)` for the full output.")
    return lines.joined(separator: "\n")
}
