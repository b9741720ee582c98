import ScalarAutodiff
import Tensors

/// The position-wise feed-forward network:
///
///     FFN(x) = max(0, x·W₁ + b₁)·W₂ + b₂,   W₁: [d, d_ff],  W₂: [d_ff, d]
///
/// The same two layers apply to every position separately (a Linear layer on [batch, t, d] acts
/// on the last axis). Attention mixes information across positions; the FFN transforms each
/// position's vector. The original model uses d_ff = 4d.
public struct FeedForward: Tensors.Layer {
    public let first: Linear
    public let second: Linear

    public init(dimension: Int, hidden: Int, rng: inout SeededRandom) {
        require(dimension > 0 && hidden > 0,
                     "FeedForward: dimension and hidden width must be positive, got \(dimension) and \(hidden)")
        first = Linear(dimension, hidden, initialisation: .heNormal, rng: &rng)
        second = Linear(hidden, dimension, rng: &rng)
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        second(first(x).relu())
    }

    public var parameters: [Variable] { first.parameters + second.parameters }
}
