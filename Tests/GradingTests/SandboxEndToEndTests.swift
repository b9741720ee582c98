import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

extension GradingEndToEndTests {
    /// Submissions that attack the sandbox or the tests' view of the exercise module, graded for
    /// real in chapter 9 against the frozen copy of the book, each followed by an honest student
    /// who must get exactly what they deserve.
    ///
    /// They share the hostile class's sandbox, so they are nested in its serialized suite. Run with
    /// `BOOK_GRADING_E2E=1 swift test --filter GradingEndToEndTests/SandboxTests`. With
    /// `BOOK_GRADING_CLASS_TIMING=1` as well, a class of 20 students with helpers is graded in
    /// chapters 1, 8 and 9 and the time each costs is printed (never asserted).
    @Suite("One student cannot touch another, and the public interface is fixed")
    struct SandboxTests {
        static let exercises = Catalogue.exercises(inChapter: 9)
        static let noneAttempted = Array(repeating: ExerciseStatus.notAttempted, count: exercises.count)
        static let allPassed = Array(repeating: ExerciseStatus.passed, count: exercises.count)

        @Test("Tests that overwrite the sandbox's tests or its test binary void their grade, and the next students are graded right",
              .timeLimit(.minutes(20)))
        func poisonersWithTestsAsTheGradersUser() throws {
            // No limits: the tests run as the grader's own user (here root, which no file mode
            // stops), with the source rules off, so only the seal stands between them and the sandbox.
            var options = Self.options(limits: nil)
            options.sourceRules = false
            let grades = try Self.grade(options, [
                ("poison-tests", try ChapterNine.poisoningTests()),
                ("lazy", try ChapterNine.stub(comment: "I will start next week")),
                ("poison-binary", try ChapterNine.poisoningTestBinary()),
                ("lazy-again", try ChapterNine.stub(comment: "still nothing")),
                ("reference", try ChapterNine.solution()),
            ])
            let tests = grades["poison-tests"]
            #expect(tests?.points == 0)
            #expect(tests?.status == .void, "the gradebook's status column says the grade is void")
            #expect(tests?.notes.contains { $0.contains("grade is void") && $0.contains("package/Tests/Chapter9Tests/ExerciseTests.swift") } == true,
                    "\(tests?.notes ?? [])")
            #expect(grades["lazy"]?.grades.map(\.status) == Self.noneAttempted, "\(grades["lazy"]?.grades.map(\.messages) ?? [])")
            let binary = grades["poison-binary"]
            #expect(binary?.points == 0)
            #expect(binary?.status == .void)
            #expect(binary?.notes.contains { $0.contains("grade is void") && $0.contains("PackageTests.xctest") } == true, "\(binary?.notes ?? [])")
            #expect(grades["lazy-again"]?.grades.map(\.status) == Self.noneAttempted, "\(grades["lazy-again"]?.grades.map(\.messages) ?? [])")
            #expect(grades["reference"]?.grades.map(\.status) == Self.allPassed, "\(grades["reference"]?.grades.map(\.messages) ?? [])")
        }

        @Test("With the grader's limits, the poisoner cannot write the sandbox at all; with the source rules on, it is refused as well",
              .timeLimit(.minutes(20)))
        func poisonersWithLimits() throws {
            for rules in [false, true] {
                var options = Self.options(limits: ResourceLimits())
                options.sourceRules = rules
                let grades = try Self.grade(options, [
                    ("poison-tests", try ChapterNine.poisoningTests()),
                    ("lazy", try ChapterNine.stub(comment: "rules \(rules)")),
                ])
                #expect(grades["poison-tests"]?.points == 0)
                #expect(grades["lazy"]?.grades.map(\.status) == Self.noneAttempted,
                        "source rules \(rules): \(grades["lazy"]?.grades.map(\.messages) ?? [])")
            }
        }

        @Test("Overloads of abs and == in the exercise module score the chapter 0, named; internal and private helpers cost nothing",
              .timeLimit(.minutes(20)))
        func overloadsAndHelpers() throws {
            for rules in [false, true] {
                var options = Self.options(limits: ResourceLimits())
                options.sourceRules = rules
                let grades = try Self.grade(options, [
                    ("overloads", try ChapterNine.overloads()),
                    ("helpers", try ChapterNine.solution(helpers: "rules \(rules)")),
                ])
                let overloads = grades["overloads"]
                #expect(overloads?.points == 0, "source rules \(rules): \(overloads?.grades.map(\.status) ?? [])")
                let note = overloads?.notes.first { $0.hasPrefix("Chapter 9 scores 0") } ?? ""
                for declaration in ["func abs(_ x: Double) -> Double", "func abs(_ x: Float) -> Float", "func == (lhs: [Float], rhs: [Float]) -> Bool"] {
                    #expect(note.contains(declaration), "source rules \(rules): \(overloads?.notes ?? [])")
                }
                #expect(grades["helpers"]?.grades.map(\.status) == Self.allPassed,
                        "source rules \(rules): \(grades["helpers"]?.grades.map(\.messages) ?? [])")
                #expect(grades["helpers"]?.notes.allSatisfy { !$0.contains("scores 0") } == true)
            }
        }

        @Test("A class of 20 students in chapters 1, 8 and 9, with helpers and with comments only: the time each costs (printed)",
              .enabled(if: ProcessInfo.processInfo.environment["BOOK_GRADING_CLASS_TIMING"] == "1", "set BOOK_GRADING_CLASS_TIMING=1 to time a class"),
              .timeLimit(.minutes(60)))
        func classOfTwenty() throws {
            let options = GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [1, 8, 9], timeout: 20)
            let grader = try Grader(options)
            try grader.prepare()
            let folder = try ArchiveFixtures.temporaryFolder("class-of-20")
            defer { try? FileManager.default.removeItem(at: folder) }
            // Helpers change each file's declarations, so the one test file that imports the
            // exercise module is compiled again; a comment changes only the exercise module.
            let comment: (Int) -> String = { "\n// student \($0)'s own notes\n" }
            let classes: [(kind: String, addition: (Int) -> String)] = [("helpers", ChapterNine.helpers(student:)), ("comments only", comment)]
            for (kind, addition) in classes {
                var times: [Double] = []
                var phases: [String: Double] = [:]
                for student in 1...20 {
                    var files: [String: String] = [:]
                    for chapter in [1, 8, 9] {
                        for (name, text) in try ChapterNine.solutionFiles(chapter: chapter) {
                            files["Exercises/Chapter\(chapter)/\(name)"] = text + (name == "Exercises.swift" ? addition(student) : "")
                        }
                    }
                    let submission = try Self.submit("\(kind)-\(student)", files, in: folder)
                    let start = Date()
                    var phase = ("unpacking", start)
                    let grade = grader.grade(submission) { next in
                        phases[phase.0, default: 0] += Date().timeIntervalSince(phase.1)
                        phase = (next.hasPrefix("testing") ? "testing" : next.hasPrefix("building") ? "building" : next, Date())
                    }
                    phases[phase.0, default: 0] += Date().timeIntervalSince(phase.1)
                    times.append(Date().timeIntervalSince(start))
                    #expect(grade.points == grade.possible, "\(kind) \(student): \(grade.grades.filter { $0.status != .passed }.map(\.messages))")
                }
                let sorted = times.sorted()
                print(String(format: "Class of 20, chapters 1, 8 and 9, %@: %.1f s in all, median %.1f s per student (fastest %.1f s, slowest %.1f s)",
                             kind, times.reduce(0, +), sorted[sorted.count / 2], sorted.first ?? 0, sorted.last ?? 0))
                for (name, seconds) in phases.sorted(by: { $0.value > $1.value }) {
                    print(String(format: "    %@: %.2f s per student", name, seconds / Double(times.count)))
                }
            }
        }

        /// Options for chapter 9 in the shared end-to-end sandbox.
        static func options(limits: ResourceLimits?) -> GradingOptions {
            GradingOptions(package: (try? BookCopy.gradingPristine()) ?? bookPackage, work: BookCopy.gradingWork,
                           chapters: [9], timeout: 15, limits: limits)
        }

        /// A folder submission of one student, found as the grader finds it.
        static func submit(_ student: String, _ files: [String: String], in folder: URL) throws -> Submission {
            let own = folder.appendingPathComponent(UUID().uuidString)
            try Fixtures.folder(own.appendingPathComponent(student), files)
            guard let submission = try Submission.discover(in: own).submissions.first else { throw GradingError("no submission in \(own.path)") }
            return submission
        }

        /// Grades folder submissions (files of `Exercises/Chapter9`), in order, with one grader.
        static func grade(_ options: GradingOptions, _ students: [(String, [String: String])]) throws -> [String: StudentGrade] {
            let grader = try Grader(options)
            try grader.prepare()
            let folder = try ArchiveFixtures.temporaryFolder("sandbox-e2e")
            defer { try? FileManager.default.removeItem(at: folder) }
            var grades: [String: StudentGrade] = [:]
            for (student, files) in students {
                let submission = try submit(student, Dictionary(uniqueKeysWithValues: files.map { ("Exercises/Chapter9/\($0.key)", $0.value) }), in: folder)
                let start = Date()
                grades[student] = grader.grade(submission)
                print(String(format: "%@: %.1f s, %d points", student, Date().timeIntervalSince(start), grades[student]?.points ?? -1))
            }
            return grades
        }
    }
}

/// Chapter 9 submissions made from the book's stubs and answers.
enum ChapterNine {
    static func files(_ folder: String, chapter: Int = 9) throws -> [String: String] {
        let url = bookPackage.appendingPathComponent("\(folder)/Chapter\(chapter)")
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
            files[name] = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    static func solutionFiles(chapter: Int) throws -> [String: String] { try files("Solutions", chapter: chapter) }

    /// The stubs with a comment added: not attempted, but not byte for byte the stubs, so the
    /// grader builds and runs them.
    static func stub(comment: String) throws -> [String: String] {
        var files = try files("Exercises")
        files["Exercises.swift"]! += "\n// \(comment)\n"
        return files
    }

    static func solution(helpers tag: String? = nil) throws -> [String: String] {
        var files = try files("Solutions")
        if let tag { files["Exercises.swift"]! += helpers(student: tag.utf8.count) }
        return files
    }

    /// Helpers a student might add: private and internal, a function and a type.
    static func helpers(student: Int) -> String {
        """

        private func helper\(student)(_ values: [Double]) -> Double { values.reduce(0, +) * \(student) }
        func sharedHelper\(student)() -> Int { \(student) }
        struct Scratch\(student) { var total = \(student) }

        """
    }

    /// The stub of 9.1 with `code` run before it throws "not attempted".
    static func stubRunning(_ code: String) throws -> [String: String] {
        var files = try files("Exercises")
        let marker = "    throw NotAttempted(\"9.1\")"
        guard files["Exercises.swift"]!.contains(marker) else { throw GradingError("no stub of 9.1 in Exercises/Chapter9/Exercises.swift") }
        files["Exercises.swift"] = files["Exercises.swift"]!.replacingOccurrences(of: marker, with: code + "\n" + marker)
        return files
    }

    /// 9.1 overwrites the chapter's exercise tests in the sandbox with tests that always pass,
    /// found from its own source path.
    static func poisoningTests() throws -> [String: String] {
        let tests = GradingEndToEndTests.SandboxTests.exercises.map { "    @Test func \($0.testFunctionName)() {}" }.joined(separator: "\n")
        return try stubRunning("""
            let sandbox = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let forged = "import Testing\\nstruct Chapter9ExerciseTests {\\n\(tests.replacingOccurrences(of: "\n", with: "\\n"))\\n}\\n"
            try? forged.write(to: sandbox.appendingPathComponent("Tests/Chapter9Tests/ExerciseTests.swift"), atomically: false, encoding: .utf8)
        """)
    }

    /// 9.1 replaces the running test binary with a script that exits 0.
    static func poisoningTestBinary() throws -> [String: String] {
        try stubRunning("""
            let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            try? FileManager.default.removeItem(atPath: binary)
            _ = FileManager.default.createFile(atPath: binary, contents: Data("#!/bin/sh\\nexit 0\\n".utf8), attributes: [.posixPermissions: 0o755])
        """)
    }

    /// The issue's overloads, with answers that return constants.
    static func overloads() throws -> [String: String] {
        var files = try stubRunning("    if ε >= 0 { return [Float](repeating: 0, count: V) }")
        files["Exercises.swift"] = files["Exercises.swift"]!
            .replacingOccurrences(of: "    throw NotAttempted(\"9.2\")", with: "    return 4")
            .replacingOccurrences(of: "    throw NotAttempted(\"9.4\")", with: "    return 1")
            + """

            public func abs(_ x: Double) -> Double { 0 }
            public func abs(_ x: Float) -> Float { 0 }
            public func == (lhs: [Float], rhs: [Float]) -> Bool { true }

            """
        return files
    }
}
