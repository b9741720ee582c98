extension Catalogue {
    /// Chapter 3: the encoder-decoder pattern and autoencoders.
    static let chapter3: [Exercise] = [
        Exercise("3.1", "The encoder-decoder forward pass", stars: 1, api: ["encodeDecode"],
                 hints: [
                    "Section 3.1: the pattern is two functions composed, z = f_enc(x) and x̂ = f_dec(z).",
                    "A Sequential is called like a function: encoder(x) is a Variable. Keep it as one, so that gradients can flow back through it.",
                    "let z = encoder(x); return (z, decoder(z)). Do not rebuild z from z.value: that cuts the graph between the halves.",
                 ]),
        Exercise("3.2", "Counting an autoencoder's parameters", stars: 1, api: ["autoencoderParameterCounts"],
                 forbidden: ["Autoencoder", "Linear", "Sequential", "mlpLayers", "parameterCount"],
                 hints: [
                    "Section 3.2's table: count layer by layer; activations have no parameters.",
                    "Linear(m, n) has an m×n weight matrix and n biases. The biases belong to the output side of each layer.",
                    "Sum m·n + n over consecutive pairs (m, n) of the widths for the encoder, and over the reversed widths for the decoder.",
                 ]),
        Exercise("3.3", "The reconstruction loss", stars: 2, api: ["batchReconstructionLoss"],
                 forbidden: ["squaredDistanceLoss", "meanSquaredError"],
                 hints: [
                    "Section 3.3, the loss: the squared distance of each example, averaged over the batch.",
                    "Build it from Variable operations (Variable minus Tensor works), so that backward() reaches xHat. Sum over the pixels, but average over the rows only.",
                    "let d = xHat − x; return (d * d).sum() / Float(x.shape[0]). Dividing by the number of all B·d entries gives the per-pixel MSE instead.",
                 ]),
        Exercise("3.4", "The denoising corruption", stars: 2, api: ["maskRandomPixels", "addGaussianNoise"],
                 forbidden: ["maskingNoise", "gaussianNoise", "Corruption"],
                 hints: [
                    "Section 3.5: masking sets some pixels to 0 and leaves the others exactly as they were; Gaussian noise moves every pixel a little.",
                    "Copy x (var result = x), then visit result.scalars in order, drawing one random number per element, whether or not you change it.",
                    "Masking: if rng.uniformFloat() < p { result.scalars[i] = 0 } (no 1/(1 − p) scaling). Noise: result.scalars[i] += σ · Float(rng.normal()).",
                 ]),
        Exercise("3.5", "PCA projection", stars: 2, api: ["pcaProjection"], forbidden: ["PCA"],
                 hints: [
                    "Section 3.7: PCA codes are coordinates along the principal directions, measured from the mean.",
                    "Centre x first (x − x̄). Each code number is the dot product of one component row with the centred x.",
                    "code[i] = dot(components[i], x − mean); reconstruction = mean + Σᵢ code[i] · components[i].",
                 ]),
        Exercise("3.6", "The bottleneck sweep", stars: 2, api: ["sweepBottleneck"],
                 forbidden: ["bottleneckSweep", "trainAndEvaluate"],
                 hints: [
                    "Section 3.6: the same architecture and training for every width k, so that only the bottleneck changes.",
                    "For each k make a fresh SeededRandom(seed: seed) before building the model, so every model starts from the same draws; then trainAutoencoder and reconstructionMSE.",
                    "Autoencoder.mlp(widths: [d, 32, k], output: .sigmoid, rng: &rng); trainAutoencoder(model, images: trainingImages, options: TrainingOptions(steps: steps, batchSize: 32, learningRate: 1e-2, seed: seed)); then reconstructionMSE(model, images: testImages).",
                 ]),
        Exercise("3.7", "Principal angles", stars: 2, api: ["principalAngleCosines"], forbidden: ["principalAngles"],
                 hints: [
                    "Section 3.7, comparing subspaces: the cosines are the singular values of M = Q₁Q₂ᵀ.",
                    "Singular values of M are the square roots of the eigenvalues of M·Mᵀ, which is small and symmetric: symmetricEigen works on it.",
                    "M[i][j] = dot(q1[i], q2[j]); take symmetricEigen(M·Mᵀ).values (largest first), keep min(k₁, k₂), take square roots, clamp to [0, 1].",
                 ]),
        Exercise("3.8", "Train an autoencoder on MNIST", stars: 3, api: ["fitAutoencoder"],
                 forbidden: ["trainAutoencoder", "trainAndEvaluate", "bottleneckSweep", "trainingLoop"], file: "TrainingLoop.swift",
                 hints: [
                    "Section 3.3, the loop: a minibatch, the forward pass, the loss, backward, one Adam step; again and again.",
                    "Make one Adam(model.parameters, learningRate:) before the loop. Each step: a fresh minibatch (MinibatchSampler hands out indices), batchTensor, model(.constant(batch)), meanSquaredError against the same batch; zeroGradients() before backward(), then step().",
                    "var sampler = MinibatchSampler(count: images.count, batchSize: batchSize, seed: seed); per step: let x = batchTensor(sampler.next().map { images[$0] }); let loss = meanSquaredError(model(.constant(x)), x); optimizer.zeroGradients(); loss.backward(); optimizer.step(); append loss.value.scalar.",
                 ]),
        Exercise("3.9", "Backpropagation through an autoencoder, by hand", stars: 3, api: ["autoencoderGradients"],
                 forbidden: ["backward", "Variable", "gradientCheck"], file: "HandBackward.swift",
                 hints: [
                    "Chapter 2's backward rules, run by hand from the loss back to the weights: each step multiplies by one local derivative.",
                    "Keep the forward pass's intermediates (a₁, h, a₂, x̂). Go back: ∂L/∂x̂ = 2(x̂ − x)/B; through the sigmoid multiply by x̂(1 − x̂); through a linear layer ∂W = inputᵀ·g, ∂b = the column sums of g, ∂input = g·Wᵀ; through ReLU keep g only where a₁ > 0.",
                    "g₂ = 2(x̂ − x)/B ⊙ x̂ ⊙ (1 − x̂); ∂W₂ = hᵀg₂; ∂b₂ = g₂.sum(axis: 0); g₁ = (g₂·W₂ᵀ) ⊙ [a₁ > 0]; ∂W₁ = xᵀg₁; ∂b₁ = g₁.sum(axis: 0).",
                 ]),
    ]
}
