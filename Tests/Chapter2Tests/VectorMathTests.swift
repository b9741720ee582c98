import Foundation
import Tensors
import Testing

/// The vectorised eˣ, tanh and σ used by tensors, against the Double-precision C library.
@Suite("Chapter 2: vectorised exp, tanh and sigmoid are accurate")
struct Chapter2VectorMathTests {
    /// A dense grid over the interesting range, plus the edges.
    static let grid: [Float] = stride(from: -110, through: 95, by: 0.0137).map { Float($0) }
        + [0, -0, 1e-8, -1e-8, 1e-30, 88.72, 88.7228, 88.73, -87.33, -103.2, .infinity, -.infinity]

    /// |got − exact| / max(|exact|, smallest normal), in units of Float's ε = 2⁻²³.
    func relativeError(_ got: Float, _ exact: Double) -> Double {
        if exact.isInfinite { return got == Float(exact) ? 0 : .infinity }
        return abs(Double(got) - exact) / max(abs(exact), Double(Float.leastNormalMagnitude)) / Double(Float.ulpOfOne)
    }

    @Test("exp is within 4 ε (relative) of the exact value, ∞ above 88.72, 0 far below, NaN for NaN")
    func exp() {
        let got = Tensor(Self.grid).exp().scalars
        var worst = 0.0, at: Float = 0
        for (x, y) in zip(Self.grid, got) where Foundation.exp(Double(x)) >= Double(Float.leastNormalMagnitude) {
            let e = relativeError(y, Double(Float(Foundation.exp(Double(x)))))
            if e > worst { worst = e; at = x }
        }
        #expect(worst <= 4, "worst relative error \(worst) ε at x = \(at)")
        #expect(Tensor([100, 88.8, -200, -.infinity]).exp().scalars == [.infinity, .infinity, 0, 0])
        #expect(Tensor([.nan, 1]).exp().scalars[0].isNaN, "exp(NaN) must be NaN so that losses can detect it")
    }

    @Test("tanh is within 4 ε (relative) of the exact value, including tiny arguments")
    func tanh() {
        let got = Tensor(Self.grid).tanh().scalars
        var worst = 0.0, at: Float = 0
        for (x, y) in zip(Self.grid, got) {
            let e = relativeError(y, Double(Float(Foundation.tanh(Double(x)))))
            if e > worst { worst = e; at = x }
        }
        #expect(worst <= 4, "worst relative error \(worst) ε at x = \(at)")
        #expect(Tensor([.nan]).tanh().scalars[0].isNaN)
    }

    @Test("sigmoid is within 4 ε (relative) of the exact value and never NaN for finite input")
    func sigmoid() {
        let got = Tensor(Self.grid).sigmoid().scalars
        var worst = 0.0, at: Float = 0
        for (x, y) in zip(Self.grid, got) where x > -80 {
            let e = relativeError(y, 1 / (1 + Foundation.exp(-Double(x))))
            if e > worst { worst = e; at = x }
        }
        #expect(worst <= 4, "worst relative error \(worst) ε at x = \(at)")
        #expect(got.allSatisfy { !$0.isNaN }, "σ of a finite number is never NaN")
    }
}
