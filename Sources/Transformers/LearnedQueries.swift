import ScalarAutodiff
import Tensors

/// A learned-query bottleneck (as in BLIP-2's Q-Former and the Perceiver): k learned vectors
/// cross-attend to the visual tokens, and whatever the text decoder learns about the image it
/// must learn through those k vectors.
///
///     h = Q + MultiHead(LN₁(Q), m, m)      Q: [k, d] learned, m: [batch, N, d] visual tokens
///     z = LN₃(h + FFN(LN₂(h)))             z: [batch, k, d]
///
/// However many patches the image has, the decoder reads k vectors: a fixed-size summary, like
/// chapter 5's single context vector, but k of them, each free to look at a different part of
/// the image.
public struct LearnedQueries {
    /// Q, [k, d].
    public let queries: Variable
    public let attention: MultiHeadAttention
    public let feedForward: FeedForward
    public let norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm

    public init(count: Int, dimension: Int, heads: Int, hidden: Int, rng: inout SeededRandom) {
        require(count > 0, "LearnedQueries: needs at least one query, got \(count)")
        queries = Variable(Tensor.randomNormal([count, dimension], rng: &rng))
        attention = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
        feedForward = FeedForward(dimension: dimension, hidden: hidden, rng: &rng)
        norm1 = LayerNorm(dimension)
        norm2 = LayerNorm(dimension)
        norm3 = LayerNorm(dimension)
    }

    /// The queries' attention over the visual tokens: the outputs z [batch, k, d] and the
    /// weights [batch, h, k, N] (which patches each query read).
    public func forward(_ tokens: Variable) -> (output: Variable, weights: Variable) {
        let (b, d) = (tokens.shape[0], queries.shape[1])
        // The same k queries for every image: a [b, k, d] batch whose rows all lead back to Q.
        require(tokens.shape.count == 3 && tokens.shape[2] == d,
                "LearnedQueries: expected visual tokens [batch, N, \(d)], got shape \(tokens.shape)")
        let q = Variable.stack(Array(repeating: queries, count: b), axis: 0)
        let (keys, values) = attention.keysAndValues(tokens)
        let (read, weights) = attention.attend(norm1(q), keys: keys, values: values)
        let h = q + read
        return (norm3(h + feedForward(norm2(h))), weights)
    }

    public func callAsFunction(_ tokens: Variable) -> Variable { forward(tokens).output }

    public var parameters: [Variable] {
        [queries] + attention.parameters + feedForward.parameters + norm1.parameters + norm2.parameters + norm3.parameters
    }
}
