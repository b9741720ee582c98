import ScalarAutodiff

/// Dropout: during training, zero each element with probability p and scale the survivors by
/// 1/(1 − p), so the expected value of every element is unchanged:
///
///     yᵢ = xᵢ · mᵢ / (1 − p),   mᵢ ~ Bernoulli(1 − p)
///
/// In evaluation mode it is the identity. The masks come from a seeded generator, so a run
/// repeats exactly. The generator and the mode live in a shared box: copies of a `Dropout`
/// share them, and `isTraining = false` on one turns off all of them.
public struct Dropout: Layer {
    /// The probability of dropping an element, in [0, 1).
    public let probability: Float
    let state: State

    final class State {
        var rng: SeededRandom
        var isTraining = true
        init(seed: UInt64) { rng = SeededRandom(seed: seed) }
    }

    public init(probability: Float, seed: UInt64) {
        require(probability >= 0 && probability < 1,
                     "Dropout: probability must be in [0, 1), got \(probability)")
        self.probability = probability
        state = State(seed: seed)
    }

    /// Whether masks are applied (training) or not (evaluation).
    public var isTraining: Bool {
        get { state.isTraining }
        nonmutating set { state.isTraining = newValue }
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        guard isTraining && probability > 0 else { return x }
        let keep = 1 - probability
        var mask = Tensor.zeros(x.shape)
        for i in 0..<mask.count where state.rng.uniformFloat() < keep {
            mask.scalars[i] = 1 / keep
        }
        return x * mask
    }

    public var parameters: [Variable] { [] }
}
