// Chapter 7 exercise 7.10: reference answer. Same public API as Exercises/Chapter7.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.10 ★★★ — Train a Transformer to reverse strings.
public func trainReverser(strings: [[Int]], vocabularySize: Int, rng: inout SeededRandom) throws -> EncoderDecoderModel {
    let (padding, start, end) = (0, 1, 2)
    let configuration = TransformerConfiguration(vocabularySize: vocabularySize, dimension: 16, heads: 2, hidden: 32,
                                                 layers: 1, maxLength: 8, padding: padding)
    let model = EncoderDecoderModel(configuration, seed: 1)
    var optimizer = Adam(model.parameters, learningRate: 1e-2)
    func padded(_ rows: [[Int]]) -> [[Int]] {
        let width = rows.map(\.count).max()!
        return rows.map { $0 + Array(repeating: padding, count: width - $0.count) }
    }
    for _ in 0..<200 {
        let batch = (0..<32).map { _ in strings[rng.integer(below: strings.count)] }
        let source = padded(batch)
        let decoderInput = padded(batch.map { [start] + $0.reversed() })
        let decoderTarget = padded(batch.map { $0.reversed() + [end] })
        let logits = model(source: source, target: decoderInput)
        let loss = crossEntropy(logits: logits.reshaped([-1, vocabularySize]), targets: Array(decoderTarget.joined()),
                                ignoreIndex: padding)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
    }
    return model
}
