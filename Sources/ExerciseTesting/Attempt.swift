import ExerciseSupport
import Testing

/// Runs a student's exercise code in the test's own process, turning "not attempted" into a
/// cancelled test. (Superseded by ``runExercise(_:sourceLocation:_:)``, which isolates the check.)
///
/// Every exercise test calls the student's function through this helper:
///
/// ```swift
/// let node = try attempt("1.2") { try sigmoid(Value(0.5)) }
/// ```
///
/// If the stub still throws ``NotAttempted``, the test ends *cancelled* (not failed), with a
/// message naming the exercise and its title. Any other error is a real failure.
public func attempt<Result>(
    _ number: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Result
) throws -> Result {
    do {
        return try body()
    } catch let error as NotAttempted {
        try Test.cancel(Comment(rawValue: notAttemptedMessage(number, error)), sourceLocation: sourceLocation)
    }
}

/// The `async` twin of ``attempt(_:sourceLocation:_:)``.
public func attempt<Result>(
    _ number: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Result
) async throws -> Result {
    do {
        return try await body()
    } catch let error as NotAttempted {
        try Test.cancel(Comment(rawValue: notAttemptedMessage(number, error)), sourceLocation: sourceLocation)
    }
}

private func notAttemptedMessage(_ number: String, _ error: NotAttempted) -> String {
    NotAttempted(number).description
}
