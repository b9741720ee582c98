import Foundation
import ScalarAutodiff
import Tensors

/// The KL divergence from the encoder's q(z | x) = N(μ, diag σ²) to the prior p(z) = N(0, I),
/// in closed form:
///
///     KL(q ‖ p) = ½ Σⱼ (μⱼ² + σⱼ² − log σⱼ² − 1)
///
/// Each term is ≥ 0 and is 0 exactly when μⱼ = 0 and σⱼ = 1: the KL measures how far the code of
/// one input is from the prior. Worked example: μ = [0.5, −1.0], σ = [1.0, 0.5] gives
/// ½[(0.25 + 1 − 0 − 1) + (1 + 0.25 + 1.3863 − 1)] = 0.9431.
///
/// ```swift
/// klDivergence(mu: [0.5, -1.0], sigma: [1.0, 0.5])    // 0.9431
/// ```
public func klDivergence(mu: [Float], sigma: [Float]) -> Float {
    require(mu.count == sigma.count, "klDivergence: μ has \(mu.count) entries but σ has \(sigma.count)")
    require(sigma.allSatisfy { $0 > 0 }, "klDivergence: every σ must be positive, got \(sigma)")
    var total: Float = 0
    for (m, s) in zip(mu, sigma) {
        let variance = s * s
        total += m * m + variance - Foundation.log(variance) - 1
    }
    return 0.5 * total
}

/// The closed-form KL as a differentiable operation on a batch, averaged over the batch:
///
///     KL = (1/B) Σᵢ ½ Σⱼ (μᵢⱼ² + exp(vᵢⱼ) − vᵢⱼ − 1),    v = log σ²
///
/// with the backward rule
///
///     ∂KL/∂μᵢⱼ = μᵢⱼ / B,    ∂KL/∂vᵢⱼ = ½ (exp(vᵢⱼ) − 1) / B
///
/// The first pulls every mean towards 0, the second every variance towards 1. `mu` and
/// `logVariance` have shape [batch, latent] (or [latent] for a single code, B = 1).
public func klDivergence(mu: Variable, logVariance: Variable) -> Variable {
    require(mu.shape == logVariance.shape,
                 "klDivergence: μ \(mu.shape) and log σ² \(logVariance.shape) must have the same shape")
    require(mu.value.rank == 1 || mu.value.rank == 2,
                 "klDivergence: expected μ of shape [latent] or [batch, latent], got \(mu.shape)")
    let batch = Float(mu.value.rank == 2 ? mu.shape[0] : 1)
    let variance = logVariance.value.exp()
    let terms = mu.value * mu.value + variance - logVariance.value - 1
    let kl = Variable(Tensor(0.5 * terms.sum().scalar / batch), op: "kl", inputs: [mu, logVariance]) { g in
        let scale = g.scalar / batch
        mu.accumulate(mu.value * scale)
        logVariance.accumulate((variance - 1) * (0.5 * scale))
    }
    require(kl.value.isFinite,
                 "klDivergence: the KL is \(kl.value.scalar) (not finite); log σ² has extreme values (largest \(logVariance.value.scalars.max() ?? 0)): lower the learning rate")
    return kl
}

/// The KL of each latent dimension, averaged over the batch: ½ (μⱼ² + σⱼ² − log σⱼ² − 1).
///
/// Summing the result gives ``klDivergence(mu:logVariance:)``. A dimension whose KL is ≈ 0 for
/// every input carries no information about x: its code is the prior whatever the input, so the
/// decoder learns to ignore it. When every dimension is like that, the posterior has *collapsed*.
public func klPerDimension(mu: Tensor, logVariance: Tensor) -> [Float] {
    require(mu.shape == logVariance.shape && mu.rank == 2,
                 "klPerDimension: expected μ and log σ² of the same shape [batch, latent], got \(mu.shape) and \(logVariance.shape)")
    let terms = (mu * mu + logVariance.exp() - logVariance - 1) * 0.5
    return terms.mean(axis: 0).scalars
}

/// The number of *active* latent dimensions (Burda et al., 2016): those whose mean μⱼ(x) varies
/// across inputs, Var over x of μⱼ(x) > `threshold`. A collapsed VAE has 0 active dimensions.
public func activeDimensions(mu: Tensor, threshold: Float = 0.01) -> Int {
    require(mu.rank == 2, "activeDimensions: expected μ of shape [batch, latent], got \(mu.shape)")
    let mean = mu.mean(axis: 0)
    let centred = mu - mean
    let variance = (centred * centred).mean(axis: 0)
    return variance.scalars.filter { $0 > threshold }.count
}
