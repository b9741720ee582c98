/// Gradient checking: the ground truth every backward rule in the book is tested against.
///
/// The central difference
///
///     ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h
///
/// has error O(h²) (the first-order terms of the two Taylor expansions cancel), against O(h)
/// for the one-sided difference. It needs only the forward function, so it cannot share a bug
/// with a hand-written backward rule. Its cost is two evaluations per input, which is why we
/// use it to *check* gradients, not to train.
///
/// - Parameters:
///   - f: the function, from a point to a number.
///   - x: the point.
///   - h: the step; about 1e-5 balances truncation error (∝ h²) against rounding (∝ ε/h).
/// - Returns: the estimated gradient, one entry per input.
public func numericalGradient(of f: ([Double]) -> Double, at x: [Double], h: Double = 1e-5) -> [Double] {
    require(h > 0, "numericalGradient: the step h must be positive, got \(h)")
    var point = x
    var gradient = [Double](repeating: 0, count: x.count)
    for i in x.indices {
        point[i] = x[i] + h
        let up = f(point)
        point[i] = x[i] - h
        let down = f(point)
        point[i] = x[i]
        gradient[i] = (up - down) / (2 * h)
    }
    return gradient
}

/// The gradient of a scalar function built from ``Value``s, by the engine's backward pass.
///
/// - Parameters:
///   - f: builds the output from leaf values (one per input).
///   - x: the point.
/// - Returns: ∂f/∂xᵢ for each input.
public func backpropagatedGradient(of f: ([Value]) -> Value, at x: [Double]) -> [Double] {
    let leaves = x.map { Value($0) }
    f(leaves).backward()
    return leaves.map(\.grad)
}

/// The largest relative difference between two gradients, entry by entry:
///
///     maxᵢ |aᵢ − bᵢ| / max(1, |aᵢ|, |bᵢ|)
///
/// Relative for large entries, absolute for entries near zero, so a gradient of 1e-12 against
/// 0 counts as agreement.
public func gradientDiscrepancy(_ a: [Double], _ b: [Double]) -> Double {
    require(a.count == b.count, "gradientDiscrepancy: gradients of different lengths \(a.count) and \(b.count)")
    var worst = 0.0
    for (x, y) in zip(a, b) {
        worst = max(worst, abs(x - y) / max(1, abs(x), abs(y)))
    }
    return worst
}

/// Checks the engine against central differences for one function at one point.
///
/// - Returns: the discrepancy between the backpropagated and the numerical gradient; below
///   about 1e-6 means the backward rules are right.
public func gradientCheck(
    _ f: ([Value]) -> Value, at x: [Double], h: Double = 1e-5
) -> Double {
    let analytic = backpropagatedGradient(of: f, at: x)
    let numeric = numericalGradient(of: { point in f(point.map { Value($0) }).data }, at: x, h: h)
    return gradientDiscrepancy(analytic, numeric)
}
