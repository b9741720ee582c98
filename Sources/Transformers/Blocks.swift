import ScalarAutodiff
import Tensors

// The two blocks every Transformer is stacked from, in either residual arrangement:
//
//     pre-norm  (normFirst: true, the book's default)    x ← x + Dropout(Sublayer(LN(x)))
//     post-norm (normFirst: false, the original paper     x ← LN(x + Dropout(Sublayer(x)))
//                and PyTorch's default)
//
// Pre-norm keeps an unnormalised path from input to output and trains without warm-up at these
// small sizes; post-norm normalises after every addition. The residual path lets every block
// start close to the identity.

/// One residual sub-layer, pre-norm or post-norm:
///
///     pre-norm:   x + Dropout(f(LN(x)))
///     post-norm:  LN(x + Dropout(f(x)))
func residual(_ x: Variable, norm: LayerNorm, normFirst: Bool, dropout: Dropout,
              _ sublayer: (Variable) -> Variable) -> Variable {
    normFirst ? x + dropout(sublayer(norm(x))) : norm(x + dropout(sublayer(x)))
}

/// An encoder block: self-attention over the whole sequence, then the feed-forward network.
///
///     pre-norm:   x ← x + MultiHead(LN₁(x), LN₁(x), LN₁(x));   x ← x + FFN(LN₂(x))
///     post-norm:  x ← LN₁(x + MultiHead(x, x, x));             x ← LN₂(x + FFN(x))
///
/// With no mask (or only a padding mask) attention is bidirectional: every position sees every
/// other, as in BERT and the encoder of T5 and BART. The same block with a causal mask is the
/// block of a decoder-only model (GPT). Post-norm with ReLU is PyTorch's default
/// `TransformerEncoderLayer` (`norm_first=False`).
public struct EncoderBlock {
    public let selfAttention: MultiHeadAttention
    public let feedForward: FeedForward
    public let norm1: LayerNorm, norm2: LayerNorm
    public let dropout: Dropout
    /// Pre-norm (true) or post-norm (false).
    public let normFirst: Bool

    public init(dimension: Int, heads: Int, hidden: Int, activation: FeedForward.Activation = .relu,
                normFirst: Bool = true, dropout: Dropout, rng: inout SeededRandom) {
        self.init(selfAttention: MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng),
                  feedForward: FeedForward(dimension: dimension, hidden: hidden, activation: activation, rng: &rng),
                  norm1: LayerNorm(dimension), norm2: LayerNorm(dimension), normFirst: normFirst, dropout: dropout)
    }

    /// A block from given parts (for example, weights loaded from a file).
    public init(selfAttention: MultiHeadAttention, feedForward: FeedForward, norm1: LayerNorm, norm2: LayerNorm,
                normFirst: Bool = true, dropout: Dropout = Dropout(probability: 0, seed: 0)) {
        let d = selfAttention.dimension
        require(feedForward.first.weight.shape[0] == d && norm1.gamma.shape == [d] && norm2.gamma.shape == [d],
                "EncoderBlock: the parts must share the width \(d): feed-forward input \(feedForward.first.weight.shape[0]), norms \(norm1.gamma.shape) and \(norm2.gamma.shape)")
        self.selfAttention = selfAttention
        self.feedForward = feedForward
        self.norm1 = norm1
        self.norm2 = norm2
        self.normFirst = normFirst
        self.dropout = dropout
    }

    /// x [batch, t, d] → [batch, t, d], and the self-attention weights [batch, h, t, t].
    public func forward(_ x: Variable, mask: Tensor? = nil) -> (output: Variable, weights: Variable) {
        var weights: Variable? = nil
        let h = residual(x, norm: norm1, normFirst: normFirst, dropout: dropout) { n in
            let (k, v) = selfAttention.keysAndValues(n)
            let (a, w) = selfAttention.attend(n, keys: k, values: v, mask: mask)
            weights = w
            return a
        }
        return (residual(h, norm: norm2, normFirst: normFirst, dropout: dropout, feedForward.callAsFunction), weights!)
    }

    public func callAsFunction(_ x: Variable, mask: Tensor? = nil) -> Variable {
        forward(x, mask: mask).output
    }

    /// One generation step of a decoder-only model: x [batch, 1, d] is the newest position, and
    /// its self-attention runs over the cache (see ``KVCache``). Given several positions
    /// [batch, t, d] it reads them together, each seeing every other (a prefix LM's prefix).
    public func step(_ x: Variable, cache: inout KVCache) -> Variable {
        var cache2 = cache
        let h = residual(x, norm: norm1, normFirst: normFirst, dropout: dropout) { n in
            selfAttention.cachedSelfAttention(n, cache: &cache2)
        }
        cache = cache2
        return residual(h, norm: norm2, normFirst: normFirst, dropout: dropout, feedForward.callAsFunction)
    }

    public var parameters: [Variable] {
        selfAttention.parameters + feedForward.parameters + norm1.parameters + norm2.parameters
    }
}

/// A decoder block: causal self-attention, cross-attention to the encoder, feed-forward.
///
///     pre-norm:   x ← x + MultiHead(LN₁(x), LN₁(x), LN₁(x))    causal: position i sees 0…i
///                 x ← x + MultiHead(LN₂(x), m, m)              Q from the decoder, K and V from the memory m
///                 x ← x + FFN(LN₃(x))
///     post-norm:  the same sub-layers, each as x ← LNᵢ(x + Sublayer(x))
public struct DecoderBlock {
    public let selfAttention: MultiHeadAttention
    public let crossAttention: MultiHeadAttention
    public let feedForward: FeedForward
    public let norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm
    public let dropout: Dropout
    /// Pre-norm (true) or post-norm (false).
    public let normFirst: Bool

    public init(dimension: Int, heads: Int, hidden: Int, activation: FeedForward.Activation = .relu,
                normFirst: Bool = true, dropout: Dropout, rng: inout SeededRandom) {
        let selfAttention = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
        let crossAttention = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
        self.init(selfAttention: selfAttention, crossAttention: crossAttention,
                  feedForward: FeedForward(dimension: dimension, hidden: hidden, activation: activation, rng: &rng),
                  norms: (LayerNorm(dimension), LayerNorm(dimension), LayerNorm(dimension)),
                  normFirst: normFirst, dropout: dropout)
    }

    /// A block from given parts (for example, weights loaded from a file).
    public init(selfAttention: MultiHeadAttention, crossAttention: MultiHeadAttention, feedForward: FeedForward,
                norms: (LayerNorm, LayerNorm, LayerNorm), normFirst: Bool = true,
                dropout: Dropout = Dropout(probability: 0, seed: 0)) {
        let d = selfAttention.dimension
        require(crossAttention.dimension == d && feedForward.first.weight.shape[0] == d
                    && [norms.0, norms.1, norms.2].allSatisfy { $0.gamma.shape == [d] },
                "DecoderBlock: the parts must share the width \(d): cross-attention \(crossAttention.dimension), feed-forward input \(feedForward.first.weight.shape[0]), norms \([norms.0, norms.1, norms.2].map(\.gamma.shape))")
        self.selfAttention = selfAttention
        self.crossAttention = crossAttention
        self.feedForward = feedForward
        (norm1, norm2, norm3) = norms
        self.normFirst = normFirst
        self.dropout = dropout
    }

    /// The whole target at once (training, teacher forcing): x [batch, t, d] and the memory
    /// [batch, s, d]. `selfMask` is usually the causal mask (with target padding);
    /// `memoryMask` the source padding mask. Returns the output and the cross-attention weights.
    public func forward(_ x: Variable, memory: Variable, selfMask: Tensor?,
                        memoryMask: Tensor?) -> (output: Variable, crossWeights: Variable) {
        let h = residual(x, norm: norm1, normFirst: normFirst, dropout: dropout) { n in
            selfAttention(n, n, mask: selfMask)
        }
        let (k, v) = crossAttention.keysAndValues(memory)
        var weights: Variable? = nil
        let h2 = residual(h, norm: norm2, normFirst: normFirst, dropout: dropout) { n in
            let (c, w) = crossAttention.attend(n, keys: k, values: v, mask: memoryMask)
            weights = w
            return c
        }
        return (residual(h2, norm: norm3, normFirst: normFirst, dropout: dropout, feedForward.callAsFunction), weights!)
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
        var selfCache = cache.selfAttention
        let h = residual(x, norm: norm1, normFirst: normFirst, dropout: dropout) { n in
            selfAttention.cachedSelfAttention(n, cache: &selfCache)
        }
        cache.selfAttention = selfCache
        let (keys, values) = (cache.crossKeys, cache.crossValues)
        let h2 = residual(h, norm: norm2, normFirst: normFirst, dropout: dropout) { n in
            crossAttention.attend(n, keys: .constant(keys), values: .constant(values), mask: memoryMask).output
        }
        return residual(h2, norm: norm3, normFirst: normFirst, dropout: dropout, feedForward.callAsFunction)
    }

    public var parameters: [Variable] {
        selfAttention.parameters + crossAttention.parameters + feedForward.parameters
            + norm1.parameters + norm2.parameters + norm3.parameters
    }
}
