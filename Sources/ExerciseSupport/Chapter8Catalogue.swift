extension Catalogue {
    /// Chapter 8: decoding, greedy, beam and sampling.
    static let chapter8: [Exercise] = [
        Exercise("8.1", "Scoring a sequence in log space", stars: 1, api: ["logSpaceScore"],
                 forbidden: ["sequenceLogProbability"],
                 hints: [
                    "Section 8.2: a product of many numbers below 1 underflows Float; a sum of their logs does not.",
                    "log(p₁ · p₂ · … · p_T) = log p₁ + log p₂ + … + log p_T. Never form the product, not even at the end.",
                    "Start a running total at 0 and add Foundation.log(p) for every p. 25 tokens of 0.01 give 25 · log 0.01 = −115.13.",
                 ]),
        Exercise("8.2", "Length normalisation", stars: 1, api: ["normalisedScore"],
                 forbidden: ["lengthNormalisedScore", "penaltyDivisor"],
                 hints: [
                    "Section 8.4: raw log P prefers short outputs; dividing by a power of the length removes part of that bias.",
                    "The divisor is L^α, with L the number of tokens (the end token not counted). α = 0 must leave log P unchanged, since L⁰ = 1; L = 0 must too (0^α is 0).",
                    "Return logProbability / pow(Float(length), alpha), except when α = 0 or L = 0. Worked example: −1.6 / 2^0.7 = −0.985.",
                 ]),
        Exercise("8.3", "Greedy decoding", stars: 2, api: ["greedy"],
                 forbidden: ["greedyDecode", "beamSearch", "bestExtensions", "diverseBeamSearch"],
                 hints: [
                    "Section 8.1: greedy decoding takes the single most likely next token at every step.",
                    "Keep a prefix, starting empty. Each step: scores = logProbabilities(prefix), append the index of the largest score. Stop after appending the end token (keep it), or when the prefix holds maxLength tokens.",
                    "For the argmax, start at index 0 and move only on a strictly larger score (>), so ties go to the lowest id. Loop `while tokens.count < maxLength`, and `break` right after appending endToken.",
                 ]),
        Exercise("8.4", "One step of beam search", stars: 2, api: ["beamStep"],
                 forbidden: ["bestExtensions", "beamSearch", "diverseBeamSearch"],
                 hints: [
                    "Section 8.3: a beam step scores every extension of every hypothesis by the log-probability of the whole extended sequence.",
                    "A candidate (b, v) scores beams[b].logProbability + next[b][v]: the prefix's score plus the new token's. Skip candidates scored −∞; they have probability 0.",
                    "Build the candidates in (b, v) order, sort their indices by score, best first, breaking ties by the index (which is b, then v). Keep the first `width`, each as (beams[b].tokens + [v], score).",
                 ]),
        Exercise("8.5", "Softmax with a temperature", stars: 1, api: ["temperatureSoftmax"],
                 forbidden: ["applyTemperature", "samplingDistribution"],
                 hints: [
                    "Section 8.5: divide every logit by T, then take the softmax; T < 1 sharpens, T > 1 flattens.",
                    "exp of a large logit overflows to ∞, and ∞/∞ is NaN. Subtracting the largest logit first changes nothing mathematically and keeps every exponent ≤ 0.",
                    "Subtract the largest logit m before dividing: (zᵥ − m) / T stays finite even when zᵥ / T would overflow (T = 1e-37). Then exponentiate and divide by the sum. −∞ logits give probability 0.",
                 ]),
        Exercise("8.6", "The top-k filter", stars: 2, api: ["keepTopK"],
                 forbidden: ["topKFilter", "samplingDistribution"],
                 hints: [
                    "Section 8.5: top-k keeps the k most likely tokens and rules out all the others.",
                    "Ruled out means a score of −∞ (probability 0 after the softmax), not 0, which is a high score. Each kept score stays at its token's position.",
                    "Sort the indices by score, highest first, ties by the lower index; keep the first k in a set; map every index to its score if kept, else -Float.infinity. k ≥ the vocabulary size keeps everything.",
                 ]),
        Exercise("8.7", "The nucleus (top-p) filter", stars: 2, api: ["keepNucleus"],
                 forbidden: ["nucleusFilter", "samplingDistribution"],
                 hints: [
                    "Section 8.5 and its table: the nucleus is the smallest set of most likely tokens whose probabilities add up to at least p.",
                    "Walk the tokens from the most likely down, adding to a running total, and stop as soon as the total reaches p: the token that crosses p is kept. Then renormalise the kept ones to sum to 1.",
                    "Sort the indices by probability, highest first, ties by the lower index. Append while the total is < p (so a total equal to p stops). p′ = p / total on the kept tokens, 0 elsewhere. [0.5, 0.2, 0.15, 0.1, 0.05] with p = 0.9 keeps four.",
                 ]),
        Exercise("8.8", "The repetition penalty", stars: 2, api: ["penalise"],
                 forbidden: ["penaliseRepetition", "DecodingRules"],
                 hints: [
                    "Section 8.6: a token already generated gets a lower score, so the model is less likely to repeat it.",
                    "Multiply the log-probability of each token of `previous` by θ, once per distinct token. Since log p ≤ 0, that lowers it (it is p^θ). Then renormalise so the probabilities sum to 1 again.",
                    "For v in Set(previous): s[v] *= θ. Then subtract log Σᵤ exp(sᵤ) (computed with the largest subtracted first) from every entry. p = [0.5, 0.3, 0.2], token 0 seen, θ = 2 gives [0.333, 0.4, 0.267].",
                 ]),
            Exercise("8.9", "A complete beam search", stars: 3, api: ["beamDecode"],
                 forbidden: ["beamSearch", "bestExtensions", "diverseBeamSearch", "lengthNormalisedScore", "penaltyDivisor"],
                 file: "BeamSearch.swift",
                 hints: [
                    "Section 8.3, \"End of sequence\": beam search keeps k open hypotheses, sets finished ones aside, and at the maximum length lets the open ones compete with the finished ones.",
                    "Keep an array of open (tokens, log P, state) and an array of finished DecodedSequence. Each step: score every (b, v), take the 2k best (ties by b, then v); an end token ranked below k finishes, other tokens refill the open beam up to k. Stop when k have finished before maxLength, or none is open.",
                    "After the loop, if it ran all maxLength steps, append the open ones as DecodedSequence(…, isFinished: false). Rank everything by log P / L^α with L = sequence.length (the end token not counted; α = 0 or L = 0: log P), stably, and return the first k.",
                 ]),
        Exercise("8.10", "Seeded nucleus sampling", stars: 3, api: ["nucleusSample"],
                 forbidden: ["ancestralSample", "sampleToken", "samplingDistribution", "nucleusFilter", "applyTemperature", "topKFilter", "categorical"],
                 file: "NucleusSampling.swift",
                 hints: [
                    "Section 8.5: sampling draws each token from the model's distribution, after the temperature has reshaped it and the nucleus filter has cut its tail.",
                    "Per token: q = softmax(z / T); sort the tokens by q (ties: lower id), keep them until the total reaches p, divide the kept ones by their total. One rng.uniform() per token, no more: the checks compare your draws with the book's for the same seed.",
                    "The draw: target = u · (Σ q′ in Double); add q′ token by token in id order (in Double) and take the first token where target < running sum. log P adds z[token], the model's own log-probability.",
                 ]),
    ]
}
