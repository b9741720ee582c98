// Chapter 3, exercise 3.8: the autoencoder's training loop, written by you.

import Autoencoders
import ExerciseSupport
import ScalarAutodiff
import Tensors

/// Exercise 3.8 ★★★ — Train an autoencoder on MNIST.
///
/// Train `model` in place to reconstruct `images` (each 784 pixels in [0, 1]) with Adam at
/// `learningRate`, for exactly `steps` steps of `batchSize` images each, and return the training
/// loss of every step (`steps` numbers). One step:
///
/// 1. a minibatch: `batchSize` images drawn afresh from all of `images` (a seeded shuffle, such as
///    `MinibatchSampler(count:batchSize:seed:)` with `seed`), as a [batchSize, 784] tensor;
/// 2. the forward pass x̂ = f_dec(f_enc(x)) and the per-pixel mean squared error
///    L = (1/(B·d)) Σ_b ‖x_b − x̂_b‖² against the same batch (`meanSquaredError` is allowed);
/// 3. the gradients of L, computed fresh for this step, and one Adam step on every parameter of
///    the model, encoder and decoder.
///
/// The check trains a 784 → 64 → 16 → 64 → 784 autoencoder (sigmoid output) on the 4,000 MNIST
/// training digits for 150 steps of 32 images at a learning rate of 0.003, and requires a test
/// MSE below 0.040 per pixel on the 1,000 test digits (the mean image scores 0.0676; the book's
/// loop reaches about 0.030). The returned losses must be per-pixel MSEs.
///
/// Do not call `trainAutoencoder`, `trainAndEvaluate`, `bottleneckSweep` or `trainingLoop`: this
/// exercise is the loop they contain.
public func fitAutoencoder(_ model: Autoencoder, images: [[Float]], steps: Int, batchSize: Int,
                           learningRate: Float, seed: UInt64) throws -> [Float] {
    throw NotAttempted("3.8")
}
