// Chapter 3 exercises: the encoder-decoder pattern and autoencoders.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter3
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 3.4 1` prints the first hint (levels 1 to 3 go from the
// idea to nearly the answer). You may use anything in the `Autoencoders`, `Tensors` and
// `ScalarAutodiff` modules *except* the functions that do an exercise's work: each exercise names
// them, and its test fails if your answer (or a helper it calls) uses one.
//
// Exercises 3.8 and 3.9 are in TrainingLoop.swift and HandBackward.swift.

import Autoencoders
import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 3.1 ★ — The encoder-decoder forward pass.
///
/// Return the code z = f_enc(x) and the reconstruction x̂ = f_dec(z) for a batch `x` of shape
/// [batch, d], where f_enc is `encoder` and f_dec is `decoder`: shapes [batch, k] and [batch, d].
/// Both results must stay connected to the graph, so that a loss on x̂ sends gradients to both
/// networks' weights.
public func encodeDecode(_ x: Variable, encoder: Sequential, decoder: Sequential) throws -> (z: Variable, xHat: Variable) {
    throw NotAttempted("3.1")
}

/// Exercise 3.2 ★ — Counting an autoencoder's parameters.
///
/// An MLP autoencoder has an encoder of Linear layers with widths `widths` (for example
/// [784, 128, 32]: Linear(784, 128) then Linear(128, 32)) and a mirrored decoder (Linear(32, 128)
/// then Linear(128, 784)). Return the number of weights and biases in each half. Activations have
/// no parameters. For [784, 128, 32] the answer is (104,608, 105,360).
///
/// Do not build the model; count. Do not use `Autoencoder`, `Linear`, `Sequential`, `mlpLayers`
/// or `parameterCount`.
public func autoencoderParameterCounts(widths: [Int]) throws -> (encoder: Int, decoder: Int) {
    throw NotAttempted("3.2")
}

/// Exercise 3.3 ★★ — The reconstruction loss.
///
/// Return L = (1/B) Σ_b ‖x_b − x̂_b‖² for a batch of B rows: the squared distance of each row of
/// the reconstruction `xHat` (shape [B, d]) from the same row of `x`, summed over pixels and
/// averaged over rows. For x = [[1, 0], [0, 1]] and x̂ = [[0.5, 0], [0, 0]] it is
/// (0.25 + 1)/2 = 0.625. Build it from `Variable` operations so that gradients reach `xHat`
/// (∂L/∂x̂ = 2(x̂ − x)/B). Do not call `squaredDistanceLoss` or `meanSquaredError`.
public func batchReconstructionLoss(_ xHat: Variable, _ x: Tensor) throws -> Variable {
    throw NotAttempted("3.3")
}

/// Exercise 3.4 ★★ — The denoising corruption, part 1: masking.
///
/// Return a copy of `x` in which each element is set to 0 with probability `probability`. Visit
/// the elements in row-major order (the order of `x.scalars`), draw one `rng.uniformFloat()` for
/// every element, and drop the element when that number is below `probability`. Do not rescale
/// the survivors. Do not call `maskingNoise` or use `Corruption`.
public func maskRandomPixels(_ x: Tensor, probability: Float, rng: inout SeededRandom) throws -> Tensor {
    throw NotAttempted("3.4")
}

/// Exercise 3.4 ★★ — The denoising corruption, part 2: Gaussian noise.
///
/// Return x̃ = x + σ·ε with ε ~ N(0, 1) independently for every element: one `rng.normal()` per
/// element, in row-major order. Do not call `gaussianNoise` or use `Corruption`.
public func addGaussianNoise(_ x: Tensor, standardDeviation: Float, rng: inout SeededRandom) throws -> Tensor {
    throw NotAttempted("3.4")
}

/// Exercise 3.5 ★★ — PCA projection.
///
/// `components` holds k orthonormal rows u₁ … u_k (the principal directions) and `mean` the mean
/// x̄ of the data. Return the code zᵢ = uᵢ · (x − x̄) (k numbers) and the reconstruction
/// x̂ = x̄ + Σᵢ zᵢ uᵢ (d numbers). Do not use the `PCA` type.
public func pcaProjection(_ x: [Double], mean: [Double], components: Matrix) throws -> (code: [Double], reconstruction: [Double]) {
    throw NotAttempted("3.5")
}

/// Exercise 3.6 ★★★ — The bottleneck sweep.
///
/// For each width k in `widths`, build `Autoencoder.mlp(widths: [d, 32, k], output: .sigmoid, rng:)`
/// (d is the number of pixels) from a generator `SeededRandom(seed: seed)`, train it on
/// `trainingImages` with `trainAutoencoder` and
/// `TrainingOptions(steps: steps, batchSize: 32, learningRate: 1e-2, seed: seed)`, and return its
/// per-pixel MSE on `testImages` (`reconstructionMSE`), one number per width, in order. Every
/// width starts from a generator of its own with the same seed, so that only the bottleneck
/// changes. Do not call `bottleneckSweep` or `trainAndEvaluate`.
public func sweepBottleneck(widths: [Int], trainingImages: [[Float]], testImages: [[Float]], steps: Int, seed: UInt64) throws -> [Float] {
    throw NotAttempted("3.6")
}

/// Exercise 3.7 ★★ — Principal angles.
///
/// `q1` and `q2` are orthonormal bases of two subspaces (as rows). Return the cosines of the
/// principal angles between them, largest cosine (smallest angle) first: the min(k₁, k₂) largest
/// singular values of M = Q₁Q₂ᵀ, clamped to [0, 1]. The xy-plane and the same plane tilted by 30°
/// about the x axis give [1, cos 30°] = [1, 0.8660]. You may use `symmetricEigen` and `dot`; do not
/// call `principalAngles`.
public func principalAngleCosines(_ q1: Matrix, _ q2: Matrix) throws -> [Double] {
    throw NotAttempted("3.7")
}
