import ScalarAutodiff
import Tensors

/// `count` codes drawn from the prior p(z) = N(0, I): a [count, latent] tensor.
///
/// Decoding them is how a VAE generates new data. The KL term is what makes this work: it keeps
/// the codes of the training data spread like N(0, I), so a draw from N(0, I) lands where the
/// decoder has learned something. A plain autoencoder has no such guarantee, and decoding random
/// codes gives blurs and noise.
public func samplePrior(count: Int, latent: Int, rng: inout SeededRandom) -> Tensor {
    require(count > 0 && latent > 0, "samplePrior: count (\(count)) and latent (\(latent)) must be positive")
    return Tensor.randomNormal([count, latent], rng: &rng)
}

/// `steps` codes evenly spaced on the straight line from `start` to `end` (both included):
///
///     zₖ = (1 − tₖ)·start + tₖ·end,    tₖ = k / (steps − 1),   k = 0 … steps − 1
///
/// Decoding them morphs one input into another. In a VAE each step decodes to a plausible image,
/// because the KL term leaves no holes between the codes of the training data.
///
/// ```swift
/// interpolateCodes(from: [0, 0], to: [1, -2], steps: 3)   // [[0, 0], [0.5, -1], [1, -2]]
/// ```
public func interpolateCodes(from start: [Float], to end: [Float], steps: Int) -> Tensor {
    require(start.count == end.count, "interpolateCodes: start has \(start.count) dimensions but end has \(end.count)")
    require(steps >= 2, "interpolateCodes: steps must be at least 2 (the two end points), got \(steps)")
    var rows: [[Float]] = []
    for k in 0..<steps {
        let t = Float(k) / Float(steps - 1)
        rows.append(zip(start, end).map { (1 - t) * $0 + t * $1 })
    }
    return Tensor(rows)
}
