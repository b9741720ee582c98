// Parameter counts of the recurrent layers and of the book's reference translation model.

/// Parameters of a vanilla RNN cell: H(E + H) + 2H.
public func rnnParameterCount(input E: Int, hidden H: Int) -> Int { H * (E + H) + 2 * H }

/// Parameters of a GRU cell: three gates, each with W_i [E, H], W_h [H, H] and two biases:
/// 3H(E + H) + 6H. GRU(32, 64) = 18,816.
public func gruParameterCount(input E: Int, hidden H: Int) -> Int { 3 * H * (E + H) + 6 * H }

/// Parameters of an LSTM cell: four gates: 4H(E + H) + 8H. LSTM(32, 64) = 25,088.
public func lstmParameterCount(input E: Int, hidden H: Int) -> Int { 4 * H * (E + H) + 8 * H }

/// Parameters of a Linear layer: in·out weights, plus out biases if it has them.
public func linearParameterCount(_ inputs: Int, _ outputs: Int, bias: Bool = true) -> Int {
    inputs * outputs + (bias ? outputs : 0)
}

/// The parts of the book's reference translation model and their parameter counts.
///
/// The model (built in chapter 6) is a bidirectional GRU encoder and a GRU decoder with additive
/// (Bahdanau) attention; embedding E = 32, hidden H = 64, vocabularies 20 and 20:
///
///     embeddings      2 · (20 · 32)                          1,280
///     encoder         2 · GRU(32, 64)   forward and backward  37,632
///     bridge          Linear(2H → H) with bias, tanh           8,256
///     decoder GRU     GRU(E + 2H, H): input [y embedding; c]  43,392
///     attention       W_a [H, H], U_a [2H, H], v [H], no bias  12,352
///     output          Linear(H → 20) with bias                 1,300
///                                                    total   104,212
///
/// The attention line is eᵢⱼ = vᵀ tanh(W_a sᵢ₋₁ + U_a hⱼ): (H + 2H)·H + H = 12,352. A layout
/// with a bias in the tanh layer *and* v would have 12,416 and a total of 104,276, so the
/// reference has no bias there (Tools/chapter5_pytorch_fixture.py builds it in PyTorch and counts).
public struct ReferenceModelSize: Sendable, Equatable {
    public let embedding: Int, hidden: Int, sourceVocabulary: Int, targetVocabulary: Int

    public init(embedding: Int = 32, hidden: Int = 64, sourceVocabulary: Int = 20, targetVocabulary: Int = 20) {
        self.embedding = embedding
        self.hidden = hidden
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
    }

    /// Each part and its count, in the order of the table above.
    public var parts: [(name: String, count: Int)] {
        let E = embedding, H = hidden
        return [
            ("embeddings", sourceVocabulary * E + targetVocabulary * E),
            ("bidirectional GRU encoder", 2 * gruParameterCount(input: E, hidden: H)),
            ("bridge Linear(2H → H)", linearParameterCount(2 * H, H)),
            ("decoder GRU(E + 2H, H)", gruParameterCount(input: E + 2 * H, hidden: H)),
            ("additive attention W_a, U_a, v", linearParameterCount(H, H, bias: false)
                + linearParameterCount(2 * H, H, bias: false) + H),
            ("output Linear(H → V)", linearParameterCount(H, targetVocabulary)),
        ]
    }

    /// The sum of the parts: 104,212 for the defaults.
    public var total: Int { parts.reduce(0) { $0 + $1.count } }
}
