import Autoencoders
import Datasets
import Foundation
import ScalarAutodiff
import Tensors
import VariationalAutoencoders

/// Anomaly detection: train on every digit but one, then ask which score, the VAE's −ELBO or an
/// autoencoder's reconstruction error, better separates the held-out digit from the others.
func demonstrateAnomalies(train: Digits, test: Digits, seed: UInt64) throws {
    print("\nAnomaly detection: train on nine digits, score the test set, and measure how well each score")
    print("ranks the unseen digit above the familiar ones (area under the ROC curve; 0.5 is chance, 1 perfect).")
    print("The autoencoder is the same network trained with β = 0; its score is ‖x − decode(μ(x))‖².")
    print("The VAE's scores: its −ELBO (16 samples) and −log p̂(x), the importance-weighted estimate with K = 32.")
    print("\n  held out   VAE −ELBO   VAE −log p̂(x)   AE reconstruction   (AUROC)")
    var totals: [Float] = [0, 0, 0]
    let heldOut = [1, 4, 7, 9]
    for digit in heldOut {
        let normalTrain = batchTensor(zip(train.images, train.labels).filter { $0.1 != digit }.map(\.0))
        let testX = batchTensor(test.images)
        var rng = SeededRandom(seed: seed)
        let vae = VariationalAutoencoder(inputs: 64, hidden: [128], latent: 8, rng: &rng)
        let batches = (normalTrain.shape[0] + 63) / 64
        trainVAE(vae, on: normalTrain, epochs: 40, batchSize: 64, learningRate: 3e-3,
                 annealing: KLAnnealing(target: 1, warmupSteps: 5 * batches), rng: &rng)
        var aeRng = SeededRandom(seed: seed)
        let ae = VariationalAutoencoder(inputs: 64, hidden: [128], latent: 8, rng: &aeRng)
        trainVAE(ae, on: normalTrain, epochs: 40, batchSize: 64, learningRate: 3e-3, annealing: .constant(0), rng: &aeRng)

        let vaeScores = negativeELBOPerInput(vae, testX, samples: 16, rng: &rng)
        let aeScores = reconstructionErrorPerInput(ae, testX)
        let epsilons = (0..<32).map { _ in Tensor.randomNormal([testX.shape[0], vae.latent], rng: &rng) }
        let likelihoodScores = importanceWeightedLogLikelihood(vae, testX, epsilons: epsilons).map { -$0 }
        func auroc(_ scores: [Float]) -> Float {
            let pairs = zip(scores, test.labels)
            return areaUnderROC(normal: pairs.filter { $0.1 != digit }.map(\.0), anomalous: pairs.filter { $0.1 == digit }.map(\.0))
        }
        let areas = [auroc(vaeScores), auroc(likelihoodScores), auroc(aeScores)]
        for k in 0..<3 { totals[k] += areas[k] }
        print(String(format: "  %8d   %9.3f   %13.3f   %17.3f", digit, areas[0], areas[1], areas[2]))
    }
    let means = totals.map { $0 / Float(heldOut.count) }
    print(String(format: "      mean   %9.3f   %13.3f   %17.3f", means[0], means[1], means[2]))
}
