import Foundation
import ScalarAutodiff

// Loss functions: a scalar Variable that measures how wrong a prediction is. Each checks that its
// result is finite and traps with a message naming the loss if it is not, because a NaN loss
// silently turns every parameter into NaN one step later.

/// Stops with a clear message if a loss came out NaN or infinite.
func checkFinite(_ loss: Variable, _ name: String) -> Variable {
    require(loss.value.isFinite,
                 "\(name): the loss is \(loss.value.scalars[0])\(TrainingContext.stepDescription) (not finite); check the inputs for NaN or inf, and the learning rate")
    return loss
}

/// Mean squared error: L = (1/N) Σᵢ (ŷᵢ − yᵢ)² over all N elements.
public func meanSquaredError(_ prediction: Variable, _ target: Tensor) -> Variable {
    require(prediction.shape == target.shape,
                 "meanSquaredError: prediction shape \(prediction.shape) and target shape \(target.shape) differ")
    let n = Float(target.count)
    let difference = prediction.value - target
    let loss = Variable(Tensor((difference * difference).sum().scalar / n), op: "mse", inputs: [prediction]) { g in
        prediction.accumulate(difference * (2 * g.scalar / n))
    }
    return checkFinite(loss, "meanSquaredError")
}

/// Cross-entropy from logits, averaged over the rows whose target is not `ignoreIndex`:
///
///     L = −(1/N) Σᵢ log softmax(zᵢ)[yᵢ]  =  (1/N) Σᵢ (logSumExp(zᵢ) − zᵢ[yᵢ])
///
/// `logits` has shape […, C] (C classes along the last axis) and `targets` holds one class index
/// per row. Rows whose target equals `ignoreIndex` (padding) add nothing and are not counted in N.
/// The gradient for row i is (softmax(zᵢ) − onehot(yᵢ)) / N.
public func crossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int? = nil) -> Variable {
    let classes = logits.shape.last ?? 0
    let rows = classes == 0 ? 0 : logits.value.count / classes
    require(rows == targets.count,
                 "crossEntropy: logits of shape \(logits.shape) have \(rows) rows but \(targets.count) targets were given")
    let logProbabilities = logits.value.logSoftmax()
    var total: Float = 0
    var counted = 0
    for (i, y) in targets.enumerated() where y != ignoreIndex {
        require(y >= 0 && y < classes, "crossEntropy: target \(y) at row \(i) is not a class in 0..<\(classes)")
        total -= logProbabilities.scalars[i * classes + y]
        counted += 1
    }
    let n = Float(Swift.max(counted, 1))
    let loss = Variable(Tensor(total / n), op: "crossEntropy", inputs: [logits]) { g in
        var dz = logProbabilities.exp()
        for (i, y) in targets.enumerated() {
            if y == ignoreIndex {
                for c in 0..<classes { dz.scalars[i * classes + c] = 0 }
            } else {
                dz.scalars[i * classes + y] -= 1
            }
        }
        logits.accumulate(dz * (g.scalar / n))
    }
    return checkFinite(loss, "crossEntropy")
}

/// Binary cross-entropy from logits z and targets y ∈ [0, 1], averaged over all elements:
///
///     L = (1/N) Σᵢ [max(zᵢ, 0) − zᵢ·yᵢ + log(1 + e^−|zᵢ|)]
///
/// which equals −[y log σ(z) + (1 − y) log(1 − σ(z))] but never takes the log of 0.
/// The gradient is (σ(zᵢ) − yᵢ) / N.
public func binaryCrossEntropy(logits: Variable, targets: Tensor) -> Variable {
    require(logits.shape == targets.shape,
                 "binaryCrossEntropy: logits shape \(logits.shape) and target shape \(targets.shape) differ")
    let n = Float(targets.count)
    let perElement = Tensor.zip(logits.value, targets, op: "binaryCrossEntropy") { z, y in
        Swift.max(z, 0) - z * y + Foundation.log1p(Foundation.exp(-Swift.abs(z)))
    }
    let loss = Variable(Tensor(perElement.sum().scalar / n), op: "bce", inputs: [logits]) { g in
        logits.accumulate((logits.value.sigmoid() - targets) * (g.scalar / n))
    }
    return checkFinite(loss, "binaryCrossEntropy")
}
