import ExerciseReports
import ExerciseSupport
import Foundation
import Plotting

/// The class at a glance, for the next lecture: `summary.md` and `scores.svg`.
///
/// - each exercise's pass rate (and how many did not attempt it, or crashed, or timed out);
/// - the three most common failure messages of each exercise, with how many students got
///   each (messages that differ only in their numbers count as one);
/// - a histogram of the total scores, drawn with the book's `Plotting` module;
/// - the similarity section: the pairs of answers that are the same once names, comments,
///   whitespace and number formats are normalised away, and the copies of the reference.
public enum ClassSummary {
    /// The summary's Markdown. `histogram` is the SVG's file name, beside `summary.md`.
    public static func markdown(_ students: [StudentGrade], exercises: [Exercise], similarity: SimilarityReport?,
                                histogram: String = "scores.svg", notes: [String] = []) -> String {
        let possible = exercises.map(\.points).reduce(0, +)
        let totals = students.map(\.points)
        var lines = ["# Class summary", ""]
        lines.append("\(students.count) submission(s), \(exercises.count) exercises, \(possible) points.")
        if !totals.isEmpty {
            let sorted = totals.sorted()
            let mean = Double(totals.reduce(0, +)) / Double(totals.count)
            lines.append(String(format: "Mean score %.1f, median %d, lowest %d, highest %d.", mean, sorted[sorted.count / 2], sorted.first!, sorted.last!))
        }
        let statuses = Dictionary(grouping: students, by: { $0.status.exercisesRan ? $0.status.text : $0.status.text.split(separator: ":")[0].description })
        if statuses.keys.contains(where: { $0 != "graded" }) {
            lines.append("Status: " + statuses.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
                .map { "\($0.value.count) \($0.key)" }.joined(separator: ", ") + " (the gradebook's `status` column says why).")
        }
        lines += notes.map { "\n> \($0)" }
        lines += ["", "![Scores](\(histogram))", "", "## Exercises", "",
                  "| Exercise | Passed | Failed | Not attempted | Crashed or timed out | Did not compile |",
                  "|---|---|---|---|---|---|"]
        for exercise in exercises {
            let results = students.compactMap { $0.grades.first { $0.exercise.number == exercise.number } }
            func count(_ statuses: ExerciseStatus...) -> Int { results.filter { statuses.contains($0.status) }.count }
            let passed = count(.passed)
            let rate = results.isEmpty ? 0 : 100 * Double(passed) / Double(results.count)
            lines.append("| \(exercise.number) \(exercise.title) | \(passed)/\(results.count) (\(String(format: "%.0f", rate)) %) | "
                + "\(count(.failed)) | \(count(.notAttempted, .notRun)) | \(count(.crashed, .timedOut)) | \(count(.didNotCompile)) |")
        }
        lines += ["", "## The most common failures", ""]
        var any = false
        for exercise in exercises {
            let failures = commonFailures(students, exercise: exercise)
            guard !failures.isEmpty else { continue }
            any = true
            lines.append("### \(exercise.number) \(exercise.title)")
            lines.append("")
            for failure in failures {
                lines.append("- \(failure.students) student(s): " + fencedInline(failure.example))
            }
            lines.append("")
        }
        if !any { lines += ["No exercise failed.", ""] }
        lines += similaritySection(similarity)
        return lines.joined(separator: "\n") + "\n"
    }

    /// An exercise's three most common failure messages, with how many students got each.
    public static func commonFailures(_ students: [StudentGrade], exercise: Exercise, top: Int = 3) -> [(students: Int, example: String)] {
        var groups: [String: (students: Int, example: String)] = [:]
        for student in students {
            guard let result = student.grades.first(where: { $0.exercise.number == exercise.number }),
                  [.failed, .crashed, .timedOut, .didNotCompile].contains(result.status) else { continue }
            // Each student counts once per kind of message.
            var seen = Set<String>()
            let messages = result.messages.isEmpty ? [result.status.rawValue] : result.messages
            for message in messages.prefix(3) {
                let line = firstLine(message)
                let key = result.status == .didNotCompile ? "did not compile" : shape(line)
                guard seen.insert(key).inserted else { continue }
                let example = result.status == .didNotCompile ? "did not compile: " + line : line
                groups[key, default: (0, example)].students += 1
            }
        }
        return groups.values.sorted { ($0.students, $1.example) > ($1.students, $0.example) }.prefix(top).map { $0 }
    }

    /// The first line that says something (skipping Swift Testing's "Expectation failed" header
    /// when a comment follows), cut to 300 characters.
    static func firstLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let line = lines.first { !$0.hasPrefix("Expectation failed") } ?? lines.first ?? message
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    /// A message with its numbers replaced by `#`, so that "got 4" and "got 5" group together.
    static func shape(_ line: String) -> String {
        var result = ""
        var inNumber = false
        for character in line {
            if character.isNumber || (inNumber && (character == "." || character == "e")) {
                if !inNumber { result.append("#") }
                inNumber = true
            } else {
                inNumber = false
                result.append(character)
            }
        }
        return result
    }

    /// Text as inline code that its own backticks cannot close.
    static func fencedInline(_ text: String) -> String {
        let cleaned = text.replacingOccurrences(of: "`", with: "'")
        return "`" + cleaned + "`"
    }

    /// The similarity section of the summary.
    static func similaritySection(_ report: SimilarityReport?) -> [String] {
        var lines = ["## Similar answers", ""]
        guard let report else { return lines + ["Not computed.", ""] }
        lines.append("Answers compared per exercise after removing comments, whitespace, the names each answer declares, "
            + "number formats and the stub's own code (winnowed fingerprints, as MOSS does); a pair is listed when at least "
            + "\(Int(SimilarityReport.threshold * 100)) % of the smaller answer's fingerprints are in the other. "
            + String(format: "%d answers compared in %.2f s. Every pair is in similarity.csv, with the matching lines.", report.answersCompared, report.seconds))
        lines.append("")
        let copies = report.pairs.filter(\.involvesReference)
        let others = report.pairs.filter { !$0.involvesReference }
        if copies.isEmpty && others.isEmpty { return lines + ["No pair of answers is that similar.", ""] }
        if !copies.isEmpty {
            lines += ["Answers that match the reference solution:", ""]
            for pair in copies {
                let student = pair.first == SimilarityReport.referenceName ? pair.second : pair.first
                let where_ = pair.first == SimilarityReport.referenceName ? pair.secondLines : pair.firstLines
                lines.append("- \(pair.exercise): \(student), \(percent(pair.score)) (\(where_))")
            }
            lines.append("")
        }
        if !others.isEmpty {
            lines += ["| Exercise | Students | Score | Matching lines |", "|---|---|---|---|"]
            for pair in others {
                lines.append("| \(pair.exercise) | \(pair.first), \(pair.second) | \(percent(pair.score)) | \(pair.firstLines) ↔ \(pair.secondLines) |")
            }
            lines.append("")
        }
        return lines
    }

    static func percent(_ score: Double) -> String { String(format: "%.0f %%", score * 100) }

    /// The score histogram: bins of a tenth of the possible points.
    public static func histogramSVG(_ students: [StudentGrade], possible: Int) -> String {
        let bins = 10
        let width = max(1, Double(possible)) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for student in students {
            let bin = min(bins - 1, Int(Double(student.points) / width))
            counts[bin] += 1
        }
        let edges = (0...bins).map { Double($0) * width }
        return histogram(counts: counts, binEdges: edges, title: "Scores of \(students.count) submission(s)",
                         xLabel: "points (of \(possible))", yLabel: "students")
    }

    /// Writes `summary.md` and `scores.svg` into `out`.
    public static func write(_ students: [StudentGrade], exercises: [Exercise], similarity: SimilarityReport?,
                             notes: [String] = [], to out: URL, byteOrderMark: Bool = false) throws {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let possible = exercises.map(\.points).reduce(0, +)
        try Data(histogramSVG(students, possible: possible).utf8).write(to: out.appendingPathComponent("scores.svg"))
        try Data(markdown(students, exercises: exercises, similarity: similarity, notes: notes).utf8)
            .write(to: out.appendingPathComponent("summary.md"))
        if let similarity {
            try Data(((byteOrderMark ? Gradebook.byteOrderMark : "") + similarity.csv()).utf8)
                .write(to: out.appendingPathComponent("similarity.csv"))
        }
    }
}
