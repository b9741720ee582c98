// Chapter 7 exercises 7.8 and 7.9: multi-head attention and a decoder block, built from
// chapter 2's differentiable operations. See Exercises.swift for how to run the tests.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.8 ★★★ — Multi-head attention, forward.
///
///     headⱼ = softmax(Qⱼ·Kⱼᵀ / √(d/h)) · Vⱼ,   output = [head₁; …; head_h]·W_O
///
/// with Q = query·W_Q + b_Q, K = memory·W_K + b_K, V = memory·W_V + b_V (the Linear layers
/// `wQ`, `wK`, `wV`), each cut into h heads of width d/h: head j takes features
/// j·(d/h) ..< (j+1)·(d/h). `query` is [batch, t_q, d], `memory` [batch, t_k, d]; `mask`, if
/// given, broadcasts to [batch, h, t_q, t_k] with 1 = blocked. Return the output [batch, t_q, d]
/// and every head's weights [batch, h, t_q, t_k]. Build it from `Variable` operations, so that
/// `backward()` reaches the four layers' weights.
///
/// Do not use `MultiHeadAttention`, `scaledDotProductAttention`, `splitHeads` or `mergeHeads`.
public func multiHeadForward(query: Variable, memory: Variable, heads: Int, wQ: Linear, wK: Linear, wV: Linear, wO: Linear,
                             mask: Tensor?) throws -> (output: Variable, weights: Variable) {
    throw NotAttempted("7.8")
}

/// Exercise 7.9 ★★★ — A decoder block.
///
/// Three residual sub-layers, in order, on x [batch, t, d] and the encoder's output
/// `memory` [batch, s, d]:
///
///     1. causal self-attention:   selfAttention(n, n) under Tensor.causalMask(t)
///     2. cross-attention:         queries from the decoder, keys and values from `memory`
///                                 (under `memoryMask`, 1 = blocked)
///     3. the feed-forward network
///
/// Sub-layer i uses `norms[i]`. With `normFirst` (pre-norm) each is x ← x + f(LN(x)); without
/// it (post-norm, the original paper's and PyTorch's default) x ← LN(x + f(x)). Return the
/// output [batch, t, d] and the cross-attention weights [batch, h, t, s]. Use the layers'
/// own methods (`selfAttention(_:_:mask:)`, `keysAndValues`, `attend`, `feedForward(_:)`,
/// `norms[i](_:)`), so that `backward()` reaches every parameter.
///
/// Do not use `DecoderBlock` or `EncoderBlock`.
public func decoderBlockForward(_ x: Variable, memory: Variable, memoryMask: Tensor?,
                                selfAttention: MultiHeadAttention, crossAttention: MultiHeadAttention,
                                feedForward: FeedForward, norms: [LayerNorm],
                                normFirst: Bool) throws -> (output: Variable, crossWeights: Variable) {
    throw NotAttempted("7.9")
}
