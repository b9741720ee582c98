import ScalarAutodiff
import Tensors

/// One trained autoencoder and how well it did: the chapter's experiments all report this.
public struct ExperimentResult {
    /// The trained model.
    public let model: Autoencoder
    /// The training loss (per-pixel MSE on the corrupted minibatch) of every step.
    public let losses: [Float]
    /// Per-pixel MSE on the held-out images, reconstructing the clean images.
    public let testMSE: Float
    /// Per-pixel MSE of always answering the training set's mean image: the error of a model
    /// that learned nothing about the individual input.
    public let baselineMSE: Float

    /// The fraction of the test images' variance around the mean image that the model captures,
    /// 1 − testMSE / baselineMSE: 0 for the mean image, 1 for a perfect copy.
    public var explainedVariance: Float { 1 - testMSE / baselineMSE }
}

/// Builds an MLP autoencoder with `widths` (see ``Autoencoder/mlp(widths:activation:output:rng:)``),
/// trains it on `train`, and measures it on `test`. The weights are drawn from `options.seed`.
///
/// ```swift
/// let result = trainAndEvaluate(widths: [64, 32, 8], train: train.images, test: test.images,
///                               options: TrainingOptions(steps: 1_000))
/// print(result.testMSE, result.explainedVariance)
/// ```
public func trainAndEvaluate(widths: [Int], activation: (any Tensors.Layer)? = ReLU(), output: OutputActivation = .identity,
                             train: [[Float]], test: [[Float]], options: TrainingOptions,
                             logEvery: Int = 100, log: (String) -> Void = { _ in }) -> ExperimentResult {
    var rng = SeededRandom(seed: options.seed)
    let model = Autoencoder.mlp(widths: widths, activation: activation, output: output, rng: &rng)
    let losses = trainAutoencoder(model, images: train, options: options, logEvery: logEvery, log: log)
    return ExperimentResult(model: model, losses: losses, testMSE: reconstructionMSE(model, images: test),
                            baselineMSE: meanImageMSE(test, reference: train))
}

/// Rate against distortion, informally: the same architecture with bottlenecks of several widths
/// k, each trained the same way from the same seed. The wider the code, the more of x it can carry,
/// so the test error falls as k grows (the rate goes up, the distortion comes down).
///
/// `hidden` are the widths between the input and the code: [64] + hidden + [k].
///
/// ```swift
/// let sweep = bottleneckSweep(widths: [2, 4, 8, 16, 32], hidden: [32], train: train.images,
///                             test: test.images, options: TrainingOptions(steps: 1_500))
/// for (k, result) in zip([2, 4, 8, 16, 32], sweep) { print(k, result.testMSE) }
/// ```
public func bottleneckSweep(widths: [Int], hidden: [Int], activation: (any Tensors.Layer)? = ReLU(),
                            output: OutputActivation = .identity, train: [[Float]], test: [[Float]],
                            options: TrainingOptions, log: (String) -> Void = { _ in }) -> [ExperimentResult] {
    require(!train.isEmpty, "bottleneckSweep: no training images")
    return widths.map { k in
        let result = trainAndEvaluate(widths: [train[0].count] + hidden + [k], activation: activation, output: output,
                                      train: train, test: test, options: options)
        log("bottleneck \(k): test MSE \(result.testMSE)")
        return result
    }
}

/// Images of independent uniform noise: every pixel drawn from U(0, 1). There is nothing to
/// compress: no pixel says anything about another, so a k-number code can carry at most k of the
/// d pixels' worth of information, and a model can do little better than the mean image.
public func uniformNoiseImages(count: Int, pixels: Int, seed: UInt64) -> [[Float]] {
    require(count > 0 && pixels > 0, "uniformNoiseImages: count and pixels must be positive, got \(count) and \(pixels)")
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { _ in (0..<pixels).map { _ in rng.uniformFloat() } }
}
