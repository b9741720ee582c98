import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

@Suite("Grading: feedback.md and Gradescope's results.json")
struct GradingReportTests {
    @Test("results.json has Gradescope's shape: score, and per test name, number, score, max_score, status, output")
    func gradescopeShape() throws {
        var grade = sampleGrade("jane", [.passed, .didNotCompile, .timedOut])
        grade = StudentGrade(student: "jane", grades: [
            grade.grades[0],
            ExerciseResult(sampleExercises[1], .didNotCompile, messages: ["Exercises/Chapter1/E.swift:3:1: error: oops"]),
            grade.grades[2],
        ])
        let object = try JSONSerialization.jsonObject(with: try GradescopeResults(grade).json()) as? [String: Any]
        #expect(object?["score"] as? Int == 5)
        let tests = try #require(object?["tests"] as? [[String: Any]])
        #expect(tests.count == 3)
        #expect(Set(tests[0].keys) == ["name", "number", "score", "max_score", "status", "output"])
        #expect(tests.map { $0["number"] as? String } == ["1.1", "1.2", "2.1"])
        #expect(tests.map { $0["score"] as? Int } == [5, 0, 0])
        #expect(tests.map { $0["max_score"] as? Int } == [5, 10, 25])
        #expect(tests.map { $0["status"] as? String } == ["passed", "failed", "failed"])
        #expect((tests[1]["output"] as? String)?.contains("error: oops") == true)
        #expect((tests[2]["output"] as? String)?.contains("timed out") == true)
    }

    @Test("Feedback has one entry per exercise, saying what happened and why")
    func feedbackEntries() {
        let grade = StudentGrade(student: "jane", grades: [
            ExerciseResult(sampleExercises[0], .failed, messages: ["expected 3, got 4"]),
            ExerciseResult(sampleExercises[1], .notAttempted),
            ExerciseResult(sampleExercises[2], .crashed, messages: ["Fatal error: Index out of range"]),
        ], notes: ["Ignored 1 file(s)"])
        let text = Feedback.markdown(grade)
        #expect(text.contains("Score: 0 / 40"))
        #expect(text.contains("## About the submission\n\n- Ignored 1 file(s)"))
        #expect(text.contains("- ✘ **1.1 First** (0 / 5): failed.\n\n  ```\n  expected 3, got 4\n  ```"))
        #expect(text.contains("- · **1.2 Second** (0 / 10): not attempted"))
        #expect(text.contains("crashed") && text.contains("Index out of range"))
        #expect(text.contains("## Chapter 1") && text.contains("## Chapter 2"))
    }

    @Test("A chapter that did not compile shows the compiler's errors once, above its exercises")
    func didNotCompile() {
        let error = "Exercises/Chapter1/E.swift:3:1: error: expected declaration"
        let grade = StudentGrade(student: "jane", grades: [
            ExerciseResult(sampleExercises[0], .didNotCompile, messages: [error]),
            ExerciseResult(sampleExercises[1], .didNotCompile, messages: [error]),
            ExerciseResult(sampleExercises[2], .passed),
        ])
        let text = Feedback.markdown(grade)
        #expect(text.components(separatedBy: error).count == 2, "the error should appear exactly once:\n\(text)")
        #expect(text.contains("did not compile, so its stubs were graded instead"))
        #expect(text.contains("- ✘ **1.2 Second** (0 / 10): did not compile"))
        #expect(text.contains("- ✔ **2.1 Third** (25 / 25): passed."))
    }

    @Test("A huge message is cut, and backticks in it cannot close the code block")
    func hugeMessages() {
        let huge = String(repeating: "x", count: 1_000_000)
        let grade = StudentGrade(student: "loud", grades: [
            ExerciseResult(sampleExercises[0], .failed, messages: Array(repeating: huge, count: 50)),
            ExerciseResult(sampleExercises[1], .failed, messages: ["``` not the end"]),
        ])
        let text = Feedback.markdown(grade)
        #expect(text.utf8.count < 20_000, "feedback should be cut to a readable size, got \(text.utf8.count) bytes")
        #expect(text.contains("more characters cut") && text.contains("… and 45 more"))
        #expect(text.contains("````\n  ``` not the end\n  ````"))
    }

    @Test("A student's folder name cannot climb out of the report folder or hide")
    func folderNames() {
        #expect(Reports.folderName("jane") == "jane")
        #expect(Reports.folderName("..") == "_..")
        #expect(Reports.folderName("a/b") == "a_b")
        #expect(Reports.folderName(".hidden") == "_.hidden")
    }
}

@Suite("Grading: the Gradescope autograder zip")
struct GradescopeZipTests {
    @Test("The zip has setup.sh and run_autograder at its top, the book without its solutions, and the hidden tests")
    func layout() throws {
        let hidden = try ArchiveFixtures.temporaryFolder("zip-hidden")
        defer { try? FileManager.default.removeItem(at: hidden) }
        try Fixtures.folder(hidden, ["Chapter1/Hidden.swift": "@Test func exercise1_1_more() {}"])
        let entries = try GradescopeAutograder.entries(package: bookPackage, extraTests: hidden,
                                                      gradeArguments: ["--chapters", "1", "--timeout", "30"])
        let zip = ZipWriter.zip(entries)
        let listed = try ZipListing.entries(of: zip)
        #expect(ArchiveValidation.problem(with: listed) == nil, "the zip passes the grader's own archive checks")
        #expect(listed.prefix(2).map(\.path) == ["setup.sh", "run_autograder"])
        #expect(entries.prefix(2).allSatisfy { $0.mode == 0o100755 }, "both scripts are executable")
        let paths = Set(listed.map(\.path))
        #expect(paths.contains("book/Package.swift") && paths.contains("book/Exercises/Chapter1/Exercises.swift"))
        #expect(paths.contains("hidden-tests/Chapter1/Hidden.swift"))
        #expect(!paths.contains { $0.hasPrefix("book/Solutions") || $0.contains("/.build") })
        let run = String(decoding: entries[1].contents, as: UTF8.self)
        #expect(run.contains("'--chapters' '1' '--timeout' '30' '--extra-tests' '../hidden-tests'"), "\(run)")
        #expect(run.contains("${AUTOGRADER_ROOT:-/autograder}") && run.contains("results/results.json"))
    }
}
