// Exercise 9.8: the label-smoothed loss and its gradient. See Exercises.swift for how to run the checks.

import Evaluation
import ExerciseSupport
import Foundation
import Tensors

/// Exercise 9.8 ★★★ — The label-smoothed loss and its gradient.
///
/// Return the label-smoothed cross-entropy of `logits` (shape […, V]: one row of V logits per
/// target) as one new node of the graph, whose only input is `logits`, with a backward rule you
/// write:
///
///     L = (1/N) Σᵢ Σ_c −qᵢ,c · log softmax(zᵢ)_c,   qᵢ = (1 − ε) · onehot(yᵢ) + ε/V
///     ∂L/∂zᵢ = g · (softmax(zᵢ) − qᵢ) / N
///
/// The sums run over the N rows whose target is not `ignoreIndex` (N = max(1, that count));
/// ignored rows add nothing to L and get a zero gradient; g is the gradient arriving from above
/// (a scalar tensor). Build the node as
/// `Variable(Tensor(loss), op: "labelSmoothing", inputs: [logits]) { g in logits.accumulate(…) }`,
/// with the log-softmax from the Tensor method `logSoftmax()`, which is stable for large logits.
/// Logits [2, 1, 0], target 0, ε = 0.1 give L = 0.5076 and ∂L/∂z = [−0.2681, 0.2114, 0.0567].
/// Do not call `labelSmoothedCrossEntropy`, `smoothedTargets` or `crossEntropy`.
public func labelSmoothingLoss(logits: Variable, targets: [Int], epsilon: Float, ignoreIndex: Int?) throws -> Variable {
    throw NotAttempted("9.8")
}
