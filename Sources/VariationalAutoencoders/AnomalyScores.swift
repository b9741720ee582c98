import Foundation
import ScalarAutodiff
import Tensors

// Anomaly detection scores the inputs a model explains badly. An autoencoder's score is its
// reconstruction error ‖x − decode(encode(x))‖²; a VAE's is its negative ELBO, a bound on
// −log p(x) that adds to the reconstruction term the KL: how unusual the code of x is under the
// prior. An input that reconstructs well from a code far from where the training data sits still
// scores as unusual.

/// The negative ELBO of each row of x, −ELBO(x) = E_q[−log p(x | z)] + KL(q(z | x) ‖ p(z)),
/// with the expectation estimated from `samples` draws of ε. Higher means less likely.
public func negativeELBOPerInput(_ model: VariationalAutoencoder, _ x: Tensor, samples: Int = 8,
                                 rng: inout SeededRandom) -> [Float] {
    precondition(samples > 0, "negativeELBOPerInput: samples must be positive, got \(samples)")
    let (mu, logVariance) = model.encode(x)
    let count = x.shape[0], pixels = x.shape[1], d = model.latent
    let klTerms = (mu * mu + logVariance.exp() - logVariance - 1) * 0.5
    var scores = (0..<count).map { i in (0..<d).reduce(Float(0)) { $0 + klTerms.scalars[i * d + $1] } }
    let sigma = (logVariance * 0.5).exp()
    for _ in 0..<samples {
        let z = mu + sigma * Tensor.randomNormal([count, d], rng: &rng)
        let output = model.decoder(.constant(z)).value
        for i in 0..<count {
            var nll: Float = 0
            for k in 0..<pixels {
                let o = output.scalars[i * pixels + k], t = x.scalars[i * pixels + k]
                switch model.likelihood {
                case .bernoulli:
                    nll += Swift.max(o, 0) - o * t + Foundation.log1p(Foundation.exp(-Swift.abs(o)))
                case .gaussian(let variance):
                    nll += (o - t) * (o - t) / (2 * variance)
                }
            }
            scores[i] += nll / Float(samples)
        }
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
    precondition(!normal.isEmpty && !anomalous.isEmpty, "areaUnderROC: need at least one normal and one anomalous score")
    var wins: Double = 0
    for a in anomalous {
        for n in normal {
            if a > n { wins += 1 } else if a == n { wins += 0.5 }
        }
    }
    return Float(wins / Double(normal.count * anomalous.count))
}
