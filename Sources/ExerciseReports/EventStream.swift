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
///
/// It also keeps the stream's accounts (``Accounts``): lines that are not Swift Testing's,
/// tests that started or ended more than once, events for tests it never declared, and how
/// often the run started and ended. The grader trusts a stream only when those are clean.
public struct EventStreamReport: Sendable {
    /// Results for test functions (not suites), in the order their records appear.
    public private(set) var results: [TestResult] = []
    /// Whether the stream reached `runEnded`; false when the test process died or was stopped.
    public private(set) var runEnded = false
    /// What the stream held beyond the results: what a grader checks before trusting it.
    public private(set) var accounts = Accounts()

    /// The stream's accounts: everything that would show a stream that was written into, cut
    /// short or glued together.
    public struct Accounts: Sendable, Equatable {
        /// Lines that are not one JSON record of the stream (a partial line, a glued line, text).
        public var malformedLines = 0
        /// The first malformed line, cut to 200 characters, to quote in a note.
        public var firstMalformedLine: String?
        /// `runStarted` and `runEnded` events seen.
        public var runsStarted = 0
        public var runsEnded = 0
        /// Events that came after `runEnded`.
        public var eventsAfterRunEnded = 0
        /// Stable IDs of test functions, with how many times each started and ended (`testEnded`
        /// or `testSkipped`), in the order they first appear.
        public var starts: [String: Int] = [:]
        public var ends: [String: Int] = [:]
        /// Stable IDs of test functions declared by more than one record.
        public var duplicateRecords: [String] = []
        /// Test IDs that events named without a record declaring them (neither a function nor a suite).
        public var undeclared: [String] = []

        /// Test functions that started or ended more than once.
        public var repeated: [String] {
            Set(starts.filter { $0.value > 1 }.keys).union(ends.filter { $0.value > 1 }.keys).sorted()
        }

        /// Test functions that started and never ended.
        public var unfinished: [String] {
            starts.keys.filter { (ends[$0] ?? 0) == 0 }.sorted()
        }

        /// Test functions that ended without starting (a skipped test ends without starting, so
        /// only `testEnded` counts).
        public var endedWithoutStart: [String] = []
    }

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
    /// cut off mid-line by a crash, or something written into it) give no result, and are
    /// counted in ``accounts``.
    public init(jsonLines text: String) {
        let decoder = JSONDecoder()
        var index: [String: Int] = [:]
        var suites: Set<String> = []
        var started: Set<String> = []
        var ended: Set<String> = []
        var undeclared: Set<String> = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for rawLine in lines {
            guard let line = try? decoder.decode(Line.self, from: Data(rawLine.utf8)),
                  line.kind == "test" || line.kind == "event" else {
                accounts.malformedLines += 1
                if accounts.firstMalformedLine == nil { accounts.firstMalformedLine = String(rawLine.prefix(200)) }
                continue
            }
            let payload = line.payload
            if line.kind == "test" {
                guard let id = payload.id else { continue }
                let stable = Self.stableID(id)
                guard payload.kind == "function" else {
                    suites.insert(stable)
                    continue
                }
                guard index[stable] == nil else {
                    accounts.duplicateRecords.append(stable)
                    continue
                }
                index[stable] = results.count
                results.append(TestResult(
                    id: stable, name: payload.name ?? stable,
                    displayName: payload.displayName ?? payload.name ?? stable,
                    outcome: .passed, failureMessages: [],
                    sourcePath: payload.sourceLocation?.filePath ?? payload.sourceLocation?.fileID))
                continue
            }
            if accounts.runsEnded > 0 { accounts.eventsAfterRunEnded += 1 }
            if payload.kind == "runStarted" { accounts.runsStarted += 1 }
            if payload.kind == "runEnded" {
                runEnded = true
                accounts.runsEnded += 1
            }
            guard let testID = payload.testID else { continue }
            let stable = Self.stableID(testID)
            guard let position = index[stable] else {
                if !suites.contains(stable), !undeclared.contains(stable) {
                    undeclared.insert(stable)
                    accounts.undeclared.append(stable)
                }
                continue
            }
            switch payload.kind {
            case "testStarted":
                started.insert(stable)
                accounts.starts[stable, default: 0] += 1
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
                accounts.ends[stable, default: 0] += 1
            case "testEnded":
                if !started.contains(stable) { accounts.endedWithoutStart.append(stable) }
                ended.insert(stable)
                accounts.ends[stable, default: 0] += 1
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

    /// The stable IDs of the test functions that reported a result: started (or skipped) and
    /// ended.
    public var reportedTests: Set<String> {
        Set(results.filter { $0.outcome != .unfinished }.map(\.id))
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
