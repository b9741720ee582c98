extension Catalogue {
    /// Chapter 8: decoding, greedy, beam and sampling.
    static let chapter8: [Exercise] = [
        Exercise("8.1", "Scoring a sequence in log space", stars: 1, api: ["logSpaceScore"], forbidden: ["sequenceLogProbability"],
                 hints: ["Add up Foundation.log(p) over the probabilities instead of multiplying them. 25 tokens of probability 0.01 give 25 · log 0.01 = −115.13, where the product underflows Float to 0."]),
        Exercise("8.2", "Length normalisation", stars: 1, api: ["normalisedScore"], forbidden: ["lengthNormalisedScore"],
                 hints: ["Return logProbability / pow(Float(length), alpha). α = 0 must give log P unchanged (L⁰ = 1). Worked example: −1.6 / 2^0.7 = −0.985."]),
        Exercise("8.3", "Greedy decoding", stars: 2, api: ["greedy"], forbidden: ["greedyDecode", "beamSearch"],
                 hints: ["Start from an empty prefix. Loop: scores = logProbabilities(prefix); take the index of the largest (the first one on ties); append it; stop after the end token or when the prefix holds maxLength tokens."]),
        Exercise("8.4", "One step of beam search", stars: 2, api: ["beamStep"], forbidden: ["bestExtensions", "beamSearch"],
                 hints: ["Make every candidate (b, v) with score beams[b].logProbability + next[b][v], skipping −∞. Sort by score, best first, ties by b then v (sort indices of the candidate list, which you built in that order). Keep the first `width`, each as (beams[b].tokens + [v], score)."]),
        Exercise("8.5", "Softmax with a temperature", stars: 1, api: ["temperatureSoftmax"], forbidden: ["applyTemperature", "samplingDistribution"],
                 hints: ["Divide every logit by T, subtract the largest (so exp cannot overflow), exponentiate, and divide by the sum. T = 1 is the plain softmax; T = 0.5 doubles every gap between logits."]),
        Exercise("8.6", "The top-k filter", stars: 2, api: ["keepTopK"], forbidden: ["topKFilter"],
                 hints: ["Sort the indices by score, highest first and ties by lower index. The first k indices keep their scores; every other entry becomes -Float.infinity. If k ≥ the vocabulary size nothing changes."]),
        Exercise("8.7", "The nucleus (top-p) filter", stars: 2, api: ["keepNucleus"], forbidden: ["nucleusFilter", "samplingDistribution"],
                 hints: ["Sort the indices by probability, highest first. Add tokens in that order until the running total is ≥ p (the token that crosses p is kept). Divide the kept probabilities by their total and set the others to 0. [0.5, 0.2, 0.15, 0.1, 0.05] with p = 0.9 keeps four."]),
        Exercise("8.8", "The repetition penalty", stars: 2, api: ["penalise"], forbidden: ["penaliseRepetition", "DecodingRules"],
                 hints: ["For each distinct token in `previous`, multiply its log-probability by θ (log p ≤ 0, so it drops). Then renormalise: subtract log Σ exp of the new scores from each. p = [0.5, 0.3, 0.2], token 0 seen, θ = 2 gives [0.333, 0.4, 0.267]."]),
    ]
}
