import Foundation
import ScalarAutodiff
import Testing

/// Every operation's backward rule, checked against central differences at many seeded points.
@Suite("Chapter 1: every operation agrees with central differences")
struct Chapter1OperationGradientTests {
    /// Seeded points in a range, so each run checks exactly the same inputs.
    static func points(count: Int, dimension: Int, in range: ClosedRange<Double>, seed: UInt64) -> [[Double]] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            (0..<dimension).map { _ in rng.uniform(range.lowerBound, range.upperBound) }
        }
    }

    static var binary: [(String, (Value, Value) -> Value)] { [
        ("a + b", { $0 + $1 }),
        ("a - b", { $0 - $1 }),
        ("a * b", { $0 * $1 }),
        ("a / b", { $0 / $1 }),
        ("a * 3 + 2 / b - a / 4", { $0 * 3 + 2 / $1 - $0 / 4 }),
    ] }

    static var unary: [(String, (Value) -> Value, ClosedRange<Double>)] { [
        ("-x", { -$0 }, -3...3),
        ("x^3", { $0.power(3) }, -3...3),
        ("x^-0.5", { $0.power(-0.5) }, 0.2...4),
        ("exp", { $0.exp() }, -3...3),
        ("log", { $0.log() }, 0.1...5),
        ("tanh", { $0.tanh() }, -3...3),
        ("relu", { $0.relu() }, -3...3),
        ("sigmoid", { $0.sigmoid() }, -6...6),
    ] }

    @Test("Binary operations", arguments: 0..<5)
    func binaryOperation(_ index: Int) {
        let (name, op) = Self.binary[index]
        // Keep b away from 0 so that a / b is smooth around every point.
        for point in Self.points(count: 20, dimension: 2, in: 0.5...3, seed: UInt64(index)) {
            for signs in [[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]] {
                let x = zip(point, signs).map { $0 * $1 }
                let error = gradientCheck({ op($0[0], $0[1]) }, at: x)
                #expect(error < 1e-6, "\(name) at \(x): discrepancy \(error)")
            }
        }
    }

    @Test("Unary operations", arguments: 0..<8)
    func unaryOperation(_ index: Int) {
        let (name, op, range) = Self.unary[index]
        for point in Self.points(count: 30, dimension: 1, in: range, seed: 100 + UInt64(index)) {
            // ReLU has a kink at 0 where central differences straddle both sides: skip its neighbourhood.
            if name == "relu" && abs(point[0]) < 1e-3 { continue }
            let error = gradientCheck({ op($0[0]) }, at: point)
            #expect(error < 1e-6, "\(name) at \(point[0]): discrepancy \(error)")
        }
    }

    @Test("A composite of every operation, in three variables")
    func composite() {
        func f(_ v: [Value]) -> Value {
            let (x, y, z) = (v[0], v[1], v[2])
            let a = (x * y).tanh() + (z / x).sigmoid()
            let b = (y * y + 1).log() - (z * 0.3).exp() * x.relu()
            return (a * b - z.power(2)) / (1 + x * x)
        }
        for point in Self.points(count: 25, dimension: 3, in: -2...2, seed: 7) where abs(point[0]) > 0.05 {
            let error = gradientCheck(f, at: point)
            #expect(error < 1e-6, "composite at \(point): discrepancy \(error)")
        }
    }

    @Test("Sigmoid stays finite at ±1000 and is exact at 0")
    func sigmoidExtremes() {
        #expect(Value(0).sigmoid().data == 0.5)
        let high = Value(1000).sigmoid(), low = Value(-1000).sigmoid()
        #expect(high.data == 1 && low.data == 0)
        #expect(high.lhsDerivative == 0 && low.lhsDerivative == 0)
    }

    @Test("The numerical gradient of a quadratic is exact to rounding")
    func numericalGradientOfQuadratic() {
        // f(x, y) = 3x² + xy: ∇f = (6x + y, x). Central differences are exact for quadratics.
        let g = numericalGradient(of: { 3 * $0[0] * $0[0] + $0[0] * $0[1] }, at: [1.5, -2])
        #expect(abs(g[0] - 7) < 1e-8)
        #expect(abs(g[1] - 1.5) < 1e-8)
    }

    @Test("Section 1.5: for x³ at 1 with h = 0.1, central gives 3.01 and one-sided 3.31")
    func centralVersusOneSided() {
        let central = numericalGradient(of: { $0[0] * $0[0] * $0[0] }, at: [1], h: 0.1)[0]
        let oneSided = (1.1 * 1.1 * 1.1 - 1) / 0.1
        #expect(abs(central - 3.01) < 1e-12)
        #expect(abs(oneSided - 3.31) < 1e-12)
    }

    @Test("The gradient check notices a wrong backward rule")
    func gradientCheckCatchesAWrongRule() {
        // A deliberately wrong node: tanh with the derivative of sin.
        let wrongTanh: ([Value]) -> Value = { v in
            Value(Foundation.tanh(v[0].data), op: "bad", input: v[0], derivative: Foundation.cos(v[0].data))
        }
        #expect(gradientCheck(wrongTanh, at: [0.7]) > 0.1)
    }
}
