import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// The pointer-generator network (See, Liu and Manning 2017), built on the reference attention
/// model: at every step it mixes generating from the vocabulary with copying a source word,
///
///     p_gen = σ(w_cᵀ cₜ + w_sᵀ sₜ + w_xᵀ xₜ + b)
///     P(w)  = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{j : xⱼ = w} αₜⱼ
///
/// over the batch's extended vocabulary (``PointerPairs``), so a word the vocabulary lacks can be
/// written by pointing at it. cₜ, sₜ, αₜ and P_vocab are those of ``AttentionSeq2Seq``'s step;
/// xₜ is the decoder's input embedding. The decoder reads `<unk>` for a copied unknown word.
/// The loss is −log P(yₜ) of the mixture, so p_gen learns when to copy.
public struct PointerGeneratorSeq2Seq {
    /// The attention encoder-decoder whose distributions are mixed.
    public let model: AttentionSeq2Seq
    /// w_c [2H, 1], w_s [H, 1], w_x [E, 1] and b [1] of p_gen.
    public let contextWeight: Variable, stateWeight: Variable, inputWeight: Variable, bias: Variable

    public init(vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, rng: inout SeededRandom) {
        model = AttentionSeq2Seq(sourceVocabularySize: vocabularySize, targetVocabularySize: vocabularySize,
                                 embeddingSize: embeddingSize, hiddenSize: hiddenSize, rng: &rng)
        let xavier = Initialisation.xavierUniform
        contextWeight = Variable(xavier.sample([2 * hiddenSize, 1], fanIn: 2 * hiddenSize, fanOut: 1, rng: &rng))
        stateWeight = Variable(xavier.sample([hiddenSize, 1], fanIn: hiddenSize, fanOut: 1, rng: &rng))
        inputWeight = Variable(xavier.sample([embeddingSize, 1], fanIn: embeddingSize, fanOut: 1, rng: &rng))
        bias = Variable(Tensor.zeros([1]))
    }

    public var vocabularySize: Int { model.decoder.vocabularySize }

    /// One step for a batch: `previous` are decoder inputs (extended ids are read as `<unk>`),
    /// `copyMap` [B, T, V + K] is 1 where source position j holds extended word w. Returns the
    /// final distribution P [B, V + K], the new state, αₜ [B, T] and p_gen [B, 1].
    public func step(previous: [Int], state: Variable, states: Variable, mask: Tensor, copyMap: Tensor)
        -> (distribution: Variable, state: Variable, weights: Variable, generation: Variable) {
        let V = vocabularySize
        let inputs = previous.map { $0 < V ? $0 : Vocabulary.unknownID }
        let out = model.step(previous: inputs, state: state, states: states, mask: mask)
        let context = contextVector(weights: out.weights, states: states)
        let pGen = generationProbability(context: context, state: out.state, input: model.decoder.embedding(inputs),
                                         wc: contextWeight, ws: stateWeight, wx: inputWeight, bias: bias)
        let (B, T, extended) = (copyMap.shape[0], copyMap.shape[1], copyMap.shape[2])
        var generate = out.logits.softmax()
        if extended > V { generate = Variable.concatenate([generate, .constant(Tensor.zeros([B, extended - V]))], axis: 1) }
        let copy = out.weights.reshaped([B, 1, T]).matmul(copyMap).reshaped([B, extended])
        return (generate * pGen + copy * (1 - pGen), out.state, out.weights, pGen)
    }

    /// [B, T, V + K]: 1 at (b, j, extendedSources[b][j]), for the padded batch.
    public static func copyMap(_ extendedSources: [[Int]], length T: Int, extendedSize: Int) -> Tensor {
        var map = Tensor.zeros([extendedSources.count, T, extendedSize])
        for (b, row) in extendedSources.enumerated() {
            for (j, w) in row.enumerated() { map.scalars[(b * T + j) * extendedSize + w] = 1 }
        }
        return map
    }

    /// The mean of −log P(yₜ) over the real target tokens of the batch `rows` of `data`, with
    /// teacher forcing.
    public func loss(_ data: PointerPairs, rows: [Int]) -> Variable {
        require(!rows.isEmpty, "PointerGeneratorSeq2Seq.loss: no rows")
        let (sourceIDs, lengths) = padBatch(rows.map { data.sources[$0] })
        let (targetIDs, _) = padBatch(rows.map { data.targets[$0] })
        let extendedSize = vocabularySize + (rows.map { data.unknownWords[$0].count }.max() ?? 0)
        let map = Self.copyMap(rows.map { data.extendedSources[$0] }, length: sourceIDs[0].count, extendedSize: extendedSize)
        let (states, mask, s0) = model.encode(sourceIDs, lengths: lengths)
        var state = s0
        var previous = Array(repeating: Vocabulary.startID, count: rows.count)
        var total = Variable.constant(Tensor(0))
        var count = 0
        for t in 0..<targetIDs[0].count {
            let out = step(previous: previous, state: state, states: states, mask: mask, copyMap: map)
            state = out.state
            previous = targetIDs.map { $0[t] }
            var pick = Tensor.zeros([rows.count, extendedSize])
            for (b, y) in previous.enumerated() where y != Vocabulary.padID {
                pick.scalars[b * extendedSize + y] = 1
                count += 1
            }
            // −log P(yₜ) for the real rows; padded rows pick nothing and add log 1 = 0.
            let p = (out.distribution * pick).sum(axis: 1) + (1 - pick.sum(axis: 1)) + 1e-9
            total = total - p.log().sum()
        }
        return total / Float(max(count, 1))
    }

    public var parameters: [Variable] { model.parameters + [contextWeight, stateWeight, inputWeight, bias] }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The model's names, and `p_gen.context_weight`, `p_gen.state_weight`, `p_gen.input_weight`, `p_gen.bias`.
    public var namedParameters: [String: Variable] {
        namespaced(["": model.namedParameters,
                    "p_gen": ["context_weight": contextWeight, "state_weight": stateWeight, "input_weight": inputWeight, "bias": bias]])
    }
}

/// A pointer-generator's greedy decoding of one sentence: extended ids, the alignment and p_gen
/// at every step.
public struct PointerDecoding: Sendable, Equatable {
    public let tokens: [Int]
    public let alignment: [[Float]]
    public let generation: [Float]
}

/// Greedy decoding with copying: the most likely extended id at every step, until `<eos>`.
public func greedyDecode(_ model: PointerGeneratorSeq2Seq, _ data: PointerPairs, sentence index: Int,
                         maxLength: Int) -> PointerDecoding {
    require(maxLength > 0, "greedyDecode: maxLength must be positive, got \(maxLength)")
    let source = data.sources[index]
    let extendedSize = model.vocabularySize + data.unknownWords[index].count
    let map = PointerGeneratorSeq2Seq.copyMap([data.extendedSources[index]], length: source.count, extendedSize: extendedSize)
    let (states, mask, s0) = model.model.encode([source])
    var state = s0, previous = Vocabulary.startID
    var tokens: [Int] = [], alignment: [[Float]] = [], generation: [Float] = []
    while tokens.count < maxLength {
        let out = model.step(previous: [previous], state: state, states: states, mask: mask, copyMap: map)
        state = out.state
        let y = out.distribution.value.argmax()[0]
        tokens.append(y)
        alignment.append(out.weights.value.scalars)
        generation.append(out.generation.value.scalars[0])
        if y == Vocabulary.endID { break }
        previous = y
    }
    return PointerDecoding(tokens: tokens, alignment: alignment, generation: generation)
}

/// Trains a pointer-generator with chapter 5's loop (Adam, clipping to norm 1) on `data`.
@discardableResult
public func trainPointerGenerator(_ model: PointerGeneratorSeq2Seq, on data: PointerPairs, steps: Int, batchSize: Int,
                                  learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                                  log: (String) -> Void = { print($0) }) -> [Float] {
    trainOnBatches(parameters: model.parameters, examples: data.count, steps: steps, batchSize: batchSize,
                   learningRate: learningRate, rng: &rng, logEvery: logEvery, log: log) { rows, _, _ in
        model.loss(data, rows: rows)
    }
}

/// How well copying worked on a test set: the share of out-of-vocabulary target words written
/// correctly at their position, the share of in-vocabulary target tokens right, and exact match.
public struct CopyScores: Sendable, Equatable {
    public let unknownWordAccuracy: Float
    public let knownTokenAccuracy: Float
    public let exactMatch: Float
}

/// Scores `decode(index, maxLength)` (extended ids) against `data`'s targets. A model without
/// copying, whose ids never reach V, scores 0 on unknown words by construction.
public func copyScores(on data: PointerPairs, decode: (Int, Int) -> [Int]) -> CopyScores {
    var unknownRight = 0, unknownTotal = 0, knownRight = 0, knownTotal = 0, exact = 0
    let V = data.vocabulary.count
    for index in 0..<data.count {
        let target = data.targets[index]
        let tokens = decode(index, target.count + 5)
        if tokens == target { exact += 1 }
        for (t, y) in target.enumerated() {
            let right = t < tokens.count && tokens[t] == y
            if y >= V { unknownTotal += 1; if right { unknownRight += 1 } } else { knownTotal += 1; if right { knownRight += 1 } }
        }
    }
    return CopyScores(unknownWordAccuracy: Float(unknownRight) / Float(max(unknownTotal, 1)),
                      knownTokenAccuracy: Float(knownRight) / Float(max(knownTotal, 1)),
                      exactMatch: Float(exact) / Float(max(data.count, 1)))
}
