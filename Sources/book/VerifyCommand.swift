import ExerciseReports
import ExerciseSupport
import Foundation

let verifyCommand = Command(
    name: "verify",
    summary: "Check a test run's event stream: stubs all cancelled, or solutions all passing (for CI).",
    usage: "book verify EVENTS.jsonl --expect stubs|solutions",
    details: """
    Reads the file written by `swift test --event-stream-output-path EVENTS.jsonl` and fails
    (exit 1) unless:
      - the run finished, and every test that is not an exercise check passed;
      - with --expect stubs: every exercise test in the catalogue ran and was cancelled
        ("not attempted"), so none of them can pass on a stub;
      - with --expect solutions: every exercise test in the catalogue ran and passed.
    """,
    examples: [
        "swift test --event-stream-output-path stubs.jsonl && swift run book verify stubs.jsonl --expect stubs",
    ],
    run: { raw in
        let arguments = try Arguments(raw, command: verifyCommand, options: ["expect"])
        try arguments.expectPositionals(1...1)
        guard let expectation = arguments.option("expect"), ["stubs", "solutions"].contains(expectation) else {
            throw UsageError("--expect must be 'stubs' or 'solutions'.", command: verifyCommand)
        }
        let url = URL(fileURLWithPath: arguments.positionals[0])
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("No event stream at \(url.path).")
        }
        let report = try EventStreamReport(contentsOf: url)
        let problems = verificationProblems(report, expectStubs: expectation == "stubs")
        let exercises = report.exerciseResults()
        print("\(report.results.count) tests read: \(report.referenceResults.count) reference tests, \(exercises.count) exercise checks.")
        guard problems.isEmpty else {
            throw CommandFailure("\(problems.count) problem(s):\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        }
        print("OK: every reference test passed and every exercise check was \(expectation == "stubs" ? "cancelled on its stub" : "passed by its solution").")
    }
)

/// What is wrong with a run, given what CI expects of it. Empty means all is well.
func verificationProblems(_ report: EventStreamReport, expectStubs: Bool) -> [String] {
    var problems: [String] = []
    if !report.runEnded { problems.append("the test run did not finish (the process crashed or was stopped)") }
    for test in report.referenceResults where test.outcome != .passed && test.outcome != .skipped {
        problems.append("\(test.id) \(test.outcome.rawValue)" + (test.failureMessages.first.map { ": \($0)" } ?? ""))
    }
    for result in report.exerciseResults() {
        let expected: ExerciseStatus = expectStubs ? .notAttempted : .passed
        if result.status != expected {
            let detail = result.messages.first.map { ": \($0)" } ?? ""
            problems.append("exercise \(result.exercise.number) \(result.status.rawValue), expected \(expected.rawValue)\(detail)")
        }
    }
    return problems
}
