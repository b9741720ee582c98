// Chapter 4 reference answer: exercise 4.9.

import ExerciseSupport
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Exercise 4.9 ★★★ — Train a VAE to a stated ELBO.
public func fitVAE(_ model: VariationalAutoencoder, data: Tensor, epochs: Int, batchSize: Int,
                   learningRate: Float, rng: inout SeededRandom) throws -> [Float] {
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    var order = Array(0..<data.shape[0])
    let pixels = Float(data.shape[1])
    var losses: [Float] = []
    for _ in 0..<epochs {
        rng.shuffle(&order)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let x = data.gatherRows(Array(order[start..<min(start + batchSize, order.count)]))
            let (mu, logVariance) = model.encoder(.constant(x))
            let epsilon = Tensor.randomNormal([x.shape[0], model.latent], rng: &rng)
            let z = mu + (logVariance * 0.5).exp() * epsilon
            let logits = model.decoder(z)
            let loss = binaryCrossEntropy(logits: logits, targets: x) * pixels + klDivergence(mu: mu, logVariance: logVariance)
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalar)
        }
    }
    return losses
}
