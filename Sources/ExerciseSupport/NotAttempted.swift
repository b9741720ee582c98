/// The error every exercise stub throws until the student writes an answer.
///
/// A stub must never trap: one `fatalError` would stop the whole test process and hide every
/// other result. Throwing this error instead lets the exercise's test end as *cancelled*, so a
/// fresh clone's `swift test` is green and lists what is left to do.
///
/// ```swift
/// public func sigmoid(_ x: Value) throws -> Value {
///     throw NotAttempted("1.2")   // replace this line with your answer
/// }
/// ```
public struct NotAttempted: Error, CustomStringConvertible, Equatable, Sendable {
    /// The exercise number, such as `"1.2"`.
    public let exercise: String

    public init(_ exercise: String) {
        self.exercise = exercise
    }

    public var description: String {
        guard let exercise = Catalogue.exercise(exercise) else {
            return "Exercise \(self.exercise) is not attempted yet."
        }
        return "Exercise \(exercise.number) \(exercise.starString) \"\(exercise.title)\" is not attempted yet "
            + "(\(exercise.points) points): write your answer in \(exercise.path). "
            + "Stuck? `swift run book hint \(exercise.number)` gives a first hint."
    }
}
