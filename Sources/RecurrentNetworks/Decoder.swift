import ScalarAutodiff
import Tensors

/// The decoder: a GRU that reads the previous target token and predicts the next one.
///
///     sₜ = GRU([embed(yₜ₋₁) ; extra], sₜ₋₁)           s₀ comes from the encoder's context c
///     P(yₜ | y<ₜ, c) = softmax(W sₜ + b)
///
/// In chapter 5 there is no `extra` input (`contextSize` 0): everything the decoder knows about
/// the source is in s₀. Chapter 6 passes an attention context there, a different one at every
/// step, with `contextSize` = the encoder's output size.
///
/// The decoder is unidirectional even when the encoder is not: it produces yₜ before yₜ₊₁
/// exists, so there is no right-hand side to read.
public struct GRUDecoder {
    public let embedding: Embedding
    public let cell: GRUCell
    /// W [H, V] and b [V]: the scores of the next token.
    public let output: Linear
    /// The size of the extra vector concatenated to the token embedding at every step (0 for none).
    public let contextSize: Int

    public init(vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, contextSize: Int = 0,
                rng: inout SeededRandom) {
        require(vocabularySize > 0 && embeddingSize > 0 && contextSize >= 0,
                     "GRUDecoder: vocabularySize and embeddingSize must be positive and contextSize non-negative, got \(vocabularySize), \(embeddingSize), \(contextSize)")
        embedding = Embedding(vocabularySize: vocabularySize, dimension: embeddingSize, rng: &rng)
        cell = GRUCell(inputSize: embeddingSize + contextSize, hiddenSize: hiddenSize, rng: &rng)
        output = Linear(hiddenSize, vocabularySize, rng: &rng)
        self.contextSize = contextSize
    }

    public var vocabularySize: Int { embedding.table.shape[0] }
    public var hiddenSize: Int { cell.hiddenSize }

    /// One step for a batch: the previous tokens yₜ₋₁ (one id per row), the state sₜ₋₁ [B, H]
    /// and, if `contextSize` > 0, the extra input [B, contextSize]. Returns the logits
    /// W sₜ + b [B, V] and the new state sₜ.
    public func step(previous: [Int], state: Variable, extra: Variable? = nil) -> (logits: Variable, state: Variable) {
        require(previous.allSatisfy { $0 >= 0 && $0 < vocabularySize },
                     "GRUDecoder: previous tokens \(previous) are not all in the vocabulary 0..<\(vocabularySize)")
        var x = embedding(previous)
        if contextSize > 0 {
            guard let extra else { fatalError("GRUDecoder: this decoder takes an extra input of size \(contextSize) at every step, and none was given") }
            require(extra.shape == [previous.count, contextSize],
                         "GRUDecoder: the extra input has shape \(extra.shape), expected [\(previous.count), \(contextSize)]")
            x = Variable.concatenate([x, extra], axis: 1)
        } else {
            require(extra == nil, "GRUDecoder: an extra input was given to a decoder built with contextSize 0")
        }
        let s = cell(x, state)
        return (output(s), s)
    }

    public var parameters: [Variable] { embedding.parameters + cell.parameters + output.parameters }

    /// `embedding.weight`, `rnn.weight_ih_l0` … (PyTorch's `nn.GRU` names) and `output.weight`, `output.bias`.
    public var namedParameters: [String: Variable] {
        namespaced(["embedding": embedding.namedParameters, "rnn": layerNames(cell.namedParameters), "output": output.namedParameters])
    }
}
