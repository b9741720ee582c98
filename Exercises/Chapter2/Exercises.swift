// Chapter 2 exercises: tensors, tensor autodiff, layers and optimizers.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter2
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 2.3` prints a first hint, `swift run book hint 2.3 2` the
// next. You may use anything in the `Tensors` and `ScalarAutodiff` modules except the functions
// an exercise names after "Do not call": the tests check that your code (and any helper it uses)
// does not call them.
// Exercise 2.9 is in DigitClassifier.swift.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 2.1 ★ — The sigmoid node for tensors.
///
/// Return y = σ(x) = 1 / (1 + e⁻ˣ) elementwise as one node built with
/// `Variable(_:op:inputs:backward:)`, whose backward rule adds g ⊙ y ⊙ (1 − y) to `x`'s gradient
/// with `x.accumulate`. It must be finite (0 or 1) at x = ±1000.
///
/// Do not call `sigmoid` (of `Variable` or of `Tensor`): compute σ with `Tensor.exp()`.
public func sigmoidNode(_ x: Variable) throws -> Variable {
    throw NotAttempted("2.1")
}

/// Exercise 2.2 ★★ — Sum a gradient back to a shape.
///
/// `g` is the gradient of a broadcast result; `shape` is the shape of the input that was
/// broadcast. Return the gradient for that input: `g` summed over every axis along which the
/// input was repeated, with the shape `shape`. Examples: a [2, 3] gradient reduced to [3] sums the
/// rows; reduced to [2, 1] it sums along each row; reduced to [] it is the sum of everything.
///
/// Do not call `unbroadcast` (the book's answer) or `backward`.
public func reduceGradient(_ g: Tensor, toShape shape: [Int]) throws -> Tensor {
    throw NotAttempted("2.2")
}

/// Exercise 2.3 ★ — A stable log-softmax.
///
/// Return log softmax(z)ᵢ = zᵢ − log Σⱼ exp(zⱼ) for one row of logits, computed as
/// (zᵢ − m) − log Σⱼ exp(zⱼ − m) with m = max z. It must stay finite for z = [−1000, 0] and be
/// accurate to 2·10⁻⁶ for z = [1000, 1001, 1002].
///
/// Do not call `logSoftmax` or `logSumExp`.
public func stableLogSoftmax(_ z: [Float]) throws -> [Float] {
    throw NotAttempted("2.3")
}

/// Exercise 2.4 ★★ — The matmul backward rule.
///
/// Return C = A·B as one node whose backward rule adds ∂L/∂A = g·Bᵀ and ∂L/∂B = Aᵀ·g to the inputs'
/// gradients (with `accumulate`, and only for inputs whose `requiresGrad` is true). `a` is a
/// matrix [m, k] or a batch of matrices [batch, m, k]; `b` is one matrix [k, n], shared by the
/// whole batch. C has shape [m, n] or [batch, m, n].
///
/// Compute products with `Tensor.product(_:_:transposeA:transposeB:)`. Do not call `matmul`
/// (of `Tensor` or of `Variable`).
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
///
/// Do not call `Adam` or `AdamW`.
public func adamUpdate(theta: inout [Float], gradient: [Float], m: inout [Float], v: inout [Float],
                       t: Int, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                       epsilon: Float = 1e-8) throws {
    throw NotAttempted("2.5")
}

/// Exercise 2.6 ★ — He initialisation.
///
/// Return a [fanIn, fanOut] weight matrix with entries drawn from N(0, 2/fanIn): one
/// `rng.normal()` per entry, in row-major order, times the standard deviation.
///
/// Do not call `Initialisation.heNormal` (or anything of `Initialisation`).
public func heInitialisation(fanIn: Int, fanOut: Int, rng: inout SeededRandom) throws -> Tensor {
    throw NotAttempted("2.6")
}

/// Exercise 2.7 ★★ — Cross-entropy with padding.
///
/// `logits` has shape [rows, classes]; `targets` has one class per row, or `ignoreIndex` for a
/// padding row. Return the mean over non-padding rows of −log softmax(logitsᵢ)[targetᵢ], as a
/// scalar variable whose gradient flows back to `logits` (padding rows get zero gradient). Build
/// it from variable operations. Logits of 1000 must give a finite loss.
///
/// Do not call `crossEntropy`.
public func paddedCrossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int) throws -> Variable {
    throw NotAttempted("2.7")
}

/// Exercise 2.8 ★★★ — Log-softmax as a new differentiable operation.
///
/// Return y = log softmax(z) along the last axis of `z` (any rank ≥ 1) as ONE node, made with
/// `Variable(_:op:inputs:backward:)`, whose only input is `z`: compute the numbers with tensor
/// operations, and write the backward rule yourself. Per row, with m = max z:
///
///     yᵢ = (zᵢ − m) − log Σⱼ exp(zⱼ − m)
///     ∂L/∂zᵢ = gᵢ − softmax(z)ᵢ · Σⱼ gⱼ,   softmax(z) = exp(y)
///
/// It must be finite for logits of ±1000 and agree with central differences.
///
/// Do not call `logSoftmax` or `logSumExp`.
public func logSoftmaxNode(_ z: Variable) throws -> Variable {
    throw NotAttempted("2.8")
}
