import Foundation
import ScalarAutodiff

/// Temperature: divide the scores by T before the softmax,
///
///     p_T(v) = exp(zᵥ / T) / Σᵤ exp(zᵤ / T).
///
/// T < 1 sharpens the distribution (T → 0 is greedy), T > 1 flattens it (T → ∞ is uniform), and
/// T = 1 leaves it alone. Returns the scaled scores; apply ``softmax(_:)`` for probabilities.
public func applyTemperature(_ scores: [Float], _ temperature: Float) -> [Float] {
    require(temperature > 0 && temperature.isFinite,
                 "applyTemperature: the temperature must be a finite number > 0 (T → 0 is greedy decoding), got \(temperature)")
    return scores.map { $0 / temperature }
}

/// Top-k filtering (Fan et al., 2018): keep the k highest scores and set the rest to −∞, so only
/// the k most likely tokens can be sampled. Ties at the cut go to the lower token id.
public func topKFilter(_ scores: [Float], k: Int) -> [Float] {
    require(k >= 1, "topKFilter: k must be at least 1 (the number of tokens kept), got \(k)")
    guard k < scores.count else { return scores }
    let keep = Set(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k))
    return scores.indices.map { keep.contains($0) ? scores[$0] : -.infinity }
}

/// Nucleus (top-p) filtering (Holtzman et al., 2020): keep the smallest set of most likely tokens
/// whose probabilities add up to at least p, zero the rest and renormalise.
///
///     V_p = the fewest top tokens with Σ_{v ∈ V_p} p(v) ≥ p,   p′(v) = p(v) / Σ_{u ∈ V_p} p(u) on V_p
///
/// Unlike top-k the number of tokens kept adapts: few when the model is sure, many when it is not.
///
/// Worked example: p = [0.5, 0.2, 0.15, 0.1, 0.05]. With p = 0.9 the running totals are 0.5, 0.7,
/// 0.85, 0.95: the first four are kept and renormalised by 0.95 to [0.526, 0.211, 0.158, 0.105, 0].
/// With p = 0.5 the first token alone reaches 0.5, so it is kept with probability 1.
public func nucleusFilter(_ probabilities: [Float], p: Float) -> [Float] {
    require(p > 0 && p <= 1, "nucleusFilter: top-p must be in (0, 1] (the probability mass kept), got \(p)")
    require(probabilities.allSatisfy { $0 >= 0 && $0.isFinite },
                 "nucleusFilter: probabilities must be finite and ≥ 0, got \(probabilities)")
    let order = probabilities.indices.sorted {
        probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
    }
    let total = probabilities.reduce(0, +)
    require(abs(total - 1) < 1e-3, "nucleusFilter: probabilities must add up to 1, got a total of \(total)")
    var kept: [Int] = [], mass: Float = 0
    for v in order {
        kept.append(v)
        mass += probabilities[v]
        if mass >= p { break }
    }
    var filtered = [Float](repeating: 0, count: probabilities.count)
    for v in kept { filtered[v] = probabilities[v] / mass }
    return filtered
}

/// The distribution a sampler draws from: the scores divided by the temperature, cut to the top k,
/// softmaxed, then cut to the nucleus of mass p. `nil` leaves a filter out.
public func samplingDistribution(_ logProbabilities: [Float], temperature: Float = 1,
                                 topK: Int? = nil, topP: Float? = nil) -> [Float] {
    var scores = applyTemperature(logProbabilities, temperature)
    if let k = topK { scores = topKFilter(scores, k: k) }
    var probabilities = softmax(scores)
    if let p = topP { probabilities = nucleusFilter(probabilities, p: p) }
    return probabilities
}

/// Draws one token from `probabilities` with the book's seeded generator.
public func sampleToken(_ probabilities: [Float], rng: inout SeededRandom) -> Int {
    rng.categorical(probabilities.map(Double.init))
}

/// Ancestral sampling: draw each token from the model's (filtered) next-token distribution until
/// the end token or `maxLength` tokens.
///
/// The returned log P is the model's, after the repetition penalty and minimum length but before
/// temperature and filtering: how likely the model finds what was drawn.
///
/// ```swift
/// var rng = SeededRandom(seed: 8)
/// let s = ancestralSample(model, maxLength: 20, rules: DecodingRules(endToken: 1), temperature: 0.8, topP: 0.9, rng: &rng)
/// ```
public func ancestralSample<State>(_ model: NextTokenModel<State>, maxLength: Int, rules: DecodingRules = DecodingRules(),
                          temperature: Float = 1, topK: Int? = nil, topP: Float? = nil,
                          rng: inout SeededRandom) -> DecodedSequence {
    require(maxLength >= 1, "ancestralSample: maxLength must be at least 1, got \(maxLength)")
    require(temperature > 0 && temperature.isFinite,
                 "ancestralSample: the temperature must be a finite number > 0 (T → 0 is greedy decoding), got \(temperature)")
    if let k = topK { require(k >= 1, "ancestralSample: top-k must be at least 1 (the number of tokens kept), got \(k)") }
    if let p = topP { require(p > 0 && p <= 1, "ancestralSample: top-p must be in (0, 1] (the probability mass kept), got \(p)") }
    var state = model.start, tokens: [Int] = [], logP: Float = 0
    while tokens.count < maxLength {
        let scores = rules.apply(model.checkedLogProbabilities(state, caller: "sample"), after: tokens)
        let token = sampleToken(samplingDistribution(scores, temperature: temperature, topK: topK, topP: topP), rng: &rng)
        tokens.append(token)
        logP += scores[token]
        if token == rules.endToken { return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: true) }
        state = model.advance(state, token)
    }
    return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: false)
}
