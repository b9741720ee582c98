import Foundation
import ScalarAutodiff
import Tensors
import Testing
import VariationalAutoencoders

/// The worked numbers of chapter 4, and the reparameterisation trick's derivatives.
@Suite("Chapter 4: worked examples")
struct Chapter4WorkedExampleTests {
    @Test("KL(N(μ, σ²) ‖ N(0, I)) for μ = [0.5, −1.0], σ = [1.0, 0.5] is 0.9431")
    func klWorkedExample() {
        let kl = klDivergence(mu: [0.5, -1.0], sigma: [1.0, 0.5])
        #expect((kl * 10_000).rounded() / 10_000 == 0.9431, "got \(kl)")
        // The same number from the differentiable op, fed log σ² = [0, log 0.25].
        let op = klDivergence(mu: Variable(Tensor([0.5, -1.0])), logVariance: Variable(Tensor([0, Float(log(0.25))])))
        #expect(abs(op.value.scalar - 0.9431) < 5e-5, "got \(op.value.scalar)")
        // Term by term: ½(0.25 + 1 − 0 − 1) = 0.125 and ½(1 + 0.25 + 1.3863 − 1) = 0.8181.
        let perDimension = klPerDimension(mu: Tensor([[0.5, -1.0]]), logVariance: Tensor([[0, Float(log(0.25))]]))
        #expect(abs(perDimension[0] - 0.125) < 1e-6 && abs(perDimension[1] - 0.8181) < 1e-4, "got \(perDimension)")
    }

    @Test("The KL is 0 exactly at the prior and positive elsewhere")
    func klZeroAtPrior() {
        #expect(klDivergence(mu: [0, 0, 0], sigma: [1, 1, 1]) == 0)
        #expect(klDivergence(mu: [0.01], sigma: [1]) > 0)
        #expect(klDivergence(mu: [0], sigma: [1.01]) > 0)
        #expect(klDivergence(mu: [0], sigma: [0.99]) > 0)
    }

    @Test("The batched KL averages the per-input KLs, and its gradient is μ/B and ½(σ² − 1)/B")
    func klBatchAndGradient() {
        let mu = Variable(Tensor([[0.5, -1.0], [2, 0]]))
        let logVariance = Variable(Tensor([[0, Float(log(0.25))], [1, -1]]))
        let kl = klDivergence(mu: mu, logVariance: logVariance)
        let second = klDivergence(mu: [2, 0], sigma: [Float(exp(0.5)), Float(exp(-0.5))])
        #expect(abs(kl.value.scalar - (0.943147 + second) / 2) < 1e-5, "got \(kl.value.scalar)")
        kl.backward()
        #expect(mu.gradient.isClose(to: mu.value / 2, tolerance: 1e-6), "∂KL/∂μ should be μ/B, got \(mu.gradient)")
        #expect(logVariance.gradient.isClose(to: (logVariance.value.exp() - 1) * 0.25, tolerance: 1e-6),
                "∂KL/∂log σ² should be ½(σ² − 1)/B, got \(logVariance.gradient)")
    }

    @Test("The KL's backward rule matches central differences")
    func klGradientCheck() {
        var rng = SeededRandom(seed: 4)
        let mu = Variable(Tensor.randomNormal([3, 4], rng: &rng))
        let logVariance = Variable(Tensor.randomNormal([3, 4], standardDeviation: 0.7, rng: &rng))
        let (worst, detail) = gradientCheck(parameters: [mu, logVariance]) { klDivergence(mu: mu, logVariance: logVariance) }
        #expect(worst < 5e-3, "\(detail)")
    }

    @Test("Reparameterisation: z = μ + σε, with dz/dμ = 1 and dz/dσ = ε")
    func reparameterisationDerivatives() {
        let mu = Variable(Tensor([0.5, -1])), sigma = Variable(Tensor([1, 0.5]))
        let epsilon = Tensor([0.3, -2])
        let z = reparameterise(mu: mu, sigma: sigma, epsilon: epsilon)
        #expect(z.value.isClose(to: Tensor([0.8, -2]), tolerance: 1e-6), "got \(z.value)")
        z.sum().backward()
        #expect(mu.gradient == Tensor([1, 1]), "dz/dμ should be 1, got \(mu.gradient)")
        #expect(sigma.gradient == epsilon, "dz/dσ should be ε = \(epsilon), got \(sigma.gradient)")
    }

    @Test("Reparameterising through log σ²: dz/d(log σ²) = ε·σ/2, and the noise gets no gradient")
    func reparameterisationThroughLogVariance() {
        let mu = Variable(Tensor([[0.5, -1]])), logVariance = Variable(Tensor([[0, Float(log(0.25))]]))
        let epsilon = Tensor([[0.3, -2]])
        let z = reparameterise(mu: mu, logVariance: logVariance, epsilon: epsilon)
        #expect(z.value.isClose(to: Tensor([[0.8, -2]]), tolerance: 1e-6), "σ = [1, 0.5], so z = [0.8, −2]; got \(z.value)")
        z.backward(seed: Tensor([[1, 1]]))
        #expect(mu.gradient == Tensor([[1, 1]]))
        #expect(logVariance.gradient.isClose(to: Tensor([[0.15, -0.5]]), tolerance: 1e-6),
                "ε·σ/2 = [0.3·1/2, −2·0.5/2] = [0.15, −0.5], got \(logVariance.gradient)")
    }

    @Test("A fixed seed gives the same ε, so the same z; a different seed a different one")
    func reparameterisationIsSeeded() {
        let mu = Variable(Tensor.zeros([2, 3])), logVariance = Variable(Tensor.zeros([2, 3]))
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9), c = SeededRandom(seed: 10)
        let za = reparameterise(mu: mu, logVariance: logVariance, rng: &a)
        let zb = reparameterise(mu: mu, logVariance: logVariance, rng: &b)
        let zc = reparameterise(mu: mu, logVariance: logVariance, rng: &c)
        #expect(za.value == zb.value && za.value != zc.value)
    }

    @Test("Gradient check through the whole VAE loss with the reparameterised sample (fixed ε)")
    func vaeGradientCheck() {
        var rng = SeededRandom(seed: 12)
        let vae = VariationalAutoencoder(inputs: 6, hidden: [5], latent: 2, rng: &rng)
        let x = Tensor.randomUniform([3, 6], rng: &rng)
        let epsilon = Tensor.randomNormal([3, 2], rng: &rng)
        // Move the log-variance bias off 0 so σ ≠ 1 and the σ path is exercised.
        vae.encoder.logVarianceHead.bias.value = Tensor([-0.4, 0.3])
        let (worst, detail) = gradientCheck(parameters: vae.parameters) { vae.elboLoss(x, beta: 1.5, epsilon: epsilon).loss }
        #expect(worst < 5e-3, "\(detail)")
        let gaussian = VariationalAutoencoder(inputs: 6, hidden: [4], latent: 2, likelihood: .gaussian(variance: 0.5), rng: &rng)
        let (worstGaussian, detailGaussian) = gradientCheck(parameters: gaussian.parameters) {
            gaussian.elboLoss(x, beta: 0.5, epsilon: epsilon).loss
        }
        #expect(worstGaussian < 5e-3, "\(detailGaussian)")
    }

    @Test("The ELBO loss is reconstruction + β·KL, with the Bernoulli term summed over pixels")
    func elboComposition() {
        var rng = SeededRandom(seed: 3)
        let x = Tensor.randomUniform([4, 5], rng: &rng)
        let logits = Variable(Tensor.randomNormal([4, 5], rng: &rng))
        let mu = Variable(Tensor.randomNormal([4, 2], rng: &rng)), logVariance = Variable(Tensor.randomNormal([4, 2], rng: &rng))
        let terms = negativeELBO(x: x, decoderOutput: logits, mu: mu, logVariance: logVariance, beta: 2.5)
        #expect(abs(terms.loss.value.scalar - (terms.reconstruction.value.scalar + 2.5 * terms.kl.value.scalar)) < 1e-4)
        #expect(abs(terms.elbo + terms.reconstruction.value.scalar + terms.kl.value.scalar) < 1e-5)
        // Σ over pixels, mean over the batch, of max(ℓ, 0) − ℓx + log(1 + e^−|ℓ|).
        var total: Double = 0
        for (l, t) in zip(logits.value.scalars, x.scalars) {
            total += Double(max(l, 0) - l * t) + log1p(exp(-Double(abs(l))))
        }
        #expect(abs(Double(terms.reconstruction.value.scalar) - total / 4) < 1e-4, "got \(terms.reconstruction.value.scalar), expected \(total / 4)")
        // Gaussian: Σ (x − x̂)² / (2·variance), mean over the batch.
        let g = negativeLogLikelihood(logits, x, likelihood: .gaussian(variance: 0.25))
        let squared = zip(logits.value.scalars, x.scalars).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(abs(g.value.scalar - squared / (2 * 0.25) / 4) < 1e-4)
    }

    @Test("KL annealing: 0 during the delay, linear during the warm-up, then the target")
    func annealingSchedule() {
        let schedule = KLAnnealing(target: 2, warmupSteps: 100, delaySteps: 50)
        let betas = [0, 49, 50, 75, 100, 150, 151, 10_000].map { schedule.beta(atStep: $0) }
        #expect(betas == [0, 0, 0, 0.5, 1, 2, 2, 2], "got \(betas)")
        #expect(KLAnnealing.constant(0.7).beta(atStep: 0) == 0.7)
        #expect(KLAnnealing(target: 1, warmupSteps: 4).beta(atStep: 1) == 0.25)
    }

    @Test("Interpolation runs from start to end in equal steps; prior samples are N(0, I)")
    func samplingAndInterpolation() {
        let path = interpolateCodes(from: [0, 0], to: [1, -2], steps: 3)
        #expect(path == Tensor([[0, 0], [0.5, -1], [1, -2]]))
        var rng = SeededRandom(seed: 5)
        let z = samplePrior(count: 4_000, latent: 2, rng: &rng)
        let mean = z.mean(axis: 0), variance = ((z - mean) * (z - mean)).mean(axis: 0)
        #expect(z.shape == [4_000, 2])
        #expect(mean.scalars.allSatisfy { abs($0) < 0.06 } && variance.scalars.allSatisfy { abs($0 - 1) < 0.08 },
                "mean \(mean), variance \(variance)")
    }

    @Test("Active dimensions count the latent axes whose mean varies across inputs")
    func activeDimensionCount() {
        let mu = Tensor([[1, 0.001, 0], [-1, 0.002, 0], [0.5, 0.0, 0]])
        #expect(activeDimensions(mu: mu) == 1)
    }

    @Test("The importance-weighted log p(x): one sample gives the one-sample ELBO; more give at least their mean")
    func importanceWeighted() {
        var rng = SeededRandom(seed: 21)
        let vae = VariationalAutoencoder(inputs: 6, hidden: [5], latent: 2, rng: &rng)
        let x = Tensor.randomUniform([3, 6], rng: &rng)
        let epsilons = (0..<6).map { _ in Tensor.randomNormal([3, 2], rng: &rng) }
        // With one sample, log w = log p(x|z) + log p(z) − log q(z|x), which averages to the ELBO.
        // For a single sample it equals −reconstruction − (log q − log p), checked here per input.
        for epsilon in epsilons.prefix(2) {
            let single = importanceWeightedLogLikelihood(vae, x, epsilons: [epsilon])
            let pass = vae.forwardPass(x, epsilon: epsilon)
            let nll = negativeLogLikelihoodPerInput(pass.decoderOutput.value, x, likelihood: .bernoulli)
            for i in 0..<3 {
                var logRatio: Float = 0   // log p(z) − log q(z|x), the 2π terms cancel
                for j in 0..<2 {
                    let z = pass.z.value[i, j], v = pass.logVariance.value[i, j], e = epsilon[i, j]
                    logRatio += -0.5 * z * z + 0.5 * (v + e * e)
                }
                #expect(abs(single[i] - (-nll[i] + logRatio)) < 1e-4, "input \(i): \(single[i]) vs \(-nll[i] + logRatio)")
            }
        }
        let many = importanceWeightedLogLikelihood(vae, x, epsilons: epsilons)
        let singles = epsilons.map { importanceWeightedLogLikelihood(vae, x, epsilons: [$0]) }
        for i in 0..<3 {
            let mean = singles.map { $0[i] }.reduce(0, +) / Float(epsilons.count)
            #expect(many[i] >= mean - 1e-5, "Jensen: log of the mean weight \(many[i]) should be ≥ the mean log weight \(mean)")
        }
    }

    @Test("The per-input −ELBO averages to the batch loss's terms as samples grow")
    func negativeELBOPerInputMatchesLoss() {
        var rng = SeededRandom(seed: 22)
        let vae = VariationalAutoencoder(inputs: 6, hidden: [5], latent: 2, rng: &rng)
        let x = Tensor.randomUniform([4, 6], rng: &rng)
        let scores = negativeELBOPerInput(vae, x, samples: 2_000, rng: &rng)
        var total: Float = 0
        for _ in 0..<2_000 {
            let terms = vae.elboLoss(x, beta: 1, rng: &rng)
            total += terms.reconstruction.value.scalar + terms.kl.value.scalar
        }
        let mean = scores.reduce(0, +) / 4
        #expect(abs(mean - total / 2_000) < 0.02 * abs(mean), "per-input mean \(mean) vs batch loss \(total / 2_000)")
    }

    @Test("The demo's VAEs have 34,884 parameters (64 → 256 → 2 → 256 → 64) and 404,244 (MNIST, 784 → 256 → 2 → 256 → 784)")
    func parameterCount() {
        var rng = SeededRandom(seed: 1)
        let vae = VariationalAutoencoder(inputs: 64, hidden: [256], latent: 2, rng: &rng)
        let count = { (ps: [Variable]) in ps.reduce(0) { $0 + $1.value.count } }
        // Body 64·256 + 256, two heads 2·(256·2 + 2), decoder 2·256 + 256 and 256·64 + 64.
        #expect(count(vae.encoder.parameters) == 16_640 + 1_028)
        #expect(count(vae.decoder.parameters) == 768 + 16_448)
        #expect(count(vae.parameters) == 34_884)
        // On MNIST: body 784·256 + 256, the same heads, decoder 2·256 + 256 and 256·784 + 784.
        let mnist = VariationalAutoencoder(inputs: 784, hidden: [256], latent: 2, rng: &rng)
        #expect(count(mnist.encoder.parameters) == 200_960 + 1_028)
        #expect(count(mnist.decoder.parameters) == 768 + 201_488)
        #expect(count(mnist.parameters) == 404_244)
    }

    @Test("Area under the ROC curve: perfect, reversed, and with ties")
    func auroc() {
        #expect(areaUnderROC(normal: [1, 2, 3], anomalous: [4, 5]) == 1)
        #expect(areaUnderROC(normal: [4, 5], anomalous: [1, 2, 3]) == 0)
        #expect(areaUnderROC(normal: [1, 3], anomalous: [2, 3]) == 0.625)  // (1 + 0 + 1 + 0.5) / 4
    }
}
