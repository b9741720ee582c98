import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

extension GradingEndToEndTests {
    // Nested in the hostile class's serialized suite: they share its sandbox, so they must
    // never run beside it.
    /// Submissions that try to write their own results, graded for real (chapter 9, in the shared
    /// sandbox of the end-to-end tests). Each gets nothing for what it did not implement, with a note
    /// that says why, and an honest student after them still gets full marks.
    ///
    /// The forgers are graded twice: with the source rules on, as an instructor grades, and with
    /// them off, so that the results channel and the accounts are shown to hold by themselves.
    @Suite("Grading end to end: forged results")
    struct GradingEndToEndForgeryTests {
        static let exercises = "Exercises/Chapter9/Exercises.swift"

        /// Lines of Swift Testing's event stream that claim every chapter 9 test passed.
        static let forgedLines = """
            var lines = ""
            for n in 1...8 {
                let id = "Chapter9Tests.Chapter9ExerciseTests/exercise9_\\(n)()/ExerciseTests.swift:1:1"
                lines += "{\\"kind\\":\\"event\\",\\"payload\\":{\\"kind\\":\\"testStarted\\",\\"testID\\":\\"\\(id)\\",\\"messages\\":[]},\\"version\\":\\"6.3.0\\"}\\n"
                lines += "{\\"kind\\":\\"event\\",\\"payload\\":{\\"kind\\":\\"testEnded\\",\\"testID\\":\\"\\(id)\\",\\"messages\\":[{\\"symbol\\":\\"pass\\",\\"text\\":\\"passed\\"}]},\\"version\\":\\"6.3.0\\"}\\n"
            }
            func forge(_ path: String) {
                let descriptor = open(path, O_WRONLY | O_APPEND)
                guard descriptor >= 0 else { return }
                _ = lines.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
            }
        """

        /// The stubs, with `body` put at the start of 9.1's function.
        static func stubs(forging body: String) throws -> String {
            let stub = try String(contentsOf: bookPackage.appendingPathComponent(exercises), encoding: .utf8)
            guard let start = stub.range(of: "(?m)^public func labelSmoothingTargets\\(", options: .regularExpression), let brace = stub[start.upperBound...].firstIndex(of: "{") else {
                throw GradingError("no labelSmoothingTargets in the chapter 9 stubs")
            }
            return String(stub[...brace]) + "\n" + body + "\n" + String(stub[stub.index(after: brace)...])
        }

        /// Every stub file of chapter 9, with `exercises` as `Exercises.swift`.
        static func stubFiles(with exercises: String) throws -> [String: String] {
            let folder = bookPackage.appendingPathComponent("Exercises/Chapter9")
            var files: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
                files["Exercises/Chapter9/\(name)"] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            }
            files[Self.exercises] = exercises
            return files
        }

        /// The forger of the issue: finds `--event-stream-output-path` in its own arguments or its
        /// parent's (the test process's), writes a pass for every test there, and leaves at once.
        static var argumentForger: String {
            get throws {
                try stubs(forging: forgedLines + "\n" + """
                    var paths: [String] = []
                    for arguments in [CommandLine.arguments, (FileManager.default.contents(atPath: "/proc/\\(getppid())/cmdline") ?? Data())
                        .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }] {
                        if let flag = arguments.firstIndex(of: "--event-stream-output-path"), flag + 1 < arguments.count {
                            paths.append(arguments[flag + 1])
                        }
                    }
                    for path in paths { forge(path) }
                    _exit(0)
                """)
            }
        }

        /// Writes the same lines into every descriptor of the test process it can open through /proc.
        static var procForger: String {
            get throws {
                try stubs(forging: forgedLines + "\n" + """
                    for descriptor in 0..<256 { forge("/proc/\\(getppid())/fd/\\(descriptor)") }
                    _exit(0)
                """)
            }
        }

        /// Ends the check's process at once, successfully, from 9.1's answer.
        static var earlyExit: String {
            get throws { try stubs(forging: "    _exit(0)") }
        }

        @Test("Forgers score 0 on what they did not implement, with a note, with the source rules on and off; an honest student after them gets full marks",
              .timeLimit(.minutes(30)))
        func forgers() throws {
            let folder = try ArchiveFixtures.temporaryFolder("forgery")
            defer { try? FileManager.default.removeItem(at: folder) }
            let submissions = folder.appendingPathComponent("submissions")
            try Fixtures.folder(submissions.appendingPathComponent("a-arguments"), try Self.stubFiles(with: try Self.argumentForger))
            try Fixtures.folder(submissions.appendingPathComponent("b-proc"), try Self.stubFiles(with: try Self.procForger))
            try Fixtures.folder(submissions.appendingPathComponent("c-exit"), try Self.stubFiles(with: try Self.earlyExit))
            let solutions = bookPackage.appendingPathComponent("Solutions/Chapter9")
            var honest: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: solutions.path) where name.hasSuffix(".swift") {
                honest["Exercises/Chapter9/\(name)"] = try String(contentsOf: solutions.appendingPathComponent(name), encoding: .utf8)
            }
            try Fixtures.folder(submissions.appendingPathComponent("d-honest"), honest)
            let found = try Submission.discover(in: submissions).submissions
            let chapter = Catalogue.exercises(inChapter: 9)
            let full = chapter.map(\.points).reduce(0, +)

            // Third, with the rules and the limits off: a grader running as root then runs student
            // code as root, which may open the test process's descriptors through /proc, so the
            // forger reaches the pipe, and the accounts alone must catch it.
            for (rules, limits) in [(true, true), (false, true), (false, false)] {
                var options = GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [9], timeout: 10)
                options.sourceRules = rules
                if !limits { options.limits = nil }
                let grader = try Grader(options)
                try grader.prepare()
                var grades: [String: StudentGrade] = [:]
                for submission in found { grades[submission.student] = grader.grade(submission) }
                let setting = (rules ? "rules on" : "rules off") + (limits ? "" : ", no limits")
                for student in ["a-arguments", "b-proc", "c-exit"] {
                    let grade = try #require(grades[student])
                    let summary = grade.grades.map { "\($0.exercise.number) \($0.status.rawValue): \($0.messages.first?.prefix(160) ?? "")" }
                    #expect(grade.points == 0, "\(student), \(setting): \(summary)")
                    let first = try #require(grade.grades.first)
                    print("\(student), \(setting): 9.1 \(first.status.rawValue): \(first.messages.map { $0.prefix(300) })")
                    #expect(first.status == .failed, "\(student), \(setting): 9.1 fails: \(summary)")
                    #expect(!first.messages.isEmpty, "\(student), \(setting): 9.1 says why")
                    #expect(grade.grades.dropFirst().allSatisfy { $0.status == .notAttempted },
                            "\(student), \(setting): the other exercises are the stubs: \(summary)")
                    if !rules {
                        #expect(first.messages.contains { $0.contains("9.1's check ended before it finished") || $0.contains("cannot be trusted") },
                                "\(student), \(setting): \(first.messages)")
                    }
                    if !limits && student == "b-proc" && getuid() == 0 {
                        #expect(first.messages.contains { $0.contains("cannot be trusted") },
                                "the forged lines reached the pipe and the accounts caught them: \(first.messages)")
                    }
                }
                #expect(grades["d-honest"]?.points == full, "\(setting): \(grades["d-honest"]?.grades.map { "\($0.exercise.number) \($0.status.rawValue)" } ?? [])")
            }
        }

        /// The reference answers, with each `code` put at the start of the body of `public func NAME`.
        static func solutions(breaking changes: [(function: String, code: String)]) throws -> [String: String] {
            let folder = bookPackage.appendingPathComponent("Solutions/Chapter9")
            var files: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
                var text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                for change in changes {
                    guard let signature = text.range(of: "(?m)^public func \(change.function)\\(", options: .regularExpression),
                          let brace = text[signature.upperBound...].firstIndex(of: "{") else { continue }
                    text = String(text[...brace]) + "\n" + change.code + "\n" + String(text[text.index(after: brace)...])
                }
                files["Exercises/Chapter9/\(name)"] = text
            }
            return files
        }

        @Test("A crash names the student's file and line, not the standard library's, and costs only its exercise",
              .timeLimit(.minutes(30)))
        func crashLocations() throws {
            let folder = try ArchiveFixtures.temporaryFolder("crash-locations")
            defer { try? FileManager.default.removeItem(at: folder) }
            let submissions = folder.appendingPathComponent("submissions")
            // An index out of range inside a closure the standard library calls, and a force unwrap.
            try Fixtures.folder(submissions.appendingPathComponent("crasher"), try Self.solutions(breaking: [
                ("lcsLength", "    let rows = [[1, 2], [3]]\n    _ = rows.map { row in row[1] }"),
                ("brevity", "    let missing: Int? = c > 1_000_000 ? 1 : nil\n    _ = missing! + 1"),
            ]))
            let options = GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [9], timeout: 10)
            let grader = try Grader(options)
            try grader.prepare()
            let grade = grader.grade(try #require(try Submission.discover(in: submissions).submissions.first))
            let summary = grade.grades.map { "\($0.exercise.number) \($0.status.rawValue): \($0.messages)" }
            #expect(grade.grades.map(\.status) == [.passed, .passed, .passed, .crashed, .passed, .crashed, .passed, .passed], "\(summary)")
            for number in ["9.4", "9.6"] {
                let message = grade.grades.first { $0.exercise.number == number }?.messages.first ?? ""
                let place = message.range(of: #" at Exercises/Chapter9/Exercises\.swift:[1-9][0-9]*$"#, options: .regularExpression)
                #expect(place != nil, "\(number) names the student's line: \(message)")
            }
        }

        @Test("A chapter whose every check stops its own process (so no watchdog fires) costs about two process limits, and times out every exercise",
              .timeLimit(.minutes(30)))
        func everythingStops() throws {
            let folder = try ArchiveFixtures.temporaryFolder("stopped")
            defer { try? FileManager.default.removeItem(at: folder) }
            let submissions = folder.appendingPathComponent("submissions")
            let functions = ["labelSmoothingTargets", "tokenPerplexity", "clippedPrecision", "brevity", "bleuScore", "lcsLength",
                             "smoothedSentenceBLEU", "labelSmoothingLoss"]
            try Fixtures.folder(submissions.appendingPathComponent("stopper"),
                                try Self.solutions(breaking: functions.map { ($0, "    while true { kill(getpid(), SIGSTOP) }") }))
            var options = GradingOptions(package: try BookCopy.gradingPristine(), work: BookCopy.gradingWork, chapters: [9], timeout: 10)
            options.sourceRules = false
            let grader = try Grader(options)
            try grader.prepare()
            let submission = try #require(try Submission.discover(in: submissions).submissions.first)
            let start = Date()
            let grade = grader.grade(submission)
            // Not an assertion (tests never time themselves): the cost, for README's table.
            print("A chapter of \(functions.count) exercises that all stop, --timeout 10: graded in \(Date().timeIntervalSince(start)) s, build included")
            #expect(grade.grades.allSatisfy { $0.status == .timedOut }, "\(grade.grades.map { "\($0.exercise.number) \($0.status.rawValue)" })")
        }
    }
}
