// Exercise 9.8: reference answer. Same public API as Exercises/Chapter9/LabelSmoothingLoss.swift.

import Evaluation
import ExerciseSupport
import Foundation
import Tensors

/// Exercise 9.8 ★★★ — The label-smoothed loss and its gradient.
public func labelSmoothingLoss(logits: Variable, targets: [Int], epsilon: Float, ignoreIndex: Int?) throws -> Variable {
    let classes = logits.shape.last!
    let logP = logits.value.logSoftmax()
    var total: Float = 0, counted = 0
    for (i, y) in targets.enumerated() where y != ignoreIndex {
        for c in 0..<classes {
            let q = epsilon / Float(classes) + (c == y ? 1 - epsilon : 0)
            total -= q * logP.scalars[i * classes + c]
        }
        counted += 1
    }
    let n = Float(max(counted, 1))
    return Variable(Tensor(total / n), op: "labelSmoothing", inputs: [logits]) { g in
        var dz = logP.exp()
        for (i, y) in targets.enumerated() {
            for c in 0..<classes {
                dz.scalars[i * classes + c] = y == ignoreIndex ? 0 : dz.scalars[i * classes + c] - epsilon / Float(classes) - (c == y ? 1 - epsilon : 0)
            }
        }
        logits.accumulate(dz * (g.scalars[0] / n))
    }
}
