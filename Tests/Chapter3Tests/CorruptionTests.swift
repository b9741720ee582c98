import Autoencoders
import Datasets
import ScalarAutodiff
import Tensors
import Testing

/// The denoising autoencoder's corruptions and what training on them buys.
@Suite("Chapter 3: denoising corruptions")
struct Chapter3CorruptionTests {
    @Test("Masking drops about p of the pixels, leaves the rest untouched, and repeats with the seed")
    func masking() {
        var rng = SeededRandom(seed: 11)
        let x = Tensor.randomUniform([100, 100], low: 0.5, high: 1, rng: &rng)
        var a = SeededRandom(seed: 2), b = SeededRandom(seed: 2)
        let masked = maskingNoise(x, probability: 0.3, rng: &a)
        #expect(masked == maskingNoise(x, probability: 0.3, rng: &b))
        let dropped = masked.scalars.filter { $0 == 0 }.count
        #expect(abs(Float(dropped) / 10_000 - 0.3) < 0.02, "dropped \(dropped) of 10,000")
        #expect(zip(masked.scalars, x.scalars).allSatisfy { $0 == 0 || $0 == $1 }, "no rescaling, unlike dropout")
        var c = SeededRandom(seed: 3)
        #expect(maskingNoise(x, probability: 0, rng: &c) == x)
        #expect(maskingNoise(x, probability: 1, rng: &c) == Tensor.zeros([100, 100]))
    }

    @Test("Gaussian noise adds N(0, σ²): mean 0 and standard deviation σ")
    func gaussian() {
        let x = Tensor(repeating: 0.5, shape: [100, 100])
        var rng = SeededRandom(seed: 12)
        let noisy = gaussianNoise(x, standardDeviation: 0.3, rng: &rng)
        let e = noisy - x
        let mean = e.mean().scalar
        let sd = ((e - mean) * (e - mean)).mean().scalar.squareRoot()
        #expect(abs(mean) < 0.01 && abs(sd - 0.3) < 0.01, "mean \(mean), standard deviation \(sd)")
        #expect(gaussianNoise(x, standardDeviation: 0, rng: &rng) == x)
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        #expect(Corruption.gaussian(standardDeviation: 0.2).apply(x, rng: &a) == gaussianNoise(x, standardDeviation: 0.2, rng: &b))
        #expect(Corruption.none.apply(x, rng: &a) == x)
    }

    @Test("A denoising autoencoder repairs masked test digits: its output is closer to the clean digit than its input")
    func denoisingRepairs() throws {
        let (train, test) = try Digits.load().split()
        let corruption = Corruption.masking(probability: 0.4)
        let result = trainAndEvaluate(widths: [64, 32, 8], output: .sigmoid, train: train.images, test: test.images,
                                      options: TrainingOptions(steps: 250, batchSize: 32, learningRate: 1e-2, seed: 3,
                                                               corruption: corruption))
        let clean = batchTensor(test.images)
        var rng = SeededRandom(seed: 30)
        let damaged = corruption.apply(clean, rng: &rng)
        let damage = squaredErrors(clean, damaged).reduce(0, +) / Float(clean.count)
        let repaired = squaredErrors(clean, result.model.reconstruct(damaged)).reduce(0, +) / Float(clean.count)
        #expect(repaired < 0.6 * damage, "masked input MSE \(damage), denoised MSE \(repaired)")
    }
}
