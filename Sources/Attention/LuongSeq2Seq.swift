import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// The encoder-decoder with Luong attention (Luong, Pham and Manning 2015): global attention
/// with the general score, the attentional hidden state h̃ₜ, and input feeding.
///
///     hⱼ  = [→hⱼ ; ←hⱼ]                            bidirectional GRU encoder, D = 2H
///     s₀  = tanh(W_b c + b_b),   h̃₀ = 0             the bridge, as in Bahdanau's model
///     sₜ  = GRU([embed(yₜ₋₁) ; h̃ₜ₋₁], sₜ₋₁)         input feeding: last step's h̃ goes in
///     αₜ  = softmax_j(sₜᵀ W_a hⱼ)                   the general score, with the *current* state
///     cₜ  = Σⱼ αₜⱼ hⱼ
///     h̃ₜ  = tanh(W_c [cₜ ; sₜ])                     the attentional hidden state
///     P(yₜ | y<ₜ, x) = softmax(W h̃ₜ + b)
///
/// The differences from ``AttentionSeq2Seq`` (Bahdanau) are where attention sits and what it
/// scores with: Bahdanau attends with sₜ₋₁ *before* the GRU step and feeds cₜ into it; Luong
/// takes the GRU step first, attends with sₜ, and combines cₜ with sₜ into h̃ₜ for the output.
/// Without input feeding the decoder would not know where it attended last step; feeding h̃ₜ₋₁
/// back tells it.
public struct LuongSeq2Seq {
    public let encoder: GRUEncoder
    /// Linear(2H → H): from the encoder's context to s₀.
    public let bridge: Linear
    /// The general score's W_a [H, 2H] and W_c [3H, H].
    public let attention: LuongAttention
    /// A GRU decoder whose extra input is h̃ₜ₋₁ (contextSize H); its output layer reads h̃ₜ.
    public let decoder: GRUDecoder

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                rng: inout SeededRandom) {
        require(hiddenSize > 0, "LuongSeq2Seq: hiddenSize must be positive, got \(hiddenSize)")
        encoder = GRUEncoder(vocabularySize: sourceVocabularySize, embeddingSize: embeddingSize,
                             hiddenSize: hiddenSize, bidirectional: true, rng: &rng)
        bridge = Linear(2 * hiddenSize, hiddenSize, rng: &rng)
        attention = LuongAttention(.general, encoderSize: 2 * hiddenSize, decoderSize: hiddenSize, rng: &rng)
        decoder = GRUDecoder(vocabularySize: targetVocabularySize, embeddingSize: embeddingSize,
                             hiddenSize: hiddenSize, contextSize: hiddenSize, rng: &rng)
    }

    /// What the decoder reads at every step: the stacked states [B, T, 2H], the padding mask and
    /// the first decoder state (s₀, h̃₀ = 0).
    public func encode(_ ids: [[Int]], lengths: [Int]? = nil) -> (states: Variable, mask: Tensor, initialState: LuongState) {
        let encoded = encoder(ids, lengths: lengths)
        let s0 = bridge(encoded.context).tanh()
        return (stackedStates(encoded.states), encoded.mask,
                LuongState(state: s0, attentional: .constant(Tensor.zeros(s0.shape))))
    }

    /// One decoder step: the GRU reads [embed(yₜ₋₁) ; h̃ₜ₋₁], then attention with the new sₜ.
    /// Returns the logits [B, V], the new (sₜ, h̃ₜ) and the weights αₜ [B, T].
    public func step(previous: [Int], state: LuongState, states: Variable, mask: Tensor)
        -> (logits: Variable, state: LuongState, weights: Variable) {
        let (_, s) = decoder.step(previous: previous, state: state.state, extra: state.attentional)
        let (hTilde, alpha) = attention(state: s, states: states, mask: mask)
        return (decoder.output(hTilde), LuongState(state: s, attentional: hTilde), alpha)
    }

    /// The teacher-forced loss: the mean of −log P(yₜ | y<ₜ, x) over every real target token.
    public func teacherForcedLoss(sources: [[Int]], targets: [[Int]]) -> Variable {
        require(sources.count == targets.count && !sources.isEmpty && targets.allSatisfy { !$0.isEmpty },
                "LuongSeq2Seq.teacherForcedLoss: give one non-empty target (ending in <eos>) per source, got \(sources.count) sources and \(targets.count) targets")
        let (sourceIDs, lengths) = padBatch(sources)
        let (targetIDs, _) = padBatch(targets)
        let (states, mask, initial) = encode(sourceIDs, lengths: lengths)
        var state = initial
        var previous = Array(repeating: Vocabulary.startID, count: targets.count)
        var allLogits: [Variable] = [], allTargets: [Int] = []
        for t in 0..<targetIDs[0].count {
            let out = step(previous: previous, state: state, states: states, mask: mask)
            state = out.state
            previous = targetIDs.map { $0[t] }
            allLogits.append(out.logits)
            allTargets += previous
        }
        return crossEntropy(logits: Variable.concatenate(allLogits, axis: 0), targets: allTargets, ignoreIndex: Vocabulary.padID)
    }

    public var parameters: [Variable] {
        encoder.parameters + bridge.parameters + attention.parameters + decoder.parameters
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// PyTorch-style names: `encoder.…`, `bridge.…`, `attention.W_a`, `attention.W_c`, `decoder.…`.
    public var namedParameters: [String: Variable] {
        namespaced(["encoder": encoder.namedParameters, "bridge": bridge.namedParameters,
                    "attention": attention.namedParameters, "decoder": decoder.namedParameters])
    }
}

/// The decoder state of ``LuongSeq2Seq``: the GRU's state sₜ and the attentional state h̃ₜ,
/// both [B, H].
public struct LuongState {
    public let state: Variable
    public let attentional: Variable
}

/// Greedy decoding with Luong attention, recording αₜ at every step (rows of the alignment).
public func greedyDecode(_ model: LuongSeq2Seq, source: [Int], maxLength: Int) -> AttentionDecoding {
    require(!source.isEmpty, "greedyDecode: the source is empty")
    let (states, mask, initial) = model.encode([source])
    return greedyAttentionDecoding(from: initial, maxLength: maxLength) {
        model.step(previous: [$0], state: $1, states: states, mask: mask)
    }
}

/// Trains the Luong model with chapter 5's `trainOnBatches`.
@discardableResult
public func trainLuongSeq2Seq(_ model: LuongSeq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                              learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                              log: (String) -> Void = { print($0) }) -> [Float] {
    trainOnBatches(parameters: model.parameters, examples: data.count, steps: steps, batchSize: batchSize,
                   learningRate: learningRate, rng: &rng, logEvery: logEvery, log: log) { rows, _, _ in
        model.teacherForcedLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
    }
}
