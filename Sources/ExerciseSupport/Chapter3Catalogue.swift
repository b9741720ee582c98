extension Catalogue {
    /// Chapter 3: the encoder-decoder pattern and autoencoders.
    static let chapter3: [Exercise] = [
        Exercise("3.1", "The encoder-decoder forward pass", stars: 1, api: ["encodeDecode"],
                 hints: ["Call the encoder on x to get z, then the decoder on z. Sequential is called like a function: encoder(x)."]),
        Exercise("3.2", "Counting an autoencoder's parameters", stars: 1, api: ["autoencoderParameterCounts"],
                 hints: ["Linear(m, n) has m·n weights and n biases. Add them up over consecutive pairs of widths, then do the same over the reversed widths for the decoder."]),
        Exercise("3.3", "The reconstruction loss", stars: 2, api: ["batchReconstructionLoss"], forbidden: ["squaredDistanceLoss", "meanSquaredError"],
                 hints: ["d = xHat − x (Variable minus Tensor works), then (d * d).sum() adds up every squared error; divide by the number of rows, x.shape[0]."]),
        Exercise("3.4", "The denoising corruption", stars: 2, api: ["addGaussianNoise"], forbidden: ["gaussianNoise"],
                 hints: ["Copy x, then loop i over 0..<x.count: for masking, set scalars[i] = 0 when rng.uniformFloat() < p (draw for every element); for noise, add σ·Float(rng.normal())."]),
        Exercise("3.5", "PCA projection", stars: 2, api: ["pcaProjection"],
                 hints: ["Subtract the mean first. Each code number is the dot product of one component with the centred x; the reconstruction starts at the mean and adds each component times its code number."]),
        Exercise("3.6", "The bottleneck sweep", stars: 3, api: ["sweepBottleneck"], forbidden: ["bottleneckSweep", "trainAndEvaluate"],
                 hints: ["For each width k, make a fresh SeededRandom(seed: seed) so every model starts alike, build Autoencoder.mlp(widths: [d, 32, k], output: .sigmoid, rng: &rng), train it with train(_:images:options:), and measure it with reconstructionMSE on the test images."]),
        Exercise("3.7", "Principal angles", stars: 2, api: ["principalAngleCosines"],
                 hints: ["Build M with M[i][j] = dot(q1[i], q2[j]), then M·Mᵀ. Its eigenvalues (symmetricEigen, largest first) are the squared singular values: take square roots, keep min(k₁, k₂) of them, clamp to [0, 1]."]),
    ]
}
