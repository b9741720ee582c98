// The check of chapter 4's training exercise, 4.9: the student's VAE training loop must reach a
// stated test ELBO on the 8×8 digits, and when it does not, the check says why.

import Autoencoders
import Datasets
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// The setting of exercise 4.9, stated in its doc comment and in the chapter's exercise table.
public enum FitVAETask {
    public static let trainingCount = 800
    public static let hidden = [64]
    public static let latent = 4
    public static let epochs = 10
    public static let batchSize = 32
    public static let learningRate: Float = 5e-3
    public static let seed: UInt64 = 49
    /// The test −ELBO, in nats per digit, an answer must get below.
    public static let target: Float = 26.5
    /// The total KL, in nats per digit, the codes must carry: a collapsed posterior scores about
    /// 27.5 nats with a KL near 0, close enough to the target that the KL is checked as well.
    public static let minimumKL: Float = 1
}

/// 4.9: trains a 64 → 64 → ℝ⁴ → 64 → 64 VAE with the student's loop and measures its −ELBO on the
/// 300 test digits (16 samples of z per digit, a fixed seed).
public func checkFitVAE(_ c: Checker,
                        _ fit: (VariationalAutoencoder, Tensor, Int, Int, Float, inout SeededRandom) throws -> [Float]) throws {
    typealias Task = FitVAETask
    let (train, test) = try Digits.load().split()
    let data = batchTensor(train.images.prefix(Task.trainingCount)), testX = batchTensor(test.images)
    var rng = SeededRandom(seed: Task.seed)
    let model = VariationalAutoencoder(inputs: 64, hidden: Task.hidden, latent: Task.latent, rng: &rng)
    let before = model.parameters.map(\.value)
    let losses = try fit(model, data, Task.epochs, Task.batchSize, Task.learningRate, &rng)
    let setting = "\(Task.epochs) epochs of batches of \(Task.batchSize) at a learning rate of \(Task.learningRate)"

    let (mu, logVariance) = model.encode(testX)
    var scoring = SeededRandom(seed: 4_900)
    let scores = negativeELBOPerInput(model, testX, samples: 16, rng: &scoring)
    let testELBO = scores.reduce(0, +) / Float(scores.count)
    guard !losses.isEmpty, losses.allSatisfy(\.isFinite), testELBO.isFinite else {
        c.fail(losses.isEmpty
               ? "return the loss of every step; got no losses"
               : "training diverged: a loss or the test −ELBO became NaN or infinite. Likely mistake: σ = exp(log σ²) instead of exp(½ log σ²) grows out of range, or gradients pile up because they are never zeroed")
        return
    }
    if !zip(model.parameters, before).contains(where: { $0.value != $1 }) {
        c.fail("the model's weights did not change at all. Likely mistake: no optimizer step; make one Adam(model.parameters, learningRate:) before the loop and call step() after backward() at every step")
        return
    }
    // What the loop left in the gradients, against one fresh gradient of a fixed batch.
    let left = model.parameters.map(\.gradient)
    for p in model.parameters { p.grad = nil }
    let probe = data.gatherRows(Array(0..<64))
    model.elboLoss(probe, beta: 1, epsilon: Tensor.zeros([64, Task.latent])).loss.backward()
    let fresh = model.parameters.map(\.gradient)
    for p in model.parameters { p.grad = nil }
    func norm(_ tensors: [Tensor]) -> Double {
        tensors.reduce(0) { $0 + $1.scalars.reduce(0) { $0 + Double($1) * Double($1) } }.squareRoot()
    }
    if norm(left) > 8 * norm(fresh) {
        c.fail("the gradients left in the model after training are \(Int((norm(left) / norm(fresh)).rounded()))× one fresh gradient. Likely mistake: the gradients were never zeroed, so every step followed the sum of all earlier gradients; call zeroGradients() before backward() at every step")
    }
    let kl = klPerDimension(mu: mu, logVariance: logVariance).reduce(0, +)
    let meanVariance = logVariance.exp().mean().scalar
    guard testELBO >= Task.target || kl < Task.minimumKL else { return }

    var message = "after \(setting) the test −ELBO is \(Checker.format(Double(testELBO))) nats per digit and the codes carry a KL of \(Checker.format(Double(kl))) nats (mean σ² \(Checker.format(Double(meanVariance)))); the −ELBO should be below \(Checker.format(Double(Task.target))), with a KL of at least \(Checker.format(Double(Task.minimumKL)))"
    if kl < 0.2 {
        message += ". Likely mistake: the posterior collapsed (the codes carry almost nothing and the decoder draws an average digit), as with a large β: the reconstruction term must be summed over the 64 pixels (binaryCrossEntropy × pixels), not averaged, and the KL weighted by β = 1"
    } else if meanVariance > 0.7 {
        message += ". Likely mistake: σ stayed near 1, so the decoder never learned to cope with sampled codes; decode z = μ + σ ⊙ ε with σ = exp(½ log σ²), built from Variables so that the reconstruction's gradient reaches log σ², not μ alone"
    } else if kl > 15 || meanVariance < 0.02 {
        message += ". Likely mistake: the KL term is missing from the loss, so the codes drift far from the prior; the loss is reconstruction + KL"
    } else {
        let early = losses.prefix(20).reduce(0, +) / Float(min(20, losses.count))
        let late = losses.suffix(20).reduce(0, +) / Float(min(20, losses.count))
        message += ". The loss went from \(Checker.format(Double(early))) to \(Checker.format(Double(late))): train for every epoch given, on every batch of the shuffled rows, with Adam on model.parameters"
    }
    c.fail(message)
}
