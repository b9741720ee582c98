import Autoencoders
import Datasets
import Foundation
import ScalarAutodiff
import Tensors
import Testing
import VariationalAutoencoders

/// Short, seeded training runs on a few hundred digits (debug builds are slow).
@Suite("Chapter 4: training on digits")
struct Chapter4TrainingTests {
    static func digits(_ count: Int) throws -> Tensor {
        let (train, _) = try Digits.load().split()
        return batchTensor(Array(train.images.prefix(count)))
    }

    /// The mean over pixels of each pixel's standard deviation across 64 decoded prior samples.
    static func decoderSpread(_ vae: VariationalAutoencoder) -> Float {
        var rng = SeededRandom(seed: 2)
        let images = vae.decode(samplePrior(count: 64, latent: vae.latent, rng: &rng))
        let centred = images - images.mean(axis: 0)
        return (centred * centred).mean(axis: 0).sqrt().mean().scalar
    }

    @Test("The VAE learns: the negative ELBO falls well below its first epoch, and both latent dimensions are used")
    func learns() throws {
        let x = try Self.digits(256)
        var rng = SeededRandom(seed: 1)
        let vae = VariationalAutoencoder(inputs: 64, hidden: [32], latent: 2, rng: &rng)
        let history = trainVAE(vae, on: x, epochs: 12, batchSize: 32, learningRate: 5e-3, annealing: .constant(1), rng: &rng)
        let first = history.first!.negativeELBO, last = history.last!.negativeELBO
        #expect(last < first - 4, "−ELBO went from \(first) to \(last)")
        let (mu, logVariance) = vae.encode(x)
        let kl = klPerDimension(mu: mu, logVariance: logVariance)
        #expect(kl.allSatisfy { $0 > 0.2 }, "KL per dimension \(kl)")
        #expect(activeDimensions(mu: mu) == 2)
        let spread = Self.decoderSpread(vae)
        #expect(spread > 0.07, "the decoded prior samples should differ; their pixels vary by only \(spread) on average")
    }

    @Test("Posterior collapse: with β = 8 every latent dimension ends at the prior and the decoder ignores z")
    func collapse() throws {
        let x = try Self.digits(256)
        var rng = SeededRandom(seed: 1)
        let vae = VariationalAutoencoder(inputs: 64, hidden: [32], latent: 2, rng: &rng)
        trainVAE(vae, on: x, epochs: 24, batchSize: 32, learningRate: 5e-3, annealing: .constant(8), rng: &rng)
        let (mu, logVariance) = vae.encode(x)
        let kl = klPerDimension(mu: mu, logVariance: logVariance)
        #expect(kl.allSatisfy { $0 < 0.05 }, "KL per dimension \(kl)")
        let spread = Self.decoderSpread(vae)
        // A trained decoder that reads z spreads its samples by about 0.1 per pixel (see `learns`).
        #expect(spread < 0.05, "the decoded prior samples should be nearly identical; their pixels vary by \(spread) on average")
    }
}

/// The floor of the Bernoulli reconstruction term on grey digits.
@Suite("Chapter 4: the reconstruction floor")
struct Chapter4ReconstructionFloorTests {
    @Test("On grey pixels the Bernoulli term cannot go below their entropy: 13.66 nats per digit on average")
    func entropyFloor() throws {
        let digits = try Digits.load()
        let x = batchTensor(digits.images)
        // The best possible logits predict each pixel exactly: ℓ = log(x / (1 − x)), clamped for 0 and 1.
        let logits = x.map { p in p <= 0 ? -30 : (p >= 1 ? 30 : Float(log(Double(p) / (1 - Double(p))))) }
        let floor = negativeLogLikelihoodPerInput(logits, x, likelihood: .bernoulli)
        let mean = floor.reduce(0, +) / Float(floor.count)
        #expect(abs(mean - 13.66) < 0.005, "got \(mean)")
        // Any other logits do worse.
        let off = negativeLogLikelihoodPerInput(logits + 0.5, x, likelihood: .bernoulli)
        #expect(zip(off, floor).allSatisfy { $0 > $1 })
    }
}
