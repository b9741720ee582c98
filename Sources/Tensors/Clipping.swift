import ScalarAutodiff

/// Scales all gradients down together when their global norm exceeds `maxNorm`, as PyTorch's
/// `clip_grad_norm_` does:
///
///     ‖g‖ = √(Σ over every parameter and element of g²)
///     c = maxNorm / (‖g‖ + 10⁻⁶)
///     if c < 1:  g ← c·g
///
/// The direction of the whole update is kept; only its length is capped. Recurrent networks use
/// it against exploding gradients. The 10⁻⁶ keeps the division finite when every gradient is 0,
/// and makes tiny norms come out slightly below `maxNorm`: a norm of 5·10⁻⁸ clipped to 10⁻⁸ is
/// scaled by 10⁻⁸/(1.05·10⁻⁶), not by 1/5. The squares are added in Double.
///
/// **Non-finite gradients.** If a gradient holds NaN, the norm is NaN and so is c, and every
/// gradient becomes NaN; if one holds ±∞, the norm is ∞, c = 0, and the finite gradients become 0
/// (the infinite ones NaN). This is PyTorch's behaviour: the damage shows at once, and the next
/// loss is NaN, which the losses and `trainingLoop` report with the step number. With
/// `errorIfNonfinite: true` (PyTorch's `error_if_nonfinite`) the program stops here instead, with
/// a message that says the norm is not finite.
///
/// - Returns: the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float, errorIfNonfinite: Bool = false) -> Float {
    require(maxNorm > 0, "clipGradientNorm: maxNorm must be positive, got \(maxNorm)")
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        for x in g.scalars { total += Double(x) * Double(x) }
    }
    let norm = Float(total.squareRoot())
    require(!errorIfNonfinite || norm.isFinite,
            "clipGradientNorm: the total norm of the gradients is \(norm)\(TrainingContext.stepDescription), not finite; some gradient is NaN or infinite (check the loss and the learning rate)")
    let coefficient = maxNorm / (norm + 1e-6)
    // `!(c >= 1)` rather than `c < 1`, so that a NaN coefficient scales too, as in PyTorch.
    if !(coefficient >= 1) {
        for p in parameters where p.grad != nil { p.grad = p.grad! * coefficient }
    }
    return norm
}

/// Clamps every element of every gradient to [−maxValue, maxValue], as PyTorch's
/// `clip_grad_value_` does. Unlike norm clipping this changes the direction of the update; NaN
/// stays NaN.
public func clipGradientValue(_ parameters: [Variable], maxValue: Float) {
    require(maxValue > 0, "clipGradientValue: maxValue must be positive, got \(maxValue)")
    for p in parameters where p.grad != nil {
        p.grad = p.grad!.map { $0.isNaN ? $0 : Swift.min(Swift.max($0, -maxValue), maxValue) }
    }
}
