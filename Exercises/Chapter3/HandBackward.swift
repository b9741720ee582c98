// Chapter 3, exercise 3.9: backpropagation through an autoencoder, by hand.

import ExerciseSupport
import Tensors

/// Exercise 3.9 ★★★ — Backpropagation through an autoencoder, by hand.
///
/// A one-hidden-layer autoencoder with a ReLU code and a sigmoid output, on a batch x of shape
/// [B, d] (weights laid out [in, out], as chapter 2's `Linear`):
///
///     a₁ = x·W₁ + b₁      [B, m]        W₁: [d, m], b₁: [m]
///     h  = ReLU(a₁)       [B, m]        (the code)
///     a₂ = h·W₂ + b₂      [B, d]        W₂: [m, d], b₂: [d]
///     x̂  = σ(a₂)          [B, d]
///     L  = (1/B) Σ_b ‖x_b − x̂_b‖²       (the chapter's reconstruction loss)
///
/// Return L and its gradients ∂L/∂W₁, ∂L/∂b₁, ∂L/∂W₂, ∂L/∂b₂, each the shape of its parameter,
/// computed with plain `Tensor` operations (`matmul`, `transposed`, `sum(axis:)`, `sigmoid`,
/// elementwise arithmetic) by running the chain rule backwards yourself:
///
///     ∂L/∂x̂  = 2(x̂ − x)/B
///     ∂L/∂a₂ = ∂L/∂x̂ ⊙ x̂ ⊙ (1 − x̂)                   (σ' = σ(1 − σ))
///     ∂L/∂W₂ = hᵀ · ∂L/∂a₂,   ∂L/∂b₂ = Σ over rows of ∂L/∂a₂
///     ∂L/∂h  = ∂L/∂a₂ · W₂ᵀ
///     ∂L/∂a₁ = ∂L/∂h ⊙ [a₁ > 0]                       (ReLU passes the gradient where it was on)
///     ∂L/∂W₁ = xᵀ · ∂L/∂a₁,   ∂L/∂b₁ = Σ over rows of ∂L/∂a₁
///
/// The check compares every number with chapter 2's autodiff on random weights. Do not use
/// `Variable`, `backward` or `gradientCheck`: the point is to do their work by hand.
public func autoencoderGradients(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) throws
    -> (loss: Float, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
    throw NotAttempted("3.9")
}
