import Autoencoders
import Datasets
import Foundation
import Plotting
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// The same kind of VAE on real 28×28 MNIST digits, with a 2-D latent: its latent space as a
/// scatter of test digits, and the decoder's whole map of it, a grid of images decoded from evenly
/// spaced codes (the figure of Kingma and Welling's paper).
func demonstrateMNIST(seed: UInt64, epochs: Int, folder: String) throws {
    let (train, test) = try MNIST.loadSplit()
    let trainX = batchTensor(train.images), testX = batchTensor(test.images)
    var rng = SeededRandom(seed: seed)
    let vae = VariationalAutoencoder(inputs: 784, hidden: [256], latent: 2, rng: &rng)
    let batches = (train.count + 63) / 64
    print("\nThe same kind of VAE on \(train.count) MNIST digits: 784 → 256 → (μ, log σ²) in 2-D → 256 → 784, "
          + "\(vae.parameters.reduce(0) { $0 + $1.value.count }) parameters, \(epochs) epochs of 64, Adam(lr 1e-3), β rising from 0 to 1 over 2 epochs.")
    let start = Date()
    let history = trainVAE(vae, on: trainX, epochs: epochs, batchSize: 64, learningRate: 1e-3,
                           annealing: KLAnnealing(target: 1, warmupSteps: 2 * batches), rng: &rng)
    var scoring = SeededRandom(seed: seed &+ 4)
    let scores = negativeELBOPerInput(vae, testX, samples: 4, rng: &scoring)
    let (mu, logVariance) = vae.encode(testX)
    let kl = klPerDimension(mu: mu, logVariance: logVariance)
    print(String(format: "  last epoch: reconstruction %.2f, KL %.2f nats; test −ELBO %.2f nats per digit, KL per dimension %.2f, %.2f (%.1f s)",
                 history.last!.reconstruction, history.last!.kl, scores.reduce(0, +) / Float(scores.count), kl[0], kl[1],
                 Date().timeIntervalSince(start)))

    let scatter = scatterPlot(x: (0..<test.count).map { mu[$0, 0] }, y: (0..<test.count).map { mu[$0, 1] },
                              classes: test.labels, classNames: (0...9).map(String.init),
                              title: "MNIST test digits at their means μ(x) in the VAE's 2-D latent space",
                              xLabel: "z₁", yLabel: "z₂")
    let scatterURL = try writeSVG(scatter, to: "\(folder)/mnist-latent-scatter.svg")
    // Codes on a 15 × 15 grid over [−2, 2]², z₂ decreasing down the rows, so the picture has the
    // scatter's orientation.
    let side = 15
    let values = (0..<side).map { -2 + 4 * Float($0) / Float(side - 1) }
    let grid = Tensor(values.reversed().flatMap { z2 in values.map { z1 in [z1, z2] } })
    let decoded = rows(of: vae.decode(grid))
    let manifoldURL = try writeSVG(imageGrid(decoded, side: 28, columns: side,
                                             title: "Decoded codes on a grid over [−2, 2]² (z₁ left to right, z₂ bottom to top)",
                                             pixelSize: 2, gap: 0),
                                   to: "\(folder)/mnist-manifold.svg")
    print("  Wrote \(scatterURL.path) and \(manifoldURL.path).")
}
