import Foundation
import ScalarAutodiff

/// How the probability εᵢ of feeding the gold token (teacher forcing) decays with the training
/// step i, in scheduled sampling (Bengio et al. 2015):
///
///     linear            εᵢ = max(ε_min, k − c·i)
///     exponential       εᵢ = kⁱ                    (k < 1)
///     inverse sigmoid   εᵢ = k / (k + exp(i / k))  (k ≥ 1)
///
/// Early on the model is fed the truth (fast, stable learning); later it is fed more of its own
/// predictions, so it learns to recover from its mistakes: the remedy for exposure bias.
///
/// ```swift
/// SamplingSchedule.linear(k: 1, c: 0.001, minimum: 0.1).teacherForcingProbability(step: 500)  // 0.5
/// SamplingSchedule.inverseSigmoid(k: 100).teacherForcingProbability(step: 0)                   // 0.990
/// ```
public enum SamplingSchedule: Sendable, Equatable {
    case linear(k: Double, c: Double, minimum: Double)
    case exponential(k: Double)
    case inverseSigmoid(k: Double)
    /// Always 1: plain teacher forcing.
    case teacherForcing

    /// εᵢ at training step `step` (counting from 0).
    public func teacherForcingProbability(step i: Int) -> Double {
        require(i >= 0, "SamplingSchedule: the step must be non-negative, got \(i)")
        switch self {
        case let .linear(k, c, minimum):
            require(c >= 0 && (0...1).contains(minimum), "SamplingSchedule.linear: c must be ≥ 0 and the minimum in [0, 1], got c = \(c), minimum = \(minimum)")
            return max(minimum, min(1, k - c * Double(i)))
        case let .exponential(k):
            require(k > 0 && k < 1, "SamplingSchedule.exponential: k must be in (0, 1) for εᵢ = kⁱ to decay, got \(k)")
            return pow(k, Double(i))
        case let .inverseSigmoid(k):
            require(k >= 1, "SamplingSchedule.inverseSigmoid: k must be ≥ 1 for εᵢ = k/(k + exp(i/k)) to start near 1, got \(k)")
            return k / (k + exp(Double(i) / k))
        case .teacherForcing:
            return 1
        }
    }
}
