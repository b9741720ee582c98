extension Catalogue {
    /// Chapter 6: attention, Bahdanau and Luong.
    static let chapter6: [Exercise] = [
        Exercise("6.1", "Dot-product scores", stars: 1, api: ["dotProductScores"], forbidden: ["dotScores", "generalScores"],
                 hints: [
                    "Section 6.3's first score: how well each encoder state matches the decoder state, measured by a dot product.",
                    "eⱼ = hₜᵀ hⱼ = Σₖ hₜ[k] · hⱼ[k]: one number per encoder state, every coordinate included, no normalisation.",
                    "encoderStates.map { h in zip(decoderState, h).reduce(0) { $0 + $1.0 * $1.1 } }. The worked example's h₃ gives 0.1 + 0.16 + 0.18 = 0.44.",
                 ]),
        Exercise("6.2", "Attention weights with a mask", stars: 2, api: ["maskedAttentionWeights", "AttentionExerciseError"],
                 forbidden: ["attentionWeights", "maskedFill"],
                 hints: [
                    "Section 6.1: a softmax over the source positions, where blocked positions (mask true, the book's convention) take no part at all.",
                    "Take the largest score among the visible positions and subtract it before exp, so 1000 does not overflow. Blocked positions get exactly 0 and are left out of the sum.",
                    "If no position is visible, throw AttentionExerciseError.nothingToAttendTo. Otherwise αⱼ = exp(eⱼ − m) / Σ_{k visible} exp(eₖ − m) for visible j, and 0 for blocked j.",
                 ]),
        Exercise("6.3", "The context vector", stars: 1, api: ["contextVectorOf"], forbidden: ["contextVector"],
                 hints: [
                    "Section 6.1: the context is a weighted average of the encoder states, with the attention weights as the weights.",
                    "c has the size of one encoder state. Start from zeros and add αⱼ times hⱼ, coordinate by coordinate, for every j.",
                    "for (α, h) in zip(weights, encoderStates) { for k in c.indices { c[k] += α * h[k] } }. α = [0.304, 0.410, 0.286] over the worked example gives [0.361, 0.467, 0.172].",
                 ]),
        Exercise("6.4", "Bahdanau's additive scores", stars: 2, api: ["bahdanauScores"], forbidden: ["AdditiveAttention", "alignmentScores"],
                 hints: [
                    "Section 6.2: the score is a small network, one tanh layer read out by v, fed the encoder state and the previous decoder state.",
                    "With the book's layout, a row vector times a matrix: W₁ hⱼ is row j of encoderStates.matmul(w1) ([T, A]) and W₂ s is previousState as [1, H] times w2 ([1, A]). Add them (broadcasting), then tanh.",
                    "tanh(encoderStates.matmul(w1) + s.reshaped([1, H]).matmul(w2)) is [T, A]; multiply by v as an [A, 1] column and read the T scores. No bias anywhere.",
                 ]),
        Exercise("6.5", "Luong's general score", stars: 2, api: ["luongGeneralScores"],
                 forbidden: ["generalScores", "dotScores", "LuongAttention"],
                 hints: [
                    "Section 6.3's second score: the dot score with a matrix W_a [H, D] in the middle, so the decoder and encoder sizes may differ.",
                    "eⱼ = hₜᵀ W_a hⱼ = Σₖ Σₗ hₜ[k] · W_a[k][l] · hⱼ[l]: k runs over the decoder state (rows of W_a), l over the encoder state (columns).",
                    "Compute q = hₜᵀ W_a once, q[l] = Σₖ hₜ[k] · W_a[k][l] (length D), then eⱼ = q · hⱼ. With W_a the identity it is the dot score.",
                 ]),
        Exercise("6.6", "The coverage loss of a decoding", stars: 2, api: ["totalCoverageLoss"], forbidden: ["coverageLoss", "coverageVector"],
                 hints: [
                    "Section 6.7: coverage is where the decoder has already looked, and the loss charges each step for looking there again.",
                    "The coverage before step t is the sum of the attention of steps 0 … t − 1 only; step 0 meets zero coverage and costs nothing.",
                    "Keep coverage = zeros; at each step add Σⱼ min(αₜⱼ, coverageⱼ) to the total, and only then add αₜ to the coverage. [0.7, 0.2, 0.1] then [0.5, 0.3, 0.2] cost 0 + 0.8.",
                 ]),
        Exercise("6.7", "The pointer-generator mixture", stars: 2, api: ["pointerGeneratorMixture"], forbidden: ["pointerGeneratorDistribution"],
                 hints: [
                    "Section 6.7: the final distribution mixes generating from the vocabulary (weight p_gen) with copying a source word chosen by attention (weight 1 − p_gen).",
                    "The result covers the extended vocabulary: the first V ids are the vocabulary, later ids are source words outside it. A word that appears twice in the source collects both attention weights.",
                    "p = zeros(extendedVocabularySize); p[w] = p_gen · P_vocab(w) for w < V; then for every source position j: p[sourceIDs[j]] += (1 − p_gen) · αⱼ (+=, not =).",
                 ]),
        Exercise("6.8", "An attention decoder step on tensors", stars: 3, api: ["attentionDecoderStep"],
                 forbidden: ["AdditiveAttention", "alignmentScores", "attentionWeights", "contextVector", "AttentionSeq2Seq", "GRUDecoder", "dotScores", "generalScores", "LuongAttention"],
                 file: "DecoderStep.swift",
                 hints: [
                    "Section 6.4's equations, one line each: additive scores with the previous state, masked softmax, context, then the GRU fed [embed(yₜ₋₁) ; cₜ], then the output layer.",
                    "Shapes: keys = encoderStates.matmul(w1) is [B, T, A]; the query state.matmul(w2) is [B, A], reshaped to [B, 1, A] so it broadcasts; tanh, then matmul by v as [A, 1] and reshape to [B, T]. Block the padding with scores.maskedFill(mask, with: -1e9) (mask 1 = blocked), then softmax.",
                    "Context: weights.reshaped([B, 1, T]).matmul(encoderStates).reshaped([B, D]). Input: Variable.concatenate([embedding(previous), context], axis: 1) in that order; newState = cell(input, state); logits = output(newState). Return (logits, newState, weights).",
                 ]),
        Exercise("6.9", "Train attention to copy long strings", stars: 3, api: ["attentionCopyLoss", "trainAttentionCopier"],
                 forbidden: ["trainAttentionSeq2Seq", "trainOnBatches", "trainSeq2Seq", "trainLuongSeq2Seq", "trainCoverageSeq2Seq", "trainPointerGenerator", "trainingLoop", "teacherForcedLoss", "scheduledSamplingLoss"],
                 file: "TrainCopier.swift",
                 hints: [
                    "Section 6.4's training: teacher forcing on padded batches, the loss averaged over the real target tokens only, then chapter 5's loop.",
                    "Loss: padBatch the sources and the targets; (states, mask, s) = model.encode(sourceIDs, lengths:); for each target position t: out = model.step(previous:state:states:mask:), keep out.logits, feed the gold tokens of column t next (starting from <sos>). crossEntropy(… , ignoreIndex: Vocabulary.padID) skips the padding.",
                    "Loop: Adam(model.parameters, learningRate: 0.03) once; then 80 steps of 32 random pairs: loss, zeroGradients, backward, clipGradientNorm(…, maxNorm: 1), step. Return each step's loss.",
                 ]),
    ]
}
