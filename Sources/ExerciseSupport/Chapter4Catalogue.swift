extension Catalogue {
    /// Chapter 4: variational autoencoders.
    static let chapter4: [Exercise] = [
        Exercise("4.1", "The reparameterisation node", stars: 1, api: ["reparameteriseNode"], forbidden: ["reparameterise"],
                 hints: ["The value is mu.value + sigma.value * epsilon. In the backward rule, mu.accumulate(g) (∂z/∂μ = 1) and sigma.accumulate(g * epsilon) (∂z/∂σ = ε)."]),
        Exercise("4.2", "The KL of a diagonal Gaussian from N(0, I)", stars: 1, api: ["gaussianKL"], forbidden: ["klDivergence"],
                 hints: ["Loop over the dimensions with zip(mu, sigma); add μ² + σ² − log σ² − 1 for each; halve the total. Worked example: 0.125 + 0.8181 = 0.9431."]),
        Exercise("4.3", "The KL as a differentiable operation", stars: 2, api: ["klNode"], forbidden: ["klDivergence", "klPerDimension"],
                 hints: ["Compute eᵛ once. The value is Σ(μ² + eᵛ − v − 1) / (2B) as a scalar Tensor; the rule adds μ·(g/B) to mu and (eᵛ − 1)·(g/(2B)) to logVariance, where g is the incoming scalar gradient (g.scalar)."]),
        Exercise("4.4", "The β-weighted negative ELBO", stars: 2, api: ["betaVAELoss"],
                 hints: ["binaryCrossEntropy(logits:targets:) is a mean over batch × pixels; multiply it by the number of pixels to get a sum over pixels averaged over the batch. Then loss = reconstruction + kl * beta."]),
        Exercise("4.5", "Cyclical KL annealing", stars: 2, api: ["cyclicalBeta"], forbidden: ["KLAnnealing"],
                 hints: ["τ = Float(step % cycleLength) / Float(cycleLength) is the position inside the current cycle, in [0, 1). β = target · min(1, τ / rampFraction)."]),
        Exercise("4.6", "Sampling from the prior", stars: 1, api: ["sampleImages"], forbidden: ["samplePrior"],
                 hints: ["Fill count × latent numbers with Float(rng.normal()) into a Tensor of shape [count, model.latent], run model.decoder(.constant(z)) and take .value.sigmoid()."]),
        Exercise("4.7", "Interpolating between two images", stars: 2, api: ["interpolateImages"], forbidden: ["interpolate"],
                 hints: ["model.encode(Tensor([a, b])).mu gives both means as rows. For k in 0..<steps, t = k/(steps − 1) and the code is (1 − t)·μ(a) + t·μ(b). Stack the codes into a [steps, latent] tensor and call model.decode."]),
        Exercise("4.8", "An importance-weighted estimate of log p(x)", stars: 3, api: ["logLikelihoodEstimate"], forbidden: ["importanceWeightedLogLikelihood"],
                 hints: ["With z = μ + σε, log N(z; μ, σ²) = −½ Σ(log 2π + log σ² + ε²) and log N(z; 0, I) = −½ Σ(log 2π + z²). Add −(BCE summed over pixels) for log p(x | z). Finish with log-sum-exp: m + log(mean of exp(log wₖ − m)), m the largest log wₖ."]),
    ]
}
