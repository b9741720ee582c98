import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// A made-up book with two chapters of one exercise each, small enough to build in seconds,
/// so that a broken chapter can be shown not to cost the other one anything. (The real book has
/// one chapter with exercises so far.)
@Suite("Grading end to end: a chapter that breaks does not cost the other chapter",
       .enabled(if: endToEndEnabled, "set BOOK_GRADING_E2E=1 to build and grade hostile submissions"))
struct GradingEndToEndTwoChapterTests {
    static let catalogue = [
        Exercise("1.1", "Answer one", stars: 1, api: ["answer"], hints: ["42"]),
        Exercise("2.1", "Answer two", stars: 1, api: ["answer"], hints: ["42"]),
    ]

    @Test("A compile error, a test-breaking API change or a trap in one chapter leaves the other graded",
          .timeLimit(.minutes(10)))
    func brokenChapterIsolated() throws {
        let folder = try ArchiveFixtures.temporaryFolder("two-chapters")
        defer { try? FileManager.default.removeItem(at: folder) }
        let book = folder.appendingPathComponent("book")
        try Fixtures.folder(book, Self.package)
        let right = { (n: Int) in "public func answer\(n)() throws -> Int { 42 }\n" }
        let submissions = folder.appendingPathComponent("class")
        try Fixtures.folder(submissions.appendingPathComponent("compile-error-in-1"), [
            "Exercises/Chapter1/A.swift": "public func answer1() throws -> Int { \"forty-two\" }\n",
            "Exercises/Chapter2/A.swift": right(2),
        ])
        try Fixtures.folder(submissions.appendingPathComponent("renamed-in-2"), [
            "Exercises/Chapter1/A.swift": right(1),
            "Exercises/Chapter2/A.swift": "public func answerTwo() throws -> Int { 42 }\n",
        ])
        try Fixtures.folder(submissions.appendingPathComponent("trap-in-2"), [
            "Exercises/Chapter1/A.swift": right(1),
            "Exercises/Chapter2/A.swift": "public func answer2() throws -> Int { [Int]()[1] }\n",
        ])
        try Fixtures.folder(submissions.appendingPathComponent("wrong-in-1"), [
            "Exercises/Chapter1/A.swift": "public func answer1() throws -> Int { 41 }\n",
            "Exercises/Chapter2/A.swift": right(2),
        ])

        let options = GradingOptions(package: book, work: folder.appendingPathComponent("work"), chapters: [1, 2], timeout: 30)
        let grader = try Grader(options, catalogue: Self.catalogue)
        try grader.prepare()
        var statuses: [String: [ExerciseStatus]] = [:]
        var grades: [String: StudentGrade] = [:]
        for submission in try Submission.discover(in: submissions).submissions {
            let grade = grader.grade(submission)
            grades[submission.student] = grade
            statuses[submission.student] = grade.grades.map(\.status)
        }
        #expect(statuses["compile-error-in-1"] == [.didNotCompile, .passed])
        #expect(grades["compile-error-in-1"]?.grades[0].messages.contains { $0.contains("Exercises/Chapter1/A.swift:1:") } == true)
        #expect(statuses["renamed-in-2"] == [.passed, .didNotCompile])
        #expect(grades["renamed-in-2"]?.grades[1].messages.contains { $0.contains("Tests/Chapter2Tests/") } == true,
                "an API change shows as an error in the chapter's tests: \(grades["renamed-in-2"]?.grades[1].messages ?? [])")
        #expect(statuses["trap-in-2"] == [.passed, .crashed])
        #expect(statuses["wrong-in-1"] == [.failed, .passed])
        #expect(grades["wrong-in-1"]?.points == 5)
    }

    /// The made-up book: the same layout as the real one, with its own stub error.
    static let package: [String: String] = [
        "Package.swift": """
        // swift-tools-version: 6.1
        import PackageDescription
        let package = Package(
            name: "TwoChapters",
            targets: [
                .target(name: "Stubs"),
                .target(name: "Chapter1Exercises", dependencies: ["Stubs"], path: "Exercises/Chapter1"),
                .target(name: "Chapter2Exercises", dependencies: ["Stubs"], path: "Exercises/Chapter2"),
                .testTarget(name: "Chapter1Tests", dependencies: ["Stubs", "Chapter1Exercises"]),
                .testTarget(name: "Chapter2Tests", dependencies: ["Stubs", "Chapter2Exercises"]),
            ],
            swiftLanguageModes: [.v6]
        )
        """,
        "Sources/Stubs/Stub.swift": "public struct NotYet: Error { public init() {} }\n",
        "Exercises/Chapter1/A.swift": "import Stubs\npublic func answer1() throws -> Int { throw NotYet() }\n",
        "Exercises/Chapter2/A.swift": "import Stubs\npublic func answer2() throws -> Int { throw NotYet() }\n",
        "Tests/Chapter1Tests/T.swift": test(1),
        "Tests/Chapter2Tests/T.swift": test(2),
    ]

    static func test(_ n: Int) -> String {
        """
        import Chapter\(n)Exercises
        import Stubs
        import Testing

        struct Chapter\(n)ExerciseTests {
            @Test func exercise\(n)_1() throws {
                do {
                    #expect(try answer\(n)() == 42)
                } catch is NotYet {
                    try Test.cancel("not attempted")
                }
            }
        }
        """
    }
}
