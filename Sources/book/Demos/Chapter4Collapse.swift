import Datasets
import Foundation
import Plotting
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Trains a fresh VAE quietly and returns it with its test KL per dimension.
private func quietRun(train: Tensor, test: Tensor, latent: Int, annealing: KLAnnealing, epochs: Int,
                      seed: UInt64) -> (vae: VariationalAutoencoder, kl: [Float], reconstruction: Float) {
    var rng = SeededRandom(seed: seed)
    let vae = VariationalAutoencoder(inputs: 64, hidden: [128], latent: latent, rng: &rng)
    let history = trainVAE(vae, on: train, epochs: epochs, batchSize: 64, learningRate: 3e-3,
                           annealing: annealing, rng: &rng)
    let (mu, logVariance) = vae.encode(test)
    return (vae, klPerDimension(mu: mu, logVariance: logVariance), history.last!.reconstruction)
}

/// How much the decoder's output changes with z: the mean over pixels of the standard deviation
/// across 64 codes drawn from the prior. About 0 means the decoder ignores z.
private func decoderSpread(_ vae: VariationalAutoencoder, seed: UInt64) -> Float {
    var rng = SeededRandom(seed: seed)
    let images = vae.decode(samplePrior(count: 64, latent: vae.latent, rng: &rng))
    let centred = images - images.mean(axis: 0)
    return (centred * centred).mean(axis: 0).sqrt().mean().scalar
}

private func formatted(_ values: [Float]) -> String {
    "[" + values.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "]"
}

/// Posterior collapse with a large β, and KL annealing reviving the dimensions a VAE leaves unused.
func demonstrateCollapse(train: Tensor, test: Tensor, seed: UInt64, folder: String) throws {
    let batches = (train.shape[0] + 63) / 64
    print("\nPosterior collapse (test-set KL per latent dimension, in nats; ≈ 0 means the dimension carries nothing):")

    let healthy = quietRun(train: train, test: test, latent: 2, annealing: .constant(1), epochs: 40, seed: seed)
    let collapsed = quietRun(train: train, test: test, latent: 2, annealing: .constant(8), epochs: 40, seed: seed)
    let annealedTo8 = quietRun(train: train, test: test, latent: 2,
                               annealing: KLAnnealing(target: 8, warmupSteps: 20 * batches), epochs: 40, seed: seed)
    print("  2-D latent, β = 1 from the start:         KL \(formatted(healthy.kl)), reconstruction \(String(format: "%.2f", healthy.reconstruction)), decoder spread over z \(String(format: "%.4f", decoderSpread(healthy.vae, seed: seed)))")
    print("  2-D latent, β = 8 from the start:         KL \(formatted(collapsed.kl)), reconstruction \(String(format: "%.2f", collapsed.reconstruction)), decoder spread over z \(String(format: "%.4f", decoderSpread(collapsed.vae, seed: seed)))")
    print("  2-D latent, β annealed 0 → 8 (20 epochs):  KL \(formatted(annealedTo8.kl)), reconstruction \(String(format: "%.2f", annealedTo8.reconstruction))")
    print("  With β = 8 the cheapest way to pay for the KL is to send every code to the prior: the decoder then")
    print("  draws the same average digit whatever z is. Annealing to β = 8 ends there too: it is the optimum.")

    var rng = SeededRandom(seed: seed)
    let samples = collapsed.vae.decode(samplePrior(count: 16, latent: 2, rng: &rng))
    let collapsedURL = try writeSVG(imageGrid(rows(of: samples), side: 8, columns: 16,
                                              title: "β = 8: 16 samples from the prior, all the same average digit",
                                              pixelSize: 4),
                                    to: "\(folder)/collapsed-samples.svg")

    let constant = quietRun(train: train, test: test, latent: 8, annealing: .constant(1), epochs: 40, seed: seed)
    let annealed = quietRun(train: train, test: test, latent: 8,
                            annealing: KLAnnealing(target: 1, warmupSteps: 5 * batches, delaySteps: 2 * batches),
                            epochs: 40, seed: seed)
    func dead(_ kl: [Float]) -> Int { kl.filter { $0 < 0.03 }.count }
    print("\n  8-D latent, β = 1 from the start:         KL \(formatted(constant.kl))")
    print("      \(dead(constant.kl)) of 8 dimensions below 0.03 nats; total KL \(String(format: "%.2f", constant.kl.reduce(0, +))), reconstruction \(String(format: "%.2f", constant.reconstruction))")
    print("  8-D latent, β = 0 for 2 epochs, then 0 → 1 over 5: KL \(formatted(annealed.kl))")
    print("      \(dead(annealed.kl)) of 8 dimensions below 0.03 nats; total KL \(String(format: "%.2f", annealed.kl.reduce(0, +))), reconstruction \(String(format: "%.2f", annealed.reconstruction))")
    let ranks = (1...8).map(Double.init)
    let klURL = try writeSVG(linePlot([Series("β = 1 from the start", x: ranks, y: constant.kl.sorted(by: >).map(Double.init)),
                                       Series("β = 0, then annealed to 1", x: ranks, y: annealed.kl.sorted(by: >).map(Double.init))],
                                      title: "KL per latent dimension, largest first (8-D VAE, test set)",
                                      xLabel: "dimension (sorted by KL)", yLabel: "KL (nats)", logY: true),
                             to: "\(folder)/kl-per-dimension.svg")
    print("\nWrote \(collapsedURL.path) and \(klURL.path).")
}

