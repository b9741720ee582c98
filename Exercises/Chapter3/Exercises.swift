// Chapter 3 exercises: the encoder-decoder pattern and autoencoders.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter3
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 3.4` prints a hint. You may use anything in the
// `Autoencoders`, `Tensors` and `ScalarAutodiff` modules *except* the function an exercise asks
// you to write (each exercise names the ones that are off limits).

import Autoencoders
import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 3.1 ★ — The encoder-decoder forward pass.
///
/// Return the code z = f_enc(x) and the reconstruction x̂ = f_dec(z) for a batch `x` of shape
/// [batch, d], where f_enc is `encoder` and f_dec is `decoder`. Both results must stay connected
/// to the graph, so that a loss on x̂ sends gradients to both networks' weights.
public func encodeDecode(_ x: Variable, encoder: Sequential, decoder: Sequential) throws -> (z: Variable, xHat: Variable) {
    throw NotAttempted("3.1")
}

/// Exercise 3.2 ★ — Counting an autoencoder's parameters.
///
/// An MLP autoencoder has an encoder of Linear layers with widths `widths` (for example
/// [784, 128, 32]: Linear(784, 128) then Linear(128, 32)) and a mirrored decoder (Linear(32, 128)
/// then Linear(128, 784)). Return the number of weights and biases in each half. Activations have
/// no parameters. Do not build the model; count.
public func autoencoderParameterCounts(widths: [Int]) throws -> (encoder: Int, decoder: Int) {
    throw NotAttempted("3.2")
}

/// Exercise 3.3 ★★ — The reconstruction loss.
///
/// Return L = (1/B) Σ_b ‖x_b − x̂_b‖² for a batch of B rows: the squared distance of each row of
/// the reconstruction `xHat` (shape [B, d]) from the same row of `x`, summed over pixels and
/// averaged over rows. Build it from `Variable` operations so that gradients reach `xHat`. Do not
/// call `squaredDistanceLoss` or `meanSquaredError`.
public func batchReconstructionLoss(_ xHat: Variable, _ x: Tensor) throws -> Variable {
    throw NotAttempted("3.3")
}

/// Exercise 3.4 ★★ — The denoising corruption, part 1: masking.
///
/// Return a copy of `x` in which each element is set to 0 with probability `probability`. Visit
/// the elements in row-major order (the order of `x.scalars`), draw one `rng.uniformFloat()` for
/// every element, and drop the element when that number is below `probability`. Do not rescale
/// the survivors. Do not call `maskingNoise`.
public func maskRandomPixels(_ x: Tensor, probability: Float, rng: inout SeededRandom) throws -> Tensor {
    throw NotAttempted("3.4")
}

/// Exercise 3.4 ★★ — The denoising corruption, part 2: Gaussian noise.
///
/// Return x̃ = x + σ·ε with ε ~ N(0, 1) independently for every element: one `rng.normal()` per
/// element, in row-major order. Do not call `gaussianNoise`.
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
/// For each width k in `widths`, build `Autoencoder.mlp(widths: [d, 32, k], output: .sigmoid, …)`
/// (d is the number of pixels), train it on `trainingImages` for `steps` steps with `seed`, and return its
/// per-pixel test MSE on `testImages`, one number per width, in order. Use the same seed for every width
/// so that only the bottleneck changes. A batch of 32 and a learning rate of 0.01 work. Do not
/// call `bottleneckSweep` or `trainAndEvaluate`; `train` and `reconstructionMSE` are allowed.
public func sweepBottleneck(widths: [Int], trainingImages: [[Float]], testImages: [[Float]], steps: Int, seed: UInt64) throws -> [Float] {
    throw NotAttempted("3.6")
}

/// Exercise 3.7 ★★ — Principal angles.
///
/// `q1` and `q2` are orthonormal bases of two subspaces (as rows). Return the cosines of the
/// principal angles between them, largest cosine (smallest angle) first: the min(k₁, k₂) largest
/// singular values of M = Q₁Q₂ᵀ, clamped to [0, 1]. You may use `symmetricEigen` and `dot`, but
/// not `principalAngles`.
public func principalAngleCosines(_ q1: Matrix, _ q2: Matrix) throws -> [Double] {
    throw NotAttempted("3.7")
}
