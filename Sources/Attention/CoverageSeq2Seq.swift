import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// The reference attention model with coverage (See, Liu and Manning 2017; Tu et al. 2016):
/// the attention sees where it has already looked, and the loss charges it for looking there
/// again.
///
///     coverageₜ = Σ_{t' < t} α_{t'}                                   (``coverageVector(pastWeights:shape:)``)
///     eₜⱼ      = vᵀ tanh(W₁ hⱼ + W₂ sₜ₋₁ + w_c · coverageₜⱼ)          w_c [A]: one more term in the score
///     loss     = mean over tokens of [ −log P(yₜ) + λ Σⱼ min(αₜⱼ, coverageₜⱼ) ]
///
/// Everything else is ``AttentionSeq2Seq``. See et al. add coverage to a trained model for a
/// short final phase; here it is on from the start, with λ = 1 by default.
public struct CoverageSeq2Seq {
    public let model: AttentionSeq2Seq
    /// w_c [A], the weight of the coverage feature inside the score.
    public let coverageWeight: Variable
    /// λ, the weight of the coverage loss.
    public let lambda: Float

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                lambda: Float = 1, rng: inout SeededRandom) {
        self.init(AttentionSeq2Seq(sourceVocabularySize: sourceVocabularySize, targetVocabularySize: targetVocabularySize,
                                   embeddingSize: embeddingSize, hiddenSize: hiddenSize, rng: &rng), lambda: lambda)
    }

    /// Coverage added to a model (trained or not), with w_c = 0: at first it scores exactly as
    /// the model does, and training teaches w_c and the rest to use the coverage. The model's
    /// weights are shared, not copied.
    public init(_ model: AttentionSeq2Seq, lambda: Float = 1) {
        require(lambda >= 0, "CoverageSeq2Seq: lambda must be non-negative, got \(lambda)")
        self.model = model
        coverageWeight = Variable(Tensor.zeros([model.attention.attentionSize]))
        self.lambda = lambda
    }

    /// One step: attend with sₜ₋₁ and the coverage [B, T], feed [embed(yₜ₋₁) ; cₜ] to the GRU.
    /// Returns the logits, the new state, αₜ and the coverage loss Σⱼ min(αₜⱼ, coverageₜⱼ) of
    /// each row [B].
    public func step(previous: [Int], state: Variable, coverage: Variable, states: Variable, mask: Tensor)
        -> (logits: Variable, state: Variable, weights: Variable, coverageLoss: Variable) {
        let (B, T, A) = (states.shape[0], states.shape[1], model.attention.attentionSize)
        let feature = coverage.reshaped([B, T, 1]).matmul(coverageWeight.reshaped([1, A]))   // w_c · coverageⱼ  [B, T, A]
        let scores = model.attention.alignmentScores(query: state, states: states, inside: feature)
        let alpha = attentionWeights(scores, mask: mask)
        let context = contextVector(weights: alpha, states: states)
        let (logits, next) = model.decoder.step(previous: previous, state: state, extra: context)
        let overlap = (alpha - (alpha - coverage).relu()).sum(axis: 1)                      // Σⱼ min(α, coverage)
        return (logits, next, alpha, overlap)
    }

    /// The teacher-forced loss plus λ times the coverage loss, both averaged over the real
    /// target tokens.
    public func teacherForcedLoss(sources: [[Int]], targets: [[Int]]) -> Variable {
        require(sources.count == targets.count && !sources.isEmpty && targets.allSatisfy { !$0.isEmpty },
                "CoverageSeq2Seq.teacherForcedLoss: give one non-empty target (ending in <eos>) per source, got \(sources.count) sources and \(targets.count) targets")
        let (sourceIDs, lengths) = padBatch(sources)
        let (targetIDs, _) = padBatch(targets)
        let (states, mask, s0) = model.encode(sourceIDs, lengths: lengths)
        var state = s0
        var coverage = Variable.constant(Tensor.zeros([sources.count, sourceIDs[0].count]))
        var previous = Array(repeating: Vocabulary.startID, count: targets.count)
        var allLogits: [Variable] = [], allTargets: [Int] = []
        var overlap = Variable.constant(Tensor(0))
        for t in 0..<targetIDs[0].count {
            let out = step(previous: previous, state: state, coverage: coverage, states: states, mask: mask)
            state = out.state
            previous = targetIDs.map { $0[t] }
            let real = Tensor(shape: [targets.count], scalars: previous.map { $0 == Vocabulary.padID ? 0 : 1 })
            overlap = overlap + (out.coverageLoss * real).sum()
            coverage = coverage + out.weights
            allLogits.append(out.logits)
            allTargets += previous
        }
        let tokens = Float(allTargets.filter { $0 != Vocabulary.padID }.count)
        let likelihood = crossEntropy(logits: Variable.concatenate(allLogits, axis: 0), targets: allTargets, ignoreIndex: Vocabulary.padID)
        return likelihood + overlap * (lambda / tokens)
    }

    public var parameters: [Variable] { model.parameters + [coverageWeight] }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The model's names, and `attention.coverage_weight` for w_c.
    public var namedParameters: [String: Variable] {
        var names = model.namedParameters
        names["attention.coverage_weight"] = coverageWeight
        return names
    }
}

/// Greedy decoding with coverage, recording αₜ at every step.
public func greedyDecode(_ model: CoverageSeq2Seq, source: [Int], maxLength: Int) -> AttentionDecoding {
    require(!source.isEmpty, "greedyDecode: the source is empty")
    let (states, mask, s0) = model.model.encode([source])
    let start = (state: s0, coverage: Variable.constant(Tensor.zeros([1, source.count])))
    return greedyAttentionDecoding(from: start, maxLength: maxLength) { previous, current in
        let out = model.step(previous: [previous], state: current.state, coverage: current.coverage, states: states, mask: mask)
        return (out.logits, (out.state, current.coverage + out.weights), out.weights)
    }
}

/// Trains the coverage model with chapter 5's loop.
@discardableResult
public func trainCoverageSeq2Seq(_ model: CoverageSeq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                                 learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                                 log: (String) -> Void = { print($0) }) -> [Float] {
    trainOnBatches(parameters: model.parameters, examples: data.count, steps: steps, batchSize: batchSize,
                   learningRate: learningRate, rng: &rng, logEvery: logEvery, log: log) { rows, _, _ in
        model.teacherForcedLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
    }
}

/// The share of decodings that repeat themselves: an output repeats if some token occurs in it
/// more often than in its target (`<eos>` aside). For copying strings of distinct letters, any
/// letter written twice is a repetition.
public func repetitionRate(on data: EncodedPairs, decode: ([Int], Int) -> [Int]) -> Float {
    require(data.count > 0, "repetitionRate: no pairs")
    var repeating = 0
    for (source, target) in zip(data.sources, data.targets) {
        let tokens = decode(source, target.count + 5).filter { $0 != Vocabulary.endID }
        var counts: [Int: Int] = [:]
        for y in target where y != Vocabulary.endID { counts[y, default: 0] += 1 }
        var seen: [Int: Int] = [:]
        if tokens.contains(where: { y in seen[y, default: 0] += 1; return seen[y]! > max(counts[y] ?? 0, 1) }) { repeating += 1 }
    }
    return Float(repeating) / Float(data.count)
}

/// Copies of strings whose letters are all different (a random selection of `lengths` letters
/// from a to j, in random order), where writing a letter twice is always a mistake: coverage's
/// task in miniature.
public func distinctLetterCopies(count: Int, lengths: ClosedRange<Int>, seed: UInt64) -> [SequencePair] {
    let letters = SequenceTasks.letters
    require(count > 0 && lengths.lowerBound > 0 && lengths.upperBound <= letters.count,
            "distinctLetterCopies: need count > 0 and lengths within 1...\(letters.count)")
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { _ in
        var pool = letters
        let length = lengths.lowerBound + rng.integer(below: lengths.count)
        let source = (0..<length).map { _ in pool.remove(at: rng.integer(below: pool.count)) }
        return SequencePair(source: source, target: source)
    }
}
