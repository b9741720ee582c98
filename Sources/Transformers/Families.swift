import ScalarAutodiff
import Tensors

/// A stack of encoder blocks and a final layer norm.
public struct TransformerEncoder {
    public let blocks: [EncoderBlock]
    public let norm: LayerNorm

    public init(_ configuration: TransformerConfiguration, dropout: Dropout, rng: inout SeededRandom) {
        blocks = (0..<configuration.layers).map { _ in
            EncoderBlock(dimension: configuration.dimension, heads: configuration.heads,
                         hidden: configuration.hidden, dropout: dropout, rng: &rng)
        }
        norm = LayerNorm(configuration.dimension)
    }

    /// x [batch, t, d] through every block with the same mask, then normalised.
    public func callAsFunction(_ x: Variable, mask: Tensor?) -> Variable {
        norm(blocks.reduce(x) { h, block in block(h, mask: mask) })
    }

    public var parameters: [Variable] { blocks.flatMap(\.parameters) + norm.parameters }
}

/// Encoder-only (BERT-style): bidirectional self-attention, one output distribution per
/// position. Trained to fill in masked tokens, it gives every token a representation that
/// depends on both sides; it does not generate.
public struct EncoderOnlyModel {
    public let configuration: TransformerConfiguration
    public let input: InputEmbedding
    public let encoder: TransformerEncoder
    public let output: Linear
    public let dropout: Dropout

    public init(_ configuration: TransformerConfiguration, seed: UInt64 = 0) {
        var rng = SeededRandom(seed: seed)
        self.configuration = configuration
        dropout = Dropout(probability: configuration.dropout, seed: seed &+ 1)
        input = InputEmbedding(configuration, rng: &rng)
        encoder = TransformerEncoder(configuration, dropout: dropout, rng: &rng)
        output = Linear(configuration.dimension, configuration.vocabularySize, rng: &rng)
    }

    /// Logits [batch, t, vocabulary]; only padding is masked.
    public func callAsFunction(_ tokens: [[Int]]) -> Variable {
        let mask = configuration.padding.map { paddingMask(tokens, padding: $0) }
        return output(encoder(dropout(input(tokens)), mask: mask))
    }

    public var parameters: [Variable] { input.parameters + encoder.parameters + output.parameters }
}

/// Decoder-only (GPT-style): the encoder's block under a causal mask, predicting token t + 1
/// from tokens 0…t. With `prefix` > 0 it is a prefix LM: the first `prefix` positions see each
/// other bidirectionally (the "input"), the rest causally (the "output").
public struct DecoderOnlyModel {
    public let configuration: TransformerConfiguration
    public let input: InputEmbedding
    public let decoder: TransformerEncoder
    public let output: Linear
    public let dropout: Dropout

    public init(_ configuration: TransformerConfiguration, seed: UInt64 = 0) {
        var rng = SeededRandom(seed: seed)
        self.configuration = configuration
        dropout = Dropout(probability: configuration.dropout, seed: seed &+ 1)
        input = InputEmbedding(configuration, rng: &rng)
        decoder = TransformerEncoder(configuration, dropout: dropout, rng: &rng)
        output = Linear(configuration.dimension, configuration.vocabularySize, rng: &rng)
    }

    /// Logits [batch, t, vocabulary] under the causal (or prefix-LM) mask.
    public func callAsFunction(_ tokens: [[Int]], prefix: Int = 0) -> Variable {
        let t = tokens.first?.count ?? 0
        let padding = configuration.padding.map { paddingMask(tokens, padding: $0) }
        let mask = combineMasks(prefixLMMask(length: t, prefix: prefix), padding)
        return output(decoder(dropout(input(tokens)), mask: mask))
    }

    public var parameters: [Variable] { input.parameters + decoder.parameters + output.parameters }
}
