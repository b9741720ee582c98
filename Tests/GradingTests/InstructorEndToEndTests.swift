import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// The instructor's side, for real: hidden tests, limits on student code, and the Gradescope
/// autograder, in the same sandbox as the hostile class (one test at a time).
extension GradingEndToEndTests {
    /// A hidden test of 1.2 that the visible checks do not make: σ(x) must stay finite for
    /// large x, not only at ±1000.
    static let hiddenTest = """
    import Chapter1Exercises
    import ExerciseTesting
    import ScalarAutodiff
    import Testing

    @Suite("Chapter 1: the instructor's hidden tests")
    struct HiddenChapter1Tests {
        @Test("σ stays finite for large inputs")
        func exercise1_2_largeInputs() async {
            reportExercise("1.2", await #expect(processExitsWith: .success, observing: childOutput) {
                try runExercise("1.2") { c in
                    for x in [-800.0, 710, 800] {
                        let s = try sigmoidNode(Value(x))
                        c.expect(s.data.isFinite, "σ(\\(x)) must be finite, got \\(s.data)")
                    }
                }
            })
        }
    }

    """

    /// An answer to 1.2 tuned to the visible checks: the overflowing formula, with ±1000
    /// special-cased because the visible check tries them.
    static func tunedSubmission() throws -> String {
        let solution = try Fixtures.solution
        let good = "    let s = x.data >= 0 ? 1 / (1 + exp(-x.data)) : exp(x.data) / (1 + exp(x.data))"
        guard solution.contains(good) else { throw GradingError("Solutions/Chapter1 changed: update the tuned fixture") }
        return solution.replacingOccurrences(of: good, with: "    let s = x.data == 1000 ? 1 : exp(x.data) / (1 + exp(x.data))")
    }

    @Test("A hidden test changes a score: an answer tuned to the visible checks loses 1.2, told only that a hidden test failed",
          .timeLimit(.minutes(30)))
    func hiddenTestChangesScore() throws {
        let folder = try ArchiveFixtures.temporaryFolder("hidden-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let hidden = folder.appendingPathComponent("hidden-tests")
        try Fixtures.folder(hidden, ["Chapter1/Hidden.swift": Self.hiddenTest])
        let submissions = folder.appendingPathComponent("class")
        let exercises = "Exercises/Chapter1/Exercises.swift"
        try Fixtures.folder(submissions.appendingPathComponent("honest"), [exercises: try Fixtures.solution])
        try Fixtures.folder(submissions.appendingPathComponent("tuned"), [exercises: try Self.tunedSubmission()])
        let found = try Submission.discover(in: submissions).submissions
        let full = Catalogue.exercises(inChapter: 1).map(\.points).reduce(0, +)

        // Without the hidden tests, the tuned answer passes everything.
        let visible = try Grader(GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [1], timeout: 20))
        try visible.prepare()
        #expect(found.map { visible.grade($0).points } == [full, full], "the tuned answer passes the visible checks")

        for show in [false, true] {
            let grader = try Grader(GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [1],
                                                   timeout: 20, extraTests: hidden, showHidden: show))
            try grader.prepare()
            let honest = grader.grade(found[0]), tuned = grader.grade(found[1])
            #expect(honest.points == full, "\(honest.grades.filter { $0.status != .passed })")
            #expect(tuned.points == full - 5)
            let sigmoid = try #require(tuned.grades.first { $0.exercise.number == "1.2" })
            #expect(sigmoid.status == .failed)
            if show {
                #expect(sigmoid.messages.contains { $0.contains("σ(800.0) must be finite, got ") }, "\(sigmoid.messages)")
            } else {
                #expect(sigmoid.messages == ["A hidden test of 1.2 failed (the instructor's tests are not shown)."], "\(sigmoid.messages)")
            }
        }
    }

    /// Chapter 1's solution with `code` at the start of `function` and `extra` after it.
    static func solution(_ function: String, _ code: String, extra: String = "") throws -> String {
        try Fixtures.solution(breaking: function, with: code) + extra
    }

    @Test("A 50 GB allocation, an endless file and a fork loop are each stopped, score 0 with the reason, and the grader goes on",
          .timeLimit(.minutes(30)))
    func limitsStopRunawayCode() throws {
        let limits = ResourceLimits(memoryMB: 2_048, fileMB: 16, processes: 64, cpuSeconds: 60)
        let folder = try ArchiveFixtures.temporaryFolder("limits-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let submissions = folder.appendingPathComponent("class")
        let exercises = "Exercises/Chapter1/Exercises.swift"
        // 50 GB in blocks of 1 GB, one byte written in each: without a limit this would only
        // reserve address space (the machine would not suffer), and 1.3 would pass.
        try Fixtures.folder(submissions.appendingPathComponent("a-memory"), [exercises: try Self.solution("centralDifferences", """
            var blocks: [UnsafeMutableRawPointer] = []
                for _ in 0..<50 {
                    let block = UnsafeMutableRawPointer.allocate(byteCount: 1 << 30, alignment: 64)
                    block.storeBytes(of: 1, as: UInt8.self)
                    blocks.append(block)
                }
            """)])
        // A file that grows without end, through the C library. (The source rules refuse these
        // calls, so this test turns them off: it is about the second fence, the limits.)
        try Fixtures.folder(submissions.appendingPathComponent("b-file"), [exercises: try Self.solution("sigmoidNode", """
            let file = tmpfile()
                while true { fputc(65, file) }
            """)])
        // A fork loop, called through an operator.
        try Fixtures.folder(submissions.appendingPathComponent("c-fork"), [exercises: try Self.solution("neuron", "_ = ~~~0", extra: """

            prefix operator ~~~
            prefix func ~~~ (x: Int) -> Int {
                while true { _ = fork() }
            }
            """)])
        try Fixtures.folder(submissions.appendingPathComponent("d-after"), [exercises: try Fixtures.solution])

        var options = GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [1],
                                     timeout: 12, limits: limits)
        options.sourceRules = false
        let grader = try Grader(options)
        let enforced = try #require(grader.book.limits, "the limits are on")
        // Never start a fork loop that nothing would stop.
        try #require(enforced.dropPrivileges || getuid() != 0, "the process limit cannot hold here: \(grader.limitNotes)")
        try grader.prepare()
        var grades: [String: StudentGrade] = [:]
        for submission in try Submission.discover(in: submissions).submissions {
            grades[submission.student] = grader.grade(submission)
        }
        func result(_ student: String, _ number: String) -> ExerciseResult? {
            grades[student]?.grades.first { $0.exercise.number == number }
        }
        func others(_ student: String, _ number: String) -> [ExerciseResult] {
            grades[student]?.grades.filter { $0.exercise.number != number && $0.status != .passed } ?? []
        }
        let full = Catalogue.exercises(inChapter: 1).map(\.points).reduce(0, +)

        for (student, number) in [("a-memory", "1.3"), ("b-file", "1.2"), ("c-fork", "1.6")] {
            print("\(student) \(number): \(result(student, number)?.status.rawValue ?? "?"): \(result(student, number)?.messages ?? [])")
        }
        let memory = try #require(result("a-memory", "1.3"))
        #expect(memory.status == .crashed && memory.points == 0, "\(memory)")
        #expect(memory.messages.contains { $0.contains("memory") }, "the reason: \(memory.messages)")
        #expect(others("a-memory", "1.3").isEmpty, "\(others("a-memory", "1.3"))")

        let file = try #require(result("b-file", "1.2"))
        #expect(file.status == .crashed && file.points == 0, "\(file)")
        #expect(file.messages.contains { $0.contains("file-size limit") }, "the reason: \(file.messages)")
        #expect(others("b-file", "1.2").isEmpty, "\(others("b-file", "1.2"))")

        let fork = try #require(result("c-fork", "1.6"))
        #expect(fork.status != .passed && fork.points == 0, "\(fork)")
        #expect(fork.messages.contains { $0.contains("fork loop") }, "the reason: \(fork.messages)")
        #expect(others("c-fork", "1.6").isEmpty, "\(others("c-fork", "1.6"))")

        #expect(grades["d-after"]?.points == full, "the grader goes on: \(grades["d-after"]?.grades.filter { $0.status != .passed } ?? [])")
        #expect(ChildLimits.tasks(ofUser: enforced.dropPrivileges ? limits.runAs.uid : UInt32(getuid())) < 200 || !enforced.dropPrivileges,
                "nothing of the fork loop is left running")
    }

    @Test("Gradescope, simulated: the zip unpacks into Gradescope's layout, setup.sh warms the sandbox, run_autograder writes results.json with Gradescope's fields",
          .timeLimit(.minutes(30)))
    func gradescopeSimulation() throws {
        let root = try ArchiveFixtures.temporaryFolder("gradescope")
        defer { try? FileManager.default.removeItem(at: root) }
        let arguments = ["--chapters", "1", "--timeout", "20"]
        let entries = try GradescopeAutograder.entries(package: try BookCopy.gradingPristine(), extraTests: nil, gradeArguments: arguments)
        #expect(!entries.contains { $0.path.hasPrefix("book/Solutions") }, "the reference answers never ship")
        let zip = root.appendingPathComponent("autograder.zip")
        try ZipWriter.zip(entries).write(to: zip)

        // Gradescope unpacks the zip into /autograder/source (here ROOT/source) and keeps modes.
        let source = root.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let unzip = try ChildProcess.run(["unzip", "-qq", zip.path, "-d", source.path], in: root, timeout: 120)
        try #require(unzip.succeeded, "\(unzip.output)")
        for script in ["setup.sh", "run_autograder"] {
            let path = source.appendingPathComponent(script).path
            #expect(FileManager.default.isExecutableFile(atPath: path), "\(script) keeps its executable mode")
            let syntax = try ChildProcess.run(["bash", "-n", path], in: root, timeout: 30)
            #expect(syntax.succeeded, "\(script): \(syntax.output)")
        }

        // setup.sh, with the book tool already built (installing Swift is not tried here).
        var environment = ProcessInfo.processInfo.environment
        environment["AUTOGRADER_ROOT"] = root.path
        environment["BOOK_TOOL"] = BookCopy.bookTool.path
        environment["BOOK_GRADING_WORK"] = BookCopy.gradingWork.path
        let setup = try ChildProcess.run(["bash", source.appendingPathComponent("setup.sh").path], in: root,
                                         environment: environment, timeout: 1_800)
        try #require(setup.succeeded, "setup.sh: \(setup.output.suffix(3_000))")

        // One submission: Gradescope puts the student's files in /autograder/submission.
        let broken = try Fixtures.solution(breaking: "centralDifferences", with: "return x.map { _ in 0 }")
        try Fixtures.folder(root.appendingPathComponent("submission"), ["repo/Exercises/Chapter1/Exercises.swift": broken])
        let run = try ChildProcess.run([source.appendingPathComponent("run_autograder").path], in: root,
                                       environment: environment, timeout: 1_800)
        #expect(run.succeeded, "run_autograder: \(run.output.suffix(3_000))")

        // The fields Gradescope's "Autograder Specifications" documents, with their types.
        let data = try Data(contentsOf: root.appendingPathComponent("results/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let allowed: Set<String> = ["score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                                    "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"]
        #expect(Set(json.keys).isSubset(of: allowed), "\(json.keys)")
        let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]
        #expect((json["visibility"] as? String).map(visibilities.contains) == true)
        #expect((json["stdout_visibility"] as? String).map(visibilities.contains) == true)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == Catalogue.exercises(inChapter: 1).count)
        let testFields: Set<String> = ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
                                       "tags", "visibility", "extra_data"]
        for test in tests {
            #expect(Set(test.keys).isSubset(of: testFields), "\(test.keys)")
            #expect(test["score"] is NSNumber && test["max_score"] is NSNumber && test["name"] is String && test["output"] is String)
            #expect(["passed", "failed"].contains(test["status"] as? String ?? ""))
        }
        let scores = tests.compactMap { ($0["score"] as? NSNumber)?.intValue }
        let full = Catalogue.exercises(inChapter: 1).map(\.points).reduce(0, +)
        #expect((json["score"] as? NSNumber)?.intValue == scores.reduce(0, +))
        #expect(scores.reduce(0, +) == full - 10, "all but 1.3")
        let differences = try #require(tests.first { $0["number"] as? String == "1.3" })
        #expect(differences["status"] as? String == "failed")
        #expect((differences["output"] as? String)?.contains("gradient") == true, "the student sees why: \(differences)")
    }
}
