import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Trains `model` with teacher forcing, Adam and gradient clipping (norm 1), as chapter 5's
/// `trainSeq2Seq` does, sampling `batchSize` pairs at each step. Returns the losses.
@discardableResult
public func trainAttentionSeq2Seq(_ model: AttentionSeq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                                  learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                                  log: (String) -> Void = { print($0) }) -> [Float] {
    precondition(batchSize > 0 && data.count > 0,
                 "trainAttentionSeq2Seq: batchSize (\(batchSize)) and the number of pairs (\(data.count)) must be positive")
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    return trainingLoop(steps: steps, logEvery: logEvery, log: log) { _ in
        let rows = (0..<batchSize).map { _ in rng.integer(below: data.count) }
        let loss = model.loss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
        optimizer.zeroGradients()
        loss.backward()
        _ = clipGradientNorm(model.parameters, maxNorm: 1)
        optimizer.step()
        return loss.value.scalar
    }
}

/// The fraction of pairs whose greedy decoding (up to <eos>) equals the target exactly.
public func exactMatchAccuracy(_ model: AttentionSeq2Seq, on data: EncodedPairs) -> Float {
    precondition(data.count > 0, "exactMatchAccuracy: no pairs")
    let correct = zip(data.sources, data.targets).filter { source, target in
        greedyDecode(model, source: source, maxLength: target.count + 5).tokens == target
    }.count
    return Float(correct) / Float(data.count)
}

/// The fraction of target tokens greedy decoding gets right at their position, by source
/// length: [length: accuracy]. The same measure as chapter 5's `tokenAccuracyByLength`.
public func tokenAccuracyByLength(_ model: AttentionSeq2Seq, on data: EncodedPairs) -> [Int: Float] {
    var right: [Int: Int] = [:], total: [Int: Int] = [:]
    for (source, target) in zip(data.sources, data.targets) {
        let tokens = greedyDecode(model, source: source, maxLength: target.count).tokens
        right[source.count, default: 0] += zip(tokens, target).filter { $0 == $1 }.count
        total[source.count, default: 0] += target.count
    }
    return Dictionary(uniqueKeysWithValues: total.map { ($0.key, Float(right[$0.key] ?? 0) / Float($0.value)) })
}
