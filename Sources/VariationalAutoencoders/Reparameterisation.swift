import Foundation
import ScalarAutodiff
import Tensors

/// The reparameterisation trick: a sample z ~ N(μ, σ²) written as a function of μ and σ.
///
///     z = μ + σ ⊙ ε,    ε ~ N(0, I)
///
/// Drawing z directly from N(μ, σ²) is a random choice with no derivative. Drawing the noise ε
/// first, from a distribution that does not depend on any parameter, moves the randomness to a
/// constant input; z is then an ordinary differentiable function of μ and σ with
///
///     ∂zⱼ/∂μⱼ = 1,    ∂zⱼ/∂σⱼ = εⱼ
///
/// which is exactly this node's backward rule. The gradient reaching μ is the gradient of z itself;
/// the gradient reaching σ is the same, weighted by how far the noise pushed this sample.
///
/// ```swift
/// let mu = Variable(Tensor([0.5, -1])), sigma = Variable(Tensor([1, 0.5]))
/// let z = reparameterise(mu: mu, sigma: sigma, epsilon: Tensor([0.3, -2]))   // [0.8, -2]
/// z.sum().backward()     // mu.grad = [1, 1], sigma.grad = ε = [0.3, -2]
/// ```
public func reparameterise(mu: Variable, sigma: Variable, epsilon: Tensor) -> Variable {
    require(mu.shape == sigma.shape && mu.shape == epsilon.shape,
                 "reparameterise: μ \(mu.shape), σ \(sigma.shape) and ε \(epsilon.shape) must have the same shape")
    return Variable(mu.value + sigma.value * epsilon, op: "reparameterise", inputs: [mu, sigma]) { g in
        mu.accumulate(g)                   // ∂z/∂μ = 1
        sigma.accumulate(g * epsilon)      // ∂z/∂σ = ε
    }
}

/// z = μ + σ ⊙ ε with σ = exp(½ log σ²): the form a VAE uses, since its encoder outputs log σ².
///
/// By the chain rule ∂z/∂(log σ²) = ε · ½σ.
public func reparameterise(mu: Variable, logVariance: Variable, epsilon: Tensor) -> Variable {
    require(mu.shape == logVariance.shape,
                 "reparameterise: μ \(mu.shape) and log σ² \(logVariance.shape) must have the same shape")
    return reparameterise(mu: mu, sigma: (logVariance * 0.5).exp(), epsilon: epsilon)
}

/// z = μ + σ ⊙ ε with fresh noise ε ~ N(0, I) drawn from `rng` in row-major order.
public func reparameterise(mu: Variable, logVariance: Variable, rng: inout SeededRandom) -> Variable {
    reparameterise(mu: mu, logVariance: logVariance, epsilon: Tensor.randomNormal(mu.shape, rng: &rng))
}
