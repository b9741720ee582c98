// Chapter 4 exercises: reference answers. Same public API as Exercises/Chapter4.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Exercise 4.1 ★ — The reparameterisation node.
public func reparameteriseNode(mu: Variable, sigma: Variable, epsilon: Tensor) throws -> Variable {
    Variable(mu.value + sigma.value * epsilon, op: "reparameterise", inputs: [mu, sigma]) { g in
        mu.accumulate(g)
        sigma.accumulate(g * epsilon)
    }
}

/// Exercise 4.2 ★ — The KL of a diagonal Gaussian from N(0, I).
public func gaussianKL(mu: [Float], sigma: [Float]) throws -> Float {
    var total: Float = 0
    for (m, s) in zip(mu, sigma) {
        total += m * m + s * s - log(s * s) - 1
    }
    return total / 2
}

/// Exercise 4.3 ★★ — The KL as a differentiable operation.
public func klNode(mu: Variable, logVariance: Variable) throws -> Variable {
    let batch = Float(mu.shape[0])
    let variance = logVariance.value.exp()
    let terms = mu.value * mu.value + variance - logVariance.value - 1
    return Variable(Tensor(terms.sum().scalar / (2 * batch)), op: "kl", inputs: [mu, logVariance]) { g in
        mu.accumulate(mu.value * (g.scalar / batch))
        logVariance.accumulate((variance - 1) * (g.scalar / (2 * batch)))
    }
}

/// Exercise 4.4 ★★ — The β-weighted negative ELBO.
public func betaVAELoss(x: Tensor, logits: Variable, mu: Variable, logVariance: Variable,
                        beta: Float) throws -> (reconstruction: Variable, kl: Variable, loss: Variable) {
    let pixels = Float(x.shape[1])
    let reconstruction = binaryCrossEntropy(logits: logits, targets: x) * pixels
    let kl = klDivergence(mu: mu, logVariance: logVariance)
    return (reconstruction, kl, reconstruction + kl * beta)
}

/// Exercise 4.5 ★★ — Cyclical KL annealing.
public func cyclicalBeta(step: Int, target: Float, cycleLength: Int, rampFraction: Float) throws -> Float {
    let tau = Float(step % cycleLength) / Float(cycleLength)
    return target * min(1, tau / rampFraction)
}

/// Exercise 4.6 ★ — Sampling from the prior.
public func sampleImages(from model: VariationalAutoencoder, count: Int, rng: inout SeededRandom) throws -> Tensor {
    let z = Tensor(shape: [count, model.latent], scalars: (0..<(count * model.latent)).map { _ in Float(rng.normal()) })
    return model.decoder(.constant(z)).value.sigmoid()
}

/// Exercise 4.7 ★★ — Interpolating between two images.
public func interpolateImages(_ model: VariationalAutoencoder, from a: [Float], to b: [Float],
                              steps: Int) throws -> Tensor {
    let mu = model.encode(Tensor([a, b])).mu
    let d = model.latent
    var codes: [Float] = []
    for k in 0..<steps {
        let t = Float(k) / Float(steps - 1)
        for j in 0..<d { codes.append((1 - t) * mu[0, j] + t * mu[1, j]) }
    }
    return model.decode(Tensor(shape: [steps, d], scalars: codes))
}

/// Exercise 4.8 ★★★ — An importance-weighted estimate of log p(x).
public func logLikelihoodEstimate(_ model: VariationalAutoencoder, _ x: Tensor, epsilons: [Tensor]) throws -> Float {
    let (mu, logVariance) = model.encode(x)
    let sigma = (logVariance * 0.5).exp()
    var logWeights: [Float] = []
    for epsilon in epsilons {
        let z = mu + sigma * epsilon
        let logits = model.decoder(.constant(z)).value
        var logW: Float = 0
        for (l, t) in zip(logits.scalars, x.scalars) {
            logW -= max(l, 0) - l * t + log1p(exp(-abs(l)))
        }
        for j in 0..<model.latent {
            let logPrior = -0.5 * (log(2 * Float.pi) + z.scalars[j] * z.scalars[j])
            let logPosterior = -0.5 * (log(2 * Float.pi) + logVariance.scalars[j] + epsilon.scalars[j] * epsilon.scalars[j])
            logW += logPrior - logPosterior
        }
        logWeights.append(logW)
    }
    let m = logWeights.max()!
    return m + log(logWeights.reduce(0) { $0 + exp($1 - m) } / Float(logWeights.count))
}
