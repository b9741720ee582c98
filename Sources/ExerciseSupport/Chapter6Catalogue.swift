extension Catalogue {
    /// Chapter 6: attention, Bahdanau and Luong.
    static let chapter6: [Exercise] = [
        Exercise("6.1", "Dot-product scores", stars: 1, api: ["dotProductScores"], forbidden: ["dotScores"],
                 hints: ["eⱼ = hₜᵀ hⱼ = Σₖ hₜ[k] · hⱼ[k], one number per encoder state. With hₜ = [0.5, 0.8, 0.3] and h₃ = [0.2, 0.2, 0.6]: 0.1 + 0.16 + 0.18 = 0.44."]),
        Exercise("6.2", "Attention weights with a mask", stars: 2, api: ["maskedAttentionWeights"],
                 hints: ["mask[j] true means blocked (the book's convention). Softmax over the positions whose mask is false only: subtract the largest visible score, exponentiate, divide by the sum over visible positions. Blocked positions get exactly 0. Throw AttentionExerciseError.nothingToAttendTo if every position is blocked."]),
        Exercise("6.3", "The context vector", stars: 1, api: ["contextVectorOf"], forbidden: ["contextVector"],
                 hints: ["c = Σⱼ αⱼ hⱼ: start from zeros of the state size and add αⱼ times each state. α = [0.304, 0.410, 0.286] over the worked example's states gives [0.361, 0.467, 0.172]."]),
        Exercise("6.4", "Bahdanau's additive scores", stars: 2, api: ["bahdanauScores"], forbidden: ["AdditiveAttention"],
                 hints: ["For each row hⱼ of the states [T, D]: u = hⱼ·W₁ + s·W₂ (both [A]), then eⱼ = Σₐ v[a] · tanh(u[a]). Use the previous decoder state s, and no bias. Tensor's matmul works on [1, D] × [D, A]."]),
        Exercise("6.5", "Luong's general score", stars: 2, api: ["luongGeneralScores"], forbidden: ["generalScores"],
                 hints: ["eⱼ = hₜᵀ W_a hⱼ = Σₖ Σₗ hₜ[k] · W_a[k][l] · hⱼ[l]. Compute q = W_aᵀ hₜ once (q[l] = Σₖ hₜ[k] W_a[k][l]), then take q · hⱼ for each j. With W_a the identity it is the dot score."]),
        Exercise("6.6", "The coverage loss of a decoding", stars: 2, api: ["totalCoverageLoss"], forbidden: ["coverageLoss"],
                 hints: ["Keep coverage = zeros; at each step t add Σⱼ min(αₜⱼ, coverageⱼ) to the total, *then* add αₜ to coverage (coverage counts only earlier steps). Steps [0.7, 0.2, 0.1], [0.5, 0.3, 0.2] give 0 + 0.8."]),
        Exercise("6.7", "The pointer-generator mixture", stars: 2, api: ["pointerGeneratorMixture"], forbidden: ["pointerGeneratorDistribution"],
                 hints: ["P(w) = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{j: xⱼ = w} αⱼ. Start from zeros of the extended size, put p_gen · P_vocab(w) in the first slots, then add (1 − p_gen) · αⱼ at sourceIDs[j] for every j: a word that appears twice collects both weights."]),
    ]
}
