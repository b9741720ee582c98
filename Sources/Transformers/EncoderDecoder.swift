import ScalarAutodiff
import Tensors

/// The encoder's output for a batch of sources: the memory the decoder attends to.
public struct EncodedSource {
    /// m, shape [batch, s, d].
    public let states: Variable
    /// The source padding mask [batch, 1, 1, s], if the configuration has a padding token.
    public let mask: Tensor?

    public init(states: Variable, mask: Tensor?) {
        self.states = states
        self.mask = mask
    }
}

/// Encoder-decoder (T5/BART-style, and the original Transformer): a bidirectional encoder reads
/// the source; a causal decoder writes the target, attending to the encoder's output through
/// cross-attention in every block. Source and target share one embedding table (as in T5).
///
/// ```swift
/// let model = EncoderDecoderModel(TransformerConfiguration(vocabularySize: 13), seed: 1)
/// let logits = model(source: [[3, 4, 5]], target: [[1, 5, 4]])   // [1, 3, 13]
/// ```
public struct EncoderDecoderModel {
    public let configuration: TransformerConfiguration
    public let input: InputEmbedding
    public let encoder: TransformerEncoder
    public let decoder: TransformerDecoder
    public let dropout: Dropout

    public init(_ configuration: TransformerConfiguration, seed: UInt64 = 0) {
        var rng = SeededRandom(seed: seed)
        self.configuration = configuration
        let dropout = Dropout(probability: configuration.dropout, seed: seed &+ 1)
        self.dropout = dropout
        input = InputEmbedding(configuration, rng: &rng)
        encoder = TransformerEncoder(configuration, dropout: dropout, rng: &rng)
        decoder = TransformerDecoder(configuration, input: input, dropout: dropout, rng: &rng)
    }

    /// The decoder's blocks.
    public var blocks: [DecoderBlock] { decoder.blocks }

    /// Runs the encoder over a batch of equal-length sources [batch, s].
    public func encode(_ source: [[Int]]) -> EncodedSource {
        let mask = configuration.padding.map { paddingMask(source, padding: $0) }
        return EncodedSource(states: encoder(dropout(input(source)), mask: mask), mask: mask)
    }

    /// Teacher forcing: the logits [batch, t, vocabulary] for every target position at once, and
    /// the last block's cross-attention weights [batch, h, t, s] (see ``TransformerDecoder``).
    public func decode(_ target: [[Int]], memory: EncodedSource) -> (logits: Variable, crossWeights: Variable) {
        decoder(target, memory: memory.states, memoryMask: memory.mask)
    }

    /// Logits [batch, t, vocabulary] of `target` given `source` (teacher forcing).
    public func callAsFunction(source: [[Int]], target: [[Int]]) -> Variable {
        decode(target, memory: encode(source)).logits
    }

    public var parameters: [Variable] {
        input.parameters + encoder.parameters + decoder.ownParameters
    }
}
