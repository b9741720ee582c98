import Datasets
import ScalarAutodiff
import Tensors

/// The LSTM encoder-decoder, as Sutskever, Vinyals and Le (2014) built it: an LSTM reads the
/// source, and a second LSTM starts from the first one's final state and writes the target.
///
///     (hⱼ, cⱼ) = LSTM_enc(embed(xⱼ), (hⱼ₋₁, cⱼ₋₁))        from (0, 0)
///     (s₀, m₀) = (h_T, c_T)                             both vectors go across
///     (sₜ, mₜ) = LSTM_dec(embed(yₜ₋₁), (sₜ₋₁, mₜ₋₁)),   P(yₜ | y<ₜ, x) = softmax(W sₜ + b)
///
/// It is chapter 5's ``Seq2Seq`` with the GRU swapped for an LSTM, so the two can be compared on
/// the same task. The LSTM's state is a pair; here it travels as one [B, 2H] variable [h ; c],
/// so the padded recurrence (``runMaskedRecurrence(initial:inputs:lengths:order:step:)``) carries
/// both over a padded position. The output layer reads h only.
///
/// With E = 16, H = 64 and vocabularies of 14 it has 43,342 parameters, against the GRU
/// model's 32,846: each LSTM has four gates to the GRU's three.
public struct LSTMSeq2Seq {
    public let sourceEmbedding: Embedding
    public let encoder: LSTMCell
    public let targetEmbedding: Embedding
    public let decoder: LSTMCell
    /// W [H, V] and b [V].
    public let output: Linear

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                rng: inout SeededRandom) {
        require(sourceVocabularySize > 0 && targetVocabularySize > 0 && embeddingSize > 0,
                "LSTMSeq2Seq: vocabulary and embedding sizes must be positive, got \(sourceVocabularySize), \(targetVocabularySize), \(embeddingSize)")
        sourceEmbedding = Embedding(vocabularySize: sourceVocabularySize, dimension: embeddingSize, rng: &rng)
        encoder = LSTMCell(inputSize: embeddingSize, hiddenSize: hiddenSize, rng: &rng)
        targetEmbedding = Embedding(vocabularySize: targetVocabularySize, dimension: embeddingSize, rng: &rng)
        decoder = LSTMCell(inputSize: embeddingSize, hiddenSize: hiddenSize, rng: &rng)
        output = Linear(hiddenSize, targetVocabularySize, rng: &rng)
    }

    public var hiddenSize: Int { encoder.hiddenSize }
    public var targetVocabularySize: Int { output.weight.shape[1] }

    /// The encoder's final state [h ; c] [B, 2H] for a batch padded to one length (`lengths`
    /// gives the real ones), taken at each sequence's last real token.
    public func encode(_ ids: [[Int]], lengths: [Int]? = nil) -> Variable {
        require(!ids.isEmpty && ids[0].count > 0 && ids.allSatisfy { $0.count == ids[0].count },
                "LSTMSeq2Seq.encode: sequences must be padded to one non-zero length, got lengths \(ids.map(\.count))")
        let T = ids[0].count
        let lengths = lengths ?? Array(repeating: T, count: ids.count)
        let vocabulary = sourceEmbedding.table.shape[0]
        if let bad = ids.joined().first(where: { $0 < 0 || $0 >= vocabulary }) {
            fatalError("LSTMSeq2Seq.encode: token id \(bad) is not in the source vocabulary 0..<\(vocabulary)")
        }
        let inputs = (0..<T).map { t in sourceEmbedding(ids.map { $0[t] }) }
        let zero = Variable.constant(Tensor.zeros([ids.count, 2 * hiddenSize]))
        let states = runMaskedRecurrence(initial: zero, inputs: inputs, lengths: lengths, order: Array(0..<T)) {
            lstmStep(encoder, $0, $1)
        }
        return states[T - 1]
    }

    /// One decoder step: the previous tokens and the state [s ; m] [B, 2H] → the logits W sₜ + b
    /// [B, V] and the new state.
    public func step(previous: [Int], state: Variable) -> (logits: Variable, state: Variable) {
        require(previous.allSatisfy { $0 >= 0 && $0 < targetVocabularySize },
                "LSTMSeq2Seq.step: previous tokens \(previous) are not all in the vocabulary 0..<\(targetVocabularySize)")
        let next = lstmStep(decoder, targetEmbedding(previous), state)
        return (output(next.slice(axis: 1, 0..<hiddenSize)), next)
    }

    /// The teacher-forced loss: the mean of −log P(yₜ | y<ₜ, x) over every real target token.
    /// `targets` end in `<eos>`; `<pad>` is ignored.
    public func teacherForcedLoss(sources: [[Int]], targets: [[Int]]) -> Variable {
        require(sources.count == targets.count && !sources.isEmpty && targets.allSatisfy { !$0.isEmpty },
                "LSTMSeq2Seq.teacherForcedLoss: give one non-empty target (ending in <eos>) per source, got \(sources.count) sources and \(targets.count) targets")
        let (sourceIDs, lengths) = padBatch(sources)
        let (targetIDs, _) = padBatch(targets)
        var state = encode(sourceIDs, lengths: lengths)
        var previous = Array(repeating: Vocabulary.startID, count: targets.count)
        var allLogits: [Variable] = [], allTargets: [Int] = []
        for t in 0..<targetIDs[0].count {
            let (logits, next) = step(previous: previous, state: state)
            state = next
            previous = targetIDs.map { $0[t] }
            allLogits.append(logits)
            allTargets += previous
        }
        return crossEntropy(logits: Variable.concatenate(allLogits, axis: 0), targets: allTargets, ignoreIndex: Vocabulary.padID)
    }

    public var parameters: [Variable] {
        sourceEmbedding.parameters + encoder.parameters + targetEmbedding.parameters + decoder.parameters + output.parameters
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// PyTorch-style names: `encoder.embedding.weight`, `encoder.rnn.weight_ih_l0` (`nn.LSTM`'s
    /// names) …, `decoder.rnn.bias_hh_l0`, `output.weight`, `output.bias`.
    public var namedParameters: [String: Variable] {
        namespaced(["encoder": namespaced(["embedding": sourceEmbedding.namedParameters, "rnn": layerNames(encoder.namedParameters)]),
                    "decoder": namespaced(["embedding": targetEmbedding.namedParameters, "rnn": layerNames(decoder.namedParameters)]),
                    "output": output.namedParameters])
    }
}

/// One LSTM step on a packed state [h ; c] [B, 2H].
func lstmStep(_ cell: LSTMCell, _ x: Variable, _ packed: Variable) -> Variable {
    let H = cell.hiddenSize
    let (h, c) = cell(x, (packed.slice(axis: 1, 0..<H), packed.slice(axis: 1, H..<(2 * H))))
    return Variable.concatenate([h, c], axis: 1)
}

/// Greedy decoding of the LSTM encoder-decoder, as for the GRU one: from <sos>, feed back the
/// most likely token, stop after <eos> or `maxLength` tokens.
public func greedyDecode(_ model: LSTMSeq2Seq, source: [Int], maxLength: Int) -> (tokens: [Int], steps: [DecodingStep]) {
    require(!source.isEmpty, "greedyDecode: the source is empty")
    return greedyDecoding(from: model.encode([source]), maxLength: maxLength) { model.step(previous: [$0], state: $1) }
}

/// Trains the LSTM encoder-decoder with ``trainOnBatches(parameters:examples:steps:batchSize:learningRate:rng:logEvery:log:loss:)``
/// and teacher forcing, as ``trainSeq2Seq(_:on:steps:batchSize:learningRate:schedule:rng:logEvery:log:)`` trains the GRU one.
@discardableResult
public func trainLSTMSeq2Seq(_ model: LSTMSeq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                             learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                             log: (String) -> Void = { print($0) }) -> [Float] {
    trainOnBatches(parameters: model.parameters, examples: data.count, steps: steps, batchSize: batchSize,
                   learningRate: learningRate, rng: &rng, logEvery: logEvery, log: log) { rows, _, _ in
        model.teacherForcedLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
    }
}
