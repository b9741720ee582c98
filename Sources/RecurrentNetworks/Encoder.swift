import ScalarAutodiff
import Tensors

/// What an encoder returns: a state for every source position, the context vector and the mask.
///
/// Chapter 5's decoder reads only `context`; chapter 6's attention reads every `states[j]`
/// and uses `mask` to ignore padding.
public struct EncoderOutput {
    /// hⱼ for j = 0 ..< T, each [B, D] (D = H, or 2H when bidirectional: [→hⱼ ; ←hⱼ]).
    /// At padded positions the forward half repeats the sequence's last real state and the
    /// backward half is 0 (the backward GRU has not started yet); attention must use `mask`.
    public let states: [Variable]
    /// c [B, D]: →h at each sequence's last real token (and ←h at its first, when bidirectional).
    public let context: Variable
    /// The padding mask [B, T]: 1 at padding (a position attention must not look at), 0 at a
    /// real token. This is the book's one mask convention, PyTorch's: 1 (true) = blocked
    /// (chapter 6, section 6.1).
    public let mask: Tensor
    /// The true length of each source sequence.
    public let lengths: [Int]
}

/// pₜ [B, 1]: 1 for the rows that are padding at position t, 0 for those with a real token.
func paddingColumn(_ lengths: [Int], at t: Int) -> Tensor {
    Tensor(shape: [lengths.count, 1], scalars: lengths.map { t < $0 ? 0 : 1 })
}

/// Runs `cell` over the embedded inputs xₜ ([B, E] each) in the given order of positions,
/// from h = 0. Where a row is padding (pₜ = 1) its state is carried over unchanged:
///
///     h ← (1 − pₜ) ∗ cell(xₜ, h) + pₜ ∗ h
///
/// so a forward pass ends at each sequence's last real token and a backward pass starts at it.
/// Returns the state after each position, indexed by position.
public func runRecurrence(_ cell: GRUCell, inputs: [Variable], lengths: [Int], order: [Int]) -> [Variable] {
    runMaskedRecurrence(initial: .constant(Tensor.zeros([lengths.count, cell.hiddenSize])), inputs: inputs,
                        lengths: lengths, order: order) { cell($0, $1) }
}

/// The masked recurrence of ``runRecurrence(_:inputs:lengths:order:)`` for any cell, given as
/// `step(xₜ, state) → state'`, from `initial` [B, S]. An LSTM passes its state as one [B, 2H]
/// variable [h ; c], so padding carries both h and c over.
public func runMaskedRecurrence(initial: Variable, inputs: [Variable], lengths: [Int], order: [Int],
                                step: (Variable, Variable) -> Variable) -> [Variable] {
    var h = initial
    var states = [Variable?](repeating: nil, count: inputs.count)
    let full = lengths.allSatisfy { $0 == inputs.count }
    for t in order {
        let next = step(inputs[t], h)
        if full {
            h = next
        } else {
            let p = paddingColumn(lengths, at: t)
            h = next * (1 - p) + h * p
        }
        states[t] = h
    }
    return states.map { $0! }
}

/// The encoder: embeddings and a GRU, hₜ = GRU(embed(xₜ), hₜ₋₁), read left to right; with
/// `bidirectional`, a second GRU reads right to left and each position's state is the
/// concatenation hⱼ = [→hⱼ ; ←hⱼ], so it summarises the words on both sides of j.
///
/// ```swift
/// let encoder = GRUEncoder(vocabularySize: 20, embeddingSize: 32, hiddenSize: 64, bidirectional: true, rng: &rng)
/// let encoded = encoder([[5, 6, 7], [8, 9, 0]], lengths: [3, 2])
/// encoded.states.count           // 3 positions
/// encoded.context.shape          // [2, 128]
/// ```
public struct GRUEncoder {
    public let embedding: Embedding
    public let forward: GRUCell
    /// The right-to-left GRU of a bidirectional encoder, or nil.
    public let backward: GRUCell?

    public init(vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, bidirectional: Bool = false,
                rng: inout SeededRandom) {
        require(vocabularySize > 0 && embeddingSize > 0,
                     "GRUEncoder: vocabularySize and embeddingSize must be positive, got \(vocabularySize) and \(embeddingSize)")
        embedding = Embedding(vocabularySize: vocabularySize, dimension: embeddingSize, rng: &rng)
        forward = GRUCell(inputSize: embeddingSize, hiddenSize: hiddenSize, rng: &rng)
        backward = bidirectional ? GRUCell(inputSize: embeddingSize, hiddenSize: hiddenSize, rng: &rng) : nil
    }

    /// D: the size of each state and of the context, H or 2H.
    public var outputSize: Int { forward.hiddenSize * (backward == nil ? 1 : 2) }

    /// Encodes a batch of id sequences, padded to one length T (`lengths` gives the real
    /// lengths; by default every row is full).
    public func callAsFunction(_ ids: [[Int]], lengths: [Int]? = nil) -> EncoderOutput {
        require(!ids.isEmpty, "GRUEncoder: the batch is empty")
        let T = ids[0].count
        require(T > 0 && ids.allSatisfy { $0.count == T },
                     "GRUEncoder: sequences in a batch must be padded to one non-zero length, got lengths \(ids.map(\.count))")
        let lengths = lengths ?? Array(repeating: T, count: ids.count)
        require(lengths.count == ids.count && lengths.allSatisfy { (1...T).contains($0) },
                     "GRUEncoder: lengths \(lengths) must give one length in 1...\(T) per sequence (\(ids.count) sequences)")
        let vocabulary = embedding.table.shape[0]
        for row in ids {
            for id in row where id < 0 || id >= vocabulary {
                fatalError("GRUEncoder: token id \(id) is not in the vocabulary 0..<\(vocabulary)")
            }
        }
        // Time-major: xₜ holds the t-th token of every sequence.
        let inputs = (0..<T).map { t in embedding(ids.map { $0[t] }) }
        let forwardStates = runRecurrence(forward, inputs: inputs, lengths: lengths, order: Array(0..<T))
        // →h at each row's last real token: padded rows carried it to position T − 1.
        var context = forwardStates[T - 1]
        var states = forwardStates
        if let backward {
            let backwardStates = runRecurrence(backward, inputs: inputs, lengths: lengths, order: Array((0..<T).reversed()))
            states = (0..<T).map { Variable.concatenate([forwardStates[$0], backwardStates[$0]], axis: 1) }
            context = Variable.concatenate([forwardStates[T - 1], backwardStates[0]], axis: 1)
        }
        let mask = Tensor(shape: [ids.count, T], scalars: lengths.flatMap { n in (0..<T).map { $0 < n ? 0 : 1 } })
        return EncoderOutput(states: states, context: context, mask: mask, lengths: lengths)
    }

    public var parameters: [Variable] {
        embedding.parameters + forward.parameters + (backward?.parameters ?? [])
    }

    /// `embedding.weight` and the GRU's as PyTorch's `nn.GRU(bidirectional:)` names them:
    /// `rnn.weight_ih_l0` …, and `rnn.weight_ih_l0_reverse` … for the backward direction.
    public var namedParameters: [String: Variable] {
        namespaced(["embedding": embedding.namedParameters,
                    "rnn": layerNames(forward.namedParameters).merging(backward.map { layerNames($0.namedParameters, reverse: true) } ?? [:]) { a, _ in a }])
    }
}
