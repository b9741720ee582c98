extension Catalogue {
    /// Chapter 4: variational autoencoders.
    static let chapter4: [Exercise] = [
        Exercise("4.1", "The reparameterisation node", stars: 1, api: ["reparameteriseNode"], forbidden: ["reparameterise"],
                 hints: [
                    "Section 4.2: z = μ + σ ⊙ ε is an ordinary function of μ and σ once ε is drawn; write it as one node with its own backward rule.",
                    "Variable(value, op:, inputs: [mu, sigma]) { g in … } makes the node; inside, accumulate into each input its local derivative times g.",
                    "The value is mu.value + sigma.value * epsilon; the rule is mu.accumulate(g) (∂z/∂μ = 1) and sigma.accumulate(g * epsilon) (∂z/∂σ = ε).",
                 ]),
        Exercise("4.2", "The KL of a diagonal Gaussian from N(0, I)", stars: 1, api: ["gaussianKL"],
                 forbidden: ["klDivergence", "klPerDimension"],
                 hints: [
                    "Section 4.3: the KL between two Gaussians needs no sampling; the closed form has one term per dimension.",
                    "Each dimension adds μ² + σ² − log σ² − 1 (mind: the log of the variance σ², not of σ). The total is halved.",
                    "var total: Float = 0; for (m, s) in zip(mu, sigma) { total += m*m + s*s − log(s*s) − 1 }; return total / 2. Worked example: 0.1250 + 0.8181 = 0.9431.",
                 ]),
        Exercise("4.3", "The KL as a differentiable operation", stars: 2, api: ["klNode"],
                 forbidden: ["klDivergence", "klPerDimension"],
                 hints: [
                    "Section 4.3, for training: the same formula over a batch [B, d], averaged over the B rows, as one node with the backward rule the section derives.",
                    "Work with v = log σ² directly: eᵛ = σ². The value is Σ(μ² + eᵛ − v − 1) / (2B), one number; compute eᵛ once and reuse it in the rule.",
                    "Variable(Tensor(total / (2B)), op: \"kl\", inputs: [mu, logVariance]) { g in mu.accumulate(mu.value * (g.scalar / B)); logVariance.accumulate((eᵛ − 1) * (g.scalar / (2B))) }.",
                 ]),
        Exercise("4.4", "The β-weighted negative ELBO", stars: 2, api: ["betaVAELoss"],
                 forbidden: ["negativeELBO", "negativeLogLikelihood", "elboLoss"],
                 hints: [
                    "Sections 4.4 and 4.5: the loss is reconstruction + β · KL, with the reconstruction term on the scale of a whole image.",
                    "binaryCrossEntropy(logits:targets:) is a mean over batch × pixels; multiply it by the number of pixels to get a sum over pixels averaged over the batch. klDivergence(mu:logVariance:) is allowed.",
                    "let reconstruction = binaryCrossEntropy(logits: logits, targets: x) * Float(x.shape[1]); let kl = klDivergence(mu: mu, logVariance: logVariance); return (reconstruction, kl, reconstruction + kl * beta).",
                 ]),
        Exercise("4.5", "Cyclical KL annealing", stars: 2, api: ["cyclicalBeta"], forbidden: ["KLAnnealing"],
                 hints: [
                    "Section 4.7: the linear warm-up, restarted at the start of every cycle.",
                    "The position inside the current cycle is τ = (step mod cycleLength) / cycleLength, a Float in [0, 1). Compute it in Float, not by dividing two Ints.",
                    "let tau = Float(step % cycleLength) / Float(cycleLength); return target * min(1, tau / rampFraction).",
                 ]),
        Exercise("4.6", "Sampling from the prior", stars: 1, api: ["sampleImages"], forbidden: ["samplePrior"],
                 hints: [
                    "Section 4.7: a VAE generates by decoding codes drawn from the prior N(0, I).",
                    "Draw count × latent numbers with rng.normal(), row by row, into a Tensor of shape [count, model.latent]; the decoder gives logits, and the pixels are their sigmoids.",
                    "let z = Tensor(shape: [count, model.latent], scalars: (0..<count * model.latent).map { _ in Float(rng.normal()) }); return model.decode(z).",
                 ]),
        Exercise("4.7", "Interpolating between two images", stars: 2, api: ["interpolateImages"], forbidden: ["interpolateCodes"],
                 hints: [
                    "Section 4.7: interpolate between the codes of the two images, not between their pixels, and decode every point.",
                    "model.encode(Tensor([a, b])).mu gives both means as rows. The k-th code is (1 − t)·μ(a) + t·μ(b) with t = k/(steps − 1), so that both ends are included.",
                    "Build the steps × latent numbers of the codes row by row, wrap them in Tensor(shape: [steps, latent], scalars:), and return model.decode of it.",
                 ]),
        Exercise("4.8", "An importance-weighted estimate of log p(x)", stars: 3, api: ["logLikelihoodEstimate"],
                 forbidden: ["importanceWeightedLogLikelihood", "negativeLogLikelihoodPerInput", "negativeELBOPerInput"],
                 hints: [
                    "Section 4.8: average the importance weights p(x | z)p(z)/q(z | x) over the K samples, all in log space, because each weight is about e⁻²⁵.",
                    "With z = μ + σε: log N(z; μ, σ²) = −½ Σ(log 2π + log σ² + ε²) and log N(z; 0, I) = −½ Σ(log 2π + z²). log p(x | z) is minus the binary cross-entropy summed over pixels, from logits: −Σ [max(ℓ, 0) − ℓx + log(1 + e^−|ℓ|)].",
                    "Collect the K values log wₖ, then log-sum-exp: m = max log wₖ, and the answer is m + log((1/K) Σₖ exp(log wₖ − m)). Taking exp first underflows Float to 0, and log 0 = −∞.",
                 ]),
        Exercise("4.9", "Train a VAE to a stated ELBO", stars: 3, api: ["fitVAE"],
                 forbidden: ["trainVAE", "forwardPass", "elboLoss", "negativeELBO", "negativeLogLikelihood", "reparameterise", "trainingLoop"],
                 file: "VAETraining.swift",
                 hints: [
                    "Sections 4.2 to 4.6: one training step is encode, sample z with the reparameterisation trick, decode, the two terms of the ELBO, backward, and an Adam step.",
                    "Encode with model.encoder(.constant(batch)) to get μ and log σ² as Variables; z = μ + exp(½ log σ²) ⊙ ε with ε = Tensor.randomNormal([B, latent], rng:), built from Variable operations so gradients reach both; decode z with model.decoder. The loss sums the Bernoulli term over pixels: binaryCrossEntropy(…) × pixels, plus klDivergence(mu:logVariance:).",
                    "Make Adam(model.parameters, learningRate:) once. Each epoch: rng.shuffle the row order; for each batch: data.gatherRows(rows), the forward pass above, loss = reconstruction + kl, optimizer.zeroGradients(), loss.backward(), optimizer.step(); append loss.value.scalar.",
                 ]),
    ]
}
