import ScalarAutodiff

/// Scales all gradients down together when their global norm exceeds `maxNorm`:
///
///     ‖g‖ = √(Σ over every parameter and element of g²)
///     if ‖g‖ > maxNorm:  g ← g · maxNorm / ‖g‖
///
/// The direction of the whole update is kept; only its length is capped. Recurrent networks use
/// it against exploding gradients.
///
/// - Returns: the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    require(maxNorm > 0, "clipGradientNorm: maxNorm must be positive, got \(maxNorm)")
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        for x in g.scalars { total += Double(x) * Double(x) }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / norm
        for p in parameters where p.grad != nil { p.grad = p.grad! * scale }
    }
    return norm
}
