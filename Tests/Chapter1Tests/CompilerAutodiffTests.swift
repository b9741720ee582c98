#if canImport(_Differentiation)
import _Differentiation
import Foundation
import ScalarAutodiff
import Testing

/// An independent oracle: the Swift compiler's own reverse-mode autodiff differentiates the same
/// expressions, and the book's engine must agree with it.
@Suite("Chapter 1: the engine agrees with Swift's compiler autodiff")
struct Chapter1CompilerAutodiffTests {
    @differentiable(reverse)
    static func exampleA(_ a: Double, _ b: Double, _ c: Double, _ f: Double) -> Double {
        (a * b + c) * f
    }

    @differentiable(reverse)
    static func exampleB(_ x1: Double, _ x2: Double, _ w1: Double, _ w2: Double, _ b: Double) -> Double {
        Foundation.tanh(x1 * w1 + x2 * w2 + b)
    }

    @Test("Example A: the compiler's gradient equals the engine's")
    func exampleA() {
        let (da, db) = gradient(at: 2.0, -3.0) { a, b in Self.exampleA(a, b, 10, -2) }
        let (dc, df) = gradient(at: 10.0, -2.0) { c, f in Self.exampleA(2, -3, c, f) }
        let engine = backpropagatedGradient(of: { v in (v[0] * v[1] + v[2]) * v[3] }, at: [2, -3, 10, -2])
        #expect(engine == [da, db, dc, df])
        #expect([da, db, dc, df] == [6, -4, -2, 4])
    }

    @Test("Example B: the compiler's gradient equals the engine's to 1e-12")
    func exampleB() {
        let point = [2.0, 0.0, -3.0, 1.0, 6.8813735870195432]
        let (dx1, dx2) = gradient(at: point[0], point[1]) { x1, x2 in Self.exampleB(x1, x2, -3, 1, point[4]) }
        let (dw1, dw2) = gradient(at: point[2], point[3]) { w1, w2 in Self.exampleB(2, 0, w1, w2, point[4]) }
        let db = gradient(at: point[4]) { b in Self.exampleB(2, 0, -3, 1, b) }
        let compiler = [dx1, dx2, dw1, dw2, db]
        let engine = backpropagatedGradient(of: { v in (v[0] * v[2] + v[1] * v[3] + v[4]).tanh() }, at: point)
        for (c, e) in zip(compiler, engine) {
            #expect(abs(c - e) < 1e-12, "compiler \(compiler) vs engine \(engine)")
        }
    }
}
#endif
