import ScalarAutodiff
import Tensors

/// Additive attention (Bahdanau, Cho and Bengio 2015): a one-hidden-layer network scores how
/// well each encoder state hⱼ matches the decoder's *previous* state sₜ₋₁:
///
///     eₜⱼ = vᵀ tanh(W₁ hⱼ + W₂ sₜ₋₁)
///
/// W₁ [D, A] (written U_a in the paper), W₂ [H, A] (W_a) and v [A]: no bias, so for the
/// reference model (D = 2H = 128, H = A = 64) it has 128·64 + 64·64 + 64 = 12,352 parameters.
/// Luong's "concat" score, v_aᵀ tanh(W_a [hₜ ; hⱼ]), is the same network fed the *current*
/// state hₜ: W_a = [W₂ ; W₁] stacked.
///
/// ```swift
/// let attention = AdditiveAttention(encoderSize: 128, decoderSize: 64, attentionSize: 64, rng: &rng)
/// let e = attention.alignmentScores(query: s, states: stackedStates(encoded.states))   // [B, T]
/// let α = attentionWeights(e, mask: encoded.mask)
/// let c = contextVector(weights: α, states: stackedStates(encoded.states))             // [B, 128]
/// ```
public struct AdditiveAttention {
    /// W₁ [D, A]: applied to every encoder state.
    public let encoderWeight: Variable
    /// W₂ [H, A]: applied to the decoder state.
    public let decoderWeight: Variable
    /// v [A].
    public let v: Variable

    public init(encoderSize: Int, decoderSize: Int, attentionSize: Int, rng: inout SeededRandom) {
        require(encoderSize > 0 && decoderSize > 0 && attentionSize > 0,
                     "AdditiveAttention: sizes must be positive, got encoder \(encoderSize), decoder \(decoderSize), attention \(attentionSize)")
        let xavier = Initialisation.xavierUniform
        encoderWeight = Variable(xavier.sample([encoderSize, attentionSize], fanIn: encoderSize, fanOut: attentionSize, rng: &rng))
        decoderWeight = Variable(xavier.sample([decoderSize, attentionSize], fanIn: decoderSize, fanOut: attentionSize, rng: &rng))
        v = Variable(xavier.sample([attentionSize], fanIn: attentionSize, fanOut: 1, rng: &rng))
    }

    /// Builds the layer from given weights (for worked examples and tests).
    public init(encoderWeight: Tensor, decoderWeight: Tensor, v: Tensor) {
        require(encoderWeight.rank == 2 && decoderWeight.rank == 2 && v.rank == 1
                     && encoderWeight.shape[1] == v.shape[0] && decoderWeight.shape[1] == v.shape[0],
                     "AdditiveAttention: W₁ \(encoderWeight.shape), W₂ \(decoderWeight.shape) and v \(v.shape) must be [D, A], [H, A] and [A]")
        self.encoderWeight = Variable(encoderWeight)
        self.decoderWeight = Variable(decoderWeight)
        self.v = Variable(v)
    }

    public var encoderSize: Int { encoderWeight.shape[0] }
    public var decoderSize: Int { decoderWeight.shape[0] }
    public var attentionSize: Int { v.shape[0] }

    /// The alignment scores eₜⱼ = vᵀ tanh(W₁ hⱼ + W₂ s) for every position j.
    ///
    /// `query` s [B, H] (the previous decoder state for Bahdanau), `states` [B, T, D]; returns [B, T].
    /// `inside` [B, T, A], if given, is one more term inside the tanh: coverage's w_c · coverageⱼ.
    public func alignmentScores(query: Variable, states: Variable, inside: Variable? = nil) -> Variable {
        require(states.shape.count == 3 && states.shape[2] == encoderSize,
                     "AdditiveAttention: encoder states have shape \(states.shape), expected [B, T, \(encoderSize)]")
        require(query.shape == [states.shape[0], decoderSize],
                     "AdditiveAttention: the decoder state has shape \(query.shape), expected [\(states.shape[0]), \(decoderSize)]")
        let (b, t, a) = (states.shape[0], states.shape[1], attentionSize)
        var hidden = states.matmul(encoderWeight) + query.matmul(decoderWeight).reshaped([b, 1, a])   // W₁ hⱼ + W₂ s
        if let inside {
            require(inside.shape == [b, t, a], "AdditiveAttention: the extra term has shape \(inside.shape), expected [\(b), \(t), \(a)]")
            hidden = hidden + inside
        }
        return hidden.tanh().matmul(v.reshaped([a, 1])).reshaped([b, t])                            // vᵀ tanh(·)
    }

    /// Scores, weights and context in one call: (cₜ [B, D], αₜ [B, T]).
    public func callAsFunction(query: Variable, states: Variable, mask: Tensor? = nil) -> (context: Variable, weights: Variable) {
        let alpha = attentionWeights(alignmentScores(query: query, states: states), mask: mask)
        return (contextVector(weights: alpha, states: states), alpha)
    }

    public var parameters: [Variable] { [encoderWeight, decoderWeight, v] }

    /// `encoder_weight` (W₁ [D, A]), `decoder_weight` (W₂ [H, A]) and `v` [A].
    public var namedParameters: [String: Variable] { ["encoder_weight": encoderWeight, "decoder_weight": decoderWeight, "v": v] }
}
