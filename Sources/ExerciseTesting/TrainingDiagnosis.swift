import Foundation
import Tensors

// What a training exercise's check says when a run misses its target. A ★★★ exercise that
// trains a model passes when the trained model reaches a stated number; when it does not, the
// student needs to know why, and the loop itself is gone by then. What it left behind is enough:
// the weights (did they move? are they finite?), the gradients still stored in them (one step's,
// or the sum of every step's because nothing zeroed them?) and the losses it returned.

/// A fraction as a percentage for messages: "84 %".
public func percent(_ x: Float) -> String { "\(Int((x * 100).rounded())) %" }

/// Why a training run missed its target, as the end of a failure message: the weights never
/// moved, NaN, gradients never zeroed, a loss that rose, or simply too few steps.
///
/// `freshLoss` computes a loss on a fixed batch: its gradient, taken fresh, is compared with
/// what the student's loop left in the parameters' `grad`. A loop that zeroes its gradients
/// leaves one step's gradient there; one that never does leaves the sum of all of them.
public func trainingDiagnosis(_ opening: String, parameters: [Variable], initial: [Tensor], losses: [Float],
                              freshLoss: () -> Variable) -> String {
    var message = opening
    let moved = zip(parameters, initial).contains { $0.value != $1 }
    if !moved {
        return message + ". Likely mistake: the model's weights never changed. Train the model you were given: make the optimizer from model.parameters, and call loss.backward() and optimizer.step() at every step"
    }
    if losses.contains(where: { !$0.isFinite }) || parameters.contains(where: { $0.value.scalars.contains { !$0.isFinite } }) {
        return message + ". Likely mistake: the training diverged to NaN or ∞; lower the learning rate and clip the gradients (clipGradientNorm)"
    }
    let left = parameters.map { $0.grad }
    let leftNorm = gradientNorm(left.compactMap { $0 })
    for p in parameters { p.grad = nil }
    freshLoss().backward()
    let freshNorm = gradientNorm(parameters.compactMap(\.grad))
    for (p, g) in zip(parameters, left) { p.grad = g }
    if leftNorm > 4 * max(freshNorm, 0.05) {
        return message + String(format: ". Likely mistake: the gradients were never zeroed. The gradient left in the weights has norm %.2f, where one fresh gradient has %.2f: each backward() added to the last. Call optimizer.zeroGradients() before every loss.backward()", leftNorm, freshNorm)
    }
    guard losses.count >= 4 else {
        return message + ". Return the loss of every training step (you returned \(losses.count)); a few steps are not enough to train"
    }
    let k = max(1, losses.count / 5)
    let first = losses.prefix(k).reduce(0, +) / Float(k), last = losses.suffix(k).reduce(0, +) / Float(k)
    if last > first {
        message += String(format: ". Likely mistake: the loss went up, from %.3f to %.3f: a step uphill, or a learning rate far too large", first, last)
    } else {
        message += String(format: ". The loss fell from %.3f to %.3f in %d steps, so it is learning: train for more steps, or with larger batches", first, last, losses.count)
    }
    return message
}

/// √(Σ g²) over every entry of every tensor.
public func gradientNorm(_ tensors: [Tensor]) -> Float {
    tensors.reduce(Float(0)) { total, t in total + t.scalars.reduce(0) { $0 + $1 * $1 } }.squareRoot()
}
