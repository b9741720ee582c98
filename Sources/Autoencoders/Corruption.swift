import ScalarAutodiff
import Tensors

/// How a denoising autoencoder damages its input before encoding it. The loss still compares the
/// reconstruction with the *clean* input,
///
///     x̃ ~ C(x̃ | x),    L = ‖x − f_dec(f_enc(x̃))‖²
///
/// so the model cannot just copy: it must learn what digits look like to undo the damage. That is
/// why a denoising autoencoder can be overcomplete (k ≥ d) and still learn something.
public enum Corruption: Sendable, Equatable {
    /// No corruption: a plain autoencoder.
    case none
    /// Additive Gaussian noise x̃ = x + σ·ε, ε ~ N(0, I).
    case gaussian(standardDeviation: Float)
    /// Masking noise: each pixel is set to 0 with probability p, independently.
    case masking(probability: Float)

    /// Applies the corruption to a batch, drawing from `rng`.
    public func apply(_ x: Tensor, rng: inout SeededRandom) -> Tensor {
        switch self {
        case .none: return x
        case .gaussian(let sigma): return gaussianNoise(x, standardDeviation: sigma, rng: &rng)
        case .masking(let p): return maskingNoise(x, probability: p, rng: &rng)
        }
    }
}

/// Additive Gaussian noise: x̃ᵢ = xᵢ + σ·εᵢ with εᵢ ~ N(0, 1), one `rng.normal()` per element in
/// row-major order.
///
/// ```swift
/// var rng = SeededRandom(seed: 0)
/// let noisy = gaussianNoise(batch, standardDeviation: 0.3, rng: &rng)
/// ```
public func gaussianNoise(_ x: Tensor, standardDeviation sigma: Float, rng: inout SeededRandom) -> Tensor {
    require(sigma >= 0 && sigma.isFinite, "gaussianNoise: standardDeviation must be finite and non-negative, got \(sigma)")
    var result = x
    for i in 0..<result.count { result.scalars[i] += sigma * Float(rng.normal()) }
    return result
}

/// Masking noise: x̃ᵢ = mᵢ·xᵢ with mᵢ = 0 with probability p and 1 otherwise. For each element in
/// row-major order one u = `rng.uniformFloat()` is drawn, and the pixel is dropped when u < p.
///
/// Unlike dropout there is no rescaling by 1/(1 − p): the damaged image is what the model sees,
/// and the clean image is what it must produce.
public func maskingNoise(_ x: Tensor, probability p: Float, rng: inout SeededRandom) -> Tensor {
    require(p >= 0 && p <= 1, "maskingNoise: probability must be in [0, 1], got \(p)")
    var result = x
    for i in 0..<result.count where rng.uniformFloat() < p { result.scalars[i] = 0 }
    return result
}
