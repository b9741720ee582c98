import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Trains `model` with teacher forcing, Adam and gradient clipping (norm 1): chapter 5's
/// `trainOnBatches` with
/// this model's loss. Returns the losses.
@discardableResult
public func trainAttentionSeq2Seq(_ model: AttentionSeq2Seq, on data: EncodedPairs, steps: Int, batchSize: Int,
                                  learningRate: Float = 1e-2, rng: inout SeededRandom, logEvery: Int = 100,
                                  log: (String) -> Void = { print($0) }) -> [Float] {
    trainOnBatches(parameters: model.parameters, examples: data.count, steps: steps, batchSize: batchSize,
                   learningRate: learningRate, rng: &rng, logEvery: logEvery, log: log) { rows, _, _ in
        model.teacherForcedLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
    }
}

/// Chapter 5's `exactMatchAccuracy` with greedy decoding of an attention model.
public func exactMatchAccuracy(_ model: AttentionSeq2Seq, on data: EncodedPairs) -> Float {
    exactMatchAccuracy(on: data) { source, maxLength in greedyDecode(model, source: source, maxLength: maxLength).tokens }
}

/// Chapter 5's `tokenAccuracyByLength` with greedy decoding of an attention model.
public func tokenAccuracyByLength(_ model: AttentionSeq2Seq, on data: EncodedPairs) -> [Int: Float] {
    tokenAccuracyByLength(on: data) { source, maxLength in greedyDecode(model, source: source, maxLength: maxLength).tokens }
}
