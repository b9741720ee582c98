import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// The encoder-decoder with additive attention (Bahdanau et al. 2015): the book's reference
/// translation model.
///
///     hⱼ   = [→hⱼ ; ←hⱼ]                               bidirectional GRU encoder, D = 2H
///     s₀   = tanh(W_b c + b_b)                          the bridge, as in chapter 5
///     αₜ   = softmax_j(vᵀ tanh(U_a hⱼ + W_a sₜ₋₁))      additive attention on the previous state
///     cₜ   = Σⱼ αₜⱼ hⱼ
///     sₜ   = GRU([embed(yₜ₋₁) ; cₜ], sₜ₋₁)
///     P(yₜ | y<ₜ, x) = softmax(W sₜ + b)
///
/// With E = 32, H = 64 and vocabularies 20 and 20 it has exactly 104,212 parameters, the
/// breakdown of chapter 5's `ReferenceModelSize`.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let model = AttentionSeq2Seq(sourceVocabularySize: 20, targetVocabularySize: 20, embeddingSize: 32, hiddenSize: 64, rng: &rng)
/// model.parameterCount                                  // 104_212
/// let decoded = greedyDecode(model, source: [5, 6, 7], maxLength: 10)
/// decoded.alignment                                     // one row of α per output token
/// ```
public struct AttentionSeq2Seq {
    public let encoder: GRUEncoder
    /// Linear(2H → H): from the encoder's context to s₀.
    public let bridge: Linear
    public let attention: AdditiveAttention
    /// A GRU decoder whose extra input at every step is cₜ (contextSize 2H).
    public let decoder: GRUDecoder

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                rng: inout SeededRandom) {
        require(hiddenSize > 0, "AttentionSeq2Seq: hiddenSize must be positive, got \(hiddenSize)")
        encoder = GRUEncoder(vocabularySize: sourceVocabularySize, embeddingSize: embeddingSize,
                             hiddenSize: hiddenSize, bidirectional: true, rng: &rng)
        bridge = Linear(2 * hiddenSize, hiddenSize, rng: &rng)
        attention = AdditiveAttention(encoderSize: 2 * hiddenSize, decoderSize: hiddenSize,
                                      attentionSize: hiddenSize, rng: &rng)
        decoder = GRUDecoder(vocabularySize: targetVocabularySize, embeddingSize: embeddingSize,
                             hiddenSize: hiddenSize, contextSize: 2 * hiddenSize, rng: &rng)
    }

    /// What the decoder reads at every step: the stacked states [B, T, 2H], the mask and s₀.
    public func encode(_ ids: [[Int]], lengths: [Int]? = nil) -> (states: Variable, mask: Tensor, initialState: Variable) {
        let encoded = encoder(ids, lengths: lengths)
        return (stackedStates(encoded.states), encoded.mask, bridge(encoded.context).tanh())
    }

    /// One decoder step: attend with sₜ₋₁, feed [embed(yₜ₋₁) ; cₜ] to the GRU.
    /// Returns the logits [B, V], the new state sₜ and the weights αₜ [B, T].
    public func step(previous: [Int], state: Variable, states: Variable, mask: Tensor)
        -> (logits: Variable, state: Variable, weights: Variable) {
        let (c, alpha) = attention(query: state, states: states, mask: mask)
        let (logits, next) = decoder.step(previous: previous, state: state, extra: c)
        return (logits, next, alpha)
    }

    /// The teacher-forced loss: the mean of −log P(yₜ | y<ₜ, x) over every real target token.
    /// `targets` end in `<eos>`; `<pad>` is ignored.
    public func teacherForcedLoss(sources: [[Int]], targets: [[Int]]) -> Variable {
        require(sources.count == targets.count && !sources.isEmpty,
                     "AttentionSeq2Seq.teacherForcedLoss: \(sources.count) sources and \(targets.count) targets; give one target per source, at least one")
        require(targets.allSatisfy { !$0.isEmpty }, "AttentionSeq2Seq.teacherForcedLoss: a target is empty; every target should end in <eos>")
        let vocabulary = decoder.vocabularySize
        if let bad = targets.joined().first(where: { $0 < 0 || $0 >= vocabulary }) {
            fatalError("AttentionSeq2Seq.teacherForcedLoss: target token \(bad) is not in the target vocabulary 0..<\(vocabulary)")
        }
        let (sourceIDs, sourceLengths) = padBatch(sources)
        let (targetIDs, _) = padBatch(targets)
        let (states, mask, s0) = encode(sourceIDs, lengths: sourceLengths)
        var state = s0
        var previous = Array(repeating: Vocabulary.startID, count: targets.count)
        var allLogits: [Variable] = [], allTargets: [Int] = []
        for t in 0..<targetIDs[0].count {
            let out = step(previous: previous, state: state, states: states, mask: mask)
            state = out.state
            previous = targetIDs.map { $0[t] }
            allLogits.append(out.logits)
            allTargets += previous
        }
        return crossEntropy(logits: Variable.concatenate(allLogits, axis: 0), targets: allTargets,
                            ignoreIndex: Vocabulary.padID)
    }

    public var parameters: [Variable] {
        encoder.parameters + bridge.parameters + attention.parameters + decoder.parameters
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// PyTorch-style names: `encoder.…`, `bridge.…`, `attention.encoder_weight` …, `decoder.…`.
    public var namedParameters: [String: Variable] {
        namespaced(["encoder": encoder.namedParameters, "bridge": bridge.namedParameters,
                    "attention": attention.namedParameters, "decoder": decoder.namedParameters])
    }
}

/// A greedy decoding and its alignment matrix: `alignment[t][j]` = αₜⱼ, the weight output
/// token t gave source position j.
public struct AttentionDecoding: Sendable, Equatable {
    public let tokens: [Int]
    public let alignment: [[Float]]
}

/// Greedy decoding with attention: yₜ = argmax P(y | y<ₜ, x) from <sos> until <eos> or
/// `maxLength` tokens, recording αₜ at every step.
public func greedyDecode(_ model: AttentionSeq2Seq, source: [Int], maxLength: Int) -> AttentionDecoding {
    require(!source.isEmpty, "greedyDecode: the source is empty")
    let (states, mask, s0) = model.encode([source])
    return greedyAttentionDecoding(from: s0, maxLength: maxLength) {
        model.step(previous: [$0], state: $1, states: states, mask: mask)
    }
}

/// The greedy loop of every attention model, given its `step(previous token, state) →
/// (logits [1, V], new state, weights [1, T])` from `initial`.
func greedyAttentionDecoding<State>(from initial: State, maxLength: Int,
                                    step: (Int, State) -> (logits: Variable, state: State, weights: Variable)) -> AttentionDecoding {
    require(maxLength > 0, "greedyDecode: maxLength must be positive, got \(maxLength)")
    var state = initial
    var previous = Vocabulary.startID
    var tokens: [Int] = [], alignment: [[Float]] = []
    for _ in 0..<maxLength {
        let out = step(previous, state)
        state = out.state
        let y = out.logits.value.argmax()[0]
        tokens.append(y)
        alignment.append(out.weights.value.scalars)
        if y == Vocabulary.endID { break }
        previous = y
    }
    return AttentionDecoding(tokens: tokens, alignment: alignment)
}
