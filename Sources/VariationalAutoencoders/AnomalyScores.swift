import Foundation
import ScalarAutodiff
import Tensors

// Anomaly detection scores the inputs a model explains badly. An autoencoder's score is its
// reconstruction error ‖x − decode(encode(x))‖²; a VAE's is its negative ELBO, a bound on
// −log p(x) that adds to the reconstruction term the KL: how unusual the code of x is under the
// prior. An input that reconstructs well from a code far from where the training data sits still
// scores as unusual.

/// −log p(x | z) for each row, summed over pixels, from a decoder output (no graph): the
/// per-input version of ``negativeLogLikelihood(_:_:likelihood:)``.
public func negativeLogLikelihoodPerInput(_ decoderOutput: Tensor, _ x: Tensor, likelihood: Likelihood) -> [Float] {
    require(decoderOutput.shape == x.shape && x.rank == 2,
                 "negativeLogLikelihoodPerInput: decoder output \(decoderOutput.shape) and data \(x.shape) must have the same shape [batch, pixels]")
    let perPixel: Tensor
    switch likelihood {
    case .bernoulli:
        perPixel = Tensor.zip(decoderOutput, x, op: "negativeLogLikelihood") { l, t in
            Swift.max(l, 0) - l * t + Foundation.log1p(Foundation.exp(-Swift.abs(l)))
        }
    case .gaussian(let variance):
        perPixel = Tensor.zip(decoderOutput, x, op: "negativeLogLikelihood") { o, t in (o - t) * (o - t) / (2 * variance) }
    }
    return perPixel.sum(axis: 1).scalars
}

/// The negative ELBO of each row of x, −ELBO(x) = E_q[−log p(x | z)] + KL(q(z | x) ‖ p(z)),
/// with the expectation estimated from `samples` draws of ε. Higher means less likely.
public func negativeELBOPerInput(_ model: VariationalAutoencoder, _ x: Tensor, samples: Int = 8,
                                 rng: inout SeededRandom) -> [Float] {
    require(samples > 0, "negativeELBOPerInput: samples must be positive, got \(samples)")
    let (mu, logVariance) = model.encode(x)
    let count = x.shape[0], d = model.latent
    let klTerms = (mu * mu + logVariance.exp() - logVariance - 1) * 0.5
    var scores = (0..<count).map { i in (0..<d).reduce(Float(0)) { $0 + klTerms.scalars[i * d + $1] } }
    let sigma = (logVariance * 0.5).exp()
    for _ in 0..<samples {
        let z = mu + sigma * Tensor.randomNormal([count, d], rng: &rng)
        let nll = negativeLogLikelihoodPerInput(model.decoder(.constant(z)).value, x, likelihood: model.likelihood)
        for i in 0..<count { scores[i] += nll[i] / Float(samples) }
    }
    return scores
}

/// The squared reconstruction error of each row of x, ‖x − decode(μ(x))‖²: the score a plain
/// autoencoder gives, which looks only at how well x is rebuilt.
public func reconstructionErrorPerInput(_ model: VariationalAutoencoder, _ x: Tensor) -> [Float] {
    let difference = model.reconstruct(x) - x
    return (difference * difference).sum(axis: 1).scalars
}

/// The area under the ROC curve of an anomaly score: the probability that a random anomalous
/// input scores higher than a random normal one (ties count one half). 0.5 is chance, 1 perfect.
public func areaUnderROC(normal: [Float], anomalous: [Float]) -> Float {
    require(!normal.isEmpty && !anomalous.isEmpty, "areaUnderROC: need at least one normal and one anomalous score")
    var wins: Double = 0
    for a in anomalous {
        for n in normal {
            if a > n { wins += 1 } else if a == n { wins += 0.5 }
        }
    }
    return Float(wins / Double(normal.count * anomalous.count))
}

/// An importance-weighted estimate of log p(x) for each row of x (Burda et al., 2016):
///
///     log p(x) ≈ log (1/K) Σₖ wₖ,    wₖ = p(x | zₖ) p(zₖ) / q(zₖ | x),   zₖ = μ + σ ⊙ εₖ
///
/// With z = μ + σε the Gaussian densities simplify (the log 2π terms cancel):
///
///     log wₖ = log p(x | zₖ) − ½ Σⱼ zₖⱼ² + ½ Σⱼ (log σⱼ² + εₖⱼ²)
///
/// The average of log wₖ is the ELBO; by Jensen's inequality the log of the average is at least
/// that, and it approaches log p(x) as K grows. Computed with a log-sum-exp, since wₖ itself
/// underflows (log wₖ ≈ −25 for a digit). `epsilons` holds K tensors of shape [count, latent].
public func importanceWeightedLogLikelihood(_ model: VariationalAutoencoder, _ x: Tensor,
                                            epsilons: [Tensor]) -> [Float] {
    require(!epsilons.isEmpty, "importanceWeightedLogLikelihood: need at least one sample of ε")
    let (mu, logVariance) = model.encode(x)
    let count = x.shape[0], d = model.latent
    var logWeights = [[Float]](repeating: [], count: count)
    for epsilon in epsilons {
        require(epsilon.shape == mu.shape,
                     "importanceWeightedLogLikelihood: ε has shape \(epsilon.shape), expected \(mu.shape)")
        let z = mu + (logVariance * 0.5).exp() * epsilon
        let nll = negativeLogLikelihoodPerInput(model.decoder(.constant(z)).value, x, likelihood: model.likelihood)
        for i in 0..<count {
            var logW = -nll[i]
            for j in 0..<d {
                let k = i * d + j
                logW += -0.5 * z.scalars[k] * z.scalars[k] + 0.5 * (logVariance.scalars[k] + epsilon.scalars[k] * epsilon.scalars[k])
            }
            logWeights[i].append(logW)
        }
    }
    return logWeights.map { w in
        let m = w.max()!
        return m + Foundation.log(w.reduce(Float(0)) { $0 + Foundation.exp($1 - m) } / Float(w.count))
    }
}
