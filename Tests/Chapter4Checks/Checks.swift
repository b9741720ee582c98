// The checks of chapter 4's exercises 4.1 to 4.8. Each takes a Checker and the student's
// function, so the same check runs on the answer in Exercises/Chapter4 and on the known wrong
// answers in Mutants/Chapter4, which must fail it with a message that names their mistake.
// (4.9, the VAE's training loop, is in Training.swift.)

import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// A small VAE with fixed random weights: 8 pixels, hidden 6, latent 2.
public func smallVAE(seed: UInt64 = 40) -> VariationalAutoencoder {
    var rng = SeededRandom(seed: seed)
    return VariationalAutoencoder(inputs: 8, hidden: [6], latent: 2, rng: &rng)
}

/// 4.1: z = μ + σ ⊙ ε as one node, with ∂z/∂μ = 1 and ∂z/∂σ = ε.
public func checkReparameteriseNode(_ c: Checker, _ node: (Variable, Variable, Tensor) throws -> Variable) throws {
    let mu = Variable(Tensor([[0.5, -1], [2, 0]])), sigma = Variable(Tensor([[1, 0.5], [0.1, 3]]))
    let epsilon = Tensor([[0.3, -2], [1.5, -0.7]])
    let z = try node(mu, sigma, epsilon)
    c.expectClose(z.value, Tensor([[0.8, -2], [2.15, -2.1]]), "z = μ + σ ⊙ ε for two codes of 2 dimensions",
                  mistakes: [Mistake(mu.value + epsilon, "σ is missing: z = μ + σ ⊙ ε, the noise scaled by σ")])
    let g = Tensor([[1, 2], [-1, 0.5]])
    z.backward(seed: g)
    guard mu.grad != nil || sigma.grad != nil else {
        c.fail("no gradient reached μ or σ: build z as a node, Variable(value, op:, inputs: [mu, sigma]) { g in … }, whose backward rule accumulates into both")
        return
    }
    c.expectClose(mu.gradient, g, "μ's gradient for the incoming gradient g = [[1, 2], [−1, 0.5]] (∂z/∂μ = 1, so it is g)",
                  mistakes: [Mistake(g * epsilon, "the two rules are swapped: μ gets g unchanged, σ gets g ⊙ ε")])
    c.expectClose(sigma.gradient, g * epsilon, "σ's gradient (∂z/∂σ = ε, so it is g ⊙ ε)",
                  mistakes: [Mistake(g, "σ's rule forgot ε: ∂z/∂σ = ε, so σ gets g ⊙ ε"),
                             Mistake(g * sigma.value, "σ's rule multiplies by σ; ∂(μ + σε)/∂σ is ε")])
}

/// 4.2: KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − log σ² − 1).
public func checkGaussianKL(_ c: Checker, _ kl: ([Float], [Float]) throws -> Float) throws {
    let worked = try kl([0.5, -1.0], [1.0, 0.5])
    c.expectClose(worked, 0.9431, tolerance: 5e-5, "the KL for μ = [0.5, −1.0], σ = [1.0, 0.5] (½ · (0.25 + 1.6363))",
                  mistakes: [Mistake(0.5966, "log σ where the formula has log σ² = 2 log σ"),
                             Mistake(1.8863, "the ½ in front is missing"),
                             Mistake(1.9431, "the − 1 in each term is missing (it makes the KL 0 at the prior)")])
    let prior = try kl([0, 0, 0], [1, 1, 1])
    c.expectClose(prior, 0, tolerance: 1e-6, "the KL of N(0, I) from itself",
                  mistakes: [Mistake(1.5, "the − 1 in each term is missing (it makes the KL 0 at the prior)")])
    let mu: [Float] = [0.3, -2, 1.1, 0], sigma: [Float] = [0.2, 1.7, 1, 0.9]
    c.expectClose(try kl(mu, sigma), klDivergence(mu: mu, sigma: sigma), tolerance: 1e-4, "the KL for μ = \(mu), σ = \(sigma)")
}

/// 4.3: the batched KL as one node: its value averaged over the batch, its gradients μ/B and ½(eᵛ − 1)/B.
public func checkKLNode(_ c: Checker, _ node: (Variable, Variable) throws -> Variable) throws {
    var rng = SeededRandom(seed: 43)
    let muValue = Tensor.randomNormal([3, 2], rng: &rng), logVarianceValue = Tensor.randomNormal([3, 2], rng: &rng)
    let mu = Variable(muValue), logVariance = Variable(logVarianceValue)
    let kl = try node(mu, logVariance)
    let refMu = Variable(muValue), refLogVariance = Variable(logVarianceValue)
    let reference = klDivergence(mu: refMu, logVariance: refLogVariance)
    let expected = reference.value.scalar
    c.expect(kl.value.count == 1, "the KL node should hold one number (the batch average), got shape \(kl.shape)")
    c.expectClose(kl.value.scalars.first ?? .nan, expected, tolerance: 1e-4,
                  "the KL of 3 codes of 2 dimensions, averaged over the batch",
                  mistakes: [Mistake(3 * expected, "it is summed over the batch: divide by the batch size B = 3"),
                             Mistake(2 * expected, "the ½ in front is missing")])
    kl.backward(seed: Tensor(2))
    reference.backward(seed: Tensor(2))
    guard mu.grad != nil, logVariance.grad != nil else {
        c.fail("no gradient reached \(mu.grad == nil ? "μ" : "log σ²"): the node's backward rule must accumulate into both inputs")
        return
    }
    let variance = logVarianceValue.exp()
    c.expectClose(mu.gradient, refMu.gradient, "∂KL/∂μ = g·μ/B for g = 2, B = 3",
                  mistakes: [Mistake(refMu.gradient * 3, "the gradient was not divided by the batch size B"),
                             Mistake(refMu.gradient * 0.5, "the incoming gradient g = 2 was not applied: multiply the local derivative by g.scalar")])
    c.expectClose(logVariance.gradient, refLogVariance.gradient, "∂KL/∂(log σ²) = g·½(eᵛ − 1)/B for g = 2, B = 3",
                  mistakes: [Mistake(variance * (1.0 / 3), "the − 1 is missing from ½(eᵛ − 1): the derivative of eᵛ − v is eᵛ − 1"),
                             Mistake(refLogVariance.gradient * 3, "the gradient was not divided by the batch size B")])
}

/// 4.4: reconstruction (BCE summed over pixels, averaged over the batch), KL, and reconstruction + β·KL.
public func checkBetaVAELoss(_ c: Checker,
                             _ loss: (Tensor, Variable, Variable, Variable, Float) throws -> (reconstruction: Variable, kl: Variable, loss: Variable)) throws {
    var rng = SeededRandom(seed: 44)
    let x = Tensor.randomUniform([4, 6], rng: &rng)
    let logitsValue = Tensor.randomNormal([4, 6], rng: &rng)
    let muValue = Tensor.randomNormal([4, 2], rng: &rng), logVarianceValue = Tensor.randomNormal([4, 2], rng: &rng)
    let logits = Variable(logitsValue), mu = Variable(muValue), logVariance = Variable(logVarianceValue)
    let terms = try loss(x, logits, mu, logVariance, 3)
    let refLogits = Variable(logitsValue)
    let reference = negativeELBO(x: x, decoderOutput: refLogits, mu: Variable(muValue), logVariance: Variable(logVarianceValue), beta: 3)
    let recon = reference.reconstruction.value.scalar, kl = reference.kl.value.scalar
    c.expectClose(terms.reconstruction.value.scalars.first ?? .nan, recon, tolerance: 1e-4,
                  "the reconstruction term (the BCE summed over the 6 pixels, averaged over the 4 images)",
                  mistakes: [Mistake(recon / 6, "that is the BCE averaged over every pixel: multiply by the number of pixels, so that it is a sum over each image's pixels"),
                             Mistake(recon * 4, "that is summed over the batch too: average over the 4 images")])
    c.expectClose(terms.kl.value.scalars.first ?? .nan, kl, tolerance: 1e-4, "the KL term, averaged over the batch")
    c.expectClose(terms.loss.value.scalars.first ?? .nan, recon + 3 * kl, tolerance: 1e-4, "the loss reconstruction + β·KL with β = 3",
                  mistakes: [Mistake(recon + kl, "β is ignored: the loss is reconstruction + β·KL"),
                             Mistake(3 * recon + kl, "β weights the KL, not the reconstruction")])
    terms.loss.backward()
    reference.loss.backward()
    c.expectClose(logits.gradient, refLogits.gradient, "∂loss/∂logits: the loss must stay connected to the logits")
}

/// 4.5: cyclical KL annealing.
public func checkCyclicalBeta(_ c: Checker, _ beta: (Int, Float, Int, Float) throws -> Float) throws {
    let cases: [(step: Int, expected: Float)] = [(0, 0), (25, 0.5), (50, 1), (99, 1), (100, 0), (110, 0.2), (160, 1), (225, 0.5)]
    for (step, expected) in cases {
        let got = try beta(step, 1, 100, 0.5)
        let noCycle: Float = min(1, Float(step) / 50)
        c.expectClose(got, expected, tolerance: 1e-6,
                      "β at step \(step), with cycles of 100 steps whose first half is the ramp",
                      mistakes: step >= 100 ? [Mistake(noCycle, "the ramp never restarts: take the position inside the current cycle, step mod cycleLength")] : [])
    }
    let integer = try beta(130, 1, 100, 0.5)
    if integer == 0 {
        c.fail("β at step 130 should be 0.6, got 0. Likely mistake: τ was computed by dividing two Ints, which rounds down to 0; convert to Float before dividing")
    }
    c.expectClose(try beta(10, 4, 40, 0.25), 4, tolerance: 1e-6, "β at step 10 with target 4, cycles of 40 steps and a ramp of a quarter cycle")
}

/// 4.6: codes drawn from N(0, I) by the generator, row by row, decoded to pixels.
public func checkSampleImages(_ c: Checker, _ sample: (VariationalAutoencoder, Int, inout SeededRandom) throws -> Tensor) throws {
    let vae = smallVAE()
    var rng = SeededRandom(seed: 46)
    let images = try sample(vae, 5, &rng)
    var referenceRng = SeededRandom(seed: 46)
    let z = samplePrior(count: 5, latent: 2, rng: &referenceRng)
    let expected = vae.decode(z)
    var uniformRng = SeededRandom(seed: 46)
    let uniform = Tensor(shape: [5, 2], scalars: (0..<10).map { _ in uniformRng.uniformFloat() })
    let columnMajor = Tensor(shape: [5, 2], scalars: (0..<10).map { z.scalars[($0 % 2) * 5 + $0 / 2] })
    c.expectClose(images, expected, "5 images of 8 pixels decoded from codes drawn with seed 46",
                  mistakes: [Mistake(vae.decoder(.constant(z)).value, "those are the decoder's logits: the pixels are their sigmoids (model.decode applies it)"),
                             Mistake(vae.decode(uniform), "the codes were drawn uniformly: the prior is N(0, I), so draw with rng.normal()"),
                             Mistake(vae.decode(columnMajor), "the draws were placed column by column: fill the [count, latent] codes row by row")])
    c.expect(rng.next() == referenceRng.next(), "draw exactly count × latent = 10 normals from rng, no more, no fewer")
}

/// 4.7: decoded codes on the segment from μ(a) to μ(b), both ends included.
public func checkInterpolateImages(_ c: Checker, _ interpolate: (VariationalAutoencoder, [Float], [Float], Int) throws -> Tensor) throws {
    let vae = smallVAE()
    let a: [Float] = [0, 0.1, 0.9, 1, 0.5, 0, 0.2, 0.7], b: [Float] = [1, 0.8, 0, 0, 0.3, 0.9, 1, 0]
    let strip = try interpolate(vae, a, b, 5)
    let mu = vae.encode(Tensor([a, b])).mu
    let expected = vae.decode(interpolateCodes(from: Array(mu.scalars[0..<2]), to: Array(mu.scalars[2..<4]), steps: 5))
    let pixels = Tensor((0..<5).map { k in zip(a, b).map { (1 - Float(k) / 4) * $0 + Float(k) / 4 * $1 } })
    let short = vae.decode(Tensor((0..<5).map { k in (0..<2).map { (1 - Float(k) / 5) * mu.scalars[$0] + Float(k) / 5 * mu.scalars[2 + $0] } }))
    c.expectClose(strip, expected, "5 images decoded along the line from μ(a) to μ(b)",
                  mistakes: [Mistake(pixels, "those are blends of the two images' pixels: interpolate between their codes μ(a) and μ(b), then decode"),
                             Mistake(short, "the last image is not μ(b)'s: t = k/(steps − 1), so that both ends are included")])
}

/// 4.8: the importance-weighted estimate, against the book's, finite where the weights underflow.
public func checkLogLikelihoodEstimate(_ c: Checker, _ estimate: (VariationalAutoencoder, Tensor, [Tensor]) throws -> Float) throws {
    var rng = SeededRandom(seed: 48)
    let vae = smallVAE()
    let x = Tensor([[0, 0.1, 0.9, 1, 0.5, 0, 0.2, 0.7]])
    let epsilons = (0..<10).map { _ in Tensor.randomNormal([1, 2], rng: &rng) }
    let expected = importanceWeightedLogLikelihood(vae, x, epsilons: epsilons)[0]
    let logWeights = epsilons.map { importanceWeightedLogLikelihood(vae, x, epsilons: [$0])[0] }
    let meanOfLogs = logWeights.reduce(0, +) / 10
    let got = try estimate(vae, x, epsilons)
    c.expectClose(got, expected, tolerance: 1e-3, "log p̂(x) with K = 10 samples",
                  mistakes: [Mistake(meanOfLogs, "that is the mean of the log weights (the ELBO estimate); the estimate is the log of the mean weight")])
    c.expectClose(try estimate(vae, x, [epsilons[0]]), logWeights[0], tolerance: 1e-3, "log p̂(x) with one sample, which is log w₁")
    // A decoder sure of the wrong answer: every log wₖ is about −160, and exp underflows Float.
    let confident = smallVAE(seed: 41)
    confident.decoder.parameters.last!.value = Tensor(repeating: 20, shape: [8])
    let zero = Tensor.zeros([1, 8])
    let far = try estimate(confident, zero, epsilons)
    let farExpected = importanceWeightedLogLikelihood(confident, zero, epsilons: epsilons)[0]
    if !far.isFinite {
        c.fail("log p̂(x) is \(far) for an image the decoder finds very unlikely (expected \(Checker.format(Double(farExpected)))). Likely mistake: each wₖ ≈ e⁻¹⁶⁰ underflows Float to 0 and log 0 = −∞; subtract the largest log wₖ before exp (log-sum-exp)")
    } else {
        c.expectClose(far, farExpected, tolerance: 1e-3, "log p̂(x) for an image the decoder finds very unlikely")
    }
}
