import ScalarAutodiff
import Tensors

// The two blocks every Transformer is stacked from. Both use the pre-norm residual form
//
//     x ← x + Dropout(Sublayer(LayerNorm(x)))
//
// (the original paper normalises after the addition instead: x ← LayerNorm(x + Sublayer(x)).
// Pre-norm keeps an unnormalised path from input to output and trains without warm-up at these
// small sizes.) The residual path lets every block start close to the identity.

/// An encoder block: self-attention over the whole sequence, then the feed-forward network.
///
///     x ← x + MultiHead(LN(x), LN(x), LN(x))
///     x ← x + FFN(LN(x))
///
/// With no mask (or only a padding mask) attention is bidirectional: every position sees every
/// other, as in BERT and the encoder of T5 and BART. The same block with a causal mask is the
/// block of a decoder-only model (GPT).
public struct EncoderBlock {
    public let selfAttention: MultiHeadAttention
    public let feedForward: FeedForward
    public let norm1: LayerNorm, norm2: LayerNorm
    public let dropout: Dropout

    public init(dimension: Int, heads: Int, hidden: Int, dropout: Dropout, rng: inout SeededRandom) {
        selfAttention = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
        feedForward = FeedForward(dimension: dimension, hidden: hidden, rng: &rng)
        norm1 = LayerNorm(dimension)
        norm2 = LayerNorm(dimension)
        self.dropout = dropout
    }

    /// x [batch, t, d] → [batch, t, d], and the self-attention weights [batch, h, t, t].
    public func forward(_ x: Variable, mask: Tensor? = nil) -> (output: Variable, weights: Variable) {
        let n = norm1(x)
        let (k, v) = selfAttention.keysAndValues(n)
        let (a, weights) = selfAttention.attend(n, keys: k, values: v, mask: mask)
        let h = x + dropout(a)
        return (h + dropout(feedForward(norm2(h))), weights)
    }

    public func callAsFunction(_ x: Variable, mask: Tensor? = nil) -> Variable {
        forward(x, mask: mask).output
    }

    /// One generation step of a decoder-only model: x [batch, 1, d] is the newest position, and
    /// its self-attention runs over the cache (see ``KVCache``).
    public func step(_ x: Variable, cache: inout KVCache) -> Variable {
        let h = x + dropout(selfAttention.cachedSelfAttention(norm1(x), cache: &cache))
        return h + dropout(feedForward(norm2(h)))
    }

    public var parameters: [Variable] {
        selfAttention.parameters + feedForward.parameters + norm1.parameters + norm2.parameters
    }
}

/// A decoder block: causal self-attention, cross-attention to the encoder, feed-forward.
///
///     x ← x + MultiHead(LN(x), LN(x), LN(x))      causal: position i sees 0…i
///     x ← x + MultiHead(LN(x), m, m)              Q from the decoder, K and V from the memory m
///     x ← x + FFN(LN(x))
public struct DecoderBlock {
    public let selfAttention: MultiHeadAttention
    public let crossAttention: MultiHeadAttention
    public let feedForward: FeedForward
    public let norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm
    public let dropout: Dropout

    public init(dimension: Int, heads: Int, hidden: Int, dropout: Dropout, rng: inout SeededRandom) {
        selfAttention = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
        crossAttention = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
        feedForward = FeedForward(dimension: dimension, hidden: hidden, rng: &rng)
        norm1 = LayerNorm(dimension)
        norm2 = LayerNorm(dimension)
        norm3 = LayerNorm(dimension)
        self.dropout = dropout
    }

    /// The whole target at once (training, teacher forcing): x [batch, t, d] and the memory
    /// [batch, s, d]. `selfMask` is usually the causal mask (with target padding);
    /// `memoryMask` the source padding mask. Returns the output and the cross-attention weights.
    public func forward(_ x: Variable, memory: Variable, selfMask: Tensor?,
                        memoryMask: Tensor?) -> (output: Variable, crossWeights: Variable) {
        let n = norm1(x)
        let h = x + dropout(selfAttention(n, n, mask: selfMask))
        let (k, v) = crossAttention.keysAndValues(memory)
        let (c, weights) = crossAttention.attend(norm2(h), keys: k, values: v, mask: memoryMask)
        let h2 = h + dropout(c)
        return (h2 + dropout(feedForward(norm3(h2))), weights)
    }

    /// The cache for one source: the cross-attention keys and values of the memory, no
    /// self-attention entries yet.
    public func startCache(memory: Variable) -> LayerCache {
        let (k, v) = crossAttention.keysAndValues(memory)
        return LayerCache(crossKeys: k.value, crossValues: v.value)
    }

    /// One decoding step with a KV cache: x [batch, 1, d] is the newest position only. Its key
    /// and value are appended to the cache, and its query attends over every cached position;
    /// no causal mask is needed, because the cache holds only the past and the present.
    /// Cost per step: O(t·d) for attention instead of recomputing all t positions.
    public func step(_ x: Variable, cache: inout LayerCache, memoryMask: Tensor?) -> Variable {
        let a = selfAttention.cachedSelfAttention(norm1(x), cache: &cache.selfAttention)
        let h = x + dropout(a)
        let c = crossAttention.attend(norm2(h), keys: .constant(cache.crossKeys),
                                      values: .constant(cache.crossValues), mask: memoryMask).output
        let h2 = h + dropout(c)
        return h2 + dropout(feedForward(norm3(h2)))
    }

    public var parameters: [Variable] {
        selfAttention.parameters + crossAttention.parameters + feedForward.parameters
            + norm1.parameters + norm2.parameters + norm3.parameters
    }
}
