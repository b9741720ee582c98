import Foundation
import ScalarAutodiff

/// The length-normalised score of a hypothesis:
///
///     score(y) = log P(y) / L^α
///
/// Every token adds a negative log-probability, so raw log P prefers short sequences. Dividing by
/// L^α (L the number of tokens, the end token not counted) removes part of that bias: α = 0 is
/// the raw log P, α = 1 the average log-probability per token; α between 0.6 and 1 is common.
///
/// Worked example: "I am" with log P = −1.6 (L = 2) against "I am a student" with log P = −2.2
/// (L = 4). Raw, −1.6 > −2.2 and the short one wins; with α = 0.7 the scores are
/// −1.6 / 2^0.7 = −0.985 and −2.2 / 4^0.7 = −0.834, and the long one wins.
public func lengthNormalisedScore(logProbability: Float, length: Int, alpha: Float) -> Float {
    require(alpha >= 0 && alpha.isFinite, "lengthNormalisedScore: α must be a finite number ≥ 0, got \(alpha)")
    require(length >= 0, "lengthNormalisedScore: the length must be ≥ 0, got \(length)")
    if alpha == 0 || length == 0 { return logProbability }
    return logProbability / Foundation.pow(Float(length), alpha)
}
