import ExerciseSupport
import Foundation
import Grading

let similarityCommand = Command(
    name: "similarity",
    summary: "Compare a folder of submissions for copied answers, without grading (for instructors).",
    usage: "book similarity SUBMISSIONS --out REPORT_DIR [--chapters 1,3]",
    details: """
    Reads the submissions as `book grade` does (one folder, .zip or .tar.gz per student) and
    writes REPORT_DIR/similarity.csv: for each exercise, the pairs of answers that are the same
    once comments, whitespace, the names they declare and number formats are normalised away
    (winnowed fingerprints of the normalised tokens, as MOSS does), with a score and the matching
    lines. The stubs' own code never counts; answers equal to Solutions/ are flagged as such.
    Nothing is built or run, so it takes seconds. `book grade` writes the same report.
    """,
    examples: ["swift run book similarity ~/course/submissions --out ~/course/similarity"],
    run: { raw in
        let arguments = try Arguments(raw, command: similarityCommand, options: ["out", "chapters"])
        try arguments.expectPositionals(1...1)
        guard let outPath = arguments.option("out") else {
            throw UsageError("--out REPORT_DIR is required.", command: similarityCommand)
        }
        let package = try packageFolder(similarityCommand)
        let chapters = try parseChapterList(arguments.option("chapters"), gradable: GradingOptions.gradableChapters(in: package))
        let (submissions, skipped) = try Submission.discover(in: URL(fileURLWithPath: arguments.positionals[0]))
        for line in skipped { printError("skipped \(line)") }
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("book-similarity-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: staging) }
        var students: [(name: String, sources: [Int: [SourceFile]])] = []
        for submission in submissions {
            guard let root = try? submission.unpack(into: staging) else {
                printError("skipped \(submission.student): the archive was refused")
                continue
            }
            let files = SubmissionFiles(root: root, chapters: chapters, api: SubmissionFiles.api(of: Catalogue.all))
            students.append((submission.student, files.byChapter.mapValues { $0.map { SourceFile(path: $0.path, contents: $0.contents) } }))
        }
        let stubs = Dictionary(uniqueKeysWithValues: chapters.map { chapter in
            (chapter, referenceFiles(package.appendingPathComponent("Exercises/Chapter\(chapter)")))
        })
        let report = SimilarityReport(students: students, exercises: Catalogue.all.filter { chapters.contains($0.chapter) },
                                      stubs: stubs, reference: referenceSolutions(package: package, chapters: chapters))
        let out = URL(fileURLWithPath: outPath)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data(report.csv().utf8).write(to: out.appendingPathComponent("similarity.csv"))
        print(String(format: "%d submission(s), %d answers compared in %.2f s: %d pair(s) reported in %@.", students.count,
                     report.answersCompared, report.seconds, report.pairs.count, out.appendingPathComponent("similarity.csv").path))
    }
)

/// The Swift files of a folder (the stubs, or the reference solutions), as source files.
func referenceFiles(_ folder: URL) -> [SourceFile] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().filter { $0.hasSuffix(".swift") }.compactMap { name in
        (try? Data(contentsOf: folder.appendingPathComponent(name))).map { SourceFile(path: name, contents: $0) }
    }
}
