import ScalarAutodiff
import Tensors

/// The position-wise feed-forward network:
///
///     FFN(x) = act(x·W₁ + b₁)·W₂ + b₂,   W₁: [d, d_ff],  W₂: [d_ff, d]
///
/// with act = ReLU, max(0, z), as in the original model, or GELU, z·Φ(z), as in BERT and GPT. The same two layers apply to every
/// position separately (a Linear layer on [batch, t, d] acts on the last axis). Attention mixes
/// information across positions; the FFN transforms each position's vector. The original model
/// uses d_ff = 4d.
public struct FeedForward: Tensors.Layer {
    /// The nonlinearity between the two layers.
    public enum Activation: Sendable {
        /// max(0, z), the original Transformer's.
        case relu
        /// z·Φ(z) with Φ the standard normal distribution function (the exact form, PyTorch's
        /// `activation="gelu"`), BERT's and GPT's.
        case gelu
    }

    public let first: Linear
    public let second: Linear
    public let activation: Activation

    public init(dimension: Int, hidden: Int, activation: Activation = .relu, rng: inout SeededRandom) {
        require(dimension > 0 && hidden > 0,
                     "FeedForward: dimension and hidden width must be positive, got \(dimension) and \(hidden)")
        first = Linear(dimension, hidden, initialisation: .heNormal, rng: &rng)
        second = Linear(hidden, dimension, rng: &rng)
        self.activation = activation
    }

    /// A network from given layers (for example, weights loaded from a file).
    public init(first: Linear, second: Linear, activation: Activation = .relu) {
        require(first.weight.shape[1] == second.weight.shape[0] && first.weight.shape[0] == second.weight.shape[1],
                "FeedForward: the layers must map d → d_ff → d, got weights \(first.weight.shape) and \(second.weight.shape)")
        self.first = first
        self.second = second
        self.activation = activation
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        let z = first(x)
        switch activation {
        case .relu: return second(z.relu())
        case .gelu: return second(z.gelu())
        }
    }

    public var parameters: [Variable] { first.parameters + second.parameters }
}
