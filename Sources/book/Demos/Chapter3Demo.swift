import Autoencoders
import Datasets
import Foundation
import Plotting
import ScalarAutodiff
import Tensors

/// Chapter 3: autoencoders on the 8×8 digits. The seeds' 784-input model is built and measured;
/// a small MLP autoencoder trains on the digits; then the denoising, bottleneck, PCA,
/// overcomplete and noise-vs-digits experiments run on the same data.
let chapter3Demo = Demo(chapter: 3, title: "autoencoders on handwritten digits") { options in
    let started = Date()
    let (train, test) = try Digits.load().split()
    let steps = options.steps ?? 3_000
    let folder = options.outputFolder.path
    var written: [String] = []
    func save(_ svg: String, _ name: String) throws {
        written.append(try writeSVG(svg, to: folder + "/" + name).path)
    }

    // 1. The seeds' model, 784 → 128 → 32 → 128 → 784, trained on 4,000 real MNIST digits.
    let (mnistTrain, mnistTest) = try MNIST.loadSplit()
    var rng = SeededRandom(seed: options.seed)
    let seeds = Autoencoder.seeds(rng: &rng)
    let mnistSteps = options.steps ?? 3_000
    print("""
    The seeds' autoencoder 784 → 128 → 32 → 128 → 784 (ReLU):
      encoder \(seeds.encoder.parameterCount) parameters, decoder \(seeds.decoder.parameterCount), \
    compression 784/32 = \(seeds.compressionRatio)×
    Training it on \(mnistTrain.count) MNIST digits (28×28), \(mnistSteps) Adam steps of 64 images, learning rate 2e-3:
    """)
    let mnistStarted = Date()
    let mnistLosses = trainAutoencoder(seeds, images: mnistTrain.images,
                                       options: TrainingOptions(steps: mnistSteps, batchSize: 64, learningRate: 2e-3, seed: options.seed),
                                       logEvery: max(mnistSteps / 6, 1), log: { print("  " + $0) })
    let mnistMSE = reconstructionMSE(seeds, images: mnistTest.images)
    let mnistBaseline = meanImageMSE(mnistTest.images, reference: mnistTrain.images)
    print(String(format: "Test reconstruction error on %d MNIST digits: %.5f per pixel (the mean image scores %.5f; %.1f%% of the variance explained). Trained in %.1f s.\n",
                 mnistTest.count, mnistMSE, mnistBaseline, 100 * (1 - mnistMSE / mnistBaseline), Date().timeIntervalSince(mnistStarted)))
    let mnistShown = (0...9).compactMap { digit in mnistTest.labels.firstIndex(of: digit) }.map { mnistTest.images[$0] }
    let mnistRebuilt = rows(of: seeds.reconstruct(batchTensor(mnistShown))).map { $0.map { min(max($0, 0), 1) } }
    try save(imageGrid(rows: [mnistShown, mnistRebuilt], side: 28, rowLabels: ["original", "reconstructed"],
                       title: "MNIST test digits and their reconstructions through the seeds' 32-number code", pixelSize: 3),
             "mnist-reconstructions.svg")
    try save(linePlot([Series("training loss (minibatch MSE)", y: smoothed(mnistLosses))],
                      title: "Training the seeds' autoencoder on MNIST", xLabel: "step", yLabel: "MSE per pixel", logY: true),
             "mnist-loss.svg")

    // Exercise 3.8's setting, trained by the book's own loop: what its target (0.040) is set against.
    // (The setting is FitAutoencoderTask in Tests/Chapter3Checks/Training.swift.)
    var exerciseRNG = SeededRandom(seed: 38)
    let exerciseModel = Autoencoder.mlp(widths: [784, 64, 16], output: .sigmoid, rng: &exerciseRNG)
    trainAutoencoder(exerciseModel, images: mnistTrain.images,
                     options: TrainingOptions(steps: 150, batchSize: 32, learningRate: 3e-3, seed: 38))
    print(String(format: "Exercise 3.8's setting (784 → 64 → 16 → 64 → 784, sigmoid output, 150 steps of 32 at lr 0.003, seed 38), "
                 + "trained by trainAutoencoder: test MSE %.4f per pixel (the exercise asks for below 0.040).\n",
                 reconstructionMSE(exerciseModel, images: mnistTest.images)))

    // 2. A small autoencoder on the 8×8 digits: 64 → 32 → 8 → 32 → 64, sigmoid output.
    let widths = [64, 32, 8]
    let options3 = TrainingOptions(steps: steps, batchSize: 64, learningRate: 3e-3, seed: options.seed)
    print("Training \(widths.map(String.init).joined(separator: " → ")) → … → 64 on \(train.count) digits, \(steps) Adam steps of 64 images:")
    let main = trainAndEvaluate(widths: widths, output: .sigmoid, train: train.images, test: test.images,
                                options: options3, logEvery: max(steps / 10, 1), log: { print("  " + $0) })
    print(String(format: "Test reconstruction error: %.5f per pixel (the mean image scores %.5f; %.1f%% of the variance explained)\n",
                 main.testMSE, main.baselineMSE, 100 * main.explainedVariance))
    let shown = Array(test.images.prefix(12))
    try save(imageGrid(rows: [shown, shown.map { main.model.reconstruct(batchTensor([$0])).scalars }],
                       side: 8, rowLabels: ["original", "reconstructed"],
                       title: "Test digits and their reconstructions through an 8-number code", pixelSize: 6),
             "reconstructions.svg")
    try save(linePlot([Series("training loss (minibatch MSE)", y: smoothed(main.losses))],
                      title: "Training the digits autoencoder", xLabel: "step", yLabel: "MSE per pixel", logY: true),
             "loss.svg")

    // 3. Denoising: corrupt the input, reconstruct the clean digit.
    for (name, corruption) in [("Gaussian noise σ = 0.3", Corruption.gaussian(standardDeviation: 0.3)),
                               ("masking p = 0.4", Corruption.masking(probability: 0.4))] {
        var denoisingOptions = options3
        denoisingOptions.corruption = corruption
        let result = trainAndEvaluate(widths: widths, output: .sigmoid, train: train.images, test: test.images,
                                      options: denoisingOptions)
        var noiseRNG = SeededRandom(seed: options.seed &+ 99)
        let damaged = corruption.apply(batchTensor(shown), rng: &noiseRNG)
        let repaired = result.model.reconstruct(damaged)
        let rows = (0..<shown.count).map { Array(damaged.scalars[($0 * 64)..<($0 * 64 + 64)]) }
        let fixed = (0..<shown.count).map { Array(repaired.scalars[($0 * 64)..<($0 * 64 + 64)]) }
        let damagedMSE = meanSquared(damaged, batchTensor(shown)), repairedMSE = meanSquared(repaired, batchTensor(shown))
        print(String(format: "Denoising with %@: corrupted input MSE %.4f, reconstruction MSE %.4f (on 12 test digits)",
                     name, damagedMSE, repairedMSE))
        try save(imageGrid(rows: [shown, rows, fixed], side: 8, rowLabels: ["clean", "corrupted", "denoised"],
                           title: "Denoising autoencoder, \(name)", pixelSize: 6),
                 corruption == .masking(probability: 0.4) ? "denoising-masking.svg" : "denoising-gaussian.svg")
    }

    // 4. The bottleneck sweep, with PCA's error at each width for reference.
    let sweepWidths = [2, 4, 8, 16, 32]
    let sweepOptions = TrainingOptions(steps: steps, batchSize: 64, learningRate: 3e-3, seed: options.seed)
    print("\nBottleneck sweep (64 → 64 → k → 64 → 64, \(sweepOptions.steps) steps each):")
    let sweep = bottleneckSweep(widths: sweepWidths, hidden: [64], output: .sigmoid, train: train.images,
                                test: test.images, options: sweepOptions)
    let pcaErrors = sweepWidths.map { PCA(train.images, components: $0).reconstructionMSE(test.images) }
    print("   k   autoencoder   PCA       compression")
    for (i, k) in sweepWidths.enumerated() {
        print(String(format: "  %2d   %.5f       %.5f   %5.1f×", k, sweep[i].testMSE, pcaErrors[i], 64 / Double(k)))
    }
    try save(linePlot([Series("autoencoder", x: sweepWidths.map(Double.init), y: sweep.map(\.testMSE)),
                       Series("PCA", x: sweepWidths.map(Double.init), y: pcaErrors)],
                      title: "Test reconstruction error against bottleneck width", xLabel: "bottleneck width k",
                      yLabel: "test MSE per pixel", logY: true),
             "bottleneck-sweep.svg")

    // 5. A linear autoencoder finds PCA's subspace.
    let k = 4
    let linear = trainAndEvaluate(widths: [64, k], activation: nil, train: train.images, test: test.images,
                                  options: TrainingOptions(steps: steps, batchSize: 128, learningRate: 1e-2, seed: options.seed))
    let pca = PCA(train.images, components: k)
    let angles = principalAngles(decoderSubspace(linear.model), pca.components)
    print(String(format: "\nLinear autoencoder 64 → %d → 64: test MSE %.5f, PCA with %d components %.5f", k, linear.testMSE, k, pca.reconstructionMSE(test.images)))
    print("Principal angles between its decoder's subspace and PCA's: "
          + angles.map { String(format: "%.2f°", degrees($0)) }.joined(separator: ", "))

    // 6. Undercomplete vs overcomplete: a 128-number code can simply copy, even pure noise.
    let noiseTest = uniformNoiseImages(count: 300, pixels: 64, seed: options.seed &+ 7)
    let over = trainAndEvaluate(widths: [64, 128], train: train.images, test: test.images,
                                options: TrainingOptions(steps: max(steps / 2, 1), batchSize: 64, learningRate: 3e-3, seed: options.seed))
    print(String(format: "\nOvercomplete 64 → 128 → 64: digits MSE %.6f, but also uniform noise MSE %.5f: it learned to copy.",
                 over.testMSE, reconstructionMSE(over.model, images: noiseTest)))
    print(String(format: "Undercomplete 64 → 32 → 8 → 32 → 64: digits MSE %.5f, uniform noise MSE %.5f: it learned digits.",
                 main.testMSE, reconstructionMSE(main.model, images: noiseTest)))

    // 7. Bottlenecks need compressible data: the sweep's width-8 model plateaus on uniform noise.
    let noiseTrain = uniformNoiseImages(count: train.count, pixels: 64, seed: options.seed &+ 5)
    let noise = trainAndEvaluate(widths: [64, 64, 8], output: .sigmoid, train: noiseTrain, test: noiseTest, options: sweepOptions)
    let digits = sweep[2]
    print(String(format: "\nThe sweep's width-8 model on uniform noise: test MSE %.5f vs mean image %.5f (%.1f%% explained); on digits %.1f%% explained.",
                 noise.testMSE, noise.baselineMSE, 100 * noise.explainedVariance, 100 * digits.explainedVariance))
    try save(linePlot([Series("digits", y: smoothed(digits.losses).map { $0 / digits.baselineMSE }),
                       Series("uniform noise", y: smoothed(noise.losses).map { $0 / noise.baselineMSE })],
                      title: "Training loss relative to the mean image: noise plateaus, digits do not",
                      xLabel: "step", yLabel: "loss / mean-image MSE", logY: true),
             "noise-vs-digits.svg")

    print("\nFigures:\n" + written.map { "  " + $0 }.joined(separator: "\n"))
    print(String(format: "Done in %.1f s.", Date().timeIntervalSince(started)))
}

/// A running mean over `window` steps, so minibatch noise does not hide the trend.
private func smoothed(_ values: [Float], window: Int = 25) -> [Float] {
    var result: [Float] = []
    var total: Float = 0
    for (i, v) in values.enumerated() {
        total += v
        if i >= window { total -= values[i - window] }
        result.append(total / Float(min(i + 1, window)))
    }
    return result
}

/// Per-pixel mean squared difference of two tensors of the same shape.
private func meanSquared(_ a: Tensor, _ b: Tensor) -> Float {
    squaredErrors(a, b).reduce(0, +) / Float(a.count)
}
