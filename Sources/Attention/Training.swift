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
    require(batchSize > 0 && data.count > 0,
                 "trainAttentionSeq2Seq: batchSize (\(batchSize)) and the number of pairs (\(data.count)) must be positive")
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    return trainingLoop(steps: steps, logEvery: logEvery, log: log) { _ in
        let rows = (0..<batchSize).map { _ in rng.integer(below: data.count) }
        let loss = model.teacherForcedLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
        optimizer.zeroGradients()
        loss.backward()
        _ = clipGradientNorm(model.parameters, maxNorm: 1)
        optimizer.step()
        return loss.value.scalar
    }
}

/// Chapter 5's ``exactMatchAccuracy(on:decode:)`` with greedy decoding of an attention model.
public func exactMatchAccuracy(_ model: AttentionSeq2Seq, on data: EncodedPairs) -> Float {
    exactMatchAccuracy(on: data) { source, maxLength in greedyDecode(model, source: source, maxLength: maxLength).tokens }
}

/// Chapter 5's ``tokenAccuracyByLength(on:decode:)`` with greedy decoding of an attention model.
public func tokenAccuracyByLength(_ model: AttentionSeq2Seq, on data: EncodedPairs) -> [Int: Float] {
    tokenAccuracyByLength(on: data) { source, maxLength in greedyDecode(model, source: source, maxLength: maxLength).tokens }
}
