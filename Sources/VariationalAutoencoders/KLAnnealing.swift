/// A schedule for β, the weight of the KL term, that starts at 0 and rises to its target.
///
///     β(t) = 0                                   for t < delay
///     β(t) = target · min(1, (t − delay) / warmup)   otherwise
///
/// with t the training step, counted from 0 (Bowman et al., 2016). At the start of training the
/// decoder is random, so the reconstruction gradient that tells the encoder to use z is weak and
/// noisy, while the KL gradient that pulls every code to the prior is strong and clean. With the
/// full β from step 0 the encoder can give up on z before the decoder learns to read it: the
/// posterior collapses, and once the decoder ignores z nothing pushes the encoder back. With β
/// near 0 first, the model learns an autoencoder; the KL then only shapes codes that are in use.
///
/// ```swift
/// let schedule = KLAnnealing(target: 1, warmupSteps: 1_000)
/// schedule.beta(atStep: 0)      // 0
/// schedule.beta(atStep: 250)    // 0.25
/// schedule.beta(atStep: 5_000)  // 1
/// ```

import ScalarAutodiff

public struct KLAnnealing: Sendable, Equatable {
    /// The β reached at the end of the warm-up.
    public let target: Float
    /// Steps over which β rises linearly from 0 to `target` (0: no warm-up).
    public let warmupSteps: Int
    /// Steps at β = 0 before the warm-up starts.
    public let delaySteps: Int

    public init(target: Float, warmupSteps: Int, delaySteps: Int = 0) {
        require(target >= 0 && target.isFinite, "KLAnnealing: target β must be a finite number ≥ 0, got \(target)")
        require(warmupSteps >= 0 && delaySteps >= 0,
                     "KLAnnealing: warmupSteps (\(warmupSteps)) and delaySteps (\(delaySteps)) must be ≥ 0")
        self.target = target
        self.warmupSteps = warmupSteps
        self.delaySteps = delaySteps
    }

    /// β fixed at `beta` from the first step: no annealing.
    public static func constant(_ beta: Float) -> KLAnnealing {
        KLAnnealing(target: beta, warmupSteps: 0)
    }

    /// β at training step `step` (counted from 0).
    public func beta(atStep step: Int) -> Float {
        require(step >= 0, "KLAnnealing.beta: step must be ≥ 0, got \(step)")
        if step < delaySteps { return 0 }
        if warmupSteps == 0 { return target }
        return target * Swift.min(1, Float(step - delaySteps) / Float(warmupSteps))
    }
}
