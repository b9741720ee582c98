import Autoencoders
import Datasets
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The chapter's experiments, on short seeded runs sized for a debug build.
@Suite("Chapter 3: experiments on the digits")
struct Chapter3ExperimentTests {
    @Test("Bottleneck sweep 2, 4, 8, 16, 32: the test error falls at every step")
    func bottleneckSweepFalls() throws {
        let (train, test) = try Digits.load().split()
        let sweep = bottleneckSweep(widths: [2, 4, 8, 16, 32], hidden: [], output: .sigmoid,
                                    train: train.images, test: test.images,
                                    options: TrainingOptions(steps: 150, batchSize: 32, learningRate: 3e-2, seed: 1))
        let errors = sweep.map(\.testMSE)
        for i in 1..<errors.count {
            #expect(errors[i] < 0.85 * errors[i - 1], "test MSE by width: \(errors)")
        }
        #expect(errors[0] < sweep[0].baselineMSE, "even 2 numbers beat the mean image: \(errors[0]) vs \(sweep[0].baselineMSE)")
    }

    @Test("A linear autoencoder finds PCA's subspace: principal angles under 10°, error within 5% of PCA's")
    func linearAutoencoderIsPCA() throws {
        let (train, test) = try Digits.load().split()
        let k = 3
        let linear = trainAndEvaluate(widths: [64, k], activation: nil, train: train.images, test: test.images,
                                      options: TrainingOptions(steps: 300, batchSize: 128, learningRate: 3e-2, seed: 1))
        let pca = PCA(train.images, components: k)
        let angles = principalAngles(decoderSubspace(linear.model), pca.components).map(degrees)
        #expect(angles.count == k && angles.allSatisfy { $0 < 10 }, "principal angles in degrees: \(angles)")
        let pcaTest = pca.reconstructionMSE(test.images)
        #expect(Double(linear.testMSE) < 1.05 * pcaTest, "linear AE \(linear.testMSE) vs PCA \(pcaTest)")
        // On the training set no linear code of width k can beat PCA (Eckart-Young).
        let aeTrain = Double(reconstructionMSE(linear.model, images: train.images))
        #expect(aeTrain >= pca.reconstructionMSE(train.images) * (1 - 1e-4), "linear AE \(aeTrain) beat PCA on its own data")
    }

    @Test("Uniform noise plateaus near the mean image; digits keep improving far below it")
    func noiseVersusDigits() throws {
        let (train, test) = try Digits.load().split()
        let noiseTrain = uniformNoiseImages(count: train.count, pixels: 64, seed: 5)
        let noiseTest = uniformNoiseImages(count: test.count, pixels: 64, seed: 6)
        let options = TrainingOptions(steps: 300, batchSize: 32, learningRate: 1e-2, seed: 1)
        let noise = trainAndEvaluate(widths: [64, 32, 8], output: .sigmoid, train: noiseTrain, test: noiseTest, options: options)
        let digits = trainAndEvaluate(widths: [64, 32, 8], output: .sigmoid, train: train.images, test: test.images, options: options)
        // Uniform noise on [0, 1) has variance 1/12 per pixel: the mean image scores about 0.0833.
        #expect(abs(noise.baselineMSE - 1.0 / 12) < 0.003)
        #expect(noise.explainedVariance < 0.2, "an 8-number code cannot hold much of 64 independent pixels: \(noise.explainedVariance)")
        #expect(digits.explainedVariance > 0.5, "digits are compressible: \(digits.explainedVariance)")
        func meanLoss(_ r: ExperimentResult, _ range: Range<Int>) -> Float {
            r.losses[range].reduce(0, +) / Float(range.count) / r.baselineMSE
        }
        let noiseGain = 1 - meanLoss(noise, 250..<300) / meanLoss(noise, 100..<150)
        let digitsGain = 1 - meanLoss(digits, 250..<300) / meanLoss(digits, 100..<150)
        #expect(noiseGain < 0.05, "noise: the loss improved by \(noiseGain) between steps 100-150 and 250-300 (a plateau)")
        #expect(digitsGain > 0.1, "digits: the loss improved by \(digitsGain) between steps 100-150 and 250-300")
    }

    @Test("Overcomplete (64 → 128 → 64) learns to copy: far lower error than an undercomplete 64 → 8 → 64")
    func overcompleteCopies() throws {
        let (train, test) = try Digits.load().split()
        let options = TrainingOptions(steps: 150, batchSize: 32, learningRate: 1e-2, seed: 1)
        let over = trainAndEvaluate(widths: [64, 128], train: train.images, test: test.images, options: options)
        let under = trainAndEvaluate(widths: [64, 8], train: train.images, test: test.images, options: options)
        #expect(!over.model.isUndercomplete && under.model.isUndercomplete)
        #expect(over.testMSE < 0.1 * under.testMSE, "overcomplete \(over.testMSE), undercomplete \(under.testMSE)")
    }

    @Test("Uniform noise images: seeded, in [0, 1)")
    func noiseImages() {
        let a = uniformNoiseImages(count: 20, pixels: 64, seed: 3)
        #expect(a == uniformNoiseImages(count: 20, pixels: 64, seed: 3))
        #expect(a.count == 20 && a.allSatisfy { $0.count == 64 && $0.allSatisfy { (0..<1).contains($0) } })
        #expect(a != uniformNoiseImages(count: 20, pixels: 64, seed: 4))
    }
}
