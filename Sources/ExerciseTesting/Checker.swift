import ExerciseSupport
import Foundation
import Tensors

/// Collects what an answer got wrong, as messages that diagnose: what was expected, what came
/// back, and the likely mistake when the value matches a known wrong answer.
///
/// Every exercise check is a function of a `Checker` and the student's function, so that the
/// same check runs on the student's answer (in the exercise's test) and on the book's known
/// wrong answers (the mutants, which must fail it):
///
/// ```swift
/// public func checkLengthNormalisation(_ c: Checker, _ normalise: (Float, Int, Float) throws -> Float) throws {
///     let got = try normalise(-1.6, 2, 0.7)
///     c.expectClose(got, -0.985, tolerance: 5e-4, "\"I am\" (log P −1.6, L = 2, α = 0.7)",
///                   mistakes: [Mistake(-0.8, "divided by L, not L^α")])
/// }
/// ```
public final class Checker {
    /// The exercise being checked, such as `"8.2"`.
    public let exercise: String
    /// Every failure so far, in order.
    public private(set) var failures: [String] = []

    public init(_ exercise: String) {
        self.exercise = exercise
    }

    /// Records a failure.
    public func fail(_ message: String) {
        failures.append(message)
    }

    /// Records `message` as a failure unless `condition` holds.
    public func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    /// Checks an exact value, naming a known mistake when the value is one.
    public func expectEqual<T: Equatable>(_ got: T, _ expected: T, _ what: String, mistakes: [Mistake<T>] = []) {
        guard got != expected else { return }
        let known = mistakes.first { $0.value == got }
        fail(diagnosis(what, expected: "\(expected)", got: "\(got)", mistake: known?.explanation))
    }

    /// Checks a number to within `tolerance`, absolute below 1 and relative above:
    /// |got − expected| ≤ tolerance · max(1, |expected|).
    public func expectClose(_ got: Double, _ expected: Double, tolerance: Double = 1e-6, _ what: String,
                            mistakes: [Mistake<Double>] = []) {
        guard !Self.isClose(got, expected, tolerance) else { return }
        let known = mistakes.first { Self.isClose(got, $0.value, tolerance) }
        fail(diagnosis(what, expected: Self.format(expected), got: Self.format(got), mistake: known?.explanation))
    }

    /// ``expectClose(_:_:tolerance:_:mistakes:)`` for `Float`.
    public func expectClose(_ got: Float, _ expected: Float, tolerance: Float = 1e-5, _ what: String,
                            mistakes: [Mistake<Float>] = []) {
        expectClose(Double(got), Double(expected), tolerance: Double(tolerance), what,
                    mistakes: mistakes.map { Mistake(Double($0.value), $0.explanation) })
    }

    /// Checks a tensor: first its shape, then its entries to within `tolerance` (as for
    /// numbers). A mismatch names the shape and the first entries that differ, never the whole
    /// tensor.
    public func expectClose(_ got: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ what: String,
                            mistakes: [Mistake<Tensor>] = []) {
        guard let problem = Self.difference(got, expected, tolerance: tolerance) else { return }
        let known = mistakes.first { Self.difference(got, $0.value, tolerance: tolerance) == nil }
        var message = "\(what): \(problem)."
        if let known { message += " Likely mistake: \(known.explanation)." }
        fail(message)
    }

    /// ``expectClose(_:_:tolerance:_:mistakes:)`` for arrays, seen as tensors of shape [n].
    public func expectClose(_ got: [Float], _ expected: [Float], tolerance: Float = 1e-5, _ what: String,
                            mistakes: [Mistake<[Float]>] = []) {
        expectClose(Tensor(got), Tensor(expected), tolerance: tolerance, what,
                    mistakes: mistakes.map { Mistake(Tensor($0.value), $0.explanation) })
    }

    /// ``expectClose(_:_:tolerance:_:mistakes:)`` for arrays of `Double`.
    public func expectClose(_ got: [Double], _ expected: [Double], tolerance: Double = 1e-6, _ what: String,
                            mistakes: [Mistake<[Double]>] = []) {
        guard got.count == expected.count else {
            fail("\(what): expected \(expected.count) numbers, got \(got.count).")
            return
        }
        let bad = zip(got, expected).enumerated().filter { !Self.isClose($0.element.0, $0.element.1, tolerance) }
        guard !bad.isEmpty else { return }
        let known = mistakes.first { m in m.value.count == got.count && zip(got, m.value).allSatisfy { Self.isClose($0, $1, tolerance) } }
        let first = bad.prefix(3).map { "[\($0.offset)] expected \(Self.format($0.element.1)), got \(Self.format($0.element.0))" }
        var message = "\(what): \(bad.count) of \(got.count) numbers differ by more than \(tolerance). First: \(first.joined(separator: "; "))."
        if let known { message += " Likely mistake: \(known.explanation)." }
        fail(message)
    }

    func diagnosis(_ what: String, expected: String, got: String, mistake: String?) -> String {
        var message = "\(what): expected \(expected), got \(got)."
        if let mistake { message += " Likely mistake: \(mistake)." }
        return message
    }

    static func isClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a == b { return true }
        if a.isInfinite || b.isInfinite { return false }   // −∞ is close only to −∞ (a ruled-out token is not a 0)
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// A number as a person writes it: `0.245`, `-115.13`, `1e-08`, `nan`.
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    /// What differs between two tensors, or nil when they agree.
    static func difference(_ got: Tensor, _ expected: Tensor, tolerance: Float) -> String? {
        guard got.shape == expected.shape else {
            return "expected shape \(expected.shape), got shape \(got.shape)"
        }
        let bad = zip(got.scalars, expected.scalars).enumerated()
            .filter { !isClose(Double($0.element.0), Double($0.element.1), Double(tolerance)) }
        guard !bad.isEmpty else { return nil }
        let first = bad.prefix(3).map { entry in
            "\(index(entry.offset, in: got.shape)) expected \(format(Double(entry.element.1))), got \(format(Double(entry.element.0)))"
        }
        return "shape \(got.shape), \(bad.count) of \(got.scalars.count) entries differ by more than \(tolerance). First: "
            + first.joined(separator: "; ")
    }

    /// The multi-index of a flat position: `[1, 2]` for position 5 of shape [2, 3].
    static func index(_ flat: Int, in shape: [Int]) -> [Int] {
        var rest = flat
        var result = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            result[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return result
    }
}

/// A known wrong answer and the mistake that produces it, so that a failure can say
/// "Likely mistake: divided by L, not L^α".
public struct Mistake<Value> {
    public let value: Value
    public let explanation: String

    public init(_ value: Value, _ explanation: String) {
        self.value = value
        self.explanation = explanation
    }
}
