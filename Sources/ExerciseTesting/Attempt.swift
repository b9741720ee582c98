import ExerciseSupport
import Testing

/// Runs a student's exercise code, turning "not attempted" into a cancelled test.
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
    guard let exercise = Catalogue.exercise(number) else {
        return "Exercise \(number) is not attempted yet."
    }
    return "Exercise \(number) \(exercise.starString) \"\(exercise.title)\" is not attempted yet "
        + "(\(exercise.points) points). Hint: \(exercise.hint)"
}
