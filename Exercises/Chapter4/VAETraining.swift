// Chapter 4, exercise 4.9: the VAE's training loop, written by you.

import ExerciseSupport
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Exercise 4.9 ★★★ — Train a VAE to a stated ELBO.
///
/// Train `model` (Bernoulli pixels) on the rows of `data` ([count, pixels], pixels in [0, 1]) with
/// Adam at `learningRate` for `epochs` passes, and return the loss of every step. Each epoch
/// shuffles the row order with `rng` and walks it in batches of `batchSize` rows (the last batch
/// may be shorter). One step on a batch x of B rows:
///
/// 1. encode: (μ, log σ²) = model.encoder(x), two Variables of shape [B, latent];
/// 2. sample by reparameterisation: z = μ + σ ⊙ ε with σ = exp(½ log σ²) and a fresh
///    ε ~ N(0, I) of shape [B, latent] from `rng` (`Tensor.randomNormal`), built from Variable
///    operations so that the gradient reaches μ and log σ²;
/// 3. decode: logits = model.decoder(z);
/// 4. the negative ELBO, β = 1: the binary cross-entropy of (logits, x) summed over the pixels of
///    each image and averaged over the batch, plus KL(q(z | x) ‖ N(0, I)) averaged over the batch
///    (`binaryCrossEntropy` and `klDivergence(mu:logVariance:)` are allowed);
/// 5. fresh gradients of that loss, and one Adam step on all of the model's parameters.
///
/// The check trains a 64 → 64 → (μ, log σ²) in ℝ⁴ → 64 → 64 VAE on 800 of the 8×8 training
/// digits for 10 epochs of batches of 32 at a learning rate of 0.005, and requires a test −ELBO
/// below 26.5 nats per digit on the 300 test digits, with codes that carry at least 1 nat of KL
/// (the untrained model scores about 58; the book's loop reaches about 25.2 with a KL of about 2.9;
/// a collapsed posterior, whose codes carry nothing, scores about 27.5).
///
/// Do not call `trainVAE`, `trainingLoop`, the model's `forwardPass` or `elboLoss`,
/// `negativeELBO`, `negativeLogLikelihood` or `reparameterise`: this exercise is what they do.
public func fitVAE(_ model: VariationalAutoencoder, data: Tensor, epochs: Int, batchSize: Int,
                   learningRate: Float, rng: inout SeededRandom) throws -> [Float] {
    throw NotAttempted("4.9")
}
