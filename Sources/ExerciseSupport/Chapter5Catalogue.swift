extension Catalogue {
    /// Chapter 5: recurrent networks and sequence-to-sequence.
    static let chapter5: [Exercise] = [
        Exercise("5.1", "One GRU step, gate by gate", stars: 2, api: ["gruStep"],
                 forbidden: ["GRUCell", "GRUEncoder", "GRUDecoder", "runRecurrence"],
                 hints: [
                    "Section 5.2: PyTorch's four GRU equations, with the three gates' weights side by side in W_ih [E, 3H] and W_hh [H, 3H] (columns r, z, n).",
                    "Compute gi = x·W_ih + b_ih and gh = h·W_hh + b_hh once (both [B, 3H]), then slice columns 0..<H for r, H..<2H for z and 2H..<3H for n with slice(axis: 1, …).",
                    "r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r ∗ gh_n) (b_hn is inside gh_n, so inside the product), h' = (1 − z) ∗ n + z ∗ h.",
                 ]),
        Exercise("5.2", "Counting a GRU's and an LSTM's parameters", stars: 1, api: ["recurrentParameterCounts"],
                 forbidden: ["gruParameterCount", "lstmParameterCount"],
                 hints: [
                    "Sections 5.2 and 5.3: count the numbers of one gate, then multiply by the number of gates (GRU 3, LSTM 4).",
                    "One gate has an input matrix E×H, a recurrent matrix H×H and two bias vectors of size H: PyTorch keeps b_ih and b_hh separately.",
                    "perGate = H·E + H·H + 2H; GRU = 3·perGate, LSTM = 4·perGate. GRU(32, 64) has 18,816.",
                 ]),
        Exercise("5.3", "The teacher-forced loss of one pair", stars: 2, api: ["teacherForcedPairLoss"],
                 forbidden: ["teacherForcedLoss", "scheduledSamplingLoss"],
                 hints: [
                    "Sections 5.6 and 5.7: teacher forcing feeds the decoder the gold previous token, starting from <sos>, and the loss is the mean −log P over the target tokens.",
                    "Encode [source], s = model.initialState(encoded), previous = Vocabulary.startID. For each target token y: (logits, s) = model.decoder.step(previous: [previous], state: s); keep the logits; then previous = y, the gold token, not the prediction.",
                    "Variable.concatenate(allLogits, axis: 0) gives [T, V]; crossEntropy(logits:targets: target) averages −log P over the T rows. Stay with Variables throughout, so backward() reaches the weights.",
                 ]),
        Exercise("5.4", "The greedy decoding loop", stars: 2, api: ["greedyTranslate"], forbidden: ["greedyDecode"],
                 hints: [
                    "Section 5.8: at test time the decoder is fed its own most likely previous token, from <sos>, until it writes <eos>.",
                    "Start from model.initialState(model.encoder([source])) and previous = Vocabulary.startID; each step take y = logits.value.argmax()[0], append it, then feed it back as previous.",
                    "Append y before checking it: the returned tokens include the <eos> that stops the loop. Stop when y == Vocabulary.endID or when maxLength tokens are out.",
                 ]),
        Exercise("5.5", "Bidirectional states", stars: 2, api: ["bidirectionalStates"], forbidden: ["GRUEncoder", "runRecurrence"],
                 hints: [
                    "Section 5.5: two GRUs read the same inputs, one left to right and one right to left, and each position gets both states side by side.",
                    "Run forward over t = 0 ..< T and backward over t = T − 1 down to 0, each from zeros [B, H]. Store the backward state at the position t it has just read, not at its step number.",
                    "hⱼ = Tensor.concatenate([forwardStates[j], backwardStates[j]], axis: 1): forward half first, [B, 2H].",
                 ]),
        Exercise("5.6", "The inverse-sigmoid schedule", stars: 1, api: ["inverseSigmoidSchedule", "ScheduleError"],
                 forbidden: ["SamplingSchedule"],
                 hints: [
                    "Section 5.7's table: scheduled sampling's third schedule, which starts near 1 and decays like a sigmoid turned round.",
                    "εᵢ = k / (k + exp(i / k)): the step is divided by k inside the exponential. With k = 100, ε₀ = 100/101 ≈ 0.990 and ε₅₀₀ ≈ 0.4026.",
                    "Check k first: for k < 1, throw ScheduleError.invalidK(k) before computing anything.",
                 ]),
        Exercise("5.7", "A GRU encoder over a padded batch", stars: 3, api: ["encodePaddedBatch"],
                 forbidden: ["GRUEncoder", "runRecurrence", "padBatch", "Seq2Seq", "AttentionSeq2Seq"],
                 file: "PaddedEncoder.swift",
                 hints: [
                    "Section 5.4, 'Batches of different lengths': pad every sequence to the longest with <pad>, run one GRU over the batch position by position, and let padding leave a row's state unchanged.",
                    "Time-major: xₜ = embedding(batch.map { $0[t] }) is [B, E]. The padding column pₜ [B, 1] is 1 for the rows that are padding at t; h ← (1 − pₜ) ∗ cell(xₜ, h) + pₜ ∗ h, from h = zeros [B, H] (a constant).",
                    "Keep h after every position as states[t]; the context is the h after the last position (padded rows carried their last real state there). The mask [B, T] has 1 where t ≥ the row's length. Use Variable arithmetic (1 − p is a constant), so gradients reach the cell and the embedding.",
                 ]),
        Exercise("5.8", "Train a seq2seq model to reverse strings", stars: 3, api: ["reverserStep", "trainReverser"],
                 forbidden: ["trainSeq2Seq", "trainOnBatches", "trainLSTMSeq2Seq", "trainAttentionSeq2Seq", "trainingLoop", "WorkedTrace"],
                 file: "TrainReverser.swift",
                 hints: [
                    "Section 5.6's training: many small steps, each a teacher-forced loss on a random batch, its gradients, and one optimizer update.",
                    "reverserStep: loss = model.teacherForcedLoss(sources:targets:); optimizer.zeroGradients(); loss.backward(); clipGradientNorm(model.parameters, maxNorm: 1); optimizer.step(); return loss.value.scalar. Zero before backward(): gradients add up otherwise.",
                    "trainReverser: make Adam(model.parameters, learningRate: 0.01) once, before the loop; then 140 times pick 32 rows with rng.integer(below: data.count) and call reverserStep on them, keeping each loss. Too few steps leave the model half-trained.",
                 ]),
    ]
}
