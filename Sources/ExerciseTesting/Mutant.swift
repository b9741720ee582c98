import ExerciseSupport
import Testing

/// A known wrong answer to an exercise: the kind of mistake a student makes (an off-by-one, a
/// missing max-subtraction, a mask applied the wrong way), kept so that CI can prove the
/// exercise's check fails on it, with a message that names the mistake.
///
/// Each chapter keeps its mutants in `Mutants/ChapterN/`, as functions beside a list:
///
/// ```swift
/// Mutant("8.2", "divides by L instead of L^α", mentions: "divided by L") {
///     try checkLengthNormalisation($0) { logP, length, _ in logP / Float(length) }
/// }
/// ```
public struct Mutant: Sendable, CustomTestStringConvertible {
    /// The exercise it answers wrongly.
    public let exercise: String
    /// The mistake, in a few words.
    public let mistake: String
    /// Text the failure (or the crash report) must contain: the diagnosis the student would read.
    public let mentions: String
    /// Runs the exercise's check on the wrong answer.
    public let check: @Sendable (Checker) throws -> Void

    public init(_ exercise: String, _ mistake: String, mentions: String, check: @escaping @Sendable (Checker) throws -> Void) {
        self.exercise = exercise
        self.mistake = mistake
        self.mentions = mentions
        self.check = check
    }

    public var testDescription: String { "\(exercise): \(mistake)" }
}

/// Runs a mutant's check in the child of an exit test, and records an issue unless the check
/// failed with a message that mentions the mistake. A crash or a timeout is judged by the
/// parent (``reportMutant(_:_:sourceLocation:)``).
public func runMutant(_ mutant: Mutant, sourceLocation: SourceLocation = #_sourceLocation) {
    CrashReporter.arm()
    Watchdog.start(seconds: exerciseTimeLimit)
    let checker = Checker(mutant.exercise)
    do {
        try mutant.check(checker)
    } catch {
        checker.fail("threw \(error)")
    }
    if checker.failures.isEmpty {
        Issue.record("The mutant \"\(mutant.mistake)\" passes \(mutant.exercise)'s check: the check cannot tell this wrong answer from a right one.",
                     sourceLocation: sourceLocation)
    } else if !checker.failures.contains(where: { $0.contains(mutant.mentions) }) {
        Issue.record(Comment(rawValue: "The mutant \"\(mutant.mistake)\" fails \(mutant.exercise)'s check, but no message mentions \"\(mutant.mentions)\". It said: "
            + checker.failures.joined(separator: " | ")), sourceLocation: sourceLocation)
    }
}

/// Judges, in the parent, a mutant whose child crashed or timed out: that counts as failing,
/// if the report mentions the mistake.
public func reportMutant(_ mutant: Mutant, _ result: ExitTest.Result?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let result else {
        Issue.record("The mutant \"\(mutant.mistake)\" ended its process without a report.", sourceLocation: sourceLocation)
        return
    }
    let output = ChildOutput(standardOutput: result.standardOutputContent, standardError: result.standardErrorContent)
    if let problem = output.problem(exercise: mutant.exercise), !problem.contains(mutant.mentions) {
        Issue.record(Comment(rawValue: "The mutant \"\(mutant.mistake)\" stopped its check (\(problem)), but the report does not mention \"\(mutant.mentions)\"."),
                     sourceLocation: sourceLocation)
    }
}
