import ScalarAutodiff
import Tensors

/// How to train an autoencoder: Adam on minibatches of images, with an optional corruption.
///
/// ```swift
/// let options = TrainingOptions(steps: 2_000, batchSize: 64, learningRate: 3e-3, seed: 7,
///                               corruption: .masking(probability: 0.3))
/// ```
public struct TrainingOptions: Sendable {
    /// The number of Adam steps, one minibatch each.
    public var steps: Int
    /// Images per minibatch.
    public var batchSize: Int
    /// Adam's step size η.
    public var learningRate: Float
    /// Seeds the minibatch order and the corruption noise.
    public var seed: UInt64
    /// The damage done to each input (denoising); `.none` for a plain autoencoder.
    public var corruption: Corruption

    public init(steps: Int, batchSize: Int = 32, learningRate: Float = 1e-2, seed: UInt64 = 1,
                corruption: Corruption = .none) {
        require(steps > 0, "TrainingOptions: steps must be positive, got \(steps)")
        require(batchSize > 0, "TrainingOptions: batchSize must be positive, got \(batchSize)")
        require(learningRate > 0 && learningRate.isFinite,
                     "TrainingOptions: learningRate must be positive and finite, got \(learningRate)")
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.corruption = corruption
    }
}

/// Trains `model` in place to reconstruct `images` and returns the training loss of every step.
///
/// Each step takes the next `batchSize` images of a shuffled order (reshuffled once every image
/// has been seen), corrupts them, and takes one Adam step on the per-pixel mean squared error
/// between the reconstruction of the corrupted batch and the clean batch:
///
///     L = (1/(B·d)) Σ_b ‖x_b − f_dec(f_enc(C(x_b)))‖²
///
/// which is ``squaredDistanceLoss(_:_:)`` divided by d, so the learning rate does not depend on
/// the image size. Progress lines go to `log` (none by default); a NaN loss stops the program
/// with the step number (chapter 2's `trainingLoop`).
@discardableResult
public func trainAutoencoder(_ model: Autoencoder, images: [[Float]], options: TrainingOptions,
                  logEvery: Int = 100, log: (String) -> Void = { _ in }) -> [Float] {
    require(!images.isEmpty, "trainAutoencoder: no images")
    require(images.allSatisfy { $0.count == model.inputWidth },
                 "trainAutoencoder: every image must have \(model.inputWidth) pixels, the model's input width")
    var rng = SeededRandom(seed: options.seed)
    var optimizer = Adam(model.parameters, learningRate: options.learningRate)
    var batches = MinibatchSampler(count: images.count, batchSize: options.batchSize, seed: options.seed &+ 1)
    return trainingLoop(steps: options.steps, logEvery: logEvery, log: log) { _ in
        let clean = batchTensor(batches.next().map { images[$0] })
        let input = options.corruption.apply(clean, rng: &rng)
        let loss = meanSquaredError(model(.constant(input)), clean)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}

/// Hands out minibatches of indices 0..<count: a seeded shuffle cut into batches, reshuffled
/// after each pass (epoch). A final short batch is dropped, so every batch has `batchSize` rows.
public struct MinibatchSampler {
    let count: Int
    let batchSize: Int
    var rng: SeededRandom
    var order: [Int] = []
    var position = 0

    public init(count: Int, batchSize: Int, seed: UInt64) {
        require(count > 0 && batchSize > 0, "MinibatchSampler: count and batchSize must be positive, got \(count) and \(batchSize)")
        self.count = count
        self.batchSize = min(batchSize, count)
        rng = SeededRandom(seed: seed)
    }

    /// The indices of the next minibatch.
    public mutating func next() -> [Int] {
        if order.isEmpty || position + batchSize > count {
            order = rng.shuffled(Array(0..<count))
            position = 0
        }
        defer { position += batchSize }
        return Array(order[position..<(position + batchSize)])
    }
}
