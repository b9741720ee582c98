import Chapter4Exercises
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Testing
import VariationalAutoencoders

/// The checks for Exercises/Chapter4. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 4: exercises")
struct Chapter4ExerciseTests {
    /// A small VAE with fixed random weights: 8 pixels, hidden 6, latent 2.
    static func smallVAE(seed: UInt64 = 40) -> VariationalAutoencoder {
        var rng = SeededRandom(seed: seed)
        return VariationalAutoencoder(inputs: 8, hidden: [6], latent: 2, rng: &rng)
    }

    @Test("4.1 The reparameterisation node: z = μ + σε, dz/dμ = 1, dz/dσ = ε")
    func exercise4_1() throws {
        let mu = Variable(Tensor([[0.5, -1], [2, 0]])), sigma = Variable(Tensor([[1, 0.5], [0.1, 3]]))
        let epsilon = Tensor([[0.3, -2], [1.5, -0.7]])
        let z = try attempt("4.1") { try reparameteriseNode(mu: mu, sigma: sigma, epsilon: epsilon) }
        let expected = Tensor([[0.8, -2], [2.15, -2.1]])
        #expect(z.value.isClose(to: expected, tolerance: 1e-5), "z = μ + σ ⊙ ε should be \(expected), got \(z.value)")
        let g = Tensor([[1, 2], [-1, 0.5]])
        z.backward(seed: g)
        #expect(mu.gradient == g, "∂z/∂μ = 1, so μ's gradient should be the incoming gradient \(g), got \(mu.gradient)")
        #expect(sigma.gradient.isClose(to: g * epsilon, tolerance: 1e-6),
                "∂z/∂σ = ε, so σ's gradient should be g ⊙ ε = \(g * epsilon), got \(sigma.gradient)")
    }

    @Test("4.2 The KL of a diagonal Gaussian: 0.9431 for the worked example, 0 at the prior")
    func exercise4_2() throws {
        let kl = try attempt("4.2") { try gaussianKL(mu: [0.5, -1.0], sigma: [1.0, 0.5]) }
        #expect(abs(kl - 0.9431) < 5e-5,
                "μ = [0.5, −1.0], σ = [1.0, 0.5] should give ½(0.25 + 1.8863) = 0.9431, got \(kl); the formula is ½ Σ (μ² + σ² − log σ² − 1) with log σ², not log σ")
        let zero = try gaussianKL(mu: [0, 0, 0], sigma: [1, 1, 1])
        #expect(abs(zero) < 1e-7, "N(0, I) is the prior itself, so its KL is 0, got \(zero): did you forget the − 1?")
        let mu: [Float] = [0.3, -2, 1.1, 0], sigma: [Float] = [0.2, 1.7, 1, 0.9]
        let got = try gaussianKL(mu: mu, sigma: sigma)
        let expected = klDivergence(mu: mu, sigma: sigma)
        #expect(abs(got - expected) < 1e-4, "for μ = \(mu), σ = \(sigma) the KL is \(expected), got \(got)")
    }

    @Test("4.3 The KL as a node: value averaged over the batch, gradients μ/B and ½(σ² − 1)/B")
    func exercise4_3() throws {
        var rng = SeededRandom(seed: 43)
        let muValue = Tensor.randomNormal([3, 2], rng: &rng), logVarianceValue = Tensor.randomNormal([3, 2], rng: &rng)
        let mu = Variable(muValue), logVariance = Variable(logVarianceValue)
        let kl = try attempt("4.3") { try klNode(mu: mu, logVariance: logVariance) }
        let refMu = Variable(muValue), refLogVariance = Variable(logVarianceValue)
        let reference = klDivergence(mu: refMu, logVariance: refLogVariance)
        #expect(kl.value.count == 1 && abs(kl.value.scalars[0] - reference.value.scalar) < 1e-4,
                "the KL averaged over the 3 rows should be \(reference.value.scalar), got \(kl.value.scalars): sum ½(μ² + eᵛ − v − 1) over everything, then divide by the batch size")
        kl.backward(seed: Tensor(2))
        reference.backward(seed: Tensor(2))
        #expect(mu.gradient.isClose(to: refMu.gradient, tolerance: 1e-5),
                "∂KL/∂μ should be g·μ/B = \(refMu.gradient) (here g = 2, B = 3), got \(mu.gradient)")
        #expect(logVariance.gradient.isClose(to: refLogVariance.gradient, tolerance: 1e-5),
                "∂KL/∂(log σ²) should be g·½(eᵛ − 1)/B = \(refLogVariance.gradient), got \(logVariance.gradient)")
    }

    @Test("4.4 The β-weighted negative ELBO: reconstruction summed over pixels, + β·KL")
    func exercise4_4() throws {
        var rng = SeededRandom(seed: 44)
        let x = Tensor.randomUniform([4, 6], rng: &rng)
        let logitsValue = Tensor.randomNormal([4, 6], rng: &rng)
        let muValue = Tensor.randomNormal([4, 2], rng: &rng), logVarianceValue = Tensor.randomNormal([4, 2], rng: &rng)
        let logits = Variable(logitsValue), mu = Variable(muValue), logVariance = Variable(logVarianceValue)
        let terms = try attempt("4.4") { try betaVAELoss(x: x, logits: logits, mu: mu, logVariance: logVariance, beta: 3) }
        let refLogits = Variable(logitsValue), refMu = Variable(muValue), refLogVariance = Variable(logVarianceValue)
        let reference = negativeELBO(x: x, decoderOutput: refLogits, mu: refMu, logVariance: refLogVariance, beta: 3)
        #expect(abs(terms.reconstruction.value.scalar - reference.reconstruction.value.scalar) < 1e-3,
                "the reconstruction term should be \(reference.reconstruction.value.scalar) (BCE summed over the 6 pixels, averaged over the 4 images), got \(terms.reconstruction.value.scalar)")
        #expect(abs(terms.kl.value.scalar - reference.kl.value.scalar) < 1e-4,
                "the KL term should be \(reference.kl.value.scalar), got \(terms.kl.value.scalar)")
        #expect(abs(terms.loss.value.scalar - reference.loss.value.scalar) < 1e-3,
                "the loss should be reconstruction + 3·KL = \(reference.loss.value.scalar), got \(terms.loss.value.scalar)")
        terms.loss.backward()
        reference.loss.backward()
        #expect(logits.gradient.isClose(to: refLogits.gradient, tolerance: 1e-5) && mu.gradient.isClose(to: refMu.gradient, tolerance: 1e-5),
                "the loss's gradients should reach the logits and μ: expected ∂/∂logits \(refLogits.gradient), got \(logits.gradient)")
    }

    @Test("4.5 Cyclical KL annealing: β ramps up in every cycle, then holds")
    func exercise4_5() throws {
        let first = try attempt("4.5") { try cyclicalBeta(step: 0, target: 1, cycleLength: 100, rampFraction: 0.5) }
        #expect(first == 0, "β starts every cycle at 0, got \(first) at step 0")
        let cases: [(step: Int, expected: Float)] = [(25, 0.5), (50, 1), (99, 1), (100, 0), (110, 0.2), (160, 1), (225, 0.5)]
        for (step, expected) in cases {
            let beta = try cyclicalBeta(step: step, target: 1, cycleLength: 100, rampFraction: 0.5)
            #expect(abs(beta - expected) < 1e-6,
                    "with cycles of 100 steps ramping over the first half, β at step \(step) should be \(expected), got \(beta): τ = (step mod 100)/100, β = min(1, τ/0.5)")
        }
        let scaled = try cyclicalBeta(step: 10, target: 4, cycleLength: 40, rampFraction: 0.25)
        #expect(abs(scaled - 4) < 1e-6, "β reaches the target (4) a quarter of the way into a 40-step cycle, got \(scaled) at step 10")
    }

    @Test("4.6 Sampling from the prior: z ~ N(0, I) from the generator, decoded through the sigmoid")
    func exercise4_6() throws {
        let vae = Self.smallVAE()
        var rng = SeededRandom(seed: 46)
        let images = try attempt("4.6") { try sampleImages(from: vae, count: 5, rng: &rng) }
        var referenceRng = SeededRandom(seed: 46)
        let expected = vae.decode(samplePrior(count: 5, latent: 2, rng: &referenceRng))
        #expect(images.shape == [5, 8], "5 images of 8 pixels: expected shape [5, 8], got \(images.shape)")
        #expect(images.scalars.allSatisfy { $0 > 0 && $0 < 1 },
                "pixels are probabilities σ(logit), strictly between 0 and 1; got \(images.scalars.prefix(8))…")
        #expect(images.isClose(to: expected, tolerance: 1e-5),
                "with seed 46 the images should be \(expected), got \(images): draw the [5, 2] codes row by row with rng.normal(), then decode")
        #expect(rng.next() == referenceRng.next(), "draw exactly count × latent = 10 normals from rng, no more, no fewer")
    }

    @Test("4.7 Interpolating between two images: decoded codes on the line from μ(a) to μ(b)")
    func exercise4_7() throws {
        let vae = Self.smallVAE()
        let a: [Float] = [0, 0.1, 0.9, 1, 0.5, 0, 0.2, 0.7], b: [Float] = [1, 0.8, 0, 0, 0.3, 0.9, 1, 0]
        let strip = try attempt("4.7") { try interpolateImages(vae, from: a, to: b, steps: 5) }
        let mu = vae.encode(Tensor([a, b])).mu
        let ends = vae.decode(mu)
        #expect(strip.shape == [5, 8], "5 steps of 8 pixels: expected shape [5, 8], got \(strip.shape)")
        guard strip.shape == [5, 8] else { return }
        #expect(strip.slice(axis: 0, 0..<1).isClose(to: ends.slice(axis: 0, 0..<1), tolerance: 1e-5)
                && strip.slice(axis: 0, 4..<5).isClose(to: ends.slice(axis: 0, 1..<2), tolerance: 1e-5),
                "the first and last images should decode μ(a) and μ(b) exactly: expected \(ends), got rows 0 and 4 of \(strip)")
        let middle = vae.decode((mu.slice(axis: 0, 0..<1) + mu.slice(axis: 0, 1..<2)) * 0.5)
        #expect(strip.slice(axis: 0, 2..<3).isClose(to: middle, tolerance: 1e-5),
                "the middle image should decode ½(μ(a) + μ(b)) = \(middle), got \(strip.slice(axis: 0, 2..<3)): t = k/(steps − 1)")
    }

    @Test("4.8 An importance-weighted estimate of log p(x): matches the book's, stays finite, and is at least the ELBO")
    func exercise4_8() throws {
        var rng = SeededRandom(seed: 48)
        let vae = Self.smallVAE()
        let x = Tensor([[0, 0.1, 0.9, 1, 0.5, 0, 0.2, 0.7]])
        let epsilons = (0..<10).map { _ in Tensor.randomNormal([1, 2], rng: &rng) }
        let estimate = try attempt("4.8") { try logLikelihoodEstimate(vae, x, epsilons: epsilons) }
        let expected = importanceWeightedLogLikelihood(vae, x, epsilons: epsilons)[0]
        #expect(abs(estimate - expected) < 1e-3,
                "with these 10 samples log p̂(x) should be \(expected), got \(estimate): log wₖ = log p(x|zₖ) + log N(zₖ; 0, I) − log N(zₖ; μ, σ²)")
        let single = try logLikelihoodEstimate(vae, x, epsilons: [epsilons[0]])
        let singleExpected = importanceWeightedLogLikelihood(vae, x, epsilons: [epsilons[0]])[0]
        #expect(abs(single - singleExpected) < 1e-3, "with one sample the estimate is log w₁ = \(singleExpected), got \(single)")
        let mean = epsilons.map { importanceWeightedLogLikelihood(vae, x, epsilons: [$0])[0] }.reduce(0, +) / 10
        #expect(estimate >= mean - 1e-4,
                "log of the mean weight must be ≥ the mean of the log weights (\(mean), the ELBO estimate) by Jensen's inequality, got \(estimate)")
        // A decoder sure of the wrong answer: every log wₖ is about −160, and exp underflows Float.
        let confident = Self.smallVAE(seed: 41)
        confident.decoder.parameters.last!.value = Tensor(repeating: 20, shape: [8])
        let zero = Tensor.zeros([1, 8])
        let farFromData = try logLikelihoodEstimate(confident, zero, epsilons: epsilons)
        let farExpected = importanceWeightedLogLikelihood(confident, zero, epsilons: epsilons)[0]
        #expect(farFromData.isFinite && abs(farFromData - farExpected) < 1e-2 * abs(farExpected),
                "when every wₖ underflows the estimate should still be finite, \(farExpected), got \(farFromData): subtract the largest log wₖ before exp")
    }
}
