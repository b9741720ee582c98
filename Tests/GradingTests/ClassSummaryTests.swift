import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

@Suite("Grading: the class summary (pass rates, common failures, score histogram, similar answers)")
struct ClassSummaryTests {
    /// Five students over the three sample exercises (5, 10 and 25 points).
    var students: [StudentGrade] {
        let off = "expected -6, got -5.9. Likely mistake: a one-sided difference."
        return [
            StudentGrade(student: "ann", grades: [
                ExerciseResult(sampleExercises[0], .passed), ExerciseResult(sampleExercises[1], .passed),
                ExerciseResult(sampleExercises[2], .passed)]),
            StudentGrade(student: "ben", grades: [
                ExerciseResult(sampleExercises[0], .passed), ExerciseResult(sampleExercises[1], .failed, messages: [off]),
                ExerciseResult(sampleExercises[2], .crashed, messages: ["2.1 crashed: Index out of range at Exercises/Chapter2/Exercises.swift:9"])]),
            StudentGrade(student: "cat", grades: [
                ExerciseResult(sampleExercises[0], .passed),
                ExerciseResult(sampleExercises[1], .failed, messages: ["expected -6, got -7.25. Likely mistake: a one-sided difference."]),
                ExerciseResult(sampleExercises[2], .notAttempted)]),
            StudentGrade(student: "dan", grades: [
                ExerciseResult(sampleExercises[0], .failed, messages: ["Expectation failed: x == y\nproduct(2, 3) should be 6, got 5"]),
                ExerciseResult(sampleExercises[1], .failed, messages: ["∂f/∂x1 is not computed", off]),
                ExerciseResult(sampleExercises[2], .timedOut, messages: ["2.1 timed out: its check was stopped after 48 s."])]),
            StudentGrade(student: "eve", grades: [
                ExerciseResult(sampleExercises[0], .didNotCompile, messages: ["Exercises/Chapter1/Exercises.swift:3:9: error: cannot find 'x' in scope"]),
                ExerciseResult(sampleExercises[1], .didNotCompile, messages: ["Exercises/Chapter1/Exercises.swift:3:9: error: cannot find 'x' in scope"]),
                ExerciseResult(sampleExercises[2], .notAttempted)]),
        ]
    }

    @Test("Pass rates count each status; failures that differ only in their numbers are one message, counted once a student")
    func passRatesAndFailures() throws {
        let text = ClassSummary.markdown(students, exercises: sampleExercises, similarity: nil)
        #expect(text.contains("5 submission(s), 3 exercises, 40 points."))
        #expect(text.contains("Mean score 10.0, median 5, lowest 0, highest 40."), "\(text)")
        #expect(text.contains("| 1.1 First | 3/5 (60 %) | 1 | 0 | 0 | 1 |"), "\(text)")
        #expect(text.contains("| 1.2 Second | 1/5 (20 %) | 3 | 0 | 0 | 1 |"), "\(text)")
        #expect(text.contains("| 2.1 Third | 1/5 (20 %) | 0 | 2 | 2 | 0 |"), "\(text)")
        let second = ClassSummary.commonFailures(students, exercise: sampleExercises[1])
        #expect(second.map(\.students) == [3, 1, 1], "\(second)")
        #expect(second[0].example.hasPrefix("expected -6, got -"), "\(second)")
        #expect(second.contains { $0.example.hasPrefix("did not compile: Exercises/Chapter1/Exercises.swift:3:9") })
        let first = ClassSummary.commonFailures(students, exercise: sampleExercises[0])
        #expect(first.contains { $0.example == "product(2, 3) should be 6, got 5" }, "the Expectation failed header is skipped: \(first)")
        #expect(text.contains("### 1.2 Second\n\n- 3 student(s): `expected -6, got -"))
        #expect(text.contains("![Scores](scores.svg)"))
        #expect(text.contains("## Similar answers\n\nNot computed."))
    }

    @Test("The score histogram has ten bars that count every student")
    func histogram() throws {
        let svg = ClassSummary.histogramSVG(students, possible: 40)
        let bars = svg.components(separatedBy: "class=\"bar\"").count - 1
        #expect(bars == 10)
        // Scores 40, 5, 5, 0, 0 in bins of 4 points: two in [0, 4), two in [4, 8), one in the last.
        #expect(svg.contains("<title>0–4: 2</title>") && svg.contains("<title>4–8: 2</title>") && svg.contains("<title>36–40: 1</title>"), "\(svg)")
        #expect(svg.hasPrefix("<?xml") && svg.contains("</svg>"))
    }

    @Test("summary.md, scores.svg and similarity.csv are written, with the similar pairs and the reference copies listed")
    func writesFiles() throws {
        let folder = try ArchiveFixtures.temporaryFolder("summary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let exercises = Catalogue.exercises(inChapter: 1)
        let solution = try String(contentsOf: bookPackage.appendingPathComponent("Solutions/Chapter1/Exercises.swift"), encoding: .utf8)
        let class_ = [
            StudentGrade(student: "alice", grades: exercises.map { ExerciseResult($0, .passed) }, sources: Answers.sources(Answers.original)),
            StudentGrade(student: "bob", grades: exercises.map { ExerciseResult($0, .passed) }, sources: Answers.sources(Answers.disguised)),
            StudentGrade(student: "frank", grades: exercises.map { ExerciseResult($0, .passed) }, sources: Answers.sources(solution)),
        ]
        let similarity = SimilarityReport(students: class_.map { ($0.student, $0.sources) }, exercises: exercises,
                                          stubs: try Answers.book("Exercises/Chapter1/Exercises.swift"),
                                          reference: try Answers.book("Solutions/Chapter1/Exercises.swift"))
        try ClassSummary.write(class_, exercises: exercises, similarity: similarity, notes: ["Student code can use the network."], to: folder)
        let text = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(text.contains("> Student code can use the network."))
        #expect(text.contains("Answers that match the reference solution:\n\n- 1.1: frank, 100 %"), "\(text)")
        #expect(text.contains("| 1.4 | alice, bob | 100 % | Exercises.swift:"), "\(text)")
        #expect(!text.contains("| 1.4 | alice, frank"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("scores.svg").path))
        let csv = try String(contentsOf: folder.appendingPathComponent("similarity.csv"), encoding: .utf8)
        #expect(csv.contains("1.4,alice,bob,1.00,"), "\(csv)")
    }
}

@Suite("Grading: hidden tests are checked before anything is built")
struct HiddenTestsCheckTests {
    func folder(_ files: [String: String]) throws -> URL {
        let folder = try ArchiveFixtures.temporaryFolder("hidden")
        try Fixtures.folder(folder, files)
        return folder
    }

    @Test("Tests named exerciseN_M or exerciseN_M_something in ChapterN/ are accepted")
    func accepted() throws {
        let url = try folder(["Chapter1/Hidden.swift": "@Test func exercise1_1_edge() {}\n@Test func exercise1_7() {}\nfunc helper() {}"])
        defer { try? FileManager.default.removeItem(at: url) }
        try HiddenTests.check(url, chapters: [1], catalogue: Catalogue.all)
    }

    @Test("A test whose name matches no exercise, a folder that is not a chapter, or no test at all is refused, saying why")
    func refused() throws {
        let unknown = try folder(["Chapter1/Hidden.swift": "@Test func exercise1_9_edge() {}"])
        let stray = try folder(["Notes/Hidden.swift": "@Test func exercise1_1_edge() {}"])
        let empty = try folder(["Chapter1/Hidden.swift": "func helper() {}"])
        defer { [unknown, stray, empty].forEach { try? FileManager.default.removeItem(at: $0) } }
        #expect { try HiddenTests.check(unknown, chapters: [1], catalogue: Catalogue.all) } throws: { "\($0)".contains("exercise1_9_edge, which names no exercise of chapter 1") }
        #expect { try HiddenTests.check(stray, chapters: [1], catalogue: Catalogue.all) } throws: { "\($0)".contains("Notes is not a chapter folder") }
        #expect { try HiddenTests.check(empty, chapters: [1], catalogue: Catalogue.all) } throws: { "\($0)".contains("no test named exerciseN_M") }
    }
}
