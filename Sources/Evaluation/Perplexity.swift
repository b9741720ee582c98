import Foundation
import ScalarAutodiff
import Tensors

// Perplexity: the exponential of the mean negative log-likelihood per token. A model that spreads
// its probability evenly over k tokens at every step has perplexity k: it is "as confused as" a
// fair k-sided die.

/// Perplexity from the mean negative log-likelihood per token (in nats):
///
///     PPL = exp(NLL̄)
///
/// A model's cross-entropy loss *is* NLL̄, so `perplexityFromLoss(loss)` turns a
/// loss curve into a perplexity curve. NLL̄ = log 4 gives PPL = 4.
public func perplexityFromLoss(_ nll: Double) -> Double {
    require(!nll.isNaN, "perplexityFromLoss: the mean negative log-likelihood is NaN")
    require(nll >= 0, "perplexityFromLoss: a mean negative log-likelihood cannot be negative (log p ≤ 0), got \(nll)")
    return exp(nll)
}

/// Perplexity from the log-probabilities log p(yₜ | y<ₜ) the model gave to each gold token:
///
///     PPL = exp(−(1/T) Σₜ log p(yₜ | y<ₜ))
///
/// Pool the tokens of every sentence of a corpus into one list: perplexity is a per-token average,
/// not an average of per-sentence perplexities. Probabilities [0.5, 0.25, 0.125] give
/// exp((log 2 + log 4 + log 8) / 3) = 4.
public func corpusPerplexity(tokenLogProbabilities logPs: [Double]) -> Double {
    require(!logPs.isEmpty, "corpusPerplexity: no tokens were given; perplexity is a mean over at least one token")
    require(logPs.allSatisfy { $0 <= 0 }, "corpusPerplexity: log-probabilities must be ≤ 0, got \(logPs.filter { $0 > 0 })")
    return perplexityFromLoss(-logPs.reduce(0, +) / Double(logPs.count))
}

/// Perplexity of logits against gold tokens, skipping rows whose target is `ignoreIndex`:
/// exp of the plain (unsmoothed) cross-entropy. Measure perplexity without label smoothing even
/// if the model was trained with it, or the numbers of different ε are not comparable.
public func corpusPerplexity(logits: Tensor, targets: [Int], ignoreIndex: Int? = nil) -> Double {
    let loss = crossEntropy(logits: .constant(logits), targets: targets, ignoreIndex: ignoreIndex)
    return perplexityFromLoss(Double(loss.value.scalars[0]))
}
