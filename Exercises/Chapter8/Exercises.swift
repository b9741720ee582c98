// Chapter 8 exercises: decoding, greedy, beam and sampling.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter8
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 8.4` prints a hint. You may use anything in the `Decoding`,
// `Tensors` and `ScalarAutodiff` modules *except* the function an exercise asks you to write.

import Decoding
import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 8.1 ★ — Scoring a sequence in log space.
///
/// Return log P(y) = Σₜ log pₜ for the token probabilities pₜ of a sequence, without ever forming
/// the product Πₜ pₜ (which underflows Float to 0 for 25 tokens of 0.01). Do not call
/// `sequenceLogProbability`.
public func logSpaceScore(_ probabilities: [Float]) throws -> Float {
    throw NotAttempted("8.1")
}

/// Exercise 8.2 ★ — Length normalisation.
///
/// Return score = log P / L^α. "I am" (log P −1.6, L = 2) scores −0.985 with α = 0.7. α = 0 and
/// L = 0 (a sequence of only the end token) leave log P unchanged.
/// Do not call `lengthNormalisedScore` or `penaltyDivisor`.
public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
    throw NotAttempted("8.2")
}

/// Exercise 8.3 ★★ — Greedy decoding.
///
/// `logProbabilities(prefix)` gives log p(next token | prefix) for every token. Starting from an
/// empty prefix, append the most likely next token (the lowest id on ties) until you have appended
/// `endToken` (keep it in the result) or the result holds `maxLength` tokens. Return the tokens.
/// Do not call `greedyDecode`, `beamSearch`, `bestExtensions` or `diverseBeamSearch`.
public func greedy(_ logProbabilities: ([Int]) -> [Float], endToken: Int, maxLength: Int) throws -> [Int] {
    throw NotAttempted("8.3")
}

/// Exercise 8.4 ★★ — One step of beam search.
///
/// `beams` are the hypotheses so far; `next[b]` holds log p(v | beams[b]) for every token v.
/// Extend every hypothesis by every token, score each extension as
/// beams[b].logProbability + next[b][v], and return the `width` best extensions, best first:
/// tokens beams[b].tokens + [v] and that score. Skip extensions scored −∞; break ties by the lower
/// b, then the lower v. Do not call `bestExtensions`, `beamSearch` or `diverseBeamSearch`.
public func beamStep(_ beams: [(tokens: [Int], logProbability: Float)], next: [[Float]],
                     width: Int) throws -> [(tokens: [Int], logProbability: Float)] {
    throw NotAttempted("8.4")
}

/// Exercise 8.5 ★ — Softmax with a temperature.
///
/// Return the probabilities pᵥ = exp(zᵥ / T) / Σᵤ exp(zᵤ / T), computed without overflow: logits
/// of 1000 must work, and so must T = 1e-37 (the greedy limit, where 100 / T overflows Float).
/// A logit of −∞ gets probability 0. Do not call `applyTemperature` or `samplingDistribution`.
public func temperatureSoftmax(_ logits: [Float], temperature: Float) throws -> [Float] {
    throw NotAttempted("8.5")
}

/// Exercise 8.6 ★★ — The top-k filter.
///
/// Keep the k highest scores (ties: the lower index wins), each at its position, and set every
/// other entry to −∞. k ≥ the number of scores keeps them all.
/// Do not call `topKFilter` or `samplingDistribution`.
public func keepTopK(_ scores: [Float], k: Int) throws -> [Float] {
    throw NotAttempted("8.6")
}

/// Exercise 8.7 ★★ — The nucleus (top-p) filter.
///
/// `probabilities` add up to 1. Keep the smallest set of most likely tokens whose probabilities add
/// up to at least p (ties: the lower index first), renormalise them to sum to 1, and set the rest
/// to 0.
/// [0.5, 0.2, 0.15, 0.1, 0.05] with p = 0.9 gives [0.526, 0.211, 0.158, 0.105, 0].
/// Do not call `nucleusFilter` or `samplingDistribution`.
public func keepNucleus(_ probabilities: [Float], p: Float) throws -> [Float] {
    throw NotAttempted("8.7")
}

/// Exercise 8.8 ★★ — The repetition penalty.
///
/// Multiply the log-probability of every token that appears in `previous` by θ (once per token,
/// however often it appeared), then renormalise so the result is again a log-probability
/// distribution: s′ᵥ = sᵥ − log Σᵤ exp(sᵤ). Do not call `penaliseRepetition` or `DecodingRules`.
public func penalise(_ logProbabilities: [Float], previous: [Int], theta: Float) throws -> [Float] {
    throw NotAttempted("8.8")
}
