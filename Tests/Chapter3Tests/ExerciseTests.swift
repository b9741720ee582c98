import Autoencoders
import Chapter3Exercises
import Datasets
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The checks for Exercises/Chapter3. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 3: exercises")
struct Chapter3ExerciseTests {
    @Test("3.1 The encoder-decoder forward pass: shapes, values, gradients to both halves")
    func exercise3_1() throws {
        var rng = SeededRandom(seed: 31)
        let model = Autoencoder.mlp(widths: [64, 32, 8], output: .sigmoid, rng: &rng)
        let x = Tensor.randomUniform([16, 64], rng: &rng)
        let (z, xHat) = try attempt("3.1") { try encodeDecode(.constant(x), encoder: model.encoder, decoder: model.decoder) }
        #expect(z.shape == [16, 8], "z = f_enc(x) should have shape [16, 8] for a batch of 16 and an 8-number code, got \(z.shape)")
        #expect(xHat.shape == [16, 64], "x̂ = f_dec(z) should have the input's shape [16, 64], got \(xHat.shape)")
        guard z.shape == [16, 8], xHat.shape == [16, 64] else { return }
        #expect(z.value.isClose(to: model.codes(x)), "z should be encoder(x)")
        #expect(xHat.value.isClose(to: model.reconstruct(x)), "x̂ should be decoder(encoder(x)), not decoder(x) or encoder(x)")
        xHat.sum().backward()
        let reached = model.parameters.filter { $0.grad != nil }.count
        #expect(reached == model.parameters.count,
                "a loss on x̂ should send gradients to all \(model.parameters.count) weights and biases, reached \(reached): keep z as a Variable, do not rebuild it from z.value")
    }

    @Test("3.2 Counting parameters: the seeds' model has 104,608 and 105,360")
    func exercise3_2() throws {
        let seeds = try attempt("3.2") { try autoencoderParameterCounts(widths: [784, 128, 32]) }
        #expect(seeds.encoder == 104_608 && seeds.decoder == 105_360,
                "784 → 128 → 32 and back should have 104,608 and 105,360 parameters, got \(seeds.encoder) and \(seeds.decoder); each Linear(m, n) has m·n weights and n biases, and the decoder's biases have the decoder's output sizes")
        var rng = SeededRandom(seed: 32)
        for widths in [[64, 32, 8], [64, 2], [10, 7, 5, 3]] {
            let model = Autoencoder.mlp(widths: widths, rng: &rng)
            let got = try autoencoderParameterCounts(widths: widths)
            #expect(got.encoder == model.encoder.parameterCount && got.decoder == model.decoder.parameterCount,
                    "widths \(widths): expected (\(model.encoder.parameterCount), \(model.decoder.parameterCount)), got (\(got.encoder), \(got.decoder))")
        }
    }

    @Test("3.3 The reconstruction loss (1/B) Σ‖x − x̂‖²: value and gradient")
    func exercise3_3() throws {
        let x = Tensor([[1, 0], [0, 1]])
        let small = Variable(Tensor([[0.5, 0], [0, 0]]))
        let loss = try attempt("3.3") { try batchReconstructionLoss(small, x) }
        #expect(loss.value.count == 1 && abs(loss.value.scalars[0] - 0.625) < 1e-6,
                "for x = [[1, 0], [0, 1]] and x̂ = [[0.5, 0], [0, 0]] the loss is (0.25 + 1)/2 = 0.625, got \(loss.value.scalars): sum over pixels, average over the 2 rows (not over all 4 numbers)")
        var rng = SeededRandom(seed: 33)
        let target = Tensor.randomUniform([5, 7], rng: &rng)
        let mine = Variable(Tensor.randomUniform([5, 7], rng: &rng))
        let reference = Variable(mine.value)
        let got = try batchReconstructionLoss(mine, target)
        let expected = squaredDistanceLoss(reference, target)
        #expect(abs(got.value.scalars[0] - expected.value.scalar) < 1e-5, "expected \(expected.value.scalar), got \(got.value.scalars[0])")
        got.backward()
        expected.backward()
        #expect(mine.gradient.isClose(to: reference.gradient, tolerance: 1e-5),
                "∂L/∂x̂ should be 2(x̂ − x)/B = \(reference.gradient), got \(mine.gradient)")
    }

    @Test("3.4 The denoising corruption: masking and Gaussian noise, drawn exactly as specified")
    func exercise3_4() throws {
        var rng = SeededRandom(seed: 34)
        let x = Tensor.randomUniform([40, 50], low: 0.5, high: 1, rng: &rng)
        var mine = SeededRandom(seed: 7), reference = SeededRandom(seed: 7)
        let masked = try attempt("3.4") { try maskRandomPixels(x, probability: 0.25, rng: &mine) }
        let dropped = masked.scalars.filter { $0 == 0 }.count
        #expect(abs(Float(dropped) / 2_000 - 0.25) < 0.03, "about 25% of 2,000 pixels should be 0, got \(dropped)")
        #expect(zip(masked.scalars, x.scalars).allSatisfy { $0 == 0 || $0 == $1 },
                "kept pixels must be unchanged (no 1/(1 − p) scaling: this is not dropout)")
        #expect(masked == maskingNoise(x, probability: 0.25, rng: &reference),
                "with the same seed the mask should match the book's: one rng.uniformFloat() per element in row-major order, dropped when it is below p")

        var mine2 = SeededRandom(seed: 8), reference2 = SeededRandom(seed: 8)
        let noisy = try attempt("3.4") { try addGaussianNoise(x, standardDeviation: 0.3, rng: &mine2) }
        let e = noisy - x
        let mean = e.mean().scalar, sd = ((e - mean) * (e - mean)).mean().scalar.squareRoot()
        #expect(abs(mean) < 0.03 && abs(sd - 0.3) < 0.03,
                "the noise should have mean 0 and standard deviation σ = 0.3, got \(mean) and \(sd)")
        #expect(noisy.isClose(to: gaussianNoise(x, standardDeviation: 0.3, rng: &reference2), tolerance: 1e-6),
                "with the same seed the noise should match the book's: x + σ·rng.normal(), one draw per element in row-major order")
    }

    @Test("3.5 PCA projection: z = Uᵀ(x − x̄) and x̂ = x̄ + U z")
    func exercise3_5() throws {
        let images = Array(try Digits.load().images.prefix(300))
        let pca = PCA(images, components: 5)
        for x in images.prefix(3) {
            let (code, reconstruction) = try attempt("3.5") {
                try pcaProjection(x.map(Double.init), mean: pca.mean, components: pca.components)
            }
            let expectedCode = pca.encode(x), expectedReconstruction = pca.decode(expectedCode)
            #expect(code.count == 5 && zip(code, expectedCode).allSatisfy { abs($0 - $1) < 1e-9 },
                    "the code should be the dot products of each component with x − x̄: \(expectedCode), got \(code); did you subtract the mean?")
            #expect(reconstruction.count == 64 && zip(reconstruction, expectedReconstruction).allSatisfy { abs($0 - $1) < 1e-9 },
                    "the reconstruction should be x̄ + Σ zᵢuᵢ; did you add the mean back?")
        }
        // A point already in the subspace comes back unchanged.
        let inside = pca.decode([1, -2, 0.5, 0, 3])
        let back = try pcaProjection(inside, mean: pca.mean, components: pca.components)
        #expect(zip(back.code, [1, -2, 0.5, 0, 3]).allSatisfy { abs($0 - $1) < 1e-9 },
                "projecting x̄ + U·[1, −2, 0.5, 0, 3] should give the code [1, −2, 0.5, 0, 3], got \(back.code)")
    }

    @Test("3.6 The bottleneck sweep: test error falls as the code widens")
    func exercise3_6() throws {
        let (train, test) = try Digits.load().split()
        let widths = [2, 8, 32]
        let errors = try attempt("3.6") {
            try sweepBottleneck(widths: widths, trainingImages: train.images, testImages: test.images, steps: 150, seed: 1)
        }
        #expect(errors.count == widths.count, "one test error per width: expected \(widths.count), got \(errors.count)")
        guard errors.count == widths.count else { return }
        let baseline = meanImageMSE(test.images, reference: train.images)
        #expect(errors.allSatisfy { $0.isFinite && $0 > 0 && $0 < baseline },
                "every width should beat the mean image (\(baseline)) on the test set, got \(errors): is each model trained before you measure it?")
        #expect(errors[0] > errors[1] && errors[1] > errors[2],
                "the test error should fall as the bottleneck widens 2 → 8 → 32, got \(errors): use the same seed and steps for every width, and measure on the test images")
        #expect(errors[2] < 0.6 * errors[0], "width 32 should do much better than width 2, got \(errors)")
    }

    @Test("3.7 Principal angles: cosines are the singular values of Q₁Q₂ᵀ")
    func exercise3_7() throws {
        let tilt = 30 * Double.pi / 180
        let cosines = try attempt("3.7") {
            try principalAngleCosines([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, cos(tilt), sin(tilt)]])
        }
        #expect(cosines.count == 2 && abs(cosines[0] - 1) < 1e-9 && abs(cosines[1] - cos(tilt)) < 1e-9,
                "the xy-plane and the same plane tilted 30° about the x axis share the x axis (cos 0 = 1) and meet at 30° (cos 30° = 0.8660): expected [1, 0.8660], got \(cosines)")
        var rng = SeededRandom(seed: 37)
        let a = orthonormalRows((0..<3).map { _ in (0..<10).map { _ in rng.normal() } })
        let b = orthonormalRows((0..<4).map { _ in (0..<10).map { _ in rng.normal() } })
        let got = try principalAngleCosines(a, b)
        let expected = principalAngles(a, b).map { cos($0) }
        #expect(got.count == 3 && zip(got, expected).allSatisfy { abs($0 - $1) < 1e-7 },
                "for a 3-D and a 4-D subspace of ℝ¹⁰ there are 3 angles with cosines \(expected) (largest first), got \(got)")
    }
}
