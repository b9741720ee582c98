import ScalarAutodiff
import Tensors

/// The decoder half of an encoder-decoder: token embedding and positions, a stack of decoder
/// blocks that cross-attend to a memory, a final layer norm and the output layer. The memory
/// can be any sequence of vectors [batch, s, d]: a text encoder's output (``EncoderDecoderModel``)
/// or an image's patch tokens (``ImageCaptioner``).
public struct TransformerDecoder {
    public let input: InputEmbedding
    public let blocks: [DecoderBlock]
    public let norm: LayerNorm
    public let output: Linear
    public let dropout: Dropout

    /// A decoder reading tokens through `input` (an encoder-decoder passes the embedding its
    /// encoder shares).
    public init(_ configuration: TransformerConfiguration, input: InputEmbedding, dropout: Dropout, rng: inout SeededRandom) {
        self.input = input
        self.dropout = dropout
        blocks = (0..<configuration.layers).map { _ in
            DecoderBlock(dimension: configuration.dimension, heads: configuration.heads,
                         hidden: configuration.hidden, dropout: dropout, rng: &rng)
        }
        norm = LayerNorm(configuration.dimension)
        output = Linear(configuration.dimension, configuration.vocabularySize, rng: &rng)
    }

    /// Teacher forcing: the logits [batch, t, vocabulary] for every position of `target` at
    /// once, under the causal mask, and the last block's cross-attention weights [batch, h, t, s].
    ///
    /// The target needs only the causal mask: padding sits at the end of a target, and under the
    /// causal mask no real position looks ahead to it (the loss ignores the padded positions).
    public func callAsFunction(_ target: [[Int]], memory: Variable, memoryMask: Tensor?) -> (logits: Variable, crossWeights: Variable) {
        let t = target.first?.count ?? 0
        let selfMask = Tensor.causalMask(t)
        var h = dropout(input(target))
        var weights: Variable? = nil
        for block in blocks {
            (h, weights) = block.forward(h, memory: memory, selfMask: selfMask, memoryMask: memoryMask)
        }
        return (output(norm(h)), weights!)
    }

    /// One cache per block for one memory: each block's cross-attention keys and values,
    /// computed once.
    public func startCaches(memory: Variable) -> [LayerCache] {
        blocks.map { $0.startCache(memory: memory) }
    }

    /// One cached decoding step: `tokens` (one per batch row) at `position`; returns the logits
    /// [batch, vocabulary] of the next token. Only the new position is computed.
    public func step(_ tokens: [Int], position: Int, caches: inout [LayerCache], memoryMask: Tensor?) -> Tensor {
        var h = input(tokens.map { [$0] }, offset: position)
        for (i, block) in blocks.enumerated() {
            h = block.step(h, cache: &caches[i], memoryMask: memoryMask)
        }
        return output(norm(h)).value.reshaped([tokens.count, output.weight.shape[1]])
    }

    /// The parameters of the blocks, the norm and the output layer; the embedding's belong to
    /// whoever owns it (an encoder-decoder shares it with its encoder).
    public var ownParameters: [Variable] { blocks.flatMap(\.parameters) + norm.parameters + output.parameters }
}
