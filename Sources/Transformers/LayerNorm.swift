import ScalarAutodiff
import Tensors

/// Layer normalisation (Ba, Kiros and Hinton, 2016) over the last axis:
///
///     μ = (1/d) Σⱼ xⱼ,   σ² = (1/d) Σⱼ (xⱼ − μ)²,   yⱼ = γⱼ · (xⱼ − μ) / √(σ² + ε) + βⱼ
///
/// Every position is normalised on its own, with its own statistics, so the result does not
/// depend on the batch or the sequence length (unlike batch norm), which is what variable-length
/// sequences and one-token-at-a-time decoding need. γ starts at 1 and β at 0.
///
/// Built from differentiable tensor operations, so its gradient follows from theirs (the
/// chapter's tests check it against central differences).
///
/// ```swift
/// let norm = LayerNorm(4)
/// norm(.constant(Tensor([[1, 2, 3, 4]])))   // ≈ [[−1.342, −0.447, 0.447, 1.342]]
/// ```
public struct LayerNorm: Tensors.Layer {
    public let gamma: Variable
    public let beta: Variable
    public let epsilon: Float

    public init(_ dimension: Int, epsilon: Float = 1e-5) {
        require(dimension > 0, "LayerNorm: dimension must be positive, got \(dimension)")
        require(epsilon >= 0, "LayerNorm: epsilon must be non-negative, got \(epsilon)")
        gamma = Variable(Tensor.ones([dimension]))
        beta = Variable(Tensor.zeros([dimension]))
        self.epsilon = epsilon
    }

    /// A layer norm with given γ and β (for example, PyTorch's `weight` and `bias`).
    public init(gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) {
        require(gamma.rank == 1 && gamma.shape == beta.shape,
                "LayerNorm: γ and β must be vectors of one length, got shapes \(gamma.shape) and \(beta.shape)")
        require(epsilon >= 0, "LayerNorm: epsilon must be non-negative, got \(epsilon)")
        self.gamma = Variable(gamma)
        self.beta = Variable(beta)
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        require(x.shape.last == gamma.shape[0],
                     "LayerNorm: input shape \(x.shape) does not end in \(gamma.shape[0])")
        let mu = x.mean(axis: -1, keepingDimension: true)
        let centred = x - mu
        let variance = (centred * centred).mean(axis: -1, keepingDimension: true)
        return centred / (variance + epsilon).sqrt() * gamma + beta
    }

    public var parameters: [Variable] { [gamma, beta] }
}
