import Foundation
import ScalarAutodiff

/// How a hypothesis's log-probability is divided by a function of its length L (the number of
/// tokens, the end token not counted) before hypotheses of different lengths are compared:
///
///     score(y) = log P(y) / lp(L)
///
/// Every token adds a negative log-probability, so raw log P prefers short sequences; a divisor
/// that grows with L removes part of that bias.
public enum LengthPenalty: Sendable, Equatable {
    /// lp(L) = L^α. α = 0 is the raw log P, α = 1 the mean log-probability per token. L = 0 (a
    /// sequence of only the end token) is left undivided.
    case power(Float)
    /// GNMT's penalty (Wu et al. 2016), lp(L) = ((5 + L) / 6)^α: 1 at L = 1, and growing more
    /// slowly than L^α for short sequences.
    case gnmt(Float)

    /// lp(L), the number log P is divided by.
    public func penaltyDivisor(length: Int) -> Float {
        require(length >= 0, "LengthPenalty: the length must be ≥ 0, got \(length)")
        switch self {
        case .power(let alpha):
            require(alpha >= 0 && alpha.isFinite, "LengthPenalty.power: α must be a finite number ≥ 0, got \(alpha)")
            return alpha == 0 || length == 0 ? 1 : Foundation.pow(Float(length), alpha)
        case .gnmt(let alpha):
            require(alpha >= 0 && alpha.isFinite, "LengthPenalty.gnmt: α must be a finite number ≥ 0, got \(alpha)")
            return alpha == 0 ? 1 : Foundation.pow((5 + Float(length)) / 6, alpha)
        }
    }
}

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
    return lengthNormalisedScore(logProbability: logProbability, length: length, penalty: .power(alpha))
}

/// log P / lp(L) for either length penalty. With GNMT's penalty and α = 0.7, "I am" (−1.6,
/// L = 2) scores −1.6 / (7/6)^0.7 = −1.436 and "I am a student" (−2.2, L = 4) scores
/// −2.2 / 1.5^0.7 = −1.656: the gentler divisor leaves the short sentence ahead.
public func lengthNormalisedScore(logProbability: Float, length: Int, penalty: LengthPenalty) -> Float {
    logProbability / penalty.penaltyDivisor(length: length)
}
