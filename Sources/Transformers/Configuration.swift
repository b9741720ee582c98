import ScalarAutodiff
import Tensors

/// The sizes of a Transformer. The base model of Vaswani et al. has d = 512, h = 8,
/// d_ff = 2048 and 6 layers; the book's demos use d = 32.
public struct TransformerConfiguration: Sendable {
    public var vocabularySize: Int
    /// d, the width of every position's vector.
    public var dimension: Int
    public var heads: Int
    /// d_ff, the hidden width of the feed-forward network.
    public var hidden: Int
    /// Blocks in the stack (for an encoder-decoder, in each of the two stacks).
    public var layers: Int
    /// The longest sequence the positional encoding table covers.
    public var maxLength: Int
    public var dropout: Float
    /// The padding token, if any: masked as a key, so no query looks at it.
    public var padding: Int?

    public init(vocabularySize: Int, dimension: Int = 32, heads: Int = 4, hidden: Int = 64, layers: Int = 2,
                maxLength: Int = 64, dropout: Float = 0, padding: Int? = nil) {
        require(vocabularySize > 0, "TransformerConfiguration: vocabularySize must be positive, got \(vocabularySize)")
        require(heads > 0 && dimension % heads == 0,
                     "TransformerConfiguration: dimension \(dimension) must be a multiple of heads \(heads)")
        require(dimension % 2 == 0, "TransformerConfiguration: dimension must be even for the positional encoding, got \(dimension)")
        require(layers > 0 && hidden > 0 && maxLength > 0,
                     "TransformerConfiguration: layers, hidden and maxLength must be positive, got \(layers), \(hidden), \(maxLength)")
        require(dropout >= 0 && dropout < 1, "TransformerConfiguration: dropout must be in [0, 1), got \(dropout)")
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        self.heads = heads
        self.hidden = hidden
        self.layers = layers
        self.maxLength = maxLength
        self.dropout = dropout
        self.padding = padding
    }
}

/// Token embedding plus positional encoding: x_pos = E[token] + PE(pos).
///
/// The book's embeddings start as N(0, 1) samples, the same scale as the sines and cosines, so
/// they are added as they are. (The paper multiplies its embeddings by √d, without giving a
/// reason; its embedding matrix is shared with the output layer.)
public struct InputEmbedding {
    public let embedding: Embedding
    public let positions: Tensor

    public init(_ configuration: TransformerConfiguration, rng: inout SeededRandom) {
        embedding = Embedding(vocabularySize: configuration.vocabularySize, dimension: configuration.dimension, rng: &rng)
        positions = positionalEncoding(length: configuration.maxLength, dimension: configuration.dimension)
    }

    /// An input embedding with a given table (for example, loaded from a file) and the
    /// positional encoding of `maxLength` positions.
    public init(embedding: Embedding, maxLength: Int) {
        self.embedding = embedding
        positions = positionalEncoding(length: maxLength, dimension: embedding.table.shape[1])
    }

    /// The vectors of a batch of equal-length sequences [batch, t] → [batch, t, d], the first
    /// token at position `offset` (a cached decoding step passes the number of tokens so far).
    public func callAsFunction(_ tokens: [[Int]], offset: Int = 0) -> Variable {
        require(!tokens.isEmpty, "InputEmbedding: no sequences given")
        let t = tokens[0].count
        require(tokens.allSatisfy { $0.count == t },
                     "InputEmbedding: sequences must have equal length (pad them), got lengths \(tokens.map(\.count))")
        require(offset + t <= positions.shape[0],
                     "InputEmbedding: positions \(offset)..<\(offset + t) exceed maxLength \(positions.shape[0])")
        for token in tokens.joined() {
            require(token >= 0 && token < embedding.table.shape[0],
                         "InputEmbedding: token \(token) is not in the vocabulary 0..<\(embedding.table.shape[0])")
        }
        let e = embedding(Array(tokens.joined()), shape: [tokens.count, t])
        return e + positions.slice(axis: 0, offset..<(offset + t))
    }

    public var parameters: [Variable] { embedding.parameters }
}
