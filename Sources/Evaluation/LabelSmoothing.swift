import Foundation
import ScalarAutodiff
import Tensors

// Label smoothing: train against a softened target distribution instead of a one-hot vector, so
// the model is never pushed to make one logit infinitely larger than the rest.

/// The label-smoothed target distribution for one token, in PyTorch's convention:
///
///     q = (1 − ε) · onehot(y) + ε / V
///
/// so the gold class gets 1 − ε + ε/V and every other class ε/V; the entries sum to 1.
/// With V = 3, y = 0 and ε = 0.1: q = [0.9333, 0.0333, 0.0333].
///
/// - Precondition: 0 ≤ ε ≤ 1 and 0 ≤ y < V.
public func smoothedTargets(target y: Int, classes V: Int, epsilon ε: Float) -> [Float] {
    checkSmoothing(ε, "smoothedTargets")
    require(V > 0, "smoothedTargets: the number of classes must be positive, got \(V)")
    require(y >= 0 && y < V, "smoothedTargets: target \(y) is not a class in 0..<\(V)")
    var q = [Float](repeating: ε / Float(V), count: V)
    q[y] += 1 - ε
    return q
}

/// Cross-entropy from logits against label-smoothed targets, averaged over the rows whose target
/// is not `ignoreIndex`:
///
///     L = −(1/N) Σᵢ Σ_c qᵢ,c · log softmax(zᵢ)_c
///       = (1/N) Σᵢ [(1 − ε) · (−log pᵢ,yᵢ) + (ε/V) · Σ_c (−log pᵢ,c)]
///
/// This is `torch.nn.functional.cross_entropy(logits, targets, label_smoothing: ε)`. With ε = 0 it
/// is the plain `crossEntropy`. The gradient for row i is (softmax(zᵢ) − qᵢ) / N, and ignored
/// rows get none.
///
/// Worked example: logits [2, 1, 0], target 0. Plain cross-entropy is 0.4076; with ε = 0.1 the
/// loss is 0.9 · 0.4076 + (0.1/3) · (0.4076 + 1.4076 + 2.4076) = 0.5076.
///
/// - Parameters:
///   - logits: shape […, V], V classes along the last axis.
///   - targets: one class index per row.
///   - ε: the smoothing ε in [0, 1] (the argument label is `epsilon`).
///   - ignoreIndex: a target value (padding) whose rows are skipped and not counted in N.
public func labelSmoothedCrossEntropy(logits: Variable, targets: [Int], epsilon ε: Float,
                                      ignoreIndex: Int? = nil) -> Variable {
    checkSmoothing(ε, "labelSmoothedCrossEntropy")
    let classes = logits.shape.last ?? 0
    let rows = classes == 0 ? 0 : logits.value.count / classes
    require(rows == targets.count,
                 "labelSmoothedCrossEntropy: logits of shape \(logits.shape) have \(rows) rows but \(targets.count) targets were given")
    let logProbabilities = logits.value.logSoftmax()
    let uniform = ε / Float(classes)
    var total: Float = 0
    var counted = 0
    for (i, y) in targets.enumerated() where y != ignoreIndex {
        require(y >= 0 && y < classes,
                     "labelSmoothedCrossEntropy: target \(y) at row \(i) is not a class in 0..<\(classes)")
        var sumOfNegativeLogs: Float = 0
        for c in 0..<classes { sumOfNegativeLogs -= logProbabilities.scalars[i * classes + c] }
        total += (1 - ε) * -logProbabilities.scalars[i * classes + y] + uniform * sumOfNegativeLogs
        counted += 1
    }
    let n = Float(Swift.max(counted, 1))
    let loss = Variable(Tensor(total / n), op: "labelSmoothedCrossEntropy", inputs: [logits]) { g in
        var dz = logProbabilities.exp()
        for (i, y) in targets.enumerated() {
            for c in 0..<classes {
                if y == ignoreIndex {
                    dz.scalars[i * classes + c] = 0
                } else {
                    dz.scalars[i * classes + c] -= uniform + (c == y ? 1 - ε : 0)
                }
            }
        }
        logits.accumulate(dz * (g.scalar / n))
    }
    require(loss.value.scalars[0].isFinite,
                 "labelSmoothedCrossEntropy: the loss is \(loss.value.scalars[0]) (not finite); check the logits for NaN or inf")
    return loss
}

/// Stops with a message unless ε is a valid smoothing amount.
func checkSmoothing(_ ε: Float, _ name: String) {
    require(ε >= 0 && ε <= 1,
                 "\(name): label smoothing epsilon must be in [0, 1] (the share of probability spread over all classes), got \(ε)")
}
