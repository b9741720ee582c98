/// Stops the program with a message when a caller's input is invalid, in every build
/// configuration.
///
/// The book checks its inputs (shapes, hyperparameters, data, NaN in a loss) and says what is
/// wrong in words: the function, the values it got, and what it expected. Swift's own
/// `precondition(_:_:)` prints its message only in unoptimised builds; under `-O` (every
/// `swift run -c release`, and the chapter modules, which are compiled with optimisation even
/// in debug builds) it stops the program silently. `require` prints the message in both:
///
///     require(lhs.shape == rhs.shape, "mseLoss: shapes \(lhs.shape) and \(rhs.shape) differ")
///     // Fatal error: mseLoss: shapes [4, 3] and [3, 4] differ
///
/// The rule for contributors: use `require` for every check whose message a reader of the
/// book could meet, that is, anything a caller can get wrong. Keep `precondition` and `assert`
/// for internal invariants that no caller can break, whose text no user needs.
///
/// - Parameters:
///   - condition: what must hold; evaluated once.
///   - message: the explanation, naming the function and the offending values; built only
///     when the check fails.
@inlinable
public func require(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() {
        requirementFailed(message(), file: file, line: line)
    }
}

/// The cold path of ``require(_:_:file:line:)``: prints the message and stops.
@usableFromInline
@inline(never)
func requirementFailed(_ message: String, file: StaticString, line: UInt) -> Never {
    fatalError(message, file: file, line: line)
}
