import ScalarAutodiff
import Tensors

// The part every attention mechanism shares: scores → weights → context.
//
//     αₜⱼ = exp(eₜⱼ) / Σₖ exp(eₜₖ)          (blocked positions k, mask 1, get no weight)
//     cₜ  = Σⱼ αₜⱼ hⱼ
//
// Shapes, for a batch of B sentences of T source positions with states of size D:
// scores and weights [B, T], encoder states [B, T, D], contexts [B, D].

/// The encoder states hⱼ stacked into one [B, T, D] variable, the layout attention reads.
public func stackedStates(_ states: [Variable]) -> Variable {
    Variable.stack(states, axis: 1)
}

/// The attention weights α = softmax(e) over the source positions j, one distribution per row.
///
///     αₜⱼ = exp(eₜⱼ) / Σₖ exp(eₜₖ)
///
/// `mask` [B, T] follows the book's one mask convention, PyTorch's: 1 = blocked, a position that
/// may not be attended to (padding, as in `EncoderOutput.mask`), 0 = visible. Blocked positions
/// are given the score −10⁹ before the softmax, so their weight is 0 and the weights of the
/// visible positions still sum to 1.
///
/// ```swift
/// let e = Variable.constant(Tensor([[0.5, 0.8, 0.44, 3.0]]))
/// attentionWeights(e, mask: Tensor([[0, 0, 0, 1]])).value      // [[0.304, 0.410, 0.286, 0]]
/// ```
public func attentionWeights(_ scores: Variable, mask: Tensor? = nil) -> Variable {
    require(scores.shape.count == 2, "attentionWeights: scores must be [B, T], got shape \(scores.shape)")
    guard let mask else { return scores.softmax() }
    require(mask.shape == scores.shape,
                 "attentionWeights: the mask has shape \(mask.shape) but the scores have shape \(scores.shape)")
    for row in 0..<mask.shape[0] {
        let t = mask.shape[1]
        require(mask.scalars[(row * t)..<((row + 1) * t)].contains { $0 == 0 },
                     "attentionWeights: row \(row) of the mask blocks every position (1 = blocked); there is nothing to attend to")
    }
    return scores.maskedFill(mask, with: -1e9).softmax()
}

/// The context vector, the attention-weighted average of the encoder states:
///
///     cₜ = Σⱼ αₜⱼ hⱼ
///
/// `weights` [B, T], `states` [B, T, D]; returns [B, D].
public func contextVector(weights: Variable, states: Variable) -> Variable {
    require(states.shape.count == 3 && weights.shape == Array(states.shape.prefix(2)),
                 "contextVector: weights of shape \(weights.shape) do not match encoder states of shape \(states.shape); expected [B, T] and [B, T, D]")
    let (b, t, d) = (states.shape[0], states.shape[1], states.shape[2])
    return weights.reshaped([b, 1, t]).matmul(states).reshaped([b, d])
}
