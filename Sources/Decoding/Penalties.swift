import Foundation
import ScalarAutodiff

/// A repetition penalty on log-probabilities: a log-space variant of CTRL's (Keskar et al. 2019),
/// which divides a repeated token's logit by θ.
///
/// Every token that already appears in `previous` has its log-probability multiplied by θ ≥ 1,
/// which, since log p ≤ 0, makes it more negative; the result is renormalised:
///
///     s(v) = θ · log p(v)   if v ∈ previous,   log p(v) otherwise
///     log p′(v) = s(v) − log Σᵤ exp(s(u))           (for a normalised p)
///
/// Worked example: p = [0.5, 0.3, 0.2], token 0 already generated, θ = 2. Then 0.5 becomes
/// 0.5² = 0.25, and after renormalising by 0.25 + 0.3 + 0.2 = 0.75, p′ = [0.333, 0.400, 0.267]:
/// the repeated token falls from first place to second. θ = 1 changes nothing. (A logit may be
/// positive or negative, so CTRL's division can raise a negative one; a log-probability is
/// never positive, and multiplying it by θ always lowers it: p becomes p^θ before renormalising.)
public func penaliseRepetition(_ logProbabilities: [Float], previous: [Int], theta: Float) -> [Float] {
    require(theta >= 1 && theta.isFinite,
                 "penaliseRepetition: θ must be a finite number ≥ 1 (1 means no penalty), got \(theta)")
    if theta == 1 || previous.isEmpty { return logProbabilities }
    var scores = logProbabilities
    for token in Set(previous) {
        require(scores.indices.contains(token),
                     "penaliseRepetition: token \(token) is outside the vocabulary of \(scores.count)")
        scores[token] = scores[token] <= 0 ? scores[token] * theta : scores[token] / theta
    }
    return renormalised(scores, like: logProbabilities)
}

/// Forbids the end token until `length` tokens have been generated: its log-probability becomes
/// −∞ and the rest are renormalised,
///
///     log p′(v) = log p(v) − log(1 − p(end))   for v ≠ end,   −∞ for the end token,
///
/// (for a row that does not add up to 1, the same shift keeps its total),
/// so a decoder cannot stop with fewer than `minimumLength` tokens.
public func forbidEnd(_ logProbabilities: [Float], endToken: Int, length: Int, minimumLength: Int) -> [Float] {
    require(logProbabilities.indices.contains(endToken),
                 "forbidEnd: the end token \(endToken) is outside the vocabulary of \(logProbabilities.count)")
    guard length < minimumLength else { return logProbabilities }
    var scores = logProbabilities
    scores[endToken] = -.infinity
    require(scores.contains { $0 > -.infinity },
                 "forbidEnd: the model gives only the end token a non-zero probability, and the minimum length \(minimumLength) forbids it")
    return renormalised(scores, like: logProbabilities)
}

/// `scores` shifted by one constant so that Σ exp(scores) equals Σ exp(original):
///
///     s′ᵥ = sᵥ − log Σᵤ exp(sᵤ) + log Σᵤ exp(originalᵤ)
///
/// For a normalised `original` that is the log-softmax of `scores`. The lookup tables of the
/// worked examples are not normalised, and this keeps their rows' total unchanged.
func renormalised(_ scores: [Float], like original: [Float]) -> [Float] {
    let shift = logSumExp(original) - logSumExp(scores)
    return scores.map { $0 + shift }
}

/// log Σᵥ exp(sᵥ), computed as m + log Σᵥ exp(sᵥ − m) with m = max s (−∞ if every s is −∞).
func logSumExp(_ scores: [Float]) -> Float {
    let m = scores.max() ?? -.infinity
    if m == -.infinity { return -.infinity }
    return m + Foundation.log(scores.reduce(0) { $0 + Foundation.exp($1 - m) })
}

/// The rules every decoder applies to the model's next-token log-probabilities before choosing:
/// the repetition penalty θ and the minimum length.
public struct DecodingRules: Sendable {
    /// The token that ends a sequence, if the vocabulary has one.
    public var endToken: Int?
    /// The end token is forbidden until this many tokens have been generated.
    public var minimumLength: Int
    /// θ of ``penaliseRepetition(_:previous:theta:)``; 1 is no penalty.
    public var repetitionPenalty: Float

    public init(endToken: Int? = nil, minimumLength: Int = 0, repetitionPenalty: Float = 1) {
        require(minimumLength >= 0, "DecodingRules: the minimum length must be ≥ 0, got \(minimumLength)")
        require(minimumLength == 0 || endToken != nil,
                     "DecodingRules: a minimum length of \(minimumLength) needs an end token to forbid")
        require(repetitionPenalty >= 1 && repetitionPenalty.isFinite,
                     "DecodingRules: the repetition penalty θ must be a finite number ≥ 1 (1 means none), got \(repetitionPenalty)")
        self.endToken = endToken
        self.minimumLength = minimumLength
        self.repetitionPenalty = repetitionPenalty
    }

    /// The model's log-probabilities after `tokens`, with the penalty and the minimum length applied.
    func apply(_ logProbabilities: [Float], after tokens: [Int]) -> [Float] {
        var scores = penaliseRepetition(logProbabilities, previous: tokens, theta: repetitionPenalty)
        if let end = endToken, minimumLength > 0 {
            scores = forbidEnd(scores, endToken: end, length: tokens.count, minimumLength: minimumLength)
        }
        return scores
    }
}
