import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// Event-stream lines as Swift Testing 6.3 writes them (trimmed to the fields read).
enum StreamLines {
    static func test(_ name: String, chapter: Int = 1, suite: String = "Chapter1ExerciseTests", file: String = "ExerciseTests.swift") -> String {
        let id = "Chapter\(chapter)Tests.\(suite)/\(name)/\(file):10:6"
        return #"{"kind":"test","payload":{"id":"\#(id)","kind":"function","name":"\#(name)","displayName":"\#(name)","sourceLocation":{"filePath":"/book/Tests/Chapter\#(chapter)Tests/\#(file)","fileID":"Chapter\#(chapter)Tests/\#(file)"}}}"#
    }

    static func event(_ kind: String, _ name: String, chapter: Int = 1, suite: String = "Chapter1ExerciseTests", file: String = "ExerciseTests.swift", messages: [(String, String)] = []) -> String {
        let id = "Chapter\(chapter)Tests.\(suite)/\(name)/\(file):10:6"
        let list = messages.map { #"{"symbol":"\#($0.0)","text":"\#($0.1)"}"# }.joined(separator: ",")
        let issue = kind == "issueRecorded" ? #","issue":{"isFailure":true,"isKnown":false}"# : ""
        return #"{"kind":"event","payload":{"kind":"\#(kind)","testID":"\#(id)","messages":[\#(list)]\#(issue)}}"#
    }

    /// A whole test: record, start, the given issues, and (unless `ends` is false) its end.
    static func run(_ name: String, suite: String = "Chapter1ExerciseTests", file: String = "ExerciseTests.swift",
                    issues: [[(String, String)]] = [], cancelled: Bool = false, ends: Bool = true) -> [String] {
        var lines = [test(name, suite: suite, file: file), event("testStarted", name, suite: suite, file: file)]
        lines += issues.map { event("issueRecorded", name, suite: suite, file: file, messages: $0) }
        if cancelled { lines.append(event("testCancelled", name, suite: suite, file: file)) }
        if ends { lines.append(event("testEnded", name, suite: suite, file: file)) }
        return lines
    }

    static let runEnded = #"{"kind":"event","payload":{"kind":"runEnded"}}"#
}

@Suite("Exercise results: one status for progress and grading, read from the event stream")
struct ExerciseResultTests {
    let exercises = Catalogue.exercises(inChapter: 1)

    func report(_ lines: [[String]], ended: Bool = true) -> EventStreamReport {
        EventStreamReport(jsonLines: (lines.flatMap { $0 } + (ended ? [StreamLines.runEnded] : [])).joined(separator: "\n"))
    }

    @Test("A check's one-line crash or timeout report makes the exercise crashed or timed out, with that line alone")
    func crashAndTimeoutReports() throws {
        let stream = report([
            StreamLines.run("exercise1_1()"),
            StreamLines.run("exercise1_2()", issues: [[("fail", "Issue recorded"), ("details", "1.2 crashed: Index out of range at Exercises/Chapter1/Exercises.swift:14")]]),
            StreamLines.run("exercise1_3()", issues: [[("fail", "Expectation failed: got == 3"), ("details", "∂f/∂x0 should be -6.0")]]),
            StreamLines.run("exercise1_4()", issues: [[("fail", "Issue recorded"), ("details", "1.4 timed out: its check was stopped after 16 s.")]]),
            StreamLines.run("exercise1_5()", cancelled: true),
        ])
        let results = stream.exerciseResults(chapters: [1])
        #expect(results.map(\.status) == [.passed, .crashed, .failed, .timedOut, .notAttempted, .notRun, .notRun])
        #expect(results[1].messages == ["1.2 crashed: Index out of range at Exercises/Chapter1/Exercises.swift:14"],
                "the generic \"Issue recorded\" header is dropped")
        #expect(results[2].messages == ["Expectation failed: got == 3\n∂f/∂x0 should be -6.0"])
        #expect(results.map(\.points) == [5, 0, 0, 0, 0, 0, 0])
    }

    @Test("Another exercise's crash report does not count: 1.1's message naming 1.2 is a failure of 1.1")
    func crashPrefixNamesTheExercise() {
        let stream = report([StreamLines.run("exercise1_1()", issues: [[("fail", "Issue recorded"), ("details", "1.2 crashed: elsewhere")]])])
        #expect(stream.exerciseResult(exercises[0])?.status == .failed)
    }

    @Test("A test that started and never ended has no result of its own; the whole stream calls it crashed")
    func unfinished() {
        let stream = report([StreamLines.run("exercise1_1()"), StreamLines.run("exercise1_2()", ends: false)], ended: false)
        #expect(stream.exerciseResult(exercises[1]) == nil)
        #expect(stream.exerciseResults(chapters: [1]).prefix(2).map(\.status) == [.passed, .crashed])
    }

    @Test("An exercise with an instructor's extra test passes only when both pass; a hidden failure is told without its details")
    func hiddenTests() throws {
        let hiddenFile = "InstructorTests/Hidden.swift"
        let stream = report([
            StreamLines.run("exercise1_1()"),
            StreamLines.run("exercise1_1_edgeCases()", suite: "HiddenChapter1", file: hiddenFile,
                            issues: [[("fail", "Issue recorded"), ("details", "product(0, -0) should be -0")]]),
            StreamLines.run("exercise1_2()"),
            StreamLines.run("exercise1_2_large()", suite: "HiddenChapter1", file: hiddenFile),
            StreamLines.run("exercise1_10()"),
        ])
        #expect(stream.results(for: exercises[0]).count == 2)
        #expect(stream.results(for: exercises[1]).map(\.name) == ["exercise1_2()", "exercise1_2_large()"],
                "exercise1_10 is not one of 1.1's or 1.2's tests")
        let isHidden: (TestResult) -> Bool = { $0.sourcePath?.contains("/InstructorTests/") == true }
        let hidden = try #require(stream.exerciseResult(exercises[0], hiding: isHidden))
        #expect(hidden.status == .failed)
        #expect(hidden.messages == ["A hidden test of 1.1 failed (the instructor's tests are not shown)."])
        let shown = try #require(stream.exerciseResult(exercises[0]))
        #expect(shown.messages == ["product(0, -0) should be -0"])
        #expect(stream.exerciseResult(exercises[1], hiding: isHidden)?.status == .passed)
    }

    @Test("The check's limit sits below the process's, so a hang is reported by its own check")
    func checkLimit() {
        #expect(ChapterTests.checkLimit(processLimit: 60, environment: [:]) == 48)
        #expect(ChapterTests.checkLimit(processLimit: 20, environment: [:]) == 16)
        #expect(ChapterTests.checkLimit(processLimit: 5, environment: [:]) == 3)
        #expect(ChapterTests.checkLimit(processLimit: 1, environment: [:]) == 0.5)
        #expect(ChapterTests.checkLimit(processLimit: 60, environment: ["BOOK_EXERCISE_TIMEOUT": "10"]) == 10,
                "a lower BOOK_EXERCISE_TIMEOUT wins")
        #expect(ChapterTests.checkLimit(processLimit: 60, environment: ["BOOK_EXERCISE_TIMEOUT": "300"]) == 48,
                "a higher one would let the process limit fire first")
    }
}

@Suite("book watch: a saved file is seen at the next look")
struct FolderSnapshotTests {
    @Test("Saving, adding, removing and replacing a file each change the snapshot; hidden files do not")
    func changes() throws {
        let folder = try ArchiveFixtures.temporaryFolder("watch")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("Exercises.swift")
        try Data("throw NotAttempted(\"1.1\")".utf8).write(to: file)
        let first = FolderSnapshot(folder)
        #expect(FolderSnapshot(folder) == first, "nothing changed")

        // Same size, same second: only the contents differ.
        try Data("throw NotAttempted(\"1.2\")".utf8).write(to: file)
        let saved = FolderSnapshot(folder)
        #expect(saved.changes(since: first) == ["Exercises.swift"])

        try Data("swap".utf8).write(to: folder.appendingPathComponent(".Exercises.swift.swp"))
        #expect(FolderSnapshot(folder) == saved, "an editor's hidden swap file is not a save")

        try FileManager.default.createDirectory(at: folder.appendingPathComponent("More"), withIntermediateDirectories: true)
        try Data("let x = 1".utf8).write(to: folder.appendingPathComponent("More/Helpers.swift"))
        let added = FolderSnapshot(folder)
        #expect(added.changes(since: saved) == ["More/Helpers.swift"])

        // Saved by writing a new file and renaming it over the old one, with the same contents.
        let temporary = folder.appendingPathComponent("More/.tmp")
        try Data("let x = 1".utf8).write(to: temporary)
        #expect(rename(temporary.path, folder.appendingPathComponent("More/Helpers.swift").path) == 0)
        #expect(FolderSnapshot(folder).changes(since: added) == ["More/Helpers.swift"])

        try FileManager.default.removeItem(at: folder.appendingPathComponent("More"))
        #expect(FolderSnapshot(folder).changes(since: saved).isEmpty)
        #expect(FolderSnapshot.pollInterval <= 1, "a save is seen within a second of it, so well within 5 s")
    }
}
