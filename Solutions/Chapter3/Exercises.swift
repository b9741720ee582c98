// Chapter 3 reference answers. Same public API as Exercises/Chapter3.

import Autoencoders
import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 3.1 ★ — The encoder-decoder forward pass.
public func encodeDecode(_ x: Variable, encoder: Sequential, decoder: Sequential) throws -> (z: Variable, xHat: Variable) {
    let z = encoder(x)
    return (z, decoder(z))
}

/// Exercise 3.2 ★ — Counting an autoencoder's parameters.
public func autoencoderParameterCounts(widths: [Int]) throws -> (encoder: Int, decoder: Int) {
    // A Linear(m, n) layer has an m×n weight and n biases.
    func count(_ sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }
    return (count(widths), count(widths.reversed()))
}

/// Exercise 3.3 ★★ — The reconstruction loss.
public func batchReconstructionLoss(_ xHat: Variable, _ x: Tensor) throws -> Variable {
    let difference = xHat - x
    let batch = Float(x.shape[0])
    return (difference * difference).sum() / batch
}

/// Exercise 3.4 ★★ — The denoising corruption (masking).
public func maskRandomPixels(_ x: Tensor, probability: Float, rng: inout SeededRandom) throws -> Tensor {
    var result = x
    for i in 0..<result.count where rng.uniformFloat() < probability {
        result.scalars[i] = 0
    }
    return result
}

/// Exercise 3.4 ★★ — The denoising corruption (Gaussian noise).
public func addGaussianNoise(_ x: Tensor, standardDeviation: Float, rng: inout SeededRandom) throws -> Tensor {
    var result = x
    for i in 0..<result.count {
        result.scalars[i] += standardDeviation * Float(rng.normal())
    }
    return result
}

/// Exercise 3.5 ★★ — PCA projection.
public func pcaProjection(_ x: [Double], mean: [Double], components: Matrix) throws -> (code: [Double], reconstruction: [Double]) {
    let centred = zip(x, mean).map { $0 - $1 }
    let code = components.map { u in zip(u, centred).reduce(0) { $0 + $1.0 * $1.1 } }
    var reconstruction = mean
    for (c, u) in zip(code, components) {
        for i in reconstruction.indices { reconstruction[i] += c * u[i] }
    }
    return (code, reconstruction)
}

/// Exercise 3.6 ★★★ — The bottleneck sweep.
public func sweepBottleneck(widths: [Int], trainingImages: [[Float]], testImages: [[Float]],
                            steps: Int, seed: UInt64) throws -> [Float] {
    widths.map { k in
        var rng = SeededRandom(seed: seed)
        let model = Autoencoder.mlp(widths: [trainingImages[0].count, 32, k], output: .sigmoid, rng: &rng)
        trainAutoencoder(model, images: trainingImages, options: TrainingOptions(steps: steps, batchSize: 32, learningRate: 1e-2, seed: seed))
        return reconstructionMSE(model, images: testImages)
    }
}

/// Exercise 3.7 ★★ — Principal angles.
public func principalAngleCosines(_ q1: Matrix, _ q2: Matrix) throws -> [Double] {
    // M = Q₁Q₂ᵀ; its singular values are the square roots of the eigenvalues of M·Mᵀ.
    let m = q1.map { u in q2.map { v in dot(u, v) } }
    let mmT = m.map { u in m.map { v in dot(u, v) } }
    let count = min(q1.count, q2.count)
    return symmetricEigen(mmT).values.prefix(count).map { min(1, max(0, $0).squareRoot()) }
}
