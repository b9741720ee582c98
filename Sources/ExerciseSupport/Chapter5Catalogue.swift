extension Catalogue {
    /// Chapter 5: recurrent networks and sequence-to-sequence.
    static let chapter5: [Exercise] = [
        Exercise("5.1", "One GRU step, gate by gate", stars: 2, api: ["gruStep"],
                 hints: ["Compute gi = x·W_ih + b_ih and gh = h·W_hh + b_hh (shape [B, 3H]), slice columns 0..<H, H..<2H, 2H..<3H for r, z, n. Mind the candidate: n = tanh(gi_n + r ∗ gh_n), with b_hn inside the product. Then h' = (1 − z) ∗ n + z ∗ h."]),
        Exercise("5.2", "Counting a GRU's and an LSTM's parameters", stars: 1, api: ["recurrentParameterCounts"], forbidden: ["gruParameterCount", "lstmParameterCount"],
                 hints: ["Each gate has an input matrix E×H, a recurrent matrix H×H and two bias vectors of size H (b_ih and b_hh, as in PyTorch). A GRU has 3 gates, an LSTM 4. GRU(32, 64) has 18,816."]),
        Exercise("5.3", "The teacher-forced loss of one pair", stars: 2, api: ["teacherForcedLoss"],
                 hints: ["Encode [source], s = model.initialState(encoded), previous = Vocabulary.startID. For each target token y: (logits, s) = model.decoder.step(previous: [previous], state: s); collect logits; previous = y (the gold token, not the prediction). Concatenate the logits on axis 0 and call crossEntropy(logits:targets:)."]),
        Exercise("5.4", "The greedy decoding loop", stars: 2, api: ["greedyTranslate"], forbidden: ["greedyDecode"],
                 hints: ["Start from <sos> and the initial state; at each step take logits.value.argmax()[0], append it, stop after appending <eos> or when maxLength tokens are out, and feed the token back as the next previous token."]),
        Exercise("5.5", "Bidirectional states", stars: 2, api: ["bidirectionalStates"], forbidden: ["GRUEncoder", "runRecurrence"],
                 hints: ["Run forward over positions 0 ..< T and backward over T−1 down to 0, both from zeros [B, H]. Store each direction's state at its position, then concatenate [→hⱼ ; ←hⱼ] along axis 1 with Tensor.concatenate."]),
        Exercise("5.6", "The inverse-sigmoid schedule", stars: 1, api: ["inverseSigmoidSchedule"], forbidden: ["SamplingSchedule"],
                 hints: ["εᵢ = k / (k + exp(i / k)). With k = 100, ε₀ = 100/101 ≈ 0.990 and ε₅₀₀ ≈ 0.4026. Reject k < 1 by throwing ScheduleError.invalidK."]),
    ]
}
