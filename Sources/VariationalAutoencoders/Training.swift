import ScalarAutodiff
import Tensors

/// The averages of one epoch of VAE training.
public struct EpochSummary: Sendable {
    public let epoch: Int
    /// β at the epoch's last step.
    public let beta: Float
    /// The mean reconstruction term −log p(x | z) per input, over the epoch's batches.
    public let reconstruction: Float
    /// The mean KL per input, over the epoch's batches.
    public let kl: Float
    /// The KL of each latent dimension, from the epoch's last batch.
    public let klPerDimension: [Float]

    /// The negative ELBO per input, reconstruction + KL (with β = 1, whatever β was).
    public var negativeELBO: Float { reconstruction + kl }
}

/// Trains `model` on the rows of `data` ([count, pixels]) with Adam, shuffling every epoch and
/// taking β from `annealing` at every step. Calls `report` after each epoch.
///
/// - Returns: one ``EpochSummary`` per epoch.
@discardableResult
public func trainVAE(_ model: VariationalAutoencoder, on data: Tensor, epochs: Int, batchSize: Int,
                     learningRate: Float, annealing: KLAnnealing, rng: inout SeededRandom,
                     report: (EpochSummary) -> Void = { _ in }) -> [EpochSummary] {
    require(data.rank == 2 && data.shape[0] > 0, "trainVAE: expected data of shape [count, pixels], got \(data.shape)")
    require(epochs > 0 && batchSize > 0, "trainVAE: epochs (\(epochs)) and batchSize (\(batchSize)) must be positive")
    var optimizer = Adam(model.parameters, learningRate: learningRate)
    var order = Array(0..<data.shape[0])
    var step = 0
    var summaries: [EpochSummary] = []
    for epoch in 1...epochs {
        rng.shuffle(&order)
        var reconstruction: Float = 0, kl: Float = 0, batches: Float = 0
        var beta: Float = 0
        var perDimension: [Float] = []
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let batch = data.gatherRows(Array(order[start..<Swift.min(start + batchSize, order.count)]))
            beta = annealing.beta(atStep: step)
            let epsilon = Tensor.randomNormal([batch.shape[0], model.latent], rng: &rng)
            let pass = model.forwardPass(batch, epsilon: epsilon)
            // Inside the context, a NaN loss reports the step it appeared at (counted from 1).
            let terms = TrainingContext.$step.withValue(step + 1) {
                negativeELBO(x: batch, decoderOutput: pass.decoderOutput, mu: pass.mu,
                             logVariance: pass.logVariance, beta: beta, likelihood: model.likelihood)
            }
            optimizer.zeroGradients()
            terms.loss.backward()
            optimizer.step()
            reconstruction += terms.reconstruction.value.scalar
            kl += terms.kl.value.scalar
            batches += 1
            step += 1
            perDimension = klPerDimension(mu: pass.mu.value, logVariance: pass.logVariance.value)
        }
        let summary = EpochSummary(epoch: epoch, beta: beta, reconstruction: reconstruction / batches,
                                   kl: kl / batches, klPerDimension: perDimension)
        summaries.append(summary)
        report(summary)
    }
    return summaries
}
