import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

extension GradingEndToEndTests {
    /// Honest submissions packed every way students pack them, graded for real with `book
    /// grade` (roster and `--excel` included) in the sandbox the other real-book tests share
    /// (nested here so that they never run at the same time).
    ///
    /// `BOOK_GRADING_E2E=1 swift test --filter GradingEndToEndIntake`
    @Suite("Grading end to end: intake, every packing of the same answers graded alike, and refusals that say why")
    struct GradingEndToEndIntakeTests {
        /// Chapter 1's solution with 1.1 broken: a score that is neither 0 nor full, so that a
        /// stub, the reference answers or another student's files would each show.
        static func answers() throws -> String {
            let solution = try Fixtures.solution
            let answers = solution.replacingOccurrences(of: "a.data * b.data", with: "a.data + b.data")
            guard answers != solution else { throw GradingError("Solutions/Chapter1 changed: update the intake fixture") }
            return answers
        }

        static func makeClass(in submissions: URL) throws {
            let answers = try answers(), solution = try Fixtures.solution, stub = try Fixtures.stub
            let exercises = "Exercises/Chapter1/Exercises.swift"
            try Fixtures.folder(submissions.appendingPathComponent("plain"), [exercises: answers])
            // Two folders down, beside the reference answers and a stale copy in .build.
            try Fixtures.folder(submissions.appendingPathComponent("cleo"), [
                "course/cleo-repo/\(exercises)": answers,
                "course/cleo-repo/Solutions/Chapter1/Exercises.swift": solution,
                "course/cleo-repo/.build/debug/\(exercises)": stub,
                "course/cleo-repo/Package.swift": "// the student's manifest",
            ])
            try ArchiveFixtures.zip([.folder("Chapter1/"), .file("Chapter1/Exercises.swift", answers)])
                .write(to: submissions.appendingPathComponent("bare.zip"))
            try IntakeFixtures.windowsZip([("windows-repo\\\(exercises.replacingOccurrences(of: "/", with: "\\"))", answers),
                                           ("windows-repo\\README.md", "# mine")])
                .write(to: submissions.appendingPathComponent("windows.zip"))
            let clone = IntakeFixtures.builtClone("repo", answers: answers, solution: solution)
            try ArchiveFixtures.zip(clone).write(to: submissions.appendingPathComponent("built.zip"))
            try ArchiveFixtures.writeTarGzip(clone, to: submissions.appendingPathComponent("built-tar.tar.gz"))
            // The refusals that remain, and a submission with no exercises at all.
            try ArchiveFixtures.zip([.file(exercises, solution), .link("Exercises/Chapter1/Stolen.swift", target: "/etc/hostname")])
                .write(to: submissions.appendingPathComponent("eve.zip"))
            try ZipWriter.zip([]).write(to: submissions.appendingPathComponent("empty.zip"))
            try ArchiveFixtures.writeTarGzip([.file(exercises, solution), .file("..\\escape.swift", "escaped")],
                                             to: submissions.appendingPathComponent("mallory.tar.gz"))
            try Fixtures.folder(submissions.appendingPathComponent("nobody"), ["README.md": "I forgot the code"])
        }

        /// What each student should get: the status column, and what feedback.md and
        /// results.json must say.
        static let refusals = [
            "eve": "refused: the zip file was not unpacked: entry 'Exercises/Chapter1/Stolen.swift' is a link to an absolute path, outside the archive",
            "empty": "refused: the zip file is empty: it holds no files",
            "mallory": "refused: the tar file was not unpacked: entry '..\\escape.swift' has a '..' component",
            "nobody": "no exercises found",
            "zoe": "no submission",
        ]
        static let alike = ["plain", "cleo", "bare", "windows", "built", "built-tar"]

        @Test("The two-deep clone, the bare ChapterN zip, the backslash zip and the clone with .build links score exactly as the plain folder; refusals say why in the gradebook, feedback.md and results.json",
              .timeLimit(.minutes(30)))
        func intakeClass() throws {
            let folder = try ArchiveFixtures.temporaryFolder("intake-e2e")
            let keep = ProcessInfo.processInfo.environment["BOOK_GRADING_E2E_KEEP"] == "1"
            defer { if keep { print("Kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
            let submissions = folder.appendingPathComponent("class")
            try Self.makeClass(in: submissions)
            let roster = folder.appendingPathComponent("roster.csv")
            let names = ["zoe"] + Self.alike + ["eve", "empty", "mallory", "nobody"]
            try Data(("name,email\r\n" + names.map { "\($0),\($0)@example.org\r\n" }.joined()).utf8).write(to: roster)
            let out = folder.appendingPathComponent("report")

            let run = try ChildProcess.run([BookCopy.bookTool.path, "grade", submissions.path, "--out", out.path,
                                            "--work", BookCopy.gradingWork.path, "--chapters", "1", "--timeout", "10",
                                            "--roster", roster.path, "--excel", "--no-similarity"],
                                           in: try BookCopy.gradingPristine(), timeout: 3_000, captureLimit: 1 << 20)
            try #require(run.succeeded, "book grade: \(run.output.suffix(4_000))")

            // The gradebook: a byte order mark, the roster's order, a status column.
            let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("gradebook.csv")))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "--excel writes a byte order mark")
            let rows = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.dropFirst(2).map { String($0.prefix { $0 != "," }) } == names, "rows follow the roster: \(rows)")
            func row(_ student: String) -> [String] {
                let line = rows.first { $0.hasPrefix(student + ",") } ?? ""
                // The status may be quoted (it can hold a comma); the points never are.
                if line.dropFirst(student.count + 1).hasPrefix("\"") {
                    let rest = line.dropFirst(student.count + 2)
                    let end = rest.range(of: "\",")!
                    return [student, String(rest[..<end.lowerBound]).replacingOccurrences(of: "\"\"", with: "\"")]
                        + rest[end.upperBound...].split(separator: ",").map(String.init)
                }
                return line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let full = Catalogue.exercises(inChapter: 1).map(\.points).reduce(0, +)
            let plain = row("plain")
            #expect(plain.count > 3 && plain[1] == "graded" && plain.last == String(full - 5), "1.1 fails, the rest pass: \(plain)")
            for student in Self.alike {
                #expect(row(student) == [student] + plain.dropFirst(), "\(student) is graded exactly as the plain folder")
            }
            for (student, status) in Self.refusals {
                let cells = row(student)
                #expect(cells.count > 2 && cells[1] == status && cells.dropFirst(2).allSatisfy { $0 == "0" }, "\(student): \(cells)")
            }

            // feedback.md and results.json say the same, and list no "not attempted" exercise.
            for (student, status) in Self.refusals {
                let feedback = try String(contentsOf: out.appendingPathComponent("\(student)/feedback.md"), encoding: .utf8)
                #expect(feedback.contains("Status: \(status)\n") && !feedback.contains("not attempted"), "\(student): \(feedback)")
                let data = try Data(contentsOf: out.appendingPathComponent("\(student)/results.json"))
                #expect(GradescopeSpecification.problems(data).isEmpty, "\(student): \(GradescopeSpecification.problems(data))")
                let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect((json["output"] as? String)?.contains("Status: \(status)") == true, "\(student): \(json["output"] ?? "")")
                #expect(json["score"] as? Int == 0)
            }
            let nobody = try String(contentsOf: out.appendingPathComponent("nobody/feedback.md"), encoding: .utf8)
            #expect(nobody.contains("No `Exercises` folder") && nobody.contains("`README.md`"), "the student learns what was found: \(nobody)")
            let cleo = try String(contentsOf: out.appendingPathComponent("cleo/feedback.md"), encoding: .utf8)
            #expect(cleo.contains("Graded the exercise folder `course/cleo-repo/Exercises/`."), "\(cleo)")
            let built = try String(contentsOf: out.appendingPathComponent("built/feedback.md"), encoding: .utf8)
            #expect(built.contains("Skipped 5 archive entries in hidden folders and files (`repo/.git/`, `repo/.build/`, `repo/.swiftpm/`)"), "\(built)")
            #expect(built.contains("`repo/Solutions/`") && built.contains("`repo/Package.swift`"), "what was not read is listed: \(built)")
            for student in Self.alike {
                let data = try Data(contentsOf: out.appendingPathComponent("\(student)/results.json"))
                #expect(GradescopeSpecification.problems(data).isEmpty, "\(student): \(GradescopeSpecification.problems(data))")
                let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(json["score"] as? Int == full - 5 && json["execution_time"] is NSNumber, "\(student): \(json)")
            }

            // The terminal table has the status of each student.
            let table = run.output
            #expect(table.contains("Status") && table.contains("no submission") && table.contains("refused: the zip file is empty"), "\(table.suffix(3_000))")
            #expect(table.contains("Roster: 11 name(s); 1 without a submission"), "\(table.suffix(3_000))")
        }
    }
}
