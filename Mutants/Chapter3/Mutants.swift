// Known wrong answers to chapter 3's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Autoencoders
import Chapter3Checks
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

public let chapter3Mutants: [Mutant] = [
    Mutant("3.1", "rebuilds z from its value, cutting the graph", mentions: "rebuilt from z.value") {
        try checkEncodeDecode($0) { x, encoder, decoder in
            let z = encoder(x)
            return (z, decoder(.constant(z.value)))
        }
    },
    Mutant("3.1", "returns the reconstruction first", mentions: "swapped") {
        try checkEncodeDecode($0) { x, encoder, decoder in
            let z = encoder(x)
            return (decoder(z), z)
        }
    },
    Mutant("3.2", "forgets the biases", mentions: "biases are missing") {
        try checkParameterCounts($0) { widths in
            let weights = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
            return (weights, weights)
        }
    },
    Mutant("3.2", "counts the decoder with the encoder's biases", mentions: "reversed widths") {
        try checkParameterCounts($0) { widths in
            let total = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
            return (total, total)
        }
    },
    Mutant("3.3", "averages over every pixel, not over the rows", mentions: "per-pixel MSE") {
        try checkBatchReconstructionLoss($0) { xHat, x in
            let d = xHat - x
            return (d * d).sum() / Float(x.count)
        }
    },
    Mutant("3.3", "forgets to divide by the batch size", mentions: "divide by the number of rows") {
        try checkBatchReconstructionLoss($0) { xHat, x in
            let d = xHat - x
            return (d * d).sum()
        }
    },
    Mutant("3.3", "computes the loss from plain numbers, so no gradient flows", mentions: "no gradient reached") {
        try checkBatchReconstructionLoss($0) { xHat, x in
            let d = xHat.value - x
            return Variable((d * d).sum() / Float(x.shape[0]))
        }
    },
    Mutant("3.4", "scales the surviving pixels as dropout does", mentions: "dropout") {
        try checkCorruption($0, mask: { x, p, rng in
            var result = x
            for i in 0..<result.count {
                result.scalars[i] = rng.uniformFloat() < p ? 0 : result.scalars[i] / (1 - p)
            }
            return result
        }, noise: { x, sigma, rng in
            var result = x
            for i in 0..<result.count { result.scalars[i] += sigma * Float(rng.normal()) }
            return result
        })
    },
    Mutant("3.4", "drops a pixel when the draw is above p", mentions: "at least p") {
        try checkCorruption($0, mask: { x, p, rng in
            var result = x
            for i in 0..<result.count where rng.uniformFloat() >= p { result.scalars[i] = 0 }
            return result
        }, noise: { x, sigma, rng in
            var result = x
            for i in 0..<result.count { result.scalars[i] += sigma * Float(rng.normal()) }
            return result
        })
    },
    Mutant("3.4", "multiplies the noise by the variance σ²", mentions: "σ²") {
        try checkCorruption($0, mask: { x, p, rng in
            var result = x
            for i in 0..<result.count where rng.uniformFloat() < p { result.scalars[i] = 0 }
            return result
        }, noise: { x, sigma, rng in
            var result = x
            for i in 0..<result.count { result.scalars[i] += sigma * sigma * Float(rng.normal()) }
            return result
        })
    },
    Mutant("3.5", "projects x without subtracting the mean", mentions: "mean was not subtracted") {
        try checkPCAProjection($0) { x, mean, components in
            let code = components.map { dot($0, x) }
            var reconstruction = mean
            for (z, u) in zip(code, components) { for i in reconstruction.indices { reconstruction[i] += z * u[i] } }
            return (code, reconstruction)
        }
    },
    Mutant("3.5", "forgets to add the mean back", mentions: "not added back") {
        try checkPCAProjection($0) { x, mean, components in
            let centred = zip(x, mean).map { $0 - $1 }
            let code = components.map { dot($0, centred) }
            var reconstruction = [Double](repeating: 0, count: x.count)
            for (z, u) in zip(code, components) { for i in reconstruction.indices { reconstruction[i] += z * u[i] } }
            return (code, reconstruction)
        }
    },
    Mutant("3.6", "measures each model on its training images", mentions: "training images") {
        try checkSweepBottleneck($0) { widths, train, _, steps, seed in
            widths.map { k in
                var rng = SeededRandom(seed: seed)
                let model = Autoencoder.mlp(widths: [train[0].count, 32, k], output: .sigmoid, rng: &rng)
                trainAutoencoder(model, images: train, options: TrainingOptions(steps: steps, batchSize: 32, learningRate: 1e-2, seed: seed))
                return reconstructionMSE(model, images: train)
            }
        }
    },
    Mutant("3.6", "shares one generator across the widths", mentions: "fresh SeededRandom") {
        try checkSweepBottleneck($0) { widths, train, test, steps, seed in
            var rng = SeededRandom(seed: seed)
            return widths.map { k in
                let model = Autoencoder.mlp(widths: [train[0].count, 32, k], output: .sigmoid, rng: &rng)
                trainAutoencoder(model, images: train, options: TrainingOptions(steps: steps, batchSize: 32, learningRate: 1e-2, seed: seed))
                return reconstructionMSE(model, images: test)
            }
        }
    },
    Mutant("3.7", "returns the eigenvalues of M·Mᵀ without the square root", mentions: "squared cosines") {
        try checkPrincipalAngleCosines($0) { q1, q2 in
            let m = q1.map { u in q2.map { v in dot(u, v) } }
            let mmT = m.map { u in m.map { v in dot(u, v) } }
            return symmetricEigen(mmT).values.prefix(min(q1.count, q2.count)).map { min(1, max(0, $0)) }
        }
    },
    Mutant("3.7", "takes every eigenvalue of MᵀM", mentions: "extra eigenvalue") {
        try checkPrincipalAngleCosines($0) { q1, q2 in
            let m = q1.map { u in q2.map { v in dot(u, v) } }
            let columns = q2.indices.map { j in m.map { $0[j] } }
            let mTm = columns.map { u in columns.map { v in dot(u, v) } }
            return symmetricEigen(mTm).values.map { min(1, max(0, $0).squareRoot()) }
        }
    },
    Mutant("3.8", "never zeroes the gradients", mentions: "never zeroed") {
        try checkFitAutoencoder($0) { model, images, steps, batchSize, learningRate, seed in
            var optimizer = Adam(model.parameters, learningRate: learningRate)
            var sampler = MinibatchSampler(count: images.count, batchSize: batchSize, seed: seed)
            return (0..<steps).map { _ in
                let x = batchTensor(sampler.next().map { images[$0] })
                let loss = meanSquaredError(model(.constant(x)), x)
                loss.backward()
                optimizer.step()
                return loss.value.scalar
            }
        }
    },
    Mutant("3.8", "trains on the same first batch at every step", mentions: "fresh minibatch") {
        try checkFitAutoencoder($0) { model, images, steps, batchSize, learningRate, _ in
            var optimizer = Adam(model.parameters, learningRate: learningRate)
            let x = batchTensor(images.prefix(batchSize))
            return (0..<steps).map { _ in
                let loss = meanSquaredError(model(.constant(x)), x)
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
                return loss.value.scalar
            }
        }
    },
    Mutant("3.8", "returns the loss summed over the pixels", mentions: "summed over the 784 pixels") {
        try checkFitAutoencoder($0) { model, images, steps, batchSize, learningRate, seed in
            var optimizer = Adam(model.parameters, learningRate: learningRate)
            var sampler = MinibatchSampler(count: images.count, batchSize: batchSize, seed: seed)
            return (0..<steps).map { _ in
                let x = batchTensor(sampler.next().map { images[$0] })
                let loss = squaredDistanceLoss(model(.constant(x)), x)
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
                return loss.value.scalar
            }
        }
    },
    Mutant("3.8", "gives the optimizer only the decoder's parameters", mentions: "decoder's parameters only") {
        try checkFitAutoencoder($0) { model, images, steps, batchSize, learningRate, seed in
            var optimizer = Adam(model.decoder.parameters, learningRate: learningRate)
            var sampler = MinibatchSampler(count: images.count, batchSize: batchSize, seed: seed)
            return (0..<steps).map { _ in
                let x = batchTensor(sampler.next().map { images[$0] })
                let loss = meanSquaredError(model(.constant(x)), x)
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
                return loss.value.scalar
            }
        }
    },
    Mutant("3.9", "forgets the ReLU's mask", mentions: "ReLU's mask") {
        try checkAutoencoderGradients($0) { x, w1, b1, w2, b2 in
            handBackward(x, w1, b1, w2, b2, mask: false)
        }
    },
    Mutant("3.9", "forgets the sigmoid's derivative", mentions: "sigmoid's derivative") {
        try checkAutoencoderGradients($0) { x, w1, b1, w2, b2 in
            handBackward(x, w1, b1, w2, b2, sigmoidDerivative: false)
        }
    },
    Mutant("3.9", "drops the factor 2 of the square's derivative", mentions: "factor 2") {
        try checkAutoencoderGradients($0) { x, w1, b1, w2, b2 in
            handBackward(x, w1, b1, w2, b2, two: 1)
        }
    },
]

/// Exercise 3.9 done by hand, with one of its steps optionally left out.
private func handBackward(_ x: Tensor, _ w1: Tensor, _ b1: Tensor, _ w2: Tensor, _ b2: Tensor,
                          mask: Bool = true, sigmoidDerivative: Bool = true, two: Float = 2)
    -> (loss: Float, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
    let batch = Float(x.shape[0])
    let a1 = x.matmul(w1) + b1
    let h = a1.relu()
    let xHat = (h.matmul(w2) + b2).sigmoid()
    let error = xHat - x
    var g2 = error * (two / batch)
    if sigmoidDerivative { g2 = g2 * xHat * (1 - xHat) }
    var g1 = g2.matmul(w2.transposed())
    if mask { g1 = g1 * a1.map { $0 > 0 ? 1 : 0 } }
    return ((error * error).sum().scalar / batch, x.transposed().matmul(g1), g1.sum(axis: 0),
            h.transposed().matmul(g2), g2.sum(axis: 0))
}
