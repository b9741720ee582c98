import Datasets
import ScalarAutodiff
import Tensors

/// The RNN encoder-decoder (Sutskever et al. 2014; Cho et al. 2014).
///
/// The encoder reads the source into a context c = h_T; the decoder starts from it and writes
/// the target one token at a time:
///
///     s₀ = c                    (unidirectional encoder, same hidden size)
///     s₀ = tanh(W_b c + b_b)    (bidirectional encoder: the bridge maps 2H → H)
///     sₜ = GRU(embed(yₜ₋₁), sₜ₋₁),   P(yₜ | y<ₜ, c) = softmax(W sₜ + b),   y₀ = <sos>
///
/// ```swift
/// let model = Seq2Seq(sourceVocabularySize: 14, targetVocabularySize: 14, embeddingSize: 16, hiddenSize: 32, rng: &rng)
/// let loss = model.teacherForcedLoss(sources: [[5, 6, 7]], targets: [[7, 6, 5, Vocabulary.endID]])
/// let (tokens, _) = greedyDecode(model, source: [5, 6, 7], maxLength: 10)
/// ```
public struct Seq2Seq {
    public let encoder: GRUEncoder
    /// Linear(2H → H) from a bidirectional context to the decoder's first state, or nil.
    public let bridge: Linear?
    public let decoder: GRUDecoder

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                bidirectional: Bool = false, rng: inout SeededRandom) {
        encoder = GRUEncoder(vocabularySize: sourceVocabularySize, embeddingSize: embeddingSize,
                             hiddenSize: hiddenSize, bidirectional: bidirectional, rng: &rng)
        bridge = bidirectional ? Linear(2 * hiddenSize, hiddenSize, rng: &rng) : nil
        decoder = GRUDecoder(vocabularySize: targetVocabularySize, embeddingSize: embeddingSize,
                             hiddenSize: hiddenSize, rng: &rng)
    }

    /// s₀ from the encoder's context: c itself, or tanh(bridge(c)).
    public func initialState(_ encoded: EncoderOutput) -> Variable {
        guard let bridge else { return encoded.context }
        return bridge(encoded.context).tanh()
    }

    /// The mean cross-entropy −log P(yₜ | y<ₜ, c) over every real target token of the batch.
    ///
    /// `targets` end in `<eos>` and do not start with `<sos>`. With `teacherForcing` 1 the
    /// decoder's input at step t is the gold yₜ₋₁; with probability 1 − `teacherForcing` (drawn per
    /// token from `rng`) it is instead the model's own most likely previous token, as in scheduled
    /// sampling. Padding (`<pad>`) in `targets` is ignored.
    public func scheduledSamplingLoss(sources: [[Int]], targets: [[Int]], teacherForcing: Float,
                                      rng: inout SeededRandom) -> Variable {
        require(sources.count == targets.count && !sources.isEmpty,
                     "Seq2Seq.scheduledSamplingLoss: \(sources.count) sources and \(targets.count) targets; give one target per source, at least one")
        require((0...1).contains(teacherForcing),
                     "Seq2Seq.scheduledSamplingLoss: teacherForcing is a probability, got \(teacherForcing)")
        let vocabulary = decoder.vocabularySize
        if let bad = targets.joined().first(where: { $0 < 0 || $0 >= vocabulary }) {
            fatalError("Seq2Seq.scheduledSamplingLoss: target token \(bad) is not in the target vocabulary 0..<\(vocabulary)")
        }
        require(targets.allSatisfy { !$0.isEmpty }, "Seq2Seq.scheduledSamplingLoss: a target is empty; every target should end in <eos>")
        let (sourceIDs, sourceLengths) = padBatch(sources)
        let (targetIDs, _) = padBatch(targets)
        let encoded = encoder(sourceIDs, lengths: sourceLengths)
        var state = initialState(encoded)
        var previous = Array(repeating: Vocabulary.startID, count: targets.count)
        var allLogits: [Variable] = [], allTargets: [Int] = []
        for t in 0..<targetIDs[0].count {
            let (logits, next) = decoder.step(previous: previous, state: state)
            state = next
            let gold = targetIDs.map { $0[t] }
            allLogits.append(logits)
            allTargets += gold
            if teacherForcing >= 1 {
                previous = gold
            } else {
                let predicted = logits.value.argmax()
                previous = (0..<gold.count).map { rng.uniform() < Double(teacherForcing) ? gold[$0] : predicted[$0] }
            }
        }
        return crossEntropy(logits: Variable.concatenate(allLogits, axis: 0), targets: allTargets,
                            ignoreIndex: Vocabulary.padID)
    }

    /// The teacher-forced loss: the mean of −log P(yₜ | y<ₜ, c) over every real target token,
    /// the decoder fed the gold previous token at every step (no random numbers needed).
    public func teacherForcedLoss(sources: [[Int]], targets: [[Int]]) -> Variable {
        var unused = SeededRandom(seed: 0)
        return scheduledSamplingLoss(sources: sources, targets: targets, teacherForcing: 1, rng: &unused)
    }

    public var parameters: [Variable] {
        encoder.parameters + (bridge?.parameters ?? []) + decoder.parameters
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// PyTorch-style names: `encoder.embedding.weight`, `encoder.rnn.weight_ih_l0` …,
    /// `bridge.weight` …, `decoder.output.bias`; save them with `stateDict(of:)` and a safetensors file.
    public var namedParameters: [String: Variable] {
        namespaced(["encoder": encoder.namedParameters, "bridge": bridge?.namedParameters ?? [:], "decoder": decoder.namedParameters])
    }
}
