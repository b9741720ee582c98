import ScalarAutodiff
import Tensors

/// A variational autoencoder (Kingma and Welling, 2014): a ``GaussianEncoder`` to q(z | x), the
/// reparameterised sample z = μ + σ ⊙ ε, and a decoder from z to the parameters of p(x | z).
///
///     x ──encoder──▶ (μ, log σ²) ──z = μ + σ⊙ε──▶ z ──decoder──▶ logits of p(x | z)
///
/// Trained on the negative ELBO (``negativeELBO(x:decoderOutput:mu:logVariance:beta:likelihood:)``),
/// it is an autoencoder whose codes are pushed towards N(0, I). That is what makes its decoder a
/// generator: decode any z drawn from N(0, I) and you get something that looks like the data.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let vae = VariationalAutoencoder(inputs: 64, hidden: [128], latent: 2, rng: &rng)
/// let terms = vae.elboLoss(batch, beta: 1, rng: &rng)     // batch: [B, 64] in [0, 1]
/// terms.loss.backward()
/// let samples = vae.decode(samplePrior(count: 16, latent: 2, rng: &rng))   // [16, 64]
/// ```
public struct VariationalAutoencoder {
    public let encoder: GaussianEncoder
    /// z ↦ decoder output (logits for Bernoulli pixels, means for Gaussian ones).
    public let decoder: Sequential
    public let likelihood: Likelihood
    /// The number of latent dimensions d.
    public let latent: Int

    /// An MLP VAE: encoder `inputs → hidden… → (μ, log σ²)`, decoder `latent → reversed hidden… → inputs`.
    public init(inputs: Int, hidden: [Int], latent: Int, likelihood: Likelihood = .bernoulli,
                rng: inout SeededRandom) {
        encoder = GaussianEncoder(inputs: inputs, hidden: hidden, latent: latent, rng: &rng)
        decoder = makeDecoder(latent: latent, hidden: hidden.reversed(), outputs: inputs, rng: &rng)
        self.likelihood = likelihood
        self.latent = latent
    }

    /// Everything one training step needs, for a given noise ε of shape [batch, latent].
    public struct Pass {
        public let mu: Variable
        public let logVariance: Variable
        public let z: Variable
        public let decoderOutput: Variable
    }

    /// The forward pass with the noise ε given (fixed ε makes the pass deterministic, which is
    /// what a gradient check needs).
    public func forwardPass(_ x: Tensor, epsilon: Tensor) -> Pass {
        require(x.rank == 2, "VariationalAutoencoder: expected x of shape [batch, pixels], got \(x.shape)")
        let (mu, logVariance) = encoder(.constant(x))
        let z = reparameterise(mu: mu, logVariance: logVariance, epsilon: epsilon)
        return Pass(mu: mu, logVariance: logVariance, z: z, decoderOutput: decoder(z))
    }

    /// The β-weighted negative ELBO of a batch with fixed noise ε.
    public func elboLoss(_ x: Tensor, beta: Float, epsilon: Tensor) -> ELBOLoss {
        let pass = forwardPass(x, epsilon: epsilon)
        return negativeELBO(x: x, decoderOutput: pass.decoderOutput, mu: pass.mu,
                            logVariance: pass.logVariance, beta: beta, likelihood: likelihood)
    }

    /// The β-weighted negative ELBO of a batch, with one fresh ε ~ N(0, I) per input.
    public func elboLoss(_ x: Tensor, beta: Float, rng: inout SeededRandom) -> ELBOLoss {
        elboLoss(x, beta: beta, epsilon: Tensor.randomNormal([x.shape[0], latent], rng: &rng))
    }

    /// μ and log σ² for each row of x, as plain tensors (no graph).
    public func encode(_ x: Tensor) -> (mu: Tensor, logVariance: Tensor) {
        let (mu, logVariance) = encoder(.constant(x))
        return (mu.value, logVariance.value)
    }

    /// The mean of p(x | z) for each row of z: σ(logits) for Bernoulli pixels, the output itself
    /// for Gaussian ones. z has shape [count, latent]; the result [count, pixels].
    public func decode(_ z: Tensor) -> Tensor {
        require(z.rank == 2 && z.shape[1] == latent,
                     "VariationalAutoencoder.decode: expected z of shape [count, \(latent)], got \(z.shape)")
        let output = decoder(.constant(z)).value
        return likelihood == .bernoulli ? output.sigmoid() : output
    }

    /// x ↦ decode(μ(x)): the deterministic reconstruction, as an autoencoder would give.
    public func reconstruct(_ x: Tensor) -> Tensor { decode(encode(x).mu) }

    /// Every trainable variable: the encoder's, then the decoder's.
    public var parameters: [Variable] { encoder.parameters + decoder.parameters }

    /// The parameters by name, PyTorch style, under the fields' names. For the demo's
    /// 64 → 256 → ℝ² → 256 → 64 model:
    ///
    ///     encoder.body.0.weight [64, 256]        encoder.body.0.bias [256]
    ///     encoder.muHead.weight [256, 2]         encoder.muHead.bias [2]
    ///     encoder.logVarianceHead.weight [256, 2] encoder.logVarianceHead.bias [2]
    ///     decoder.0.weight [2, 256]  decoder.0.bias [256]  decoder.2.weight [256, 64]  decoder.2.bias [64]
    ///
    /// A VAE is not a `Layer` (its forward pass returns several things), so its weights are saved
    /// with `stateDict` and restored with `loadStateDict(_:)` below.
    public var namedParameters: [String: Variable] {
        namespaced(["encoder": encoder.namedParameters, "decoder": decoder.namedParameters])
    }

    /// A copy of every parameter's value, by name: what a weights file holds.
    public var stateDict: [String: Tensor] { Tensors.stateDict(of: namedParameters) }

    /// Sets every parameter from `state`, which must hold exactly this model's names with their
    /// shapes; otherwise it throws `StateDictError` and changes nothing.
    public func loadStateDict(_ state: [String: Tensor]) throws {
        try Tensors.loadStateDict(state, into: namedParameters)
    }
}
