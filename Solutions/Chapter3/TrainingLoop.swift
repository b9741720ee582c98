// Chapter 3 reference answer: exercise 3.8.

import Autoencoders
import ExerciseSupport
import ScalarAutodiff
import Tensors

/// Exercise 3.8 ★★★ — Train an autoencoder on MNIST.
public func fitAutoencoder(_ model: Autoencoder, images: [[Float]], steps: Int, batchSize: Int,
                           learningRate: Float, seed: UInt64) throws -> [Float] {
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    var sampler = MinibatchSampler(count: images.count, batchSize: batchSize, seed: seed)
    var losses: [Float] = []
    for _ in 0..<steps {
        let x = batchTensor(sampler.next().map { images[$0] })
        let loss = meanSquaredError(model(.constant(x)), x)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        losses.append(loss.value.scalar)
    }
    return losses
}
