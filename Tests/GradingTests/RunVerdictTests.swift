import ExerciseReports
import ExerciseSupport
import Foundation
@testable import Grading
import Testing

/// The accounts that decide whether a test process's results may become grades: synthetic
/// streams, each with one thing wrong.
@Suite("Run verdicts: only a whole, honest event stream from a process that ended well is trusted")
struct RunVerdictTests {
    static let runStarted = #"{"kind":"event","payload":{"kind":"runStarted"}}"#
    static let names = ["exercise1_1()", "exercise1_2()"]

    /// The stable IDs of the two tests.
    static let expected: Set<String> = Set(names.map { "Chapter1Tests.Chapter1ExerciseTests/\($0)" })

    /// A stream of the two tests, both passing, as Swift Testing writes it.
    static func honest(extra: [String] = [], ended: Bool = true) -> [String] {
        [runStarted] + names.flatMap { StreamLines.run($0) } + extra + (ended ? [StreamLines.runEnded] : [])
    }

    static func child(_ termination: Termination = .exited(0), closed: Bool = true) -> ChildResult {
        var result = ChildResult(termination: termination, bytes: [], droppedBytes: 0, seconds: 1)
        result.channel.closed = closed
        return result
    }

    static func verdict(_ lines: [String], _ child: ChildResult = child(), expected: Set<String>? = expected) -> RunVerdict {
        RunVerdict(report: EventStreamReport(jsonLines: lines.joined(separator: "\n") + "\n"), child: child, expected: expected)
    }

    @Test("An honest run that exits 0 or 1 is trusted, with or without the list of expected tests")
    func honestRun() {
        #expect(Self.verdict(Self.honest()).kind == .trusted)
        #expect(Self.verdict(Self.honest(), Self.child(.exited(1))).kind == .trusted, "1 is Swift Testing's status when a test failed")
        #expect(Self.verdict(Self.honest(), expected: nil).kind == .trusted)
    }

    @Test("A test that ends twice is exposed, not kept once: the run is untrustworthy")
    func duplicateEnd() {
        let forged = StreamLines.event("testEnded", "exercise1_2()")
        let report = EventStreamReport(jsonLines: Self.honest(extra: [forged]).joined(separator: "\n"))
        #expect(report.accounts.repeated == ["Chapter1Tests.Chapter1ExerciseTests/exercise1_2()"])
        let verdict = Self.verdict(Self.honest(extra: [forged]))
        #expect(verdict.kind == .untrustworthy)
        #expect(verdict.problems.contains { $0.contains("exercise1_2()") && $0.contains("more than once") }, "\(verdict.problems)")
    }

    @Test("A forged end that comes before the real start is caught too")
    func endBeforeStart() {
        let forged = [StreamLines.test("exercise1_2()"), StreamLines.event("testEnded", "exercise1_2()")]
        let lines = [Self.runStarted] + forged + StreamLines.run("exercise1_1()")
            + [StreamLines.event("testStarted", "exercise1_2()"), StreamLines.runEnded]
        let verdict = Self.verdict(lines)
        #expect(verdict.kind == .untrustworthy, "\(verdict)")
    }

    @Test("Results for a test the run should not have (a forged hidden test, another exercise) make it untrustworthy")
    func unexpectedTests() {
        let stranger = StreamLines.run("exercise1_1_forged()")
        let verdict = Self.verdict(Self.honest(extra: stranger))
        #expect(verdict.kind == .untrustworthy)
        #expect(verdict.problems.contains { $0.contains("exercise1_1_forged()") }, "\(verdict.problems)")
        // An event for a test no record declared.
        let undeclared = Self.verdict(Self.honest(extra: [StreamLines.event("testEnded", "exercise1_7()")]), expected: nil)
        #expect(undeclared.kind == .untrustworthy, "\(undeclared)")
    }

    @Test("A line Swift Testing did not write, such as a partial line glued onto a real one, makes the run untrustworthy")
    func malformedLine() {
        let real = StreamLines.event("testEnded", "exercise1_1()")
        let glued = #"{"kind":"event","payload":{"kind":"testEnded","testID":"Chapter1Tests.Chapter1ExerciseTests/exercise1_2()"#
            + real
        var lines = Self.honest()
        lines.insert(glued, at: 3)
        let verdict = Self.verdict(lines)
        #expect(verdict.kind == .untrustworthy)
        #expect(verdict.problems.first?.contains("1 line(s) that Swift Testing did not write") == true, "\(verdict.problems)")
        #expect(Self.verdict(Self.honest(extra: ["hello"])).kind == .untrustworthy)
    }

    @Test("A stream without runEnded, from a process that exited 0, is a run that died")
    func missingRunEnded() {
        let verdict = Self.verdict(Self.honest(ended: false))
        #expect(verdict.kind == .died)
        #expect(verdict.problems == ["it ended before its run did"])
    }

    @Test("An exit status Swift Testing never returns, a signal or a timeout is never trusted, whatever the stream says")
    func badTermination() {
        #expect(Self.verdict(Self.honest(), Self.child(.exited(3))).kind == .died)
        #expect(Self.verdict(Self.honest(), Self.child(.signalled(9))).kind == .died)
        #expect(Self.verdict(Self.honest(), Self.child(.timedOut)).kind == .timedOut)
    }

    @Test("A run that ended without an expected test's result, or ran a test twice, is untrustworthy")
    func missingTest() {
        let lines = [Self.runStarted] + StreamLines.run("exercise1_1()") + [StreamLines.runEnded]
        let verdict = Self.verdict(lines)
        #expect(verdict.kind == .untrustworthy)
        #expect(verdict.problems.first?.contains("exercise1_2() reported no result") == true, "\(verdict.problems)")
        #expect(Self.verdict(Self.honest(extra: [Self.runStarted])).kind == .untrustworthy, "two runStarted")
        #expect(Self.verdict(Self.honest() + [StreamLines.event("testStarted", "exercise1_1()")]).kind == .untrustworthy,
                "an event after runEnded")
    }

    @Test("A results channel still held open after the process ended makes the run untrustworthy")
    func channelHeldOpen() {
        let verdict = Self.verdict(Self.honest(), Self.child(closed: false))
        #expect(verdict.kind == .untrustworthy)
        #expect(verdict.problems.contains { $0.contains("still held its results channel open") })
    }

    @Test("An untrustworthy run scores the exercise 0 and says why")
    func untrustedResult() throws {
        let exercise = try #require(Catalogue.exercise("1.2"))
        let result = RunVerdict.untrusted(exercise, problems: ["results for exercise1_2() arrived more than once"])
        #expect(result.status == .failed && result.points == 0)
        #expect(result.messages.first?.hasPrefix("1.2 scores 0: its test process's results cannot be trusted: results for exercise1_2()") == true)
    }

    @Test("A test belongs to an exercise by its name: exerciseN_M() and exerciseN_M_…(), in ChapterNTests")
    func belonging() throws {
        let exercise = try #require(Catalogue.exercise("1.2"))
        #expect(EventStreamReport.test("Chapter1Tests.Chapter1ExerciseTests/exercise1_2()", belongsTo: exercise))
        #expect(EventStreamReport.test("Chapter1Tests.HiddenTests/exercise1_2_large()", belongsTo: exercise))
        #expect(!EventStreamReport.test("Chapter1Tests.Chapter1ExerciseTests/exercise1_20()", belongsTo: exercise))
        #expect(!EventStreamReport.test("Chapter10Tests.Chapter1ExerciseTests/exercise1_2()", belongsTo: exercise))
    }
}

/// The results channel: a pipe the child gets as a numbered descriptor and the caller reads.
@Suite("Child processes: a results channel apart from the output")
struct ResultsChannelTests {
    @Test("What the child writes to its descriptor arrives on the channel, not in the output, however long")
    func channelCarriesResults() throws {
        let result = try ChildProcess.run(
            ["/bin/sh", "-c", "echo printed; echo result > /dev/fd/200; head -c 3000000 /dev/zero | tr '\\0' x > /dev/fd/200"],
            in: URL(fileURLWithPath: "/"), timeout: 60, channel: ChildProcess.Channel(descriptor: 200))
        #expect(result.succeeded)
        #expect(result.output == "printed\n")
        #expect(result.channel.bytes.count == "result\n".utf8.count + 3_000_000, "a stream larger than a pipe is drained as it comes")
        #expect(Array(result.channel.bytes.prefix(7)) == Array("result\n".utf8))
        #expect(result.channel.closed && !result.channel.overflowed)
    }

    @Test("A child without a channel has no such descriptor")
    func noChannel() throws {
        let result = try ChildProcess.run(["/bin/sh", "-c", "echo x > /dev/fd/200"], in: URL(fileURLWithPath: "/"), timeout: 60)
        #expect(!result.succeeded)
        #expect(result.channel.bytes.isEmpty)
    }

    @Test("A process that escapes the child's group and keeps the channel open is noticed")
    func heldOpen() throws {
        let result = try ChildProcess.run(["/bin/sh", "-c", "setsid sleep 4 > /dev/fd/200 & sleep 0.2"],
                                          in: URL(fileURLWithPath: "/"), timeout: 60, channel: ChildProcess.Channel(descriptor: 200))
        #expect(!result.channel.closed)
    }
}
