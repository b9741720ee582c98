import ScalarAutodiff
import Tensors

/// The dot score (Luong, Pham and Manning 2015): eₜⱼ = hₜᵀ hⱼ.
///
/// `query` hₜ [B, D] is the decoder's *current* state, `states` [B, T, D]; returns [B, T].
/// The worked example of section 6.3: h₁ = [1, 0, 0], h₂ = [0, 1, 0], h₃ = [0.2, 0.2, 0.6] and
/// hₜ = [0.5, 0.8, 0.3] give e = [0.5, 0.8, 0.44].
public func dotScores(query: Variable, states: Variable) -> Variable {
    require(states.shape.count == 3 && query.shape == [states.shape[0], states.shape[2]],
                 "dotScores: the decoder state has shape \(query.shape) and the encoder states \(states.shape); expected [B, D] and [B, T, D]")
    let (b, t, d) = (states.shape[0], states.shape[1], states.shape[2])
    return states.matmul(query.reshaped([b, d, 1])).reshaped([b, t])
}

/// The general score: eₜⱼ = hₜᵀ W_a hⱼ, with W_a [H, D] letting the decoder (size H) and the
/// encoder (size D) differ. `query` [B, H], `states` [B, T, D]; returns [B, T].
public func generalScores(query: Variable, states: Variable, weight: Variable) -> Variable {
    require(weight.shape.count == 2 && states.shape.count == 3 && weight.shape[1] == states.shape[2]
                 && query.shape == [states.shape[0], weight.shape[0]],
                 "generalScores: decoder state \(query.shape), W_a \(weight.shape) and encoder states \(states.shape) do not fit [B, H], [H, D], [B, T, D]")
    return dotScores(query: query.matmul(weight), states: states)   // (W_aᵀ hₜ)ᵀ hⱼ = hₜᵀ W_a hⱼ
}

/// Luong attention: score with the *current* decoder state hₜ, then combine the context and
/// the state into the attentional hidden state that the output layer reads:
///
///     eₜⱼ = hₜᵀ hⱼ                  dot
///     eₜⱼ = hₜᵀ W_a hⱼ              general
///     eₜⱼ = v_aᵀ tanh(W_a [hₜ ; hⱼ]) concat (an `AdditiveAttention` fed hₜ)
///     h̃ₜ  = tanh(W_c [cₜ ; hₜ])
///
/// ```swift
/// let luong = LuongAttention(.general, encoderSize: 128, decoderSize: 64, rng: &rng)
/// let (hTilde, alpha) = luong(state: h, states: stackedStates(encoded.states), mask: encoded.mask)
/// ```
public struct LuongAttention {
    public enum Score: String, Sendable, CaseIterable { case dot, general, concat }

    public let score: Score
    /// W_a [H, D] of the general score, or nil.
    public let generalWeight: Variable?
    /// The scoring network of the concat score, or nil.
    public let concat: AdditiveAttention?
    /// W_c [D + H, H], no bias.
    public let combine: Variable

    public init(_ score: Score, encoderSize: Int, decoderSize: Int, rng: inout SeededRandom) {
        require(encoderSize > 0 && decoderSize > 0, "LuongAttention: sizes must be positive, got \(encoderSize) and \(decoderSize)")
        require(score != .dot || encoderSize == decoderSize,
                     "LuongAttention: the dot score needs equal encoder and decoder sizes, got \(encoderSize) and \(decoderSize); use general")
        self.score = score
        let xavier = Initialisation.xavierUniform
        generalWeight = score == .general
            ? Variable(xavier.sample([decoderSize, encoderSize], fanIn: decoderSize, fanOut: encoderSize, rng: &rng)) : nil
        concat = score == .concat
            ? AdditiveAttention(encoderSize: encoderSize, decoderSize: decoderSize, attentionSize: decoderSize, rng: &rng) : nil
        combine = Variable(xavier.sample([encoderSize + decoderSize, decoderSize],
                                         fanIn: encoderSize + decoderSize, fanOut: decoderSize, rng: &rng))
    }

    /// A layer with given weights, in the book's layout: `generalWeight` W_a [H, D] for the
    /// general score (nil otherwise), `combine` W_c [D + H, H], and the concat score's network.
    public init(_ score: Score, generalWeight: Tensor? = nil, combine: Tensor, concat: AdditiveAttention? = nil) {
        require((score == .general) == (generalWeight != nil) && (score == .concat) == (concat != nil),
                "LuongAttention: the \(score.rawValue) score takes \(score == .general ? "W_a" : score == .concat ? "the concat network" : "no weights") besides W_c")
        require(combine.rank == 2, "LuongAttention: W_c must be a matrix [D + H, H], got shape \(combine.shape)")
        let (d, h) = (combine.shape[0] - combine.shape[1], combine.shape[1])
        if let generalWeight {
            require(generalWeight.shape == [h, d], "LuongAttention: W_a must be [H, D] = [\(h), \(d)] to fit W_c \(combine.shape), got \(generalWeight.shape)")
        }
        self.score = score
        self.generalWeight = generalWeight.map { Variable($0) }
        self.concat = concat
        self.combine = Variable(combine)
    }

    /// A general-score layer from the weights of two bias-free PyTorch linear layers, as Luong
    /// attention is usually written in PyTorch: `W_a = nn.Linear(D, H, bias=False)`, applied to
    /// the encoder states (its weight [H, D] is the book's W_a as it is), and
    /// `W_c = nn.Linear(D + H, H, bias=False)` on [cₜ ; hₜ] (its weight [H, D + H] is W_c transposed).
    public init(pytorchGeneralWeight: Tensor, pytorchCombineWeight: Tensor) {
        require(pytorchCombineWeight.rank == 2,
                "LuongAttention(pytorchGeneralWeight:pytorchCombineWeight:): W_c's weight must be a matrix [H, D + H], got shape \(pytorchCombineWeight.shape)")
        self.init(.general, generalWeight: pytorchGeneralWeight, combine: pytorchCombineWeight.transposed())
    }

    /// eₜⱼ for the chosen score: `state` hₜ [B, H], `states` [B, T, D] → [B, T].
    public func alignmentScores(state: Variable, states: Variable) -> Variable {
        switch score {
        case .dot: return dotScores(query: state, states: states)
        case .general: return generalScores(query: state, states: states, weight: generalWeight!)
        case .concat: return concat!.alignmentScores(query: state, states: states)
        }
    }

    /// The attentional hidden state h̃ₜ = tanh(W_c [cₜ ; hₜ]) [B, H].
    public func attentionalHiddenState(context: Variable, state: Variable) -> Variable {
        Variable.concatenate([context, state], axis: 1).matmul(combine).tanh()
    }

    /// (h̃ₜ [B, H], αₜ [B, T]) for the current decoder state hₜ.
    public func callAsFunction(state: Variable, states: Variable, mask: Tensor? = nil) -> (hidden: Variable, weights: Variable) {
        let alpha = attentionWeights(alignmentScores(state: state, states: states), mask: mask)
        let c = contextVector(weights: alpha, states: states)
        return (attentionalHiddenState(context: c, state: state), alpha)
    }

    public var parameters: [Variable] {
        (generalWeight.map { [$0] } ?? []) + (concat?.parameters ?? []) + [combine]
    }

    /// `W_a` [H, D] (general score), `concat.…` (concat score) and `W_c` [D + H, H].
    public var namedParameters: [String: Variable] {
        var names = namespaced(["concat": concat?.namedParameters ?? [:]])
        names["W_c"] = combine
        if let generalWeight { names["W_a"] = generalWeight }
        return names
    }
}
