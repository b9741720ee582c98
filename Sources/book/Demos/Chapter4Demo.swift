import Autoencoders
import Datasets
import Foundation
import Plotting
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Chapter 4: a VAE with a 2-D latent on the 8x8 digits (and on MNIST); its latent space, samples from the prior
/// and interpolations; posterior collapse and KL annealing; the ELBO as an anomaly score.
let chapter4Demo = Demo(chapter: 4, title: "a variational autoencoder on the 8x8 digits and on MNIST") { options in
    let (train, test) = try Digits.load().split()
    let trainX = batchTensor(train.images), testX = batchTensor(test.images)
    let epochs = options.steps ?? 60
    let folder = options.outputFolder.path

    // 1. The VAE: 64 → 256 → (μ, log σ²) ∈ ℝ² → 256 → 64 logits, Bernoulli pixels, β annealed to 1.
    var rng = SeededRandom(seed: options.seed)
    let vae = VariationalAutoencoder(inputs: 64, hidden: [256], latent: 2, rng: &rng)
    let batchesPerEpoch = (train.count + 63) / 64
    let annealing = KLAnnealing(target: 1, warmupSteps: 5 * batchesPerEpoch)
    print("""
    VAE 64 → 256 → (μ, log σ²) in 2-D → 256 → 64: \(vae.parameters.reduce(0) { $0 + $1.value.count }) parameters.
    \(train.count) training digits, batches of 64, Adam(lr 3e-3), \(epochs) epochs (--steps sets the number), β rising from 0 to 1 over the first 5 epochs.
    Per epoch: reconstruction = −log p(x|z) (Bernoulli, nats per image), KL = KL(q(z|x) ‖ N(0, I)) (nats per image).

    """)
    print("epoch     β   reconstruction      KL   −ELBO   KL per dimension")
    let start = Date()
    trainVAE(vae, on: trainX, epochs: epochs, batchSize: 64, learningRate: 3e-3, annealing: annealing, rng: &rng) { s in
        print(String(format: "%5d  %4.2f  %15.3f  %6.3f  %6.3f   ", s.epoch, s.beta, s.reconstruction, s.kl, s.negativeELBO)
              + s.klPerDimension.map { String(format: "%.3f", $0) }.joined(separator: " "))
    }
    print(String(format: "Trained in %.1f s.", Date().timeIntervalSince(start)))
    let testScores = negativeELBOPerInput(vae, testX, samples: 16, rng: &rng)
    let (testMu, testLogVariance) = vae.encode(testX)
    let testKL = klPerDimension(mu: testMu, logVariance: testLogVariance)
    print(String(format: "\nTest set: −ELBO %.3f nats per image (a bound on −log p(x)); KL per dimension ",
                 testScores.reduce(0, +) / Float(testScores.count))
          + testKL.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ".")

    // Figures: the latent space, samples from the prior, interpolation strips.
    let scatter = scatterPlot(x: (0..<test.count).map { testMu[$0, 0] }, y: (0..<test.count).map { testMu[$0, 1] },
                              classes: test.labels, classNames: (0...9).map(String.init),
                              title: "Test digits at their means μ(x) in the VAE's 2-D latent space",
                              xLabel: "z₁", yLabel: "z₂")
    let scatterURL = try writeSVG(scatter, to: "\(folder)/latent-scatter.svg")

    let samples = vae.decode(samplePrior(count: 64, latent: 2, rng: &rng))
    let samplesURL = try writeSVG(imageGrid(rows(of: samples), side: 8, columns: 16,
                                            title: "64 digits decoded from z ~ N(0, I)", pixelSize: 4),
                                  to: "\(folder)/prior-samples.svg")

    let pairs = [(0, 1), (1, 7), (3, 8), (4, 9), (2, 5), (6, 0)]
    var strips: [[[Float]]] = [], labels: [String] = []
    for (a, b) in pairs {
        guard let i = test.labels.firstIndex(of: a), let j = test.labels.firstIndex(of: b) else { continue }
        let path = interpolateCodes(from: (0..<2).map { testMu[i, $0] }, to: (0..<2).map { testMu[j, $0] }, steps: 10)
        strips.append([test.images[i]] + rows(of: vae.decode(path)) + [test.images[j]])
        labels.append("\(a) → \(b)")
    }
    let stripURL = try writeSVG(imageGrid(rows: strips, side: 8, rowLabels: labels, title:
                                            "Interpolating between the codes of two test digits (ends: the originals)",
                                          pixelSize: 4),
                                to: "\(folder)/interpolation.svg")
    let originals = Array(test.images.prefix(16))
    let rebuilt = rows(of: vae.reconstruct(batchTensor(originals)))
    let reconstructionURL = try writeSVG(imageGrid(rows: [originals, rebuilt], side: 8,
                                                   rowLabels: ["test digits", "decode(μ(x))"],
                                                   title: "Reconstructions through a 2-D code", pixelSize: 4),
                                         to: "\(folder)/reconstructions.svg")
    print("\nWrote \(scatterURL.path), \(samplesURL.path), \(stripURL.path) and \(reconstructionURL.path).")

    // Exercise 4.9's setting, trained by the book's own loop: what its target (26.5 nats) is set
    // against. (The setting is FitVAETask in Tests/Chapter4Checks/Training.swift.)
    var exerciseRNG = SeededRandom(seed: 49)
    let exerciseModel = VariationalAutoencoder(inputs: 64, hidden: [64], latent: 4, rng: &exerciseRNG)
    trainVAE(exerciseModel, on: batchTensor(Array(train.images.prefix(800))), epochs: 10, batchSize: 32,
             learningRate: 5e-3, annealing: .constant(1), rng: &exerciseRNG)
    var exerciseScoring = SeededRandom(seed: 4_900)
    let exerciseScores = negativeELBOPerInput(exerciseModel, testX, samples: 16, rng: &exerciseScoring)
    let (exerciseMu, exerciseLogVariance) = exerciseModel.encode(testX)
    print(String(format: "\nExercise 4.9's setting (64 → 64 → ℝ⁴ → 64 → 64, 800 digits, 10 epochs of 32 at lr 0.005, seed 49), trained by trainVAE: "
                 + "test −ELBO %.2f nats, KL %.2f nats (the exercise asks for below 26.5, with a KL of at least 1).",
                 exerciseScores.reduce(0, +) / Float(exerciseScores.count),
                 klPerDimension(mu: exerciseMu, logVariance: exerciseLogVariance).reduce(0, +)))

    // The 2-D VAE again, on MNIST: 20 epochs (a third of the --steps epochs when given).
    try demonstrateMNIST(seed: options.seed, epochs: options.steps.map { max(1, $0 / 3) } ?? 20, folder: folder)
    try demonstrateCollapse(train: trainX, test: testX, seed: options.seed, folder: folder)
    try demonstrateAnomalies(train: train, test: test, seed: options.seed)
}

/// The images in the rows of a [count, pixels] tensor.
func rows(of t: Tensor) -> [[Float]] {
    (0..<t.shape[0]).map { Array(t.scalars[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
}
