// A copy of Tests/Chapter2Tests/GradientCheck.swift (test targets cannot share files).

import ScalarAutodiff
import Tensors

/// Compares the backward rules of `f` with central differences.
///
/// The scalar checked is L = Σᵢ rᵢ · f(x)ᵢ with fixed random weights rᵢ, so every output element
/// matters and errors cannot cancel. For each input element the numerical slope is
///
///     (L(x + h·e) − L(x − h·e)) / 2h
///
/// with L summed in Double. The forward pass runs in Float, whose rounding (ε ≈ 6·10⁻⁸ relative
/// to outputs of size ~1, divided by 2h = 2·10⁻²) perturbs the slope by ~10⁻⁵, and the truncation
/// error h²·f‴/6 is ~10⁻⁴ for the smooth functions here. A wrong backward rule is off by O(1),
/// so the tolerance 5·10⁻³·(1 + |slope|) separates the two by more than an order of magnitude on
/// either side and does not flake. Inputs are drawn away from kinks (relu at 0, ties in max).
///
/// - Returns: the largest discrepancy, and a description of where it was.
func gradientCheck(_ inputs: [Tensor], seed: UInt64 = 99, h: Float = 1e-2,
                   _ f: ([Variable]) -> Variable) -> (worst: Float, detail: String) {
    var rng = SeededRandom(seed: seed)
    let variables = inputs.map { Variable($0) }
    let output = f(variables)
    let r = Tensor.randomUniform(output.shape, low: -1, high: 1, rng: &rng)
    (output * r).sum().backward()
    func loss(_ xs: [Tensor]) -> Double {
        let y = f(xs.map { Variable($0) }).value
        var total = 0.0
        for (a, b) in zip(y.scalars, r.scalars) { total += Double(a) * Double(b) }
        return total
    }
    var worst: Float = 0
    var detail = "all gradients match"
    for (k, x) in inputs.enumerated() {
        let analytic = variables[k].gradient
        for i in 0..<x.count {
            var plus = inputs, minus = inputs
            plus[k].scalars[i] += h
            minus[k].scalars[i] -= h
            let numeric = Float((loss(plus) - loss(minus)) / (2 * Double(h)))
            let error = abs(analytic.scalars[i] - numeric) / (1 + abs(numeric))
            if error > worst {
                worst = error
                detail = "input \(k) (shape \(x.shape)) element \(i): backward gives \(analytic.scalars[i]), central difference \(numeric)"
            }
        }
    }
    return (worst, detail)
}

/// Seeded random inputs of a shape, uniform in [low, high), with values closer than `gap` to 0
/// pushed away (so relu and |x| are differentiable at every sample).
func randomInput(_ shape: [Int], seed: UInt64, low: Float = -2, high: Float = 2, gap: Float = 0) -> Tensor {
    var rng = SeededRandom(seed: seed)
    var t = Tensor.randomUniform(shape, low: low, high: high, rng: &rng)
    for i in 0..<t.count where abs(t.scalars[i]) < gap {
        t.scalars[i] = t.scalars[i] < 0 ? -gap : gap
    }
    return t
}
