// The checks of chapter 3's two ★★★ exercises: 3.8, the training loop, trained to a stated test
// error on MNIST, and 3.9, the backward pass written by hand, against chapter 2's autodiff.

import Autoencoders
import Datasets
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// The setting of exercise 3.8, stated in its doc comment and in section 3.3's exercise table.
public enum FitAutoencoderTask {
    public static let widths = [784, 64, 16]
    public static let steps = 150
    public static let batchSize = 32
    public static let learningRate: Float = 3e-3
    public static let seed: UInt64 = 38
    /// The test MSE per pixel an answer must get below.
    public static let target: Float = 0.040
}

/// 3.8: the student's loop trains a 784 → 64 → 16 → 64 → 784 autoencoder on the 4,000 MNIST
/// training digits to a test MSE below 0.040; when it does not, the check says why.
public func checkFitAutoencoder(_ c: Checker,
                                _ fit: (Autoencoder, [[Float]], Int, Int, Float, UInt64) throws -> [Float]) throws {
    typealias Task = FitAutoencoderTask
    let (train, test) = try MNIST.loadSplit()
    var rng = SeededRandom(seed: Task.seed)
    let model = Autoencoder.mlp(widths: Task.widths, output: .sigmoid, rng: &rng)
    let before = model.parameters.map(\.value)
    let probe = Array(train.images.prefix(64)) + Array(train.images.suffix(64))
    let startMSE = reconstructionMSE(model, images: probe)
    let losses = try fit(model, train.images, Task.steps, Task.batchSize, Task.learningRate, Task.seed)
    let testMSE = reconstructionMSE(model, images: test.images)
    let setting = "\(Task.steps) steps of \(Task.batchSize) images at a learning rate of \(Task.learningRate)"

    c.expect(losses.count == Task.steps, "return one loss per step: expected \(Task.steps) numbers for \(setting), got \(losses.count)")
    guard losses.allSatisfy(\.isFinite), model.parameters.allSatisfy({ $0.value.isFinite }), testMSE.isFinite else {
        c.fail("training diverged: a loss or a weight became NaN or infinite. Likely mistake: a learning rate far above \(Task.learningRate), or gradients that pile up because they are never zeroed")
        return
    }
    let moved = zip(model.parameters, before).map { $0.value != $1 }
    let encoderCount = model.encoder.parameters.count
    if !moved.contains(true) {
        c.fail("the model's weights did not change at all. Likely mistake: no optimizer step; make one Adam(model.parameters, learningRate:) before the loop and call step() after backward() at every step")
        return
    }
    if !moved.prefix(encoderCount).contains(true) {
        c.fail("the encoder's weights never changed, only the decoder's. Likely mistake: the optimizer was given the decoder's parameters only; use model.parameters, the encoder's and the decoder's")
    }
    if let first = losses.first, first > 50 * startMSE {
        c.fail("the first loss is \(Checker.format(Double(first))), about \(Int((first / startMSE).rounded()))× the untrained model's per-pixel MSE (\(Checker.format(Double(startMSE)))). Likely mistake: the loss is summed over the 784 pixels; return (and train on) the per-pixel mean squared error, meanSquaredError")
    }
    // What the loop left in the gradients, against one fresh gradient of a fixed batch: after a
    // loop that zeroes them, what is left is one step's gradient (or nothing); after one that
    // never does, the sum of all of them.
    let left = model.parameters.map(\.gradient)
    for p in model.parameters { p.grad = nil }
    let probeBatch = batchTensor(probe)
    meanSquaredError(model(.constant(probeBatch)), probeBatch).backward()
    let fresh = model.parameters.map(\.gradient)
    for p in model.parameters { p.grad = nil }
    func norm(_ tensors: [Tensor]) -> Double {
        tensors.reduce(0) { $0 + $1.scalars.reduce(0) { $0 + Double($1) * Double($1) } }.squareRoot()
    }
    if norm(left) > 8 * norm(fresh) {
        c.fail("the gradients left in the model after training are \(Int((norm(left) / norm(fresh)).rounded()))× one fresh gradient. Likely mistake: the gradients were never zeroed, so each backward() added to the sum of all the earlier ones and every step followed that stale sum; call zeroGradients() before backward() at every step")
    }
    guard testMSE >= Task.target else { return }

    var message = "after \(setting) the test MSE is \(Checker.format(Double(testMSE))) per pixel; it should be below \(Checker.format(Double(Task.target))) (the mean image scores 0.0676)"
    let early = losses.prefix(10).reduce(0, +) / Float(min(10, losses.count))
    let late = losses.suffix(10).reduce(0, +) / Float(min(10, losses.count))
    if late < 0.7 * testMSE {
        message += ", while the last training losses are \(Checker.format(Double(late))). Likely mistake: the model fits its batches but not new digits, because it saw too few different images; draw a fresh minibatch from all the images at every step"
    } else if late >= early {
        message += ", and the training loss did not fall (first steps \(Checker.format(Double(early))), last \(Checker.format(Double(late)))). Likely mistake: the loss is not the reconstruction of the batch against itself, or the step does not use this step's gradients"
    } else {
        message += ". The loss fell from \(Checker.format(Double(early))) to \(Checker.format(Double(late))) but not far enough: use the learning rate and step count given, Adam rather than plain SGD, and a new minibatch every step"
    }
    c.fail(message)
}

/// 3.9: the loss and the four gradients of a one-hidden-layer autoencoder, by hand, against autodiff.
public func checkAutoencoderGradients(_ c: Checker,
                                      _ gradients: (Tensor, Tensor, Tensor, Tensor, Tensor) throws
                                          -> (loss: Float, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor)) throws {
    var rng = SeededRandom(seed: 39)
    let (batch, d, m) = (6, 10, 4)
    let x = Tensor.randomUniform([batch, d], rng: &rng)
    let w1 = Tensor.randomNormal([d, m], standardDeviation: 0.6, rng: &rng)
    let b1 = Tensor.randomNormal([m], standardDeviation: 0.3, rng: &rng)
    let w2 = Tensor.randomNormal([m, d], standardDeviation: 0.6, rng: &rng)
    let b2 = Tensor.randomNormal([d], standardDeviation: 0.3, rng: &rng)
    let got = try gradients(x, w1, b1, w2, b2)

    // The truth, from chapter 2's autodiff.
    let (W1, B1, W2, B2) = (Variable(w1), Variable(b1), Variable(w2), Variable(b2))
    let loss = squaredDistanceLoss((Variable.constant(x).matmul(W1) + B1).relu().matmul(W2).sigmoid(adding: B2), x)
    loss.backward()

    // Known wrong answers, worked out the wrong ways.
    func byHand(mask: Bool = true, sigmoid: Bool = true, scale: Float = 2 / Float(batch)) -> [Tensor] {
        let a1 = x.matmul(w1) + b1, h = a1.relu()
        let xHat = (h.matmul(w2) + b2).sigmoid()
        var g2 = (xHat - x) * scale
        if sigmoid { g2 = g2 * xHat * (1 - xHat) }
        var g1 = g2.matmul(w2.transposed())
        if mask { g1 = g1 * a1.map { $0 > 0 ? 1 : 0 } }
        return [x.transposed().matmul(g1), g1.sum(axis: 0), h.transposed().matmul(g2), g2.sum(axis: 0)]
    }
    let noMask = byHand(mask: false), noSigmoid = byHand(sigmoid: false)
    let noTwo = byHand(scale: 1 / Float(batch)), perPixel = byHand(scale: 2 / Float(batch * d))
    let shared = [
        "the sigmoid's derivative x̂(1 − x̂) is missing from ∂L/∂a₂",
        "the factor 2 of ∂(x̂ − x)²/∂x̂ = 2(x̂ − x) is missing",
        "the gradient was divided by B·d: L averages over the B rows only, so ∂L/∂x̂ = 2(x̂ − x)/B",
    ]
    func mistakes(_ index: Int, withMask: Bool) -> [Mistake<Tensor>] {
        (withMask ? [Mistake(noMask[index], "the ReLU's mask is missing: ∂L/∂a₁ = ∂L/∂h ⊙ [a₁ > 0], zero where the unit was off")] : [])
            + [Mistake(noSigmoid[index], shared[0]), Mistake(noTwo[index], shared[1]), Mistake(perPixel[index], shared[2])]
    }
    c.expectClose(got.loss, loss.value.scalar, tolerance: 1e-5, "the loss L = (1/B) Σ‖x − x̂‖² for a batch of 6 rows of 10 pixels",
                  mistakes: [Mistake(loss.value.scalar / Float(d), "it was averaged over all B·d numbers: sum over the pixels, average over the rows")])
    c.expectClose(got.w2, W2.gradient, "∂L/∂W₂ (shape [4, 10])", mistakes: mistakes(2, withMask: false))
    c.expectClose(got.b2, B2.gradient, "∂L/∂b₂ (shape [10]: the column sums of ∂L/∂a₂)", mistakes: mistakes(3, withMask: false))
    c.expectClose(got.w1, W1.gradient, "∂L/∂W₁ (shape [10, 4])", mistakes: mistakes(0, withMask: true))
    c.expectClose(got.b1, B1.gradient, "∂L/∂b₁ (shape [4]: the column sums of ∂L/∂a₁)", mistakes: mistakes(1, withMask: true))
}

private extension Variable {
    /// σ(self + bias), so the reference forward pass reads in one line.
    func sigmoid(adding bias: Variable) -> Variable { (self + bias).sigmoid() }
}
