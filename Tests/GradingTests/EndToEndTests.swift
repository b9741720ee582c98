import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// The package these tests belong to: the pristine book the grader grades against.
let bookPackage = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Whether to run the end-to-end tests, which build a real sandbox package (minutes).
let endToEndEnabled = ProcessInfo.processInfo.environment["BOOK_GRADING_E2E"] == "1"

/// Classes of hostile, broken, tuned and copied submissions, graded for real against a frozen
/// copy of the book (`BookCopy`), one test at a time in one shared sandbox.
///
/// Run with `BOOK_GRADING_E2E=1 swift test --filter GradingEndToEnd` (the first run builds the
/// whole book in `.build-grading-e2e/`, several minutes; then each student costs an incremental
/// build of their chapter).
@Suite("Grading end to end: hostile submissions, built and run for real", .serialized,
       .enabled(if: endToEndEnabled, "set BOOK_GRADING_E2E=1 to build and grade hostile submissions"))
struct GradingEndToEndTests {
    @Test("Each hostile submission costs only its own points, and never another student's", .timeLimit(.minutes(20)))
    func hostileClass() throws {
        let folder = try ArchiveFixtures.temporaryFolder("e2e")
        // BOOK_GRADING_E2E_KEEP=1 keeps the class, the sandbox and the reports to look at.
        let keep = ProcessInfo.processInfo.environment["BOOK_GRADING_E2E_KEEP"] == "1"
        defer { if keep { print("Kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
        let submissions = folder.appendingPathComponent("submissions")
        try Fixtures.makeClass(in: submissions)

        let exercises = Catalogue.exercises(inChapter: 1)
        let options = GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork,
                                     chapters: [1], timeout: 10)
        let grader = try Grader(options)
        try grader.prepare()
        let (found, skipped) = try Submission.discover(in: submissions)
        #expect(skipped.count == 2 && skipped.allSatisfy { $0.contains("not a folder, .zip or .tar.gz") },
                "stray files are skipped, not graded: \(skipped)")
        var grades: [String: StudentGrade] = [:]
        let out = folder.appendingPathComponent("report")
        for submission in found {
            let grade = grader.grade(submission)
            grades[grade.student] = grade
            try Reports.write(grade, to: out)
        }
        try Reports.writeGradebook(found.compactMap { grades[$0.student] }, exercises: exercises, to: out)
        func statuses(_ student: String) -> [ExerciseStatus] { grades[student]?.grades.map(\.status) ?? [] }
        func grade(_ student: String, _ number: String) -> ExerciseResult? {
            grades[student]?.grades.first { $0.exercise.number == number }
        }
        let allPassed = Array(repeating: ExerciseStatus.passed, count: exercises.count)
        let noneAttempted = Array(repeating: ExerciseStatus.notAttempted, count: exercises.count)

        // The reference answers score full marks, before and after every hostile submission.
        #expect(statuses("alice") == allPassed)
        #expect(statuses("zed") == allPassed, "a later student is unaffected by the hostile ones before")
        #expect(statuses("amy") == allPassed.enumerated().map { $0.offset == 0 ? .failed : .passed },
                "amy's one-character change must be rebuilt, not graded from alice's build")

        // A compile error: the chapter is graded from its stub, carrying the compiler's message.
        #expect(statuses("bob") == Array(repeating: .didNotCompile, count: exercises.count))
        #expect(grade("bob", "1.3")?.messages.contains { $0.contains("Exercises/Chapter1/Exercises.swift:") && $0.contains("error:") } == true,
                "the feedback quotes the compiler: \(grade("bob", "1.3")?.messages ?? [])")

        // A trap and a fatalError cost only their own exercise, with the runtime's message.
        #expect(statuses("carol") == allPassed.enumerated().map { $0.offset == 1 ? .crashed : .passed })
        #expect(grade("carol", "1.2")?.messages.contains { $0.contains("Index out of range") } == true)
        #expect(statuses("dave") == allPassed.enumerated().map { $0.offset == 4 ? .crashed : .passed })
        #expect(grade("dave", "1.5")?.messages.contains { $0.contains("student gave up") } == true)

        // An infinite loop times out; the rest is graded.
        #expect(statuses("erin") == allPassed.enumerated().map { $0.offset == 3 ? .timedOut : .passed })

        // A flood of output and a megabyte-long error message: graded, and the report stays small.
        #expect(statuses("frank") == allPassed.enumerated().map { $0.offset == 0 ? .failed : .passed })
        let frankFeedback = try Data(contentsOf: out.appendingPathComponent("frank/feedback.md"))
        #expect(frankFeedback.count < 20_000, "frank's feedback is \(frankFeedback.count) bytes")

        // A submission's own Package.swift, Tests/ and Sources/ are never used.
        #expect(statuses("grace") == noneAttempted, "grace's own always-passing tests must not count")

        // Archives with `..`, a symbolic link or an absolute path are refused whole, writing nothing.
        for student in ["heidi", "ivan", "kim"] {
            #expect(statuses(student) == noneAttempted, "\(student)'s archive must be refused")
            #expect(grades[student]?.notes.first?.contains("was not unpacked") == true, "\(grades[student]?.notes ?? [])")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape.swift").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("work/escape.swift").path))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/grading-e2e-absolute.swift"))

        // Non-Swift files and a symbolic link inside a folder submission are ignored, and noted.
        #expect(statuses("judy") == allPassed)
        #expect(grades["judy"]?.notes.contains { $0.contains("README.md") && $0.contains("symbolic link") } == true,
                "\(grades["judy"]?.notes ?? [])")

        // An empty submission is all "not attempted", with a note saying why.
        #expect(statuses("empty") == noneAttempted)
        #expect(grades["empty"]?.notes.contains { $0.contains("No `Exercises` folder") } == true)

        // The gradebook has a row per student and the right totals.
        let csv = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\r\n").map(String.init)
        #expect(rows.count == 2 + found.count)
        let total = exercises.map(\.points).reduce(0, +)
        #expect(rows.contains { $0.hasPrefix("alice,") && $0.hasSuffix(",\(total),\(total)") })
        #expect(rows.contains { $0.hasPrefix("carol,") && $0.hasSuffix(",\(total - 5),\(total - 5)") })
        #expect(rows.contains { $0.hasPrefix("bob,") && $0.hasSuffix(",0,0") })

        // The class summary: pass rates, common failures, and the copies of the reference.
        let graded = found.compactMap { grades[$0.student] }
        let similarity = SimilarityReport(
            students: graded.map { ($0.student, $0.sources) }, exercises: exercises,
            stubs: grader.sandbox.stubs.mapValues { $0.map { SourceFile(path: $0.path, contents: $0.contents) } },
            reference: try Answers.book("Solutions/Chapter1/Exercises.swift"))
        try ClassSummary.write(graded, exercises: exercises, similarity: similarity, to: out)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
        let passed12 = graded.filter { $0.grades[1].status == .passed }.count
        #expect(summary.contains("| 1.2 The sigmoid node | \(passed12)/\(graded.count) ("), "\(summary)")
        #expect(summary.contains("### 1.2 The sigmoid node\n\n- 1 student(s): `1.2 crashed: Index out of range"), "\(summary)")
        #expect(summary.contains("- 1.4: alice, 100 %") && summary.contains("- 1.4: zed, 100 %"), "copies of the reference: \(summary)")
        #expect(summary.contains("| 1.4 | alice, judy | 100 % |"), "\(summary)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("scores.svg").path))
    }
}

/// The hostile class: chapter 1's solutions, each with one thing broken.
enum Fixtures {
    static var solution: String {
        get throws { try String(contentsOf: bookPackage.appendingPathComponent("Solutions/Chapter1/Exercises.swift"), encoding: .utf8) }
    }

    static var stub: String {
        get throws { try String(contentsOf: bookPackage.appendingPathComponent("Exercises/Chapter1/Exercises.swift"), encoding: .utf8) }
    }

    /// The solution with `code` put at the start of the body of `public func NAME`.
    static func solution(breaking function: String, with code: String) throws -> String {
        let text = try solution
        guard let signature = text.range(of: "public func \(function)("),
              let brace = text[signature.upperBound...].firstIndex(of: "{") else {
            throw GradingError("no function \(function) in Solutions/Chapter1")
        }
        return String(text[...brace]) + "\n    " + code + "\n" + String(text[text.index(after: brace)...])
    }

    static func folder(_ root: URL, _ files: [String: String]) throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    static func makeClass(in submissions: URL) throws {
        let exercises = "Exercises/Chapter1/Exercises.swift"
        let solution = try solution
        try folder(submissions.appendingPathComponent("alice"), [exercises: solution])
        try folder(submissions.appendingPathComponent("zed"), [exercises: solution])
        // amy is graded right after alice, with a file of the same size that differs in one
        // character: the reused build folder must still rebuild it.
        let amy = solution.replacingOccurrences(of: "a.data * b.data", with: "a.data + b.data")
        guard amy != solution, amy.utf8.count == solution.utf8.count else { throw GradingError("amy's fixture did not apply") }
        try folder(submissions.appendingPathComponent("amy"), [exercises: amy])
        try folder(submissions.appendingPathComponent("bob"), [
            exercises: try Self.solution(breaking: "centralDifferences", with: "let broken: Int = \"not a number\""),
        ])
        try folder(submissions.appendingPathComponent("carol/carol-repo"), [
            exercises: try Self.solution(breaking: "sigmoidNode", with: "let tiny = [1]; _ = tiny[5]"),
        ])
        try folder(submissions.appendingPathComponent("dave"), [
            exercises: try Self.solution(breaking: "backpropagate", with: "fatalError(\"student gave up\")"),
        ])
        try folder(submissions.appendingPathComponent("erin"), [
            exercises: try Self.solution(breaking: "topologicalSort", with: "var spin = 0; while spin >= 0 { spin = (spin + 1) % 7 }"),
        ])
        try folder(submissions.appendingPathComponent("frank"), [
            exercises: try Self.solution(breaking: "neuron", with: "for i in 0..<300_000 { print(\"noise \\(i) ......................................\") }")
                .replacingOccurrences(of: "public func product(", with: """
                struct Loud: Error, CustomStringConvertible { var description: String { String(repeating: "loud ", count: 200_000) } }
                public func product(_ a: Value, _ b: Value) throws -> Value { throw Loud() }
                func unusedProduct(
                """),
        ])
        // grace zips her whole clone, with a Package.swift that would not parse, a reference
        // module replaced, and tests that pass whatever the exercises do.
        let fakeTests = Catalogue.exercises(inChapter: 1).map { "@Test func \($0.testFunctionName)() {}" }.joined(separator: "\n")
        try ArchiveFixtures.zip([
            .file("clone/Package.swift", "this is not Swift"),
            .file("clone/Sources/ScalarAutodiff/Value.swift", "garbage that would not compile"),
            .file("clone/Tests/Chapter1Tests/ExerciseTests.swift", "import Testing\nstruct Chapter1ExerciseTests {\n\(fakeTests)\n}\n"),
            .file("clone/\(exercises)", try stub),
        ]).write(to: submissions.appendingPathComponent("grace.zip"))
        try ArchiveFixtures.writeTarGzip([
            .file(exercises, solution), .file("../../escape.swift", "escaped"),
        ], to: submissions.appendingPathComponent("heidi.tar.gz"))
        try ArchiveFixtures.zip([
            .file(exercises, solution), .link("Exercises/Chapter1/Link.swift", target: "/etc/hostname"),
        ]).write(to: submissions.appendingPathComponent("ivan.zip"))
        try ArchiveFixtures.writeTarGzip([
            .file(exercises, solution), .file("/tmp/grading-e2e-absolute.swift", "escaped"),
        ], to: submissions.appendingPathComponent("kim.tar.gz"))
        let judy = submissions.appendingPathComponent("judy")
        try folder(judy, [exercises: solution, "Exercises/Chapter1/README.md": "my notes", "notes.txt": "hello"])
        try FileManager.default.createSymbolicLink(atPath: judy.appendingPathComponent("Exercises/Chapter1/Stolen.swift").path,
                                                   withDestinationPath: "/etc/hostname")
        try FileManager.default.createDirectory(at: submissions.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try Data("stray".utf8).write(to: submissions.appendingPathComponent("stray.txt"))
        try Data("%PDF".utf8).write(to: submissions.appendingPathComponent("mallory.pdf"))
    }
}
