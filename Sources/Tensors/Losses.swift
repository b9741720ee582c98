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
    // Σ d² accumulated in Double, like every sum (see Reductions.swift).
    let total = difference.scalars.withUnsafeBufferPointer { Tensor.accurateSum($0, squared: true) }
    let loss = Variable(Tensor(Float(total / Double(target.count))), op: "mse", inputs: [prediction]) { g in
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
///
/// When every row is padding (N = 0) the loss is 0 and every gradient is 0: a batch with nothing
/// to learn from changes nothing. PyTorch's `cross_entropy` returns NaN there (0/0), which would
/// stop a book training loop at its NaN check; the book deliberately differs.
public func crossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int? = nil) -> Variable {
    let classes = logits.shape.last ?? 0
    let rows = classes == 0 ? 0 : logits.value.count / classes
    require(rows == targets.count,
                 "crossEntropy: logits of shape \(logits.shape) have \(rows) rows but \(targets.count) targets were given")
    let logProbabilities = logits.value.logSoftmax()
    var total: Double = 0
    var counted = 0
    for (i, y) in targets.enumerated() where y != ignoreIndex {
        require(y >= 0 && y < classes, "crossEntropy: target \(y) at row \(i) is not a class in 0..<\(classes)")
        total -= Double(logProbabilities.scalars[i * classes + y])
        counted += 1
    }
    // No counted rows: 0/1 = 0, with zero gradients (every row is masked below).
    let n = Float(Swift.max(counted, 1))
    let loss = Variable(Tensor(Float(total / Double(Swift.max(counted, 1)))), op: "crossEntropy", inputs: [logits]) { g in
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
    let loss = Variable(perElement.mean(), op: "bce", inputs: [logits]) { g in
        logits.accumulate((logits.value.sigmoid() - targets) * (g.scalar / n))
    }
    return checkFinite(loss, "binaryCrossEntropy")
}

/// Binary cross-entropy from probabilities p ∈ [0, 1] and targets y ∈ [0, 1], averaged over all
/// elements, with each logarithm clamped at −100 as PyTorch's `binary_cross_entropy` does:
///
///     L = −(1/N) Σᵢ [yᵢ·max(log pᵢ, −100) + (1 − yᵢ)·max(log(1 − pᵢ), −100)]
///     ∂L/∂pᵢ = (pᵢ − yᵢ) / max(pᵢ(1 − pᵢ), 10⁻¹²) / N
///
/// A probability of exactly 0 or 1 on the wrong side costs 100, not ∞, and its gradient is large
/// but finite. Prefer ``binaryCrossEntropy(logits:targets:)`` when the model can give logits: it
/// never rounds a probability to 0 or 1 in the first place.
public func binaryCrossEntropy(probabilities: Variable, targets: Tensor) -> Variable {
    let p = probabilities.value
    require(p.shape == targets.shape,
            "binaryCrossEntropy: probabilities shape \(p.shape) and target shape \(targets.shape) differ")
    require(p.scalars.allSatisfy { $0 >= 0 && $0 <= 1 },
            "binaryCrossEntropy: every probability must be in [0, 1]; found \(p.scalars.first { !($0 >= 0 && $0 <= 1) }!) (pass logits to binaryCrossEntropy(logits:targets:) instead)")
    let n = Float(targets.count)
    let perElement = Tensor.zip(p, targets, op: "binaryCrossEntropy") { p, y in
        (y - 1) * Swift.max(Foundation.log1p(-p), -100) - y * Swift.max(Foundation.log(p), -100)
    }
    let loss = Variable(perElement.mean(), op: "bceProbabilities", inputs: [probabilities]) { g in
        let scale = g.scalar / n
        probabilities.accumulate(Tensor.zip(p, targets, op: "binaryCrossEntropy backward") { p, y in
            scale * (p - y) / Swift.max((1 - p) * p, 1e-12)
        })
    }
    return checkFinite(loss, "binaryCrossEntropy")
}
