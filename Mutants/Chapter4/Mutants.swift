// Known wrong answers to chapter 4's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter4Checks
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

public let chapter4Mutants: [Mutant] = [
    Mutant("4.1", "forgets ε in σ's backward rule", mentions: "forgot ε") {
        try checkReparameteriseNode($0) { mu, sigma, epsilon in
            Variable(mu.value + sigma.value * epsilon, op: "reparameterise", inputs: [mu, sigma]) { g in
                mu.accumulate(g)
                sigma.accumulate(g)
            }
        }
    },
    Mutant("4.1", "swaps the two backward rules", mentions: "swapped") {
        try checkReparameteriseNode($0) { mu, sigma, epsilon in
            Variable(mu.value + sigma.value * epsilon, op: "reparameterise", inputs: [mu, sigma]) { g in
                mu.accumulate(g * epsilon)
                sigma.accumulate(g)
            }
        }
    },
    Mutant("4.1", "adds the noise without scaling it by σ", mentions: "σ is missing") {
        try checkReparameteriseNode($0) { mu, sigma, epsilon in
            Variable(mu.value + epsilon, op: "reparameterise", inputs: [mu, sigma]) { g in
                mu.accumulate(g)
                sigma.accumulate(g * epsilon)
            }
        }
    },
    Mutant("4.2", "takes log σ instead of log σ²", mentions: "log σ where") {
        try checkGaussianKL($0) { mu, sigma in
            zip(mu, sigma).reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 - log($1.1) - 1 } / 2
        }
    },
    Mutant("4.2", "forgets the ½", mentions: "½ in front") {
        try checkGaussianKL($0) { mu, sigma in
            zip(mu, sigma).reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 - log($1.1 * $1.1) - 1 }
        }
    },
    Mutant("4.3", "sums over the batch instead of averaging", mentions: "summed over the batch") {
        try checkKLNode($0) { mu, logVariance in
            let variance = logVariance.value.exp()
            let terms = mu.value * mu.value + variance - logVariance.value - 1
            return Variable(Tensor(terms.sum().scalar / 2), op: "kl", inputs: [mu, logVariance]) { g in
                mu.accumulate(mu.value * g.scalar)
                logVariance.accumulate((variance - 1) * (g.scalar / 2))
            }
        }
    },
    Mutant("4.3", "differentiates eᵛ − v as eᵛ", mentions: "the − 1 is missing") {
        try checkKLNode($0) { mu, logVariance in
            let batch = Float(mu.shape[0])
            let variance = logVariance.value.exp()
            let terms = mu.value * mu.value + variance - logVariance.value - 1
            return Variable(Tensor(terms.sum().scalar / (2 * batch)), op: "kl", inputs: [mu, logVariance]) { g in
                mu.accumulate(mu.value * (g.scalar / batch))
                logVariance.accumulate(variance * (g.scalar / (2 * batch)))
            }
        }
    },
    Mutant("4.4", "leaves the binary cross-entropy averaged over pixels", mentions: "multiply by the number of pixels") {
        try checkBetaVAELoss($0) { x, logits, mu, logVariance, beta in
            let reconstruction = binaryCrossEntropy(logits: logits, targets: x)
            let kl = klDivergence(mu: mu, logVariance: logVariance)
            return (reconstruction, kl, reconstruction + kl * beta)
        }
    },
    Mutant("4.4", "ignores β", mentions: "β is ignored") {
        try checkBetaVAELoss($0) { x, logits, mu, logVariance, _ in
            let reconstruction = binaryCrossEntropy(logits: logits, targets: x) * Float(x.shape[1])
            let kl = klDivergence(mu: mu, logVariance: logVariance)
            return (reconstruction, kl, reconstruction + kl)
        }
    },
    Mutant("4.5", "never restarts the ramp", mentions: "never restarts") {
        try checkCyclicalBeta($0) { step, target, cycleLength, rampFraction in
            target * min(1, Float(step) / Float(cycleLength) / rampFraction)
        }
    },
    Mutant("4.5", "divides two integers for τ", mentions: "dividing two Ints") {
        try checkCyclicalBeta($0) { step, target, cycleLength, rampFraction in
            target * min(1, Float(step % cycleLength / cycleLength) / rampFraction)
        }
    },
    Mutant("4.6", "returns the decoder's logits", mentions: "sigmoids") {
        try checkSampleImages($0) { model, count, rng in
            let z = Tensor(shape: [count, model.latent], scalars: (0..<(count * model.latent)).map { _ in Float(rng.normal()) })
            return model.decoder(.constant(z)).value
        }
    },
    Mutant("4.6", "draws the codes uniformly", mentions: "uniformly") {
        try checkSampleImages($0) { model, count, rng in
            let z = Tensor(shape: [count, model.latent], scalars: (0..<(count * model.latent)).map { _ in rng.uniformFloat() })
            return model.decode(z)
        }
    },
    Mutant("4.7", "blends the pixels instead of the codes", mentions: "blends of the two images' pixels") {
        try checkInterpolateImages($0) { _, a, b, steps in
            Tensor((0..<steps).map { k in
                let t = Float(k) / Float(steps - 1)
                return zip(a, b).map { (1 - t) * $0 + t * $1 }
            })
        }
    },
    Mutant("4.7", "stops one step short of the second image", mentions: "both ends") {
        try checkInterpolateImages($0) { model, a, b, steps in
            let mu = model.encode(Tensor([a, b])).mu
            let d = model.latent
            let codes = (0..<steps).map { k in
                let t = Float(k) / Float(steps)
                return (0..<d).map { (1 - t) * mu[0, $0] + t * mu[1, $0] }
            }
            return model.decode(Tensor(codes))
        }
    },
    Mutant("4.8", "averages the weights after exp, which underflows", mentions: "underflows") {
        try checkLogLikelihoodEstimate($0) { model, x, epsilons in
            let logWeights = oneSampleLogWeights(model, x, epsilons)
            return log(logWeights.reduce(0) { $0 + exp($1) } / Float(logWeights.count))
        }
    },
    Mutant("4.8", "averages the log weights", mentions: "mean of the log weights") {
        try checkLogLikelihoodEstimate($0) { model, x, epsilons in
            let logWeights = oneSampleLogWeights(model, x, epsilons)
            return logWeights.reduce(0, +) / Float(logWeights.count)
        }
    },
    Mutant("4.9", "never zeroes the gradients", mentions: "never zeroed") {
        try checkFitVAE($0) { model, data, epochs, batchSize, learningRate, rng in
            vaeLoop(model, data, epochs, batchSize, learningRate, &rng, zeroGradients: false)
        }
    },
    Mutant("4.9", "decodes μ instead of a sampled z", mentions: "σ stayed near 1") {
        try checkFitVAE($0) { model, data, epochs, batchSize, learningRate, rng in
            vaeLoop(model, data, epochs, batchSize, learningRate, &rng, sample: false)
        }
    },
    Mutant("4.9", "averages the reconstruction term over the pixels", mentions: "collapsed") {
        try checkFitVAE($0) { model, data, epochs, batchSize, learningRate, rng in
            vaeLoop(model, data, epochs, batchSize, learningRate, &rng, sumOverPixels: false)
        }
    },
    Mutant("4.9", "leaves the KL out of the loss", mentions: "KL term is missing") {
        try checkFitVAE($0) { model, data, epochs, batchSize, learningRate, rng in
            vaeLoop(model, data, epochs, batchSize, learningRate, &rng, klWeight: 0)
        }
    },
]

/// The log importance weights of one image, one per ε, written out as a student would.
private func oneSampleLogWeights(_ model: VariationalAutoencoder, _ x: Tensor, _ epsilons: [Tensor]) -> [Float] {
    let (mu, logVariance) = model.encode(x)
    let sigma = (logVariance * 0.5).exp()
    return epsilons.map { epsilon in
        let z = mu + sigma * epsilon
        let logits = model.decoder(.constant(z)).value
        var logW: Float = 0
        for (l, t) in zip(logits.scalars, x.scalars) { logW -= max(l, 0) - l * t + log1p(exp(-abs(l))) }
        for j in 0..<model.latent {
            logW += -0.5 * z.scalars[j] * z.scalars[j] + 0.5 * (logVariance.scalars[j] + epsilon.scalars[j] * epsilon.scalars[j])
        }
        return logW
    }
}

/// Exercise 4.9's loop with one of its pieces optionally wrong.
private func vaeLoop(_ model: VariationalAutoencoder, _ data: Tensor, _ epochs: Int, _ batchSize: Int, _ learningRate: Float,
                     _ rng: inout SeededRandom, zeroGradients: Bool = true, sample: Bool = true,
                     sumOverPixels: Bool = true, klWeight: Float = 1) -> [Float] {
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    var order = Array(0..<data.shape[0])
    var losses: [Float] = []
    for _ in 0..<epochs {
        rng.shuffle(&order)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let x = data.gatherRows(Array(order[start..<min(start + batchSize, order.count)]))
            let (mu, logVariance) = model.encoder(.constant(x))
            let epsilon = Tensor.randomNormal([x.shape[0], model.latent], rng: &rng)
            let z = sample ? mu + (logVariance * 0.5).exp() * epsilon : mu
            let bce = binaryCrossEntropy(logits: model.decoder(z), targets: x)
            let loss = (sumOverPixels ? bce * Float(x.shape[1]) : bce) + klDivergence(mu: mu, logVariance: logVariance) * klWeight
            if zeroGradients { optimizer.zeroGradients() }
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalar)
        }
    }
    return losses
}
