/// Gradient checking for tensors: chapter 1's central differences, applied to every element of
/// every parameter of a model.
///
/// After `loss().backward()` has filled in each parameter's gradient, every element θᵢ is nudged
/// by ±h and the loss recomputed, giving the numerical slope
///
///     ∂L/∂θᵢ ≈ (L(θ + h·eᵢ) − L(θ − h·eᵢ)) / 2h
///
/// with the two losses subtracted in Double. The forward pass runs in Float, so its rounding
/// (about 10⁻⁷·|L| / 2h) and the truncation error h²·L‴/6 are both far below the O(1) error of a
/// wrong backward rule: a relative tolerance of about 5·10⁻³·(1 + |slope|) separates the two.
///
/// ```swift
/// let (worst, detail) = gradientCheck(parameters: model.parameters) { model.loss(x) }
/// #expect(worst < 5e-3, "\(detail)")
/// ```
///
/// - Parameters:
///   - parameters: the variables to check; their values are restored afterwards.
///   - h: the step.
///   - stride: check every `stride`-th element only, for large parameters.
///   - loss: rebuilds the scalar loss from the current parameter values.
/// - Returns: the largest relative discrepancy |analytic − numeric| / (1 + |numeric|), and where
///   it was.

import ScalarAutodiff

public func gradientCheck(parameters: [Variable], h: Float = 1e-2, stride: Int = 1,
                          loss: () -> Variable) -> (worst: Float, detail: String) {
    require(h > 0, "gradientCheck: the step h must be positive, got \(h)")
    require(stride > 0, "gradientCheck: stride must be positive, got \(stride)")
    for p in parameters { p.grad = nil }
    loss().backward()
    let analytic = parameters.map(\.gradient)
    var worst: Float = 0
    var detail = "all gradients match"
    for (k, p) in parameters.enumerated() {
        for i in Swift.stride(from: 0, to: p.value.count, by: stride) {
            let original = p.value.scalars[i]
            p.value.scalars[i] = original + h
            let plus = Double(loss().value.scalar)
            p.value.scalars[i] = original - h
            let minus = Double(loss().value.scalar)
            p.value.scalars[i] = original
            let numeric = Float((plus - minus) / (2 * Double(h)))
            let error = abs(analytic[k].scalars[i] - numeric) / (1 + abs(numeric))
            if error > worst {
                worst = error
                detail = "parameter \(k) (shape \(p.shape)) element \(i): backward gives \(analytic[k].scalars[i]), central difference \(numeric)"
            }
        }
    }
    return (worst, detail)
}
