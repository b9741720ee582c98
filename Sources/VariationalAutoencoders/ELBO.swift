import ScalarAutodiff
import Tensors

/// How the decoder's output is read as a distribution p(x | z), which fixes the reconstruction
/// term −log p(x | z).
public enum Likelihood: Sendable, Equatable {
    /// Each pixel is a Bernoulli variable with probability σ(logit). The reconstruction term is
    /// the binary cross-entropy, summed over pixels:
    ///
    ///     −log p(x | z) = Σₖ [max(ℓₖ, 0) − ℓₖxₖ + log(1 + e^−|ℓₖ|)]
    ///
    /// The book's choice for the digits, whose pixels lie in [0, 1]. For grey values between 0 and
    /// 1 its minimum is the entropy of x, not 0, a constant that changes no gradient.
    case bernoulli
    /// Each pixel is N(decoder output, `variance`). Up to a constant,
    ///
    ///     −log p(x | z) = Σₖ (xₖ − x̂ₖ)² / (2·variance)
    ///
    /// the squared error of an autoencoder, scaled. The variance sets the exchange rate between
    /// reconstruction and KL: a large variance makes errors cheap, so the KL wins.
    case gaussian(variance: Float)
}

/// The reconstruction term −log p(x | z), summed over the pixels of each image and averaged over
/// the batch. `decoderOutput` holds logits for ``Likelihood/bernoulli`` and means for
/// ``Likelihood/gaussian(variance:)``; both it and `x` have shape [batch, pixels].
public func negativeLogLikelihood(_ decoderOutput: Variable, _ x: Tensor, likelihood: Likelihood) -> Variable {
    require(decoderOutput.shape == x.shape && x.rank == 2,
                 "negativeLogLikelihood: decoder output \(decoderOutput.shape) and data \(x.shape) must have the same shape [batch, pixels]")
    let pixels = Float(x.shape[1])
    switch likelihood {
    case .bernoulli:
        // binaryCrossEntropy averages over batch · pixels; times pixels gives sum over pixels, mean over batch.
        return binaryCrossEntropy(logits: decoderOutput, targets: x) * pixels
    case .gaussian(let variance):
        require(variance > 0, "negativeLogLikelihood: the Gaussian variance must be positive, got \(variance)")
        return meanSquaredError(decoderOutput, x) * (pixels / (2 * variance))
    }
}

/// The two terms of the negative ELBO and their weighted sum, the loss a VAE minimises.
///
/// The evidence lower bound on log p(x) is
///
///     ELBO = E_q(z|x)[log p(x | z)] − KL(q(z | x) ‖ p(z))  ≤  log p(x)
///
/// so the loss is −ELBO = reconstruction + KL. A β-VAE weights the KL by β:
///
///     loss = reconstruction + β · KL
///
/// β = 1 is the true bound; β > 1 trades reconstruction for codes closer to the prior (smoother,
/// sometimes disentangled, and at large β collapsed); β < 1 (and β rising from 0 during KL
/// annealing) lets the decoder learn to use z first.
public struct ELBOLoss {
    /// −log p(x | z), one sample of z per input, averaged over the batch.
    public let reconstruction: Variable
    /// KL(q(z | x) ‖ N(0, I)), averaged over the batch.
    public let kl: Variable
    /// The weight of the KL term.
    public let beta: Float
    /// reconstruction + β · KL: call `backward()` on this.
    public let loss: Variable

    /// The ELBO itself, −(reconstruction + KL), whatever β: a lower bound on log p(x) per input.
    public var elbo: Float { -(reconstruction.value.scalar + kl.value.scalar) }
}

/// The β-weighted negative ELBO of a batch from the pieces of a forward pass.
public func negativeELBO(x: Tensor, decoderOutput: Variable, mu: Variable, logVariance: Variable,
                         beta: Float = 1, likelihood: Likelihood = .bernoulli) -> ELBOLoss {
    require(beta >= 0 && beta.isFinite, "negativeELBO: β must be a finite number ≥ 0, got \(beta)")
    let reconstruction = negativeLogLikelihood(decoderOutput, x, likelihood: likelihood)
    let kl = klDivergence(mu: mu, logVariance: logVariance)
    return ELBOLoss(reconstruction: reconstruction, kl: kl, beta: beta, loss: reconstruction + kl * beta)
}
