// Chapter 2, exercise 2.9: reference answer.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 2.9 ★★★ — Train a digit classifier.
public func trainDigitClassifier(images: Tensor, labels: [Int], rng: inout SeededRandom) throws -> Sequential {
    let model = Sequential([
        Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng),
    ])
    var optimizer = Adam(model.parameters, learningRate: 0.01)
    let batchSize = 64
    var order = Array(0..<labels.count)
    var cursor = order.count
    for _ in 0..<300 {
        // Batches without replacement, reshuffled after each pass over the data.
        if cursor + batchSize > order.count {
            rng.shuffle(&order)
            cursor = 0
        }
        let batch = Array(order[cursor..<(cursor + batchSize)])
        cursor += batchSize
        let logits = model(.constant(images.gatherRows(batch)))
        let loss = crossEntropy(logits: logits, targets: batch.map { labels[$0] })
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
    }
    return model
}
