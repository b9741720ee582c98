import Tensors

/// Compares the gradients that `backward()` leaves on `parameters` with central differences of
/// `loss`, for every element (or every `stride`-th element of large parameters).
///
/// The loss is recomputed in Float from the perturbed parameter values; its rounding error
/// (~10⁻⁷·|L| / 2h) and the truncation error h²·L‴/6 are both far below the O(1) error of a wrong
/// rule, so the relative tolerance 5·10⁻³·(1 + |slope|) separates them.
///
/// - Returns: the largest relative discrepancy and where it was.
func gradientDiscrepancy(_ parameters: [Variable], h: Float = 1e-2, stride: Int = 1,
                         loss: () -> Variable) -> (worst: Float, detail: String) {
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
