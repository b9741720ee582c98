// The checks of chapter 3's exercises 3.1 to 3.7. Each takes a Checker and the student's
// function, so the same check runs on the answer in Exercises/Chapter3 and on the known wrong
// answers in Mutants/Chapter3, which must fail it with a message that names their mistake.
// (3.8 and 3.9, the training loop and the backward pass by hand, are in Training.swift.)

import Autoencoders
import Datasets
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// 3.1: z = f_enc(x) and x̂ = f_dec(z), with gradients reaching both halves.
public func checkEncodeDecode(_ c: Checker,
                              _ encodeDecode: (Variable, Sequential, Sequential) throws -> (z: Variable, xHat: Variable)) throws {
    var rng = SeededRandom(seed: 31)
    let model = Autoencoder.mlp(widths: [64, 32, 8], output: .sigmoid, rng: &rng)
    let x = Tensor.randomUniform([16, 64], rng: &rng)
    let (z, xHat) = try encodeDecode(.constant(x), model.encoder, model.decoder)
    let codes = model.codes(x), reconstructions = model.reconstruct(x)
    let swapped = "the two results are swapped: return (z, x̂), the code first"
    c.expectClose(z.value, codes, "z = encoder(x) for a batch of 16 digits and an 8-number code",
                  mistakes: [Mistake(reconstructions, swapped)])
    c.expectClose(xHat.value, reconstructions, "x̂ = decoder(z) = decoder(encoder(x))",
                  mistakes: [Mistake(codes, swapped)])
    guard c.failures.isEmpty else { return }
    xHat.sum().backward()
    let encoderReached = model.encoder.parameters.filter { $0.grad != nil }.count
    let decoderReached = model.decoder.parameters.filter { $0.grad != nil }.count
    c.expect(decoderReached == model.decoder.parameters.count,
             "a loss on x̂ should reach all \(model.decoder.parameters.count) of the decoder's weights and biases, reached \(decoderReached): x̂ must be decoder(z), a Variable")
    c.expect(encoderReached == model.encoder.parameters.count,
             "a loss on x̂ should also reach all \(model.encoder.parameters.count) of the encoder's weights and biases, reached \(encoderReached). Likely mistake: z was rebuilt from z.value (a constant), which cuts the graph between the halves; pass the Variable z itself to the decoder")
}

/// 3.2: the parameter counts of an MLP autoencoder and its mirror image.
public func checkParameterCounts(_ c: Checker, _ count: ([Int]) throws -> (encoder: Int, decoder: Int)) throws {
    let seeds = try count([784, 128, 32])
    c.expectEqual(seeds.encoder, 104_608, "the encoder's parameters for widths [784, 128, 32] (Linear(784, 128), Linear(128, 32))",
                  mistakes: [Mistake(104_448, "the biases are missing: Linear(m, n) has n biases besides its m·n weights"),
                             Mistake(105_360, "the two halves are swapped: the encoder runs through the widths as given")])
    c.expectEqual(seeds.decoder, 105_360, "the decoder's parameters (Linear(32, 128), Linear(128, 784))",
                  mistakes: [Mistake(104_448, "the biases are missing: Linear(m, n) has n biases besides its m·n weights"),
                             Mistake(104_608, "the decoder was counted like the encoder; its biases sit on its own output side (Linear(128, 784) has 784 of them), so count over the reversed widths")])
    for widths in [[64, 32, 8], [64, 2], [10, 7, 5, 3]] {
        func layers(_ w: [Int]) -> Int { zip(w, w.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 } }
        let got = try count(widths)
        c.expectEqual("\(got.encoder), \(got.decoder)", "\(layers(widths)), \(layers(widths.reversed()))",
                      "the (encoder, decoder) counts for widths \(widths)")
    }
}

/// 3.3: L = (1/B) Σ_b ‖x_b − x̂_b‖², a Variable whose gradient reaches x̂.
public func checkBatchReconstructionLoss(_ c: Checker, _ lossFunction: (Variable, Tensor) throws -> Variable) throws {
    let x = Tensor([[1, 0], [0, 1]])
    let worked = try lossFunction(Variable(Tensor([[0.5, 0], [0, 0]])), x)
    c.expect(worked.value.count == 1, "the loss should be one number, got a tensor of shape \(worked.shape): sum over everything")
    c.expectClose(worked.value.scalars.first ?? .nan, 0.625, tolerance: 1e-6,
                  "the loss for x = [[1, 0], [0, 1]] and x̂ = [[0.5, 0], [0, 0]], (0.25 + 1)/2",
                  mistakes: [Mistake(0.3125, "it was averaged over all B·d = 4 numbers (that is the per-pixel MSE): sum over the pixels, then average over the 2 rows only"),
                             Mistake(1.25, "it is summed over the batch too: divide by the number of rows B"),
                             Mistake(0.75, "those are absolute differences: square each one")])
    var rng = SeededRandom(seed: 33)
    let target = Tensor.randomUniform([5, 7], rng: &rng)
    let start = Tensor.randomUniform([5, 7], rng: &rng)
    let mine = Variable(start), reference = Variable(start)
    let got = try lossFunction(mine, target)
    let expected = squaredDistanceLoss(reference, target)
    c.expectClose(got.value.scalars.first ?? .nan, expected.value.scalar, tolerance: 1e-5,
                  "the loss of a random batch of 5 rows of 7 pixels")
    got.backward()
    expected.backward()
    guard mine.grad != nil else {
        c.fail("no gradient reached x̂: build the loss from Variable operations on xHat (xHat − x, *, sum), not from xHat.value, so that backward() can reach it")
        return
    }
    c.expectClose(mine.gradient, reference.gradient, "∂L/∂x̂ = 2(x̂ − x)/B for the random batch")
}

/// 3.4: masking noise and Gaussian noise, drawn exactly as specified.
public func checkCorruption(_ c: Checker,
                            mask: (Tensor, Float, inout SeededRandom) throws -> Tensor,
                            noise: (Tensor, Float, inout SeededRandom) throws -> Tensor) throws {
    var rng = SeededRandom(seed: 34)
    let x = Tensor.randomUniform([40, 50], low: 0.5, high: 1, rng: &rng)
    var mine = SeededRandom(seed: 7), reference = SeededRandom(seed: 7)
    let masked = try mask(x, 0.25, &mine)
    let expected = maskingNoise(x, probability: 0.25, rng: &reference)
    var draws = SeededRandom(seed: 7)
    let u = (0..<x.count).map { _ in draws.uniformFloat() }
    let scaled = Tensor(shape: x.shape, scalars: (0..<x.count).map { u[$0] < 0.25 ? 0 : x.scalars[$0] / 0.75 })
    let inverted = Tensor(shape: x.shape, scalars: (0..<x.count).map { u[$0] < 0.25 ? x.scalars[$0] : 0 })
    c.expectClose(masked, expected, tolerance: 1e-6, "masking 2,000 pixels with p = 0.25 (seed 7)",
                  mistakes: [Mistake(scaled, "the surviving pixels were scaled by 1/(1 − p); that is dropout, and masking noise leaves them as they were"),
                             Mistake(inverted, "pixels were dropped when the draw is at least p, so about 1 − p of them went: drop a pixel when rng.uniformFloat() < p")])
    c.expect(mine.next() == reference.next(),
             "masking should draw exactly one rng.uniformFloat() per pixel (2,000 in all), whether or not the pixel is dropped")

    var mine2 = SeededRandom(seed: 8), reference2 = SeededRandom(seed: 8)
    let noisy = try noise(x, 0.3, &mine2)
    let expectedNoise = gaussianNoise(x, standardDeviation: 0.3, rng: &reference2)
    var normals = SeededRandom(seed: 8)
    let epsilon = (0..<x.count).map { _ in Float(normals.normal()) }
    let variance = Tensor(shape: x.shape, scalars: (0..<x.count).map { x.scalars[$0] + 0.09 * epsilon[$0] })
    let unscaled = Tensor(shape: x.shape, scalars: (0..<x.count).map { x.scalars[$0] + epsilon[$0] })
    c.expectClose(noisy, expectedNoise, tolerance: 1e-5, "x + σ·ε for σ = 0.3 (seed 8)",
                  mistakes: [Mistake(variance, "the noise was multiplied by σ² = 0.09; its standard deviation should be σ, so multiply ε by σ"),
                             Mistake(unscaled, "the noise was not multiplied by σ: x̃ = x + σ·ε")])
    c.expect(mine2.next() == reference2.next(), "Gaussian noise should draw exactly one rng.normal() per pixel (2,000 in all)")
}

/// 3.5: PCA's code z = U(x − x̄) and reconstruction x̄ + Uᵀz.
public func checkPCAProjection(_ c: Checker, _ project: ([Double], [Double], Matrix) throws -> (code: [Double], reconstruction: [Double])) throws {
    let images = Array(try Digits.load().images.prefix(300))
    let pca = PCA(images, components: 5)
    for x in images.prefix(2) {
        let point = x.map(Double.init)
        let (code, reconstruction) = try project(point, pca.mean, pca.components)
        let expectedCode = pca.encode(x)
        let uncentred = pca.components.map { dot($0, point) }
        c.expectClose(code, expectedCode, tolerance: 1e-9, "the code of a digit: the dot products of the 5 components with x − x̄",
                      mistakes: [Mistake(uncentred, "the mean was not subtracted: the code is U(x − x̄)")])
        let expectedReconstruction = pca.decode(expectedCode)
        let withoutMean = zip(expectedReconstruction, pca.mean).map { $0 - $1 }
        c.expectClose(reconstruction, expectedReconstruction, tolerance: 1e-9, "the reconstruction x̄ + Σ zᵢuᵢ",
                      mistakes: [Mistake(withoutMean, "the mean was not added back: the reconstruction starts at x̄")])
    }
    let inside = pca.decode([1, -2, 0.5, 0, 3])
    let back = try project(inside, pca.mean, pca.components)
    c.expectClose(back.code, [1, -2, 0.5, 0, 3], tolerance: 1e-9, "the code of x̄ + U·[1, −2, 0.5, 0, 3], a point in the subspace")
}

/// 3.6: the bottleneck sweep, number for number against the same procedure on the book's code.
public func checkSweepBottleneck(_ c: Checker, _ sweep: ([Int], [[Float]], [[Float]], Int, UInt64) throws -> [Float]) throws {
    let (train, test) = try Digits.load().split()
    let widths = [2, 8, 32], steps = 150, seed: UInt64 = 36
    let got = try sweep(widths, train.images, test.images, steps, seed)
    let options = TrainingOptions(steps: steps, batchSize: 32, learningRate: 1e-2, seed: seed)
    var expected: [Float] = [], onTraining: [Float] = []
    for k in widths {
        var rng = SeededRandom(seed: seed)
        let model = Autoencoder.mlp(widths: [64, 32, k], output: .sigmoid, rng: &rng)
        trainAutoencoder(model, images: train.images, options: options)
        expected.append(reconstructionMSE(model, images: test.images))
        onTraining.append(reconstructionMSE(model, images: train.images))
    }
    // The known wrong answers cost three more trainings, so they are worked out only when needed.
    let close = got.count == expected.count && zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
    var mistakes: [Mistake<[Float]>] = []
    if !close {
        var shared = SeededRandom(seed: seed)
        let oneGenerator = widths.map { k -> Float in
            let model = Autoencoder.mlp(widths: [64, 32, k], output: .sigmoid, rng: &shared)
            trainAutoencoder(model, images: train.images, options: options)
            return reconstructionMSE(model, images: test.images)
        }
        mistakes = [Mistake(onTraining, "these are the errors on the training images: measure on testImages"),
                    Mistake(oneGenerator, "one generator was shared by all the widths, so each model started from different draws: make a fresh SeededRandom(seed: seed) for every width")]
    }
    c.expectClose(got, expected, tolerance: 1e-5, "the test MSEs for bottlenecks 2, 8, 32 (150 steps, seed 36)", mistakes: mistakes)
    if got.count == 3 && got.allSatisfy(\.isFinite) && !(got[0] > got[1] && got[1] > got[2]) {
        c.fail("the test error should fall as the code widens 2 → 8 → 32, got \(got.map { Checker.format(Double($0)) })")
    }
}

/// 3.7: principal angles' cosines, the singular values of Q₁Q₂ᵀ, largest first.
public func checkPrincipalAngleCosines(_ c: Checker, _ cosines: (Matrix, Matrix) throws -> [Double]) throws {
    let tilt = 30 * Double.pi / 180
    let plane = try cosines([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, cos(tilt), sin(tilt)]])
    c.expectClose(plane, [1, cos(tilt)], tolerance: 1e-9,
                  "the cosines between the xy-plane and the same plane tilted 30° about the x axis ([1, cos 30°])",
                  mistakes: [Mistake([1, 0.75], "those are the squared cosines (the eigenvalues of M·Mᵀ): take their square roots"),
                             Mistake([cos(tilt), 1], "the order: largest cosine (smallest angle) first")])
    var rng = SeededRandom(seed: 37)
    let a = orthonormalRows((0..<3).map { _ in (0..<10).map { _ in rng.normal() } })
    let b = orthonormalRows((0..<4).map { _ in (0..<10).map { _ in rng.normal() } })
    let expected = principalAngles(a, b).map { cos($0) }
    let got = try cosines(a, b)
    guard got.count == 3 else {
        c.fail("a 3-D and a 4-D subspace of ℝ¹⁰ meet at min(3, 4) = 3 angles, got \(got.count) cosines"
               + (got.count == 4 ? ". Likely mistake: the 4×4 matrix MᵀM has an extra eigenvalue near 0; use the 3×3 M·Mᵀ, or keep only min(k₁, k₂) values" : ""))
        return
    }
    c.expectClose(got, expected, tolerance: 1e-7, "the cosines between a 3-D and a 4-D subspace of ℝ¹⁰")
}
