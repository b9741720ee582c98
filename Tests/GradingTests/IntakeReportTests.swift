import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// Gradescope's results.json as its "Autograder Specifications" page documents it
/// (gradescope-autograders.readthedocs.io/en/latest/specs/, "Output format", "Controlling Test
/// Case Visibility", "Test case status", "Output String Formatting"): every field is optional;
/// these are the ones it names, with their types and allowed values.
enum GradescopeSpecification {
    static let formats: Set<String> = ["text", "html", "simple_format", "md", "ansi"]
    static let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]

    /// Whether `value` is allowed for the top-level field `key`; nil for a field not documented.
    static func topLevel(_ key: String, _ value: Any) -> Bool? {
        switch key {
        case "score", "execution_time": value is NSNumber
        case "output": value is String
        case "output_format", "test_output_format", "test_name_format": formats.contains(value as? String ?? "")
        case "visibility", "stdout_visibility": visibilities.contains(value as? String ?? "")
        case "extra_data": value is [String: Any]
        case "tests", "leaderboard": value is [[String: Any]]
        default: nil
        }
    }

    /// Whether `value` is allowed for a test's field `key`; nil for a field not documented.
    static func test(_ key: String, _ value: Any) -> Bool? {
        switch key {
        case "score", "max_score": value is NSNumber
        case "status": ["passed", "failed"].contains(value as? String ?? "")
        case "name", "number", "output": value is String
        case "name_format", "output_format": formats.contains(value as? String ?? "")
        case "tags": value is [String]
        case "visibility": visibilities.contains(value as? String ?? "")
        case "extra_data": value is [String: Any]
        default: nil
        }
    }

    /// What in `json` the specification does not allow: unknown fields, wrong types, values
    /// outside the allowed ones, a missing score.
    static func problems(_ data: Data) -> [String] {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return ["not a JSON object"] }
        var problems: [String] = []
        for (key, value) in json {
            guard let allowed = topLevel(key, value) else { problems.append("unknown field \(key)"); continue }
            if !allowed { problems.append("\(key) = \(value) is not allowed") }
        }
        let tests = json["tests"] as? [[String: Any]] ?? []
        if json["score"] == nil && tests.contains(where: { $0["score"] == nil }) {
            problems.append("a score is needed at the top level or on every test")
        }
        for (index, test) in tests.enumerated() {
            for (key, value) in test {
                guard let allowed = Self.test(key, value) else { problems.append("test \(index): unknown field \(key)"); continue }
                if !allowed { problems.append("test \(index): \(key) = \(value) is not allowed") }
            }
        }
        if let time = json["execution_time"] as? NSNumber, time.doubleValue < 0 { problems.append("negative execution_time") }
        return problems
    }
}

@Suite("Grading intake: every submission gets a status, and a refusal says why in every report")
struct GradingStatusReportTests {
    static func refused() -> StudentGrade {
        StudentGrade(student: "ivan", grades: sampleExercises.map { ExerciseResult($0, .notAttempted) },
                     notes: ["The submission was refused, so nothing in it was graded: the zip file was not unpacked: entry 'x' is a link to an absolute path, outside the archive."],
                     status: .refused("the zip file was not unpacked: entry 'x' is a link to an absolute path, outside the archive"))
    }

    @Test("The status follows the results unless given: all not attempted is stubs only")
    func derivedStatus() {
        #expect(sampleGrade("a", [.notAttempted, .notAttempted, .notAttempted]).status == .stubsOnly)
        #expect(sampleGrade("b", [.notAttempted, .failed, .notAttempted]).status == .graded)
        #expect(StudentGrade.noSubmission("c", exercises: sampleExercises).status.text == "no submission")
        #expect(Self.refused().status.text.hasPrefix("refused: the zip file was not unpacked"))
    }

    @Test("A refused submission: feedback.md gives the status and the reason, and no 'not attempted' line")
    func refusedFeedback() {
        let text = Feedback.markdown(Self.refused())
        #expect(text.contains("Score: 0 / 40  \nStatus: refused: the zip file was not unpacked: entry 'x' is a link"), "\(text)")
        #expect(text.contains("## About the submission\n\n- The submission was refused, so nothing in it was graded"))
        #expect(!text.contains("not attempted") && !text.contains("## Chapter"), "\(text)")
        #expect(text.contains("None of the 3 exercises was graded, for the reason above."))
        for status in [SubmissionStatus.noExercisesFound, .noSubmission] {
            let grade = StudentGrade(student: "x", grades: sampleExercises.map { ExerciseResult($0, .notAttempted) }, notes: ["why"], status: status)
            #expect(!Feedback.markdown(grade).contains("not attempted"), "\(status)")
        }
        let stubs = Feedback.markdown(sampleGrade("s", [.notAttempted, .notAttempted, .notAttempted]))
        #expect(stubs.contains("Status: stubs only") && stubs.components(separatedBy: "not attempted (the stub").count == 4,
                "an untouched stub's feedback lists what is left")
    }

    @Test("A refused submission: results.json's top-level output carries the status and reason, and each test points to it")
    func refusedResults() throws {
        var grade = Self.refused()
        grade.seconds = 1.2
        let data = try GradescopeResults(grade).json()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let output = try #require(json["output"] as? String)
        #expect(output.hasPrefix("Score: 0 / 40\nStatus: refused: the zip file was not unpacked"), "\(output)")
        #expect(output.contains("- The submission was refused"))
        #expect(json["execution_time"] as? Int == 2, "whole seconds, rounded up")
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.allSatisfy { ($0["output"] as? String)?.hasPrefix("Not graded: refused: the zip file") == true }, "\(tests)")
    }

    @Test("results.json follows Gradescope's documented specification, with visibility, formats, execution time and output")
    func gradescopeSpecification() throws {
        var grade = StudentGrade(student: "jane", grades: [
            ExerciseResult(sampleExercises[0], .passed),
            ExerciseResult(sampleExercises[1], .failed, messages: ["expected <b>3</b>, got 4"]),
            ExerciseResult(sampleExercises[2], .notAttempted),
        ], notes: ["Ignored 1 file(s): `Exercises/Chapter1/<notes>.txt`."])
        grade.seconds = 41.3
        for candidate in [grade, Self.refused(), StudentGrade.noSubmission("nobody", exercises: sampleExercises)] {
            let data = try GradescopeResults(candidate).json()
            #expect(GradescopeSpecification.problems(data).isEmpty, "\(candidate.student): \(GradescopeSpecification.problems(data))")
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for key in ["score", "output", "output_format", "visibility", "stdout_visibility", "tests"] {
                #expect(json[key] != nil, "\(candidate.student): \(key) is written")
            }
            #expect(json["output_format"] as? String == "text", "student-chosen file names are not rendered as HTML")
            #expect(json["visibility"] as? String == "visible" && json["stdout_visibility"] as? String == "hidden")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: try GradescopeResults(grade).json()) as? [String: Any])
        #expect(json["execution_time"] as? Int == 42)
        #expect((json["output"] as? String)?.hasPrefix("Score: 5 / 40\nStatus: graded\n\n- Ignored 1 file(s)") == true)
        // The checker itself refuses what the specification does not allow.
        #expect(!GradescopeSpecification.problems(Data(#"{"score": 1, "visibility": "always"}"#.utf8)).isEmpty)
        #expect(!GradescopeSpecification.problems(Data(#"{"score": 1, "output_format": "markdown"}"#.utf8)).isEmpty)
        #expect(!GradescopeSpecification.problems(Data(#"{"tests": [{"name": "a", "status": "skipped", "score": 0}]}"#.utf8)).isEmpty)
        #expect(!GradescopeSpecification.problems(Data(#"{"tests": [{"name": "a"}]}"#.utf8)).isEmpty)
        #expect(!GradescopeSpecification.problems(Data(#"{"score": 1, "runtime": 3}"#.utf8)).isEmpty)
    }

    @Test("The class summary counts the submissions by status when not all were graded")
    func summaryStatuses() {
        let graded = [sampleGrade("ann", [.passed, .failed, .passed]), sampleGrade("ben", [.passed, .passed, .passed])]
        #expect(!ClassSummary.markdown(graded, exercises: sampleExercises, similarity: nil).contains("Status:"))
        let text = ClassSummary.markdown(graded + [Self.refused(), StudentGrade.noSubmission("zoe", exercises: sampleExercises)],
                                         exercises: sampleExercises, similarity: nil)
        #expect(text.contains("Status: 2 graded, 1 no submission, 1 refused (the gradebook's `status` column says why)."), "\(text)")
    }

    @Test("The gradebook has a status column; --excel's byte order mark comes first")
    func gradebookStatusAndBOM() throws {
        let grades = [Self.refused(), StudentGrade.noSubmission("José", exercises: sampleExercises),
                      sampleGrade("ann", [.passed, .notAttempted, .notAttempted])]
        let csv = Gradebook.csv(grades, exercises: sampleExercises)
        let rows = csv.components(separatedBy: "\r\n")
        #expect(rows[0].hasPrefix("student,status,1.1,"))
        #expect(rows[2] == "ivan,\"refused: the zip file was not unpacked: entry 'x' is a link to an absolute path, outside the archive\",0,0,0,0,0,0", "\(rows[2])")
        #expect(rows[3] == "José,no submission,0,0,0,0,0,0")
        #expect(rows[4] == "ann,graded,5,0,0,5,0,5")
        let out = try ArchiveFixtures.temporaryFolder("bom")
        defer { try? FileManager.default.removeItem(at: out) }
        try Reports.writeGradebook(grades, exercises: sampleExercises, to: out, byteOrderMark: true)
        let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("gradebook.csv")))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == csv)
        try Reports.writeGradebook(grades, exercises: sampleExercises, to: out)
        #expect(try Data(contentsOf: out.appendingPathComponent("gradebook.csv")).first == UInt8(ascii: "s"), "no mark unless asked")
    }
}

@Suite("Grading intake: the roster")
struct GradingRosterTests {
    @Test("One name per line, commas included; blank lines, spaces and a byte order mark ignored")
    func lines() throws {
        let roster = try Roster(text: "\u{FEFF}Doe, Jane\n\n  bob  \r\nJosé O'Neil\nbob\n")
        #expect(roster.names == ["Doe, Jane", "bob", "José O'Neil"])
    }

    @Test("A CSV with a name (or student) column reads that column, quotes and all")
    func csvColumn() throws {
        let roster = try Roster(text: "id,Name,email\n1,\"Doe, Jane\",j@x\n2,bob,b@x\n3,\"say \"\"hi\"\"\",h@x\n")
        #expect(roster.names == ["Doe, Jane", "bob", "say \"hi\""])
        #expect(try Roster(text: "student,section\nann,A\n").names == ["ann"])
        #expect(try Roster(text: "name\nann\nben\n").names == ["ann", "ben"], "a one-column CSV's header is not a student")
        #expect(throws: GradingError.self) { try Roster(text: "\n\n") }
    }

    @Test("Names match submissions ignoring case and Unicode form; the missing get no submission, in roster order")
    func matching() throws {
        let decomposed = "Jose\u{301}"  // as a macOS folder name writes José
        let roster = try Roster(text: "José\nann\nZed\n")
        #expect(roster.missing(from: [decomposed, "zed", "eve"]) == ["ann"])
        #expect(roster.unknown([decomposed, "zed", "eve"]) == ["eve"])
        let grades = [sampleGrade("eve", [.passed]), sampleGrade("zed", [.passed]), StudentGrade.noSubmission("ann", exercises: sampleExercises),
                      sampleGrade(decomposed, [.passed])]
        #expect(roster.ordered(grades).map(\.student) == [decomposed, "ann", "zed", "eve"])
    }
}
