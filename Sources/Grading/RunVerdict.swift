import ExerciseReports
import ExerciseSupport
import Foundation

/// Whether one test process's results may become grades.
///
/// The results come over a pipe the grader owns (the test process gets only its write end, as
/// `/dev/fd/N`), so student code has no path to write them to. The accounts are the second
/// fence, for whatever reaches the pipe anyway: a run is trusted only when
///
/// - the process exited by itself with status 0 (every test passed or was cancelled) or 1 (a
///   test failed), before its time limit;
/// - the stream has exactly one `runStarted` and one `runEnded`, and nothing after the end;
/// - every line is one of Swift Testing's JSON records (a partial line written to glue onto a
///   real one, or any other text, is not);
/// - every expected test (the ones the stubs' own run reported, before any student) started
///   and ended exactly once, and no other test appears;
/// - the pipe was closed when the process ended (no process it started still held it), and
///   carried less than ``ChildProcess/Channel/limit`` bytes.
struct RunVerdict: Equatable {
    enum Kind: Equatable {
        /// Every condition holds: the results stand.
        case trusted
        /// The process ran past its limit and was stopped.
        case timedOut
        /// The process died, or exited with another status, or before its run ended.
        case died
        /// The stream is not what an honest run writes: lines that are not records, a test that
        /// reports twice, tests that should not be there, or expected tests missing from a run
        /// that ended.
        case untrustworthy
    }

    let kind: Kind
    /// Why the run is not trusted, in words for the student and the instructor.
    let problems: [String]

    var trusted: Bool { kind == .trusted }

    /// Judges a run.
    ///
    /// - Parameter expected: the stable IDs of the tests the run must report, or nil to check
    ///   only the stream's own accounts (the stubs' run, which makes the list).
    init(report: EventStreamReport, child: ChildResult, expected: Set<String>?) {
        var problems: [String] = []
        let accounts = report.accounts
        if accounts.malformedLines > 0 {
            let quote = accounts.firstMalformedLine.map { ", such as \"\($0.prefix(80))\"" } ?? ""
            problems.append("its results held \(accounts.malformedLines) line(s) that Swift Testing did not write\(quote)")
        }
        let repeated = Set(accounts.repeated + accounts.duplicateRecords + accounts.endedWithoutStart).sorted()
        if !repeated.isEmpty {
            problems.append("results for \(Self.names(repeated)) arrived more than once, or before the test started")
        }
        var strangers = accounts.undeclared
        if let expected {
            strangers += Set(report.results.map(\.id)).union(accounts.starts.keys).subtracting(expected).sorted()
        }
        if !strangers.isEmpty {
            problems.append("results arrived for tests that are not part of this run: \(Self.names(Array(Set(strangers)).sorted()))")
        }
        if accounts.runsStarted > 1 || accounts.runsEnded > 1 || accounts.eventsAfterRunEnded > 0 {
            problems.append("the run reported its start or its end more than once, or went on after its end")
        }
        if child.channel.overflowed {
            problems.append("its results ran past \(ChildProcess.Channel.limit / 1_048_576) MB")
        }
        if !child.channel.closed {
            problems.append("a process it started still held its results channel open after it ended")
        }
        if !problems.isEmpty {
            kind = .untrustworthy
            self.problems = problems
            return
        }
        switch child.termination {
        case .timedOut:
            kind = .timedOut
            self.problems = ["it ran past its time limit and was stopped"]
            return
        case .signalled(let signal):
            kind = .died
            self.problems = ["it was ended by signal \(signal)"]
            return
        case .exited(let status) where status != 0 && status != 1:
            kind = .died
            self.problems = ["it exited with status \(status), which Swift Testing never returns"]
            return
        case .exited:
            break
        }
        guard accounts.runsStarted == 1, report.runEnded else {
            kind = .died
            self.problems = ["it ended before its run did"]
            return
        }
        let missing = expected.map { $0.subtracting(report.reportedTests).sorted() } ?? []
        let unfinished = accounts.unfinished
        if !missing.isEmpty || !unfinished.isEmpty {
            kind = .untrustworthy
            self.problems = ["\(Self.names(Array(Set(missing + unfinished)).sorted())) reported no result, although the run ended"]
            return
        }
        kind = .trusted
        self.problems = []
    }

    /// Test IDs as their function names, at most five: `exercise9_1(), exercise9_2()`.
    static func names(_ ids: [String]) -> String {
        let shown = ids.prefix(5).map { id in id.split(separator: "/").last.map(String.init) ?? id }
        return shown.joined(separator: ", ") + (ids.count > 5 ? " and \(ids.count - 5) more" : "")
    }

    /// The result an exercise gets from an untrustworthy run: 0, with the reasons.
    static func untrusted(_ exercise: Exercise, problems: [String]) -> ExerciseResult {
        ExerciseResult(exercise, .failed, messages: [
            "\(exercise.number) scores 0: its test process's results cannot be trusted: " + problems.joined(separator: "; ")
                + ". Does the code write into the test's files or channels, or end its own process early?",
        ])
    }
}

extension EventStreamReport {
    /// Whether a test, by its stable ID, is one of an exercise's: `exerciseN_M()` or
    /// `exerciseN_M_…()` in `ChapterNTests` (the same rule as ``results(for:)``).
    static func test(_ id: String, belongsTo exercise: Exercise) -> Bool {
        guard id.hasPrefix("Chapter\(exercise.chapter)Tests."), let name = id.split(separator: "/").last else { return false }
        let function = exercise.testFunctionName
        return name == function + "()" || (name.hasPrefix(function + "_") && name.hasSuffix(")"))
    }
}
