import Autoencoders
import Datasets
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The seeds' model and the configurable MLP autoencoder: parameter counts, compression, shapes,
/// the reconstruction loss and its gradient.
@Suite("Chapter 3: the encoder-decoder pattern and the seeds' autoencoder")
struct Chapter3ModelTests {
    @Test("The seeds' model 784 → 128 → 32 → 128 → 784: 104,608 + 105,360 parameters, 24.5× compression")
    func seedsParameterCounts() {
        var rng = SeededRandom(seed: 3)
        let model = Autoencoder.seeds(rng: &rng)
        #expect(model.encoder.parameterCount == 104_608)
        #expect(model.decoder.parameterCount == 105_360)
        #expect(model.parameterCount == 209_968)
        #expect(model.compressionRatio == 24.5)
        #expect(model.isUndercomplete)
        // Layer by layer: Linear(784, 128) = 100,480 and Linear(128, 32) = 4,128;
        // Linear(32, 128) = 4,224 and Linear(128, 784) = 101,136.
        #expect(model.encoder.layers.map(\.parameterCount) == [100_480, 0, 4_128])
        #expect(model.decoder.layers.map(\.parameterCount) == [4_224, 0, 101_136])
        #expect(model.encoder.layers[1] is ReLU && model.decoder.layers[1] is ReLU)
    }

    @Test("A batch of 16 MNIST digits goes (16, 784) → (16, 32) → (16, 784)")
    func seedsShapes() throws {
        var rng = SeededRandom(seed: 3)
        let model = Autoencoder.seeds(rng: &rng)
        let digits = try MNIST.load().subset(Array(0..<16))
        let x = Variable.constant(batchTensor(digits.images))
        let z = model.encode(x)
        let xHat = model.decode(z)
        #expect(x.shape == [16, 784])
        #expect(z.shape == [16, 32])
        #expect(xHat.shape == [16, 784])
        #expect(model(x).value == xHat.value, "callAsFunction is decode(encode(x))")
    }

    @Test("The digits autoencoder 64 → 32 → 8 → 32 → 64: counts, layers and a sigmoid output in (0, 1)")
    func digitsModel() {
        var rng = SeededRandom(seed: 4)
        let model = Autoencoder.mlp(widths: [64, 32, 8], output: .sigmoid, rng: &rng)
        #expect(model.encoder.parameterCount == 64 * 32 + 32 + 32 * 8 + 8)   // 2,344
        #expect(model.decoder.parameterCount == 8 * 32 + 32 + 32 * 64 + 64)  // 2,400
        #expect(model.compressionRatio == 8)
        #expect(model.decoder.layers.last is Sigmoid)
        let x = Tensor.randomNormal([5, 64], standardDeviation: 3, rng: &rng)
        let xHat = model.reconstruct(x)
        #expect(xHat.shape == [5, 64] && xHat.scalars.allSatisfy { $0 > 0 && $0 < 1 })

        let linear = Autoencoder.mlp(widths: [64, 8], activation: nil, rng: &rng)
        #expect(linear.encoder.layers.count == 1 && linear.decoder.layers.count == 1,
                "a linear autoencoder is one Linear layer each way, no activation")
        let over = Autoencoder.mlp(widths: [64, 128], rng: &rng)
        #expect(!over.isUndercomplete && over.compressionRatio == 0.5)
    }

    @Test("Reconstruction loss (1/B) Σ‖x − x̂‖²: a hand-worked value and its gradient 2(x̂ − x)/B")
    func squaredDistanceLossValue() {
        let x = Tensor([[1, 0], [0, 1]])
        let xHat = Variable(Tensor([[0.5, 0], [0, 0]]))
        let loss = squaredDistanceLoss(xHat, x)
        // Row 1: 0.25; row 2: 1; mean over the two rows: 0.625.
        #expect(abs(loss.value.scalar - 0.625) < 1e-6)
        loss.backward()
        #expect(xHat.gradient.isClose(to: Tensor([[-0.5, 0], [0, -1]]), tolerance: 1e-6))
        #expect(squaredErrors(x, xHat.value) == [0.25, 1])
        // The mean image of [[1, 0], [0, 1]] is [0.5, 0.5]: every pixel is 0.5 away.
        #expect(meanImageMSE([[1, 0], [0, 1]], reference: [[1, 0], [0, 1]]) == 0.25)
    }

    @Test("One backward pass through an autoencoder reaches every encoder and decoder weight")
    func gradientsReachBothHalves() {
        var rng = SeededRandom(seed: 5)
        let model = Autoencoder.mlp(widths: [6, 4, 2], output: .sigmoid, rng: &rng)
        let x = Tensor.randomUniform([3, 6], rng: &rng)
        squaredDistanceLoss(model(.constant(x)), x).backward()
        for (i, p) in model.parameters.enumerated() {
            #expect(p.grad != nil && p.gradient.scalars.contains { $0 != 0 }, "parameter \(i) got no gradient")
        }
        // Finite differences on one encoder weight agree with backpropagation.
        let w = model.encoder.parameters[0]
        let analytic = w.gradient.scalars[7]
        let h: Float = 1e-2
        func lossValue() -> Double { Double(squaredDistanceLoss(model(.constant(x)), x).value.scalar) }
        w.value.scalars[7] += h
        let up = lossValue()
        w.value.scalars[7] -= 2 * h
        let down = lossValue()
        w.value.scalars[7] += h
        let numeric = Float((up - down) / Double(2 * h))
        #expect(abs(numeric - analytic) < 2e-3 * max(1, abs(analytic)), "numeric \(numeric) vs backprop \(analytic)")
    }

    @Test("Training lowers the loss and is repeatable with the same seed")
    func trainingIsDeterministic() throws {
        let images = Array(try Digits.load().images.prefix(200))
        func run() -> [Float] {
            var rng = SeededRandom(seed: 9)
            let model = Autoencoder.mlp(widths: [64, 16, 4], output: .sigmoid, rng: &rng)
            return trainAutoencoder(model, images: images, options: TrainingOptions(steps: 60, batchSize: 16, learningRate: 1e-2, seed: 9))
        }
        let first = run(), second = run()
        #expect(first == second, "same seed, same losses")
        let start = first.prefix(10).reduce(0, +) / 10, end = first.suffix(10).reduce(0, +) / 10
        #expect(end < 0.8 * start, "the loss should fall: first 10 steps \(start), last 10 \(end)")
    }

    @Test("On MNIST's test split the mean training image scores 0.06762 per pixel, and 40 steps of the seeds' model already beat it")
    func mnistBaseline() throws {
        let (train, test) = try MNIST.loadSplit()
        let baseline = meanImageMSE(test.images, reference: train.images)
        #expect(abs(baseline - 0.06762) < 5e-6, "got \(baseline)")
        var rng = SeededRandom(seed: 1)
        let model = Autoencoder.seeds(rng: &rng)
        let losses = trainAutoencoder(model, images: train.images,
                                      options: TrainingOptions(steps: 40, batchSize: 32, learningRate: 2e-3, seed: 1))
        let testMSE = reconstructionMSE(model, images: Array(test.images.prefix(200)))
        #expect(losses.suffix(5).reduce(0, +) < losses.prefix(5).reduce(0, +), "the loss should fall: \(losses)")
        #expect(testMSE < 0.8 * baseline, "after 40 steps the test MSE is \(testMSE), the mean image \(baseline)")
    }

    @Test("The minibatch sampler visits every image once per epoch")
    func minibatches() {
        var sampler = MinibatchSampler(count: 10, batchSize: 3, seed: 1)
        let epoch = (0..<3).flatMap { _ in sampler.next() }
        #expect(Set(epoch).count == 9, "three batches of 3 from 10 images repeat none: \(epoch)")
        #expect(sampler.next().count == 3)
    }
}

/// Bad input stops with a message that names the problem.
@Suite("Chapter 3: bad input gets a clear message")
struct Chapter3ErrorMessageTests {
    func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("Encoding a batch of the wrong width names the shape and the expected width")
    func wrongInputWidth() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            let model = Autoencoder.mlp(widths: [64, 8], rng: &rng)
            _ = model.encode(.constant(Tensor.zeros([2, 784])))
        }
        #expect(standardError(result).contains("input shape [2, 784] does not end in the input width 64"))
    }

    @Test("A non-positive width or a bad masking probability says which and why")
    func badHyperparameters() async {
        let widths = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            _ = Autoencoder.mlp(widths: [64, 0], rng: &rng)
        }
        #expect(standardError(widths).contains("every width must be positive, got [64, 0]"))
        let masking = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            _ = maskingNoise(Tensor.zeros([2]), probability: 1.5, rng: &rng)
        }
        #expect(standardError(masking).contains("maskingNoise: probability must be in [0, 1], got 1.5"))
        let rate = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = TrainingOptions(steps: 10, learningRate: -1)
        }
        #expect(standardError(rate).contains("learningRate must be positive and finite, got -1.0"))
    }

    @Test("A NaN pixel in the training data stops training with the loss and the step")
    func nanInData() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            let model = Autoencoder.mlp(widths: [4, 2], rng: &rng)
            let images: [[Float]] = [[0, 1, 0, 1], [1, 0, .nan, 0]]
            trainAutoencoder(model, images: images, options: TrainingOptions(steps: 5, batchSize: 2))
        }
        #expect(standardError(result).contains("meanSquaredError: the loss is nan at training step 1"),
                "got: \(standardError(result))")
    }

    @Test("Jacobi refuses a matrix that is not symmetric, naming the entries")
    func notSymmetric() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = symmetricEigen([[1, 2], [3, 4]])
        }
        #expect(standardError(result).contains("the matrix is not symmetric: a[1][0] = 3.0 but a[0][1] = 2.0"))
    }

    @Test("Principal angles between subspaces of different spaces name both dimensions")
    func anglesDimensionMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = principalAngles([[1, 0, 0]], [[1, 0]])
        }
        #expect(standardError(result).contains("spaces of different dimension, 3 and 2"))
    }
}
