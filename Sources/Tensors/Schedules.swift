import Foundation
import ScalarAutodiff

/// A learning rate for every step t = 1, 2, 3, … of training.
///
///     constant               ηₜ = η
///     linear warm-up         ηₜ = η · min(1, t/W)
///     cosine                 ηₜ = η_min + (η − η_min) · ½(1 + cos(π(t − 1)/T))   for t ≤ T + 1, then η_min
///     inverse square root    ηₜ = f · d^(−½) · min(t^(−½), t · W^(−3/2))
///
/// The last is the Transformer's (Vaswani et al., 2017, §5.3): it rises linearly for W warm-up
/// steps, peaks at t = W with f/√(d·W), and then decays as 1/√t. Warm-up matters there because
/// Adam's second-moment estimate v̂ rests on a handful of gradients in the first steps, so its
/// steps are erratic; small steps until it has seen more keep them from doing damage.
///
/// Step t is the t-th call of the optimizer's `step()`, which is also the step number
/// `trainingLoop` passes its body. The values agree with PyTorch's schedulers: `LinearLR` with
/// start_factor 1/W and total_iters W − 1, `CosineAnnealingLR` with T_max = T, and `LambdaLR`
/// with the formula above.
///
/// ```swift
/// let schedule = LearningRateSchedule.inverseSquareRoot(modelDimension: 64, warmupSteps: 400)
/// var optimizer = Adam(model.parameters, learningRate: schedule.learningRate(atStep: 1), beta2: 0.98, epsilon: 1e-9)
/// trainingLoop(steps: 2000) { step in
///     optimizer.learningRate = schedule.learningRate(atStep: step)
///     …
/// }
/// ```
public enum LearningRateSchedule: Sendable, Equatable {
    /// η at every step.
    case constant(Float)
    /// From η/W at step 1 up to η at step W, then η.
    case linearWarmup(peak: Float, warmupSteps: Int)
    /// From η at step 1 down to `minimum` at step T + 1 along half a cosine, then `minimum`.
    case cosine(peak: Float, totalSteps: Int, minimum: Float = 0)
    /// The Transformer's warm-up then 1/√t decay, for a model of dimension d.
    case inverseSquareRoot(modelDimension: Int, warmupSteps: Int, factor: Float = 1)

    /// ηₜ, the learning rate for step t (t ≥ 1).
    public func learningRate(atStep t: Int) -> Float {
        require(t >= 1, "LearningRateSchedule: steps count from 1, got \(t)")
        switch self {
        case .constant(let rate):
            return rate
        case .linearWarmup(let peak, let warmup):
            require(warmup >= 1, "LearningRateSchedule.linearWarmup: warmupSteps must be at least 1, got \(warmup)")
            return Float(Double(peak) * Swift.min(1, Double(t) / Double(warmup)))
        case .cosine(let peak, let total, let minimum):
            require(total >= 1, "LearningRateSchedule.cosine: totalSteps must be at least 1, got \(total)")
            let progress = Swift.min(Double(t - 1), Double(total)) / Double(total)
            return Float(Double(minimum) + Double(peak - minimum) * 0.5 * (1 + Foundation.cos(Double.pi * progress)))
        case .inverseSquareRoot(let dimension, let warmup, let factor):
            require(dimension >= 1 && warmup >= 1,
                    "LearningRateSchedule.inverseSquareRoot: modelDimension and warmupSteps must be at least 1, got \(dimension) and \(warmup)")
            let step = Double(t)
            let rate = Double(factor) / Double(dimension).squareRoot()
                * Swift.min(1 / step.squareRoot(), step * Foundation.pow(Double(warmup), -1.5))
            return Float(rate)
        }
    }
}
