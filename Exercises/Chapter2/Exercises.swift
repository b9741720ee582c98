// Chapter 2 exercises: tensors, tensor autodiff, layers and optimizers.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter2
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 2.3` prints a hint. You may use anything in the `Tensors`
// and `ScalarAutodiff` modules *except* the function an exercise asks you to write.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 2.1 ★ — The sigmoid node for tensors.
///
/// Return y = σ(x) elementwise as a node built with `Variable(_:op:inputs:backward:)`, whose
/// backward rule adds g ⊙ y ⊙ (1 − y) to `x`'s gradient. Do not call `Variable.sigmoid()`.
public func sigmoidNode(_ x: Variable) throws -> Variable {
    throw NotAttempted("2.1")
}

/// Exercise 2.2 ★★ — Sum a gradient back to a shape.
///
/// `g` is the gradient of a broadcast result; `shape` is the shape of the input that was
/// broadcast. Return the gradient for that input: `g` summed over every axis along which the
/// input was repeated, reshaped to `shape`. Example: g of shape [2, 3] to shape [3] sums the rows;
/// to shape [2, 1] it sums along each row. Do not call `Tensor.sum(toShape:)`.
public func reduceGradient(_ g: Tensor, toShape shape: [Int]) throws -> Tensor {
    throw NotAttempted("2.2")
}

/// Exercise 2.3 ★ — A stable log-softmax.
///
/// Return log softmax(z)ᵢ = zᵢ − log Σⱼ exp(zⱼ) for one row of logits. It must stay finite for
/// z = [1000, 1001, 1002] and for z = [−1000, 0]. Do not call the `Tensors` softmax functions.
public func stableLogSoftmax(_ z: [Float]) throws -> [Float] {
    throw NotAttempted("2.3")
}

/// Exercise 2.4 ★★ — The matmul backward rule.
///
/// Return C = A·B for matrices a: [m, k] and b: [k, n] as a node whose backward rule adds
/// ∂L/∂A and ∂L/∂B to the inputs' gradients. You may call `Tensor.matmul` for the numbers, but not
/// `Variable.matmul`.
public func matmulNode(_ a: Variable, _ b: Variable) throws -> Variable {
    throw NotAttempted("2.4")
}

/// Exercise 2.5 ★★ — Adam's update with bias correction.
///
/// Apply step number `t` (1 for the first step) of Adam to `theta` in place, updating the running
/// moments `m` and `v` in place:
///
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
///     θ ← θ − lr · m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
public func adamUpdate(theta: inout [Float], gradient: [Float], m: inout [Float], v: inout [Float],
                       t: Int, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                       epsilon: Float = 1e-8) throws {
    throw NotAttempted("2.5")
}

/// Exercise 2.6 ★ — He initialisation.
///
/// Return a [fanIn, fanOut] weight matrix with entries drawn from N(0, 2/fanIn), using `rng`.
/// Do not call `Initialisation.heNormal`.
public func heInitialisation(fanIn: Int, fanOut: Int, rng: inout SeededRandom) throws -> Tensor {
    throw NotAttempted("2.6")
}

/// Exercise 2.7 ★★★ — Cross-entropy with padding.
///
/// `logits` has shape [rows, classes]; `targets` has one class per row, or `ignoreIndex` for a
/// padding row. Return the mean over non-padding rows of −log softmax(logitsᵢ)[targetᵢ], as a
/// scalar variable whose gradient flows back to `logits` (padding rows get zero gradient). Build
/// it from variable operations; do not call `crossEntropy`.
public func paddedCrossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int) throws -> Variable {
    throw NotAttempted("2.7")
}
