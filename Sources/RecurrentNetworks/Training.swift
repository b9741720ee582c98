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

/// Trains `model` on `data` with Adam and gradient clipping (norm 1), sampling a batch of
/// `batchSize` pairs at each step, feeding gold tokens with probability εᵢ from `schedule`.
/// Prints a progress line every `logEvery` steps through `log` and returns the losses.
@discardableResult
public func trainSeq2Seq(_ model: Seq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                         learningRate: Float = 1e-2, schedule: SamplingSchedule = .teacherForcing,
                         rng: inout SeededRandom, logEvery: Int = 100,
                         log: (String) -> Void = { print($0) }) -> [Float] {
    require(batchSize > 0 && data.count > 0,
                 "trainSeq2Seq: batchSize (\(batchSize)) and the number of pairs (\(data.count)) must be positive")
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    return trainingLoop(steps: steps, logEvery: logEvery, log: log) { step in
        let rows = (0..<batchSize).map { _ in rng.integer(below: data.count) }
        let epsilon = Float(schedule.teacherForcingProbability(step: step - 1))
        let loss = model.scheduledSamplingLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] },
                                               teacherForcing: epsilon, rng: &rng)
        optimizer.zeroGradients()
        loss.backward()
        _ = clipGradientNorm(model.parameters, maxNorm: 1)
        optimizer.step()
        return loss.value.scalar
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
