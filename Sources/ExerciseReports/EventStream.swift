import Foundation

/// What happened to one test in a run, read from Swift Testing's event stream.
public enum TestOutcome: String, Sendable, Codable {
    /// Ended with no failing issue.
    case passed
    /// Recorded at least one failing issue (an `#expect` that failed, or a thrown error).
    case failed
    /// Ended by `Test.cancel`, which is how an unattempted exercise ends.
    case cancelled
    /// Skipped by a trait (`.disabled`, `.enabled(if:)`).
    case skipped
    /// Started but never ended: the process died (a trap, a crash) or was stopped while it ran.
    case unfinished
}

/// One test's result.
public struct TestResult: Sendable {
    /// The test's ID without its source-location suffix, such as
    /// `Chapter1Tests.Chapter1ExerciseTests/exercise1_3()`. Stable when code moves.
    public let id: String
    /// The function's name, such as `exercise1_3()`, or the suite's type name.
    public let name: String
    /// The name shown in the console (`@Test("...")`).
    public let displayName: String
    public var outcome: TestOutcome
    /// The text of each failing issue: the expectation and its message.
    public var failureMessages: [String]
    /// The path of the file that declares the test, when the stream gives it.
    public var sourcePath: String? = nil
}

/// A parsed event stream: `swift test --event-stream-output-path FILE` writes one JSON object a
/// line; this reads the test records and events into one ``TestResult`` per test function.
///
/// ```swift
/// let report = try EventStreamReport(contentsOf: URL(fileURLWithPath: "events.jsonl"))
/// for result in report.results where result.outcome == .failed { print(result.id) }
/// ```
public struct EventStreamReport: Sendable {
    /// Results for test functions (not suites), in the order their records appear.
    public private(set) var results: [TestResult] = []
    /// Whether the stream reached `runEnded`; false when the test process died or was stopped.
    public private(set) var runEnded = false

    private struct Line: Decodable {
        let kind: String
        let payload: Payload
    }

    private struct Payload: Decodable {
        let kind: String
        let id: String?
        let name: String?
        let displayName: String?
        let testID: String?
        let sourceLocation: SourceLocation?
        let issue: Issue?
        let messages: [Message]?
    }

    private struct SourceLocation: Decodable {
        let filePath: String?
        let fileID: String?
    }

    private struct Issue: Decodable {
        let isFailure: Bool?
        let isKnown: Bool?
    }

    private struct Message: Decodable {
        let symbol: String?
        let text: String
    }

    /// Parses the JSON Lines text of an event stream. Lines that are not valid JSON (a stream
    /// cut off mid-line by a crash) are skipped.
    public init(jsonLines text: String) {
        let decoder = JSONDecoder()
        var index: [String: Int] = [:]
        var started: Set<String> = []
        var ended: Set<String> = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            guard let line = try? decoder.decode(Line.self, from: Data(rawLine.utf8)) else { continue }
            let payload = line.payload
            if line.kind == "test" {
                guard payload.kind == "function", let id = payload.id else { continue }
                let stable = Self.stableID(id)
                guard index[stable] == nil else { continue }
                index[stable] = results.count
                results.append(TestResult(
                    id: stable, name: payload.name ?? stable,
                    displayName: payload.displayName ?? payload.name ?? stable,
                    outcome: .passed, failureMessages: [],
                    sourcePath: payload.sourceLocation?.filePath ?? payload.sourceLocation?.fileID))
                continue
            }
            if payload.kind == "runEnded" { runEnded = true }
            guard let testID = payload.testID, let position = index[Self.stableID(testID)] else { continue }
            let stable = Self.stableID(testID)
            switch payload.kind {
            case "testStarted":
                started.insert(stable)
            case "issueRecorded" where payload.issue?.isFailure ?? true && !(payload.issue?.isKnown ?? false):
                results[position].outcome = .failed
                // `Issue.record("…")` reads "Issue recorded", then the comment: keep the comment.
                var messages = payload.messages ?? []
                if messages.count > 1, messages[0].text == "Issue recorded" { messages.removeFirst() }
                let text = messages.map(\.text).joined(separator: "\n")
                results[position].failureMessages.append(text)
            case "testCancelled":
                if results[position].outcome != .failed { results[position].outcome = .cancelled }
            case "testSkipped":
                results[position].outcome = .skipped
                ended.insert(stable)
            case "testEnded":
                ended.insert(stable)
            default:
                break
            }
        }
        // A test that started and never ended was running when the process died.
        for i in results.indices where started.contains(results[i].id) && !ended.contains(results[i].id) {
            results[i].outcome = .unfinished
        }
        // Tests never started (filtered out, or after a crash) are dropped: they have no result.
        results.removeAll { !started.contains($0.id) && $0.outcome != .skipped }
    }

    /// Reads and parses an event-stream file.
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        self.init(jsonLines: String(decoding: data, as: UTF8.self))
    }

    /// The result of the test with this stable ID, if it ran.
    public func result(id: String) -> TestResult? {
        results.first { $0.id == id }
    }

    /// Drops the `/File.swift:line:col` suffix of a test ID.
    static func stableID(_ id: String) -> String {
        guard let slash = id.lastIndex(of: "/"), id[slash...].contains(".swift:") else { return id }
        return String(id[..<slash])
    }
}
