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
    print("\n  held out   AUROC VAE −ELBO   AUROC AE reconstruction")
    var vaeTotal: Float = 0, aeTotal: Float = 0
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
        func auroc(_ scores: [Float]) -> Float {
            let pairs = zip(scores, test.labels)
            return areaUnderROC(normal: pairs.filter { $0.1 != digit }.map(\.0), anomalous: pairs.filter { $0.1 == digit }.map(\.0))
        }
        let (v, a) = (auroc(vaeScores), auroc(aeScores))
        vaeTotal += v
        aeTotal += a
        print(String(format: "  %8d   %15.3f   %23.3f", digit, v, a))
    }
    print(String(format: "  %8@   %15.3f   %23.3f", "mean", vaeTotal / Float(heldOut.count), aeTotal / Float(heldOut.count)))
}
