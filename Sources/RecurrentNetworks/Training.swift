import Datasets
import ScalarAutodiff
import Tensors

/// A task's pairs as ids: sources without special tokens, targets ending in <eos>.
public struct EncodedPairs {
    public let sources: [[Int]]
    public let targets: [[Int]]
    public let sourceVocabulary: Vocabulary
    public let targetVocabulary: Vocabulary

    /// Encodes `pairs` with the given vocabularies (tokens they lack become <unk>).
    /// With `reverseSource`, each source is read backwards (Sutskever et al. 2014).
    public init(_ pairs: [SequencePair], sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary,
                reverseSource: Bool = false) {
        sources = pairs.map { sourceVocabulary.encode(reverseSource ? $0.source.reversed() : $0.source) }
        targets = pairs.map { targetVocabulary.encode($0.target, addEnd: true) }
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
    }

    public var count: Int { sources.count }
}

/// The training loop every sequence-to-sequence model of chapters 5 and 6 uses: Adam on
/// `parameters`, and at each step a batch of `batchSize` example indices drawn at random from
/// 0 ..< `examples`, the model's loss on them (`loss(rows, step, &rng)`, step counted from 0),
/// backward, gradient clipping to norm 1, and an update. Prints a progress line every
/// `logEvery` steps through `log` and returns the losses.
@discardableResult
public func trainOnBatches(parameters: [Variable], examples: Int, steps: Int, batchSize: Int,
                           learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                           log: (String) -> Void = { print($0) },
                           loss: (_ rows: [Int], _ step: Int, inout SeededRandom) -> Variable) -> [Float] {
    require(batchSize > 0 && examples > 0,
                 "trainOnBatches: batchSize (\(batchSize)) and the number of examples (\(examples)) must be positive")
    var optimizer = Adam(parameters, learningRate: learningRate)
    return trainingLoop(steps: steps, logEvery: logEvery, log: log) { step in
        let rows = (0..<batchSize).map { _ in rng.integer(below: examples) }
        let value = loss(rows, step - 1, &rng)
        optimizer.zeroGradients()
        value.backward()
        _ = clipGradientNorm(parameters, maxNorm: 1)
        optimizer.step()
        return value.value.scalar
    }
}

/// Trains `model` on `data` with ``trainOnBatches(parameters:examples:steps:batchSize:learningRate:rng:logEvery:log:loss:)``,
/// feeding gold tokens with probability εᵢ from `schedule` (scheduled sampling; plain teacher
/// forcing by default).
@discardableResult
public func trainSeq2Seq(_ model: Seq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                         learningRate: Float = 1e-2, schedule: SamplingSchedule = .teacherForcing,
                         rng: inout SeededRandom, logEvery: Int = 100,
                         log: (String) -> Void = { print($0) }) -> [Float] {
    trainOnBatches(parameters: model.parameters, examples: data.count, steps: steps, batchSize: batchSize,
                   learningRate: learningRate, rng: &rng, logEvery: logEvery, log: log) { rows, step, rng in
        let epsilon = Float(schedule.teacherForcingProbability(step: step))
        return model.scheduledSamplingLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] },
                                           teacherForcing: epsilon, rng: &rng)
    }
}

/// The fraction of pairs whose decoding (up to <eos>) equals the target exactly.
///
/// `decode(source, maxLength)` is any decoder that returns target ids: this chapter's greedy
/// decoding, or chapter 6's with attention, so both are measured the same way.
public func exactMatchAccuracy(on data: EncodedPairs, decode: ([Int], Int) -> [Int]) -> Float {
    require(data.count > 0, "exactMatchAccuracy: no pairs")
    let correct = zip(data.sources, data.targets).filter { source, target in
        decode(source, target.count + 5) == target
    }.count
    return Float(correct) / Float(data.count)
}

/// The fraction of target tokens that decoding gets right at their position (a softer measure
/// than exact match), grouped by source length: [length: accuracy].
public func tokenAccuracyByLength(on data: EncodedPairs, decode: ([Int], Int) -> [Int]) -> [Int: Float] {
    var right: [Int: Int] = [:], total: [Int: Int] = [:]
    for (source, target) in zip(data.sources, data.targets) {
        let tokens = decode(source, target.count)
        let n = source.count
        right[n, default: 0] += zip(tokens, target).filter { $0 == $1 }.count
        total[n, default: 0] += target.count
    }
    return Dictionary(uniqueKeysWithValues: total.map { ($0.key, Float(right[$0.key] ?? 0) / Float($0.value)) })
}

/// ``exactMatchAccuracy(on:decode:)`` with greedy decoding of a ``Seq2Seq``.
public func exactMatchAccuracy(_ model: Seq2Seq, on data: EncodedPairs) -> Float {
    exactMatchAccuracy(on: data) { source, maxLength in greedyDecode(model, source: source, maxLength: maxLength).0 }
}

/// ``tokenAccuracyByLength(on:decode:)`` with greedy decoding of a ``Seq2Seq``.
public func tokenAccuracyByLength(_ model: Seq2Seq, on data: EncodedPairs) -> [Int: Float] {
    tokenAccuracyByLength(on: data) { source, maxLength in greedyDecode(model, source: source, maxLength: maxLength).0 }
}
