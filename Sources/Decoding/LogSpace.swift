import Foundation
import ScalarAutodiff
import Tensors

/// The probability of a sequence as the product of its token probabilities, Πₜ pₜ, in Float.
///
/// This is the computation *not* to do: 25 tokens of probability 0.01 give 10⁻⁵⁰, below the
/// smallest Float (about 1.4 × 10⁻⁴⁵), so the product underflows to exactly 0, and every long
/// sequence ties with every other. ``sequenceLogProbability(_:)`` is the fix.
public func sequenceProbability(_ probabilities: [Float]) -> Float {
    probabilities.reduce(1, *)
}

/// The log-probability of a sequence as a sum of logs:
///
///     log P(y) = Σₜ log pₜ
///
/// 25 tokens of probability 0.01 give 25 · log 0.01 = −115.13, an ordinary Float.
public func sequenceLogProbability(_ probabilities: [Float]) -> Float {
    require(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 },
                 "sequenceLogProbability: probabilities must lie in [0, 1], got \(probabilities)")
    return probabilities.reduce(0) { $0 + Foundation.log($1) }
}

/// Log-softmax of a vector: zᵢ − log Σⱼ exp(zⱼ), computed stably (chapter 2's `logSoftmax`).
/// Entries of −∞ stay −∞.
public func logSoftmax(_ scores: [Float]) -> [Float] {
    if scores.allSatisfy({ $0 == -.infinity }) { return scores }
    return Tensor(shape: [scores.count], scalars: scores).logSoftmax().scalars
}

/// Softmax of a vector: exp(zᵢ) / Σⱼ exp(zⱼ) (chapter 2's `softmax`). Entries of −∞ get 0.
public func softmax(_ scores: [Float]) -> [Float] {
    require(scores.contains { $0 > -.infinity }, "softmax: every score is −∞, so no token can be chosen")
    return Tensor(shape: [scores.count], scalars: scores).softmax().scalars
}
