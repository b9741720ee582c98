import Autoencoders
import ScalarAutodiff
import Tensors

/// The encoder of a VAE: x ↦ the parameters (μ, log σ²) of a diagonal Gaussian q(z | x).
///
/// A plain autoencoder's encoder returns one point z for each input. A VAE's encoder returns a
/// distribution instead: for each of the d latent dimensions a mean μⱼ and a log-variance
/// log σⱼ², from two linear heads on a shared body:
///
///     h = body(x)                 (Linear, ReLU, …)
///     μ = h·W_μ + b_μ,    log σ² = h·W_v + b_v
///
/// The log-variance, not σ, is the output, because a linear layer can return any real number and
/// every real number is a valid log σ²; σ = exp(½ log σ²) is then always positive.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let encoder = GaussianEncoder(inputs: 64, hidden: [128], latent: 2, rng: &rng)
/// let (mu, logVariance) = encoder(.constant(x))      // x: [batch, 64] → two [batch, 2]
/// ```
public struct GaussianEncoder {
    /// The shared layers before the two heads (may be empty).
    public let body: Sequential
    /// The head that outputs μ.
    public let muHead: Linear
    /// The head that outputs log σ².
    public let logVarianceHead: Linear

    /// A body of `Linear, ReLU` pairs of the given `hidden` widths, then the two heads.
    public init(inputs: Int, hidden: [Int], latent: Int, rng: inout SeededRandom) {
        require(inputs > 0 && latent > 0 && hidden.allSatisfy { $0 > 0 },
                     "GaussianEncoder: inputs (\(inputs)), hidden widths (\(hidden)) and latent (\(latent)) must be positive")
        // Linear + ReLU pairs through the hidden widths (chapter 3's builder).
        body = mlpLayers([inputs] + hidden, finalActivation: ReLU(), rng: &rng)
        let width = hidden.last ?? inputs
        muHead = Linear(width, latent, rng: &rng)
        logVarianceHead = Linear(width, latent, rng: &rng)
    }

    /// μ and log σ², each of shape [batch, latent].
    public func callAsFunction(_ x: Variable) -> (mu: Variable, logVariance: Variable) {
        let h = body(x)
        return (muHead(h), logVarianceHead(h))
    }

    /// Every trainable variable: the body's, then μ's head, then log σ²'s head.
    public var parameters: [Variable] { body.parameters + muHead.parameters + logVarianceHead.parameters }

    /// The parameters by name, under the fields' names: `body.0.weight`, `body.0.bias`, …,
    /// `muHead.weight`, `muHead.bias`, `logVarianceHead.weight`, `logVarianceHead.bias`.
    public var namedParameters: [String: Variable] {
        namespaced(["body": body.namedParameters, "muHead": muHead.namedParameters,
                    "logVarianceHead": logVarianceHead.namedParameters])
    }
}

/// A decoder z ↦ logits of p(x | z): `Linear, ReLU` pairs of the `hidden` widths, then a final
/// `Linear` to `outputs` numbers with no activation (the loss applies the sigmoid).
public func makeDecoder(latent: Int, hidden: [Int], outputs: Int, rng: inout SeededRandom) -> Sequential {
    require(latent > 0 && outputs > 0 && hidden.allSatisfy { $0 > 0 },
                 "makeDecoder: latent (\(latent)), hidden widths (\(hidden)) and outputs (\(outputs)) must be positive")
    return mlpLayers([latent] + hidden + [outputs], finalActivation: nil, rng: &rng)
}
