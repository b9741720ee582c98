// Chapter 4 exercises: variational autoencoders.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter4
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 4.3 1` prints the first hint (levels 1 to 3 go from the
// idea to nearly the answer). You may use anything in the `VariationalAutoencoders`, `Tensors`
// and `ScalarAutodiff` modules *except* the functions that do an exercise's work: each exercise
// names them, and its test fails if your answer (or a helper it calls) uses one.
//
// Exercise 4.9, the VAE's training loop, is in VAETraining.swift.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Exercise 4.1 ★ — The reparameterisation node.
///
/// Return z = μ + σ ⊙ ε as a node built with `Variable(_:op:inputs:backward:)`, whose backward
/// rule adds ∂z/∂μ = 1 times the incoming gradient to `mu` and ∂z/∂σ = ε times it to `sigma`.
/// `epsilon` is a constant. For μ = [0.5, −1], σ = [1, 0.5] and ε = [0.3, −2], z = [0.8, −2], and an
/// incoming gradient [1, 1] gives μ the gradient [1, 1] and σ the gradient ε = [0.3, −2].
/// Do not call `reparameterise`.
public func reparameteriseNode(mu: Variable, sigma: Variable, epsilon: Tensor) throws -> Variable {
    throw NotAttempted("4.1")
}

/// Exercise 4.2 ★ — The KL of a diagonal Gaussian from N(0, I).
///
/// Return KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σⱼ (μⱼ² + σⱼ² − log σⱼ² − 1).
/// For μ = [0.5, −1.0], σ = [1.0, 0.5] it is 0.9431. Do not call `klDivergence` or `klPerDimension`.
public func gaussianKL(mu: [Float], sigma: [Float]) throws -> Float {
    throw NotAttempted("4.2")
}

/// Exercise 4.3 ★★ — The KL as a differentiable operation.
///
/// `mu` and `logVariance` (v = log σ²) have shape [batch, latent]. Return the KL of each row from
/// N(0, I), averaged over the batch, as a scalar node whose backward rule adds
/// ∂KL/∂μ = μ/B and ∂KL/∂v = ½(eᵛ − 1)/B (times the incoming gradient) to the inputs.
/// Do not call `klDivergence` or `klPerDimension`.
public func klNode(mu: Variable, logVariance: Variable) throws -> Variable {
    throw NotAttempted("4.3")
}

/// Exercise 4.4 ★★ — The β-weighted negative ELBO.
///
/// `x` holds a batch of images with pixels in [0, 1], shape [batch, pixels]; `logits` is the
/// decoder's output for them. Return the three terms of the loss, each averaged over the batch:
///
///     reconstruction = Σ over pixels of the binary cross-entropy of (logits, x)
///     kl             = ½ Σⱼ (μⱼ² + σⱼ² − log σⱼ² − 1)
///     loss           = reconstruction + β · kl
///
/// Mind the scale: `binaryCrossEntropy` averages over every element. You may use it and
/// `klDivergence`; do not call `negativeELBO`, `negativeLogLikelihood` or a model's `elboLoss`.
public func betaVAELoss(x: Tensor, logits: Variable, mu: Variable, logVariance: Variable,
                        beta: Float) throws -> (reconstruction: Variable, kl: Variable, loss: Variable) {
    throw NotAttempted("4.4")
}

/// Exercise 4.5 ★★ — Cyclical KL annealing.
///
/// Fu et al. (2019) repeat the warm-up: training is split into cycles of `cycleLength` steps;
/// in each cycle β rises linearly from 0 to `target` during the first `rampFraction` of the
/// cycle, then stays at `target`:
///
///     τ = (step mod cycleLength) / cycleLength,    β = target · min(1, τ / rampFraction)
///
/// Steps count from 0. Do not use `KLAnnealing`.
public func cyclicalBeta(step: Int, target: Float, cycleLength: Int, rampFraction: Float) throws -> Float {
    throw NotAttempted("4.5")
}

/// Exercise 4.6 ★ — Sampling from the prior.
///
/// Draw `count` codes z ~ N(0, I) as a [count, model.latent] tensor, in row-major order from
/// `rng` (one `rng.normal()` per number), and return the decoded images: the decoder's logits
/// passed through the sigmoid, shape [count, pixels] (`model.decode` does that last part).
/// Do not call `samplePrior`.
public func sampleImages(from model: VariationalAutoencoder, count: Int, rng: inout SeededRandom) throws -> Tensor {
    throw NotAttempted("4.6")
}

/// Exercise 4.7 ★★ — Interpolating between two images.
///
/// Encode images `a` and `b` (each `pixels` numbers) to their means μ(a) and μ(b), take `steps`
/// evenly spaced codes on the line from μ(a) to μ(b), both ends included, and return their decoded
/// images as a [steps, pixels] tensor (use `model.decode`): the k-th code is (1 − t)·μ(a) + t·μ(b)
/// with t = k/(steps − 1). Do not call `interpolateCodes`.
public func interpolateImages(_ model: VariationalAutoencoder, from a: [Float], to b: [Float],
                              steps: Int) throws -> Tensor {
    throw NotAttempted("4.7")
}

/// Exercise 4.8 ★★★ — An importance-weighted estimate of log p(x).
///
/// For one image x (a [1, pixels] tensor) and K noise samples εₖ (each [1, latent]), let
/// zₖ = μ + σ ⊙ εₖ with (μ, log σ²) = model.encode(x), and
///
///     log wₖ = log p(x | zₖ) + log N(zₖ; 0, I) − log N(zₖ; μ, σ²)
///
/// where log p(x | z) = −(sum over pixels of the binary cross-entropy of the decoder's logits and x).
/// Return log((1/K) Σₖ wₖ), computed stably (the wₖ underflow Float). Do not call
/// `importanceWeightedLogLikelihood`, `negativeLogLikelihoodPerInput` or `negativeELBOPerInput`.
public func logLikelihoodEstimate(_ model: VariationalAutoencoder, _ x: Tensor, epsilons: [Tensor]) throws -> Float {
    throw NotAttempted("4.8")
}
