// Chapter 7 exercises: Transformers.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter7
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 7.3` prints a first hint, `swift run book hint 7.3 2` the
// next. You may use anything in the `Transformers`, `Tensors` and `ScalarAutodiff` modules
// except the names an exercise lists as forbidden: the tests check, and say so.
//
// Exercises 7.8 and 7.9 (multi-head attention, a decoder block) are in Blocks.swift, and 7.10
// (training a Transformer) in Training.swift.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.1 ★ — Scaled dot-product attention.
///
/// Return softmax(Q·Kᵀ / √d_k)·V for Q […, t_q, d_k], K […, t_k, d_k], V […, t_k, d_v], with
/// every score where `mask` is 1 (blocked, the book's convention) set to −∞ before the softmax
/// (the mask broadcasts to […, t_q, t_k]). d_k is the last axis of the query. Work on tensors.
/// The worked example: q = (1, 0), keys (1, 0) and (0, 1), values (1, 2) and (3, 4) give
/// (1.6605, 2.6605). Do not call `scaledDotProductAttention`.
public func attention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor?) throws -> Tensor {
    throw NotAttempted("7.1")
}

/// Exercise 7.2 ★ — The prefix-LM mask.
///
/// Return the [length, length] mask, 1 = blocked, under which every position sees the first
/// `prefix` positions and, beyond them, only positions up to itself. prefix 0 is the causal mask.
/// Do not call `prefixLMMask`.
public func prefixMask(length: Int, prefix: Int) throws -> Tensor {
    throw NotAttempted("7.2")
}

/// Exercise 7.3 ★ — Sinusoidal positional encoding.
///
/// Return the [length, dimension] table PE(pos, 2i) = sin(pos / 10000^(2i/d)),
/// PE(pos, 2i + 1) = cos(pos / 10000^(2i/d)). PE(1, 0) = 0.8415 and PE(1, 1) = 0.5403.
/// Do not call `positionalEncoding`, nor read the table of an `InputEmbedding`.
public func sinusoidalEncoding(length: Int, dimension: Int) throws -> Tensor {
    throw NotAttempted("7.3")
}

/// Exercise 7.4 ★★ — Splitting into heads.
///
/// x has shape [batch, t, d]. Return the [batch, heads, t, d/heads] tensor whose head j at
/// position p holds features j·(d/heads) ..< (j+1)·(d/heads) of x at p.
/// Do not call `splitHeads` or `mergeHeads`.
public func splitIntoHeads(_ x: Tensor, heads: Int) throws -> Tensor {
    throw NotAttempted("7.4")
}

/// Exercise 7.5 ★★ — Layer normalisation.
///
/// Normalise every slice along the last axis of x: yⱼ = γⱼ (xⱼ − μ) / √(σ² + ε) + βⱼ, with μ and
/// σ² the mean and the (biased, divide-by-d) variance of that slice. Do not use `LayerNorm`.
public func layerNormalise(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) throws -> Tensor {
    throw NotAttempted("7.5")
}

/// Exercise 7.6 ★★ — One step of self-attention with a KV cache.
///
/// `x` [batch, 1, d] is the newest position; `cache` holds the keys and values [batch, h, t, d/h]
/// of the t earlier positions (nil before the first step). Compute the new position's key and
/// value with `attention.keysAndValues`, append them to the cache along the time axis, and
/// return the attention output of the new position [batch, 1, d] with the grown cache. The
/// output must equal the last row of causal self-attention over all t + 1 positions.
/// Do not call `cachedSelfAttention` or use `KVCache`.
public func cachedAttentionStep(_ attention: MultiHeadAttention, x: Tensor,
                                cache: (keys: Tensor, values: Tensor)?) throws -> (output: Tensor, keys: Tensor, values: Tensor) {
    throw NotAttempted("7.6")
}

/// Exercise 7.7 ★★ — T5 span corruption.
///
/// Replace span k of `tokens` by `sentinels[k]` in the input; the target is each sentinel
/// followed by the tokens of its span, closed by `sentinels[spans.count]`. The spans are sorted
/// and do not overlap. Do not call `spanCorruption` or `randomSpanCorruption`.
public func corruptSpans(_ tokens: [Int], spans: [Range<Int>], sentinels: [Int]) throws -> (input: [Int], target: [Int]) {
    throw NotAttempted("7.7")
}
