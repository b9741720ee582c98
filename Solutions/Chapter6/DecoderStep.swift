// Chapter 6, exercise 6.8: reference answer.

import Attention
import Datasets
import ExerciseSupport
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Exercise 6.8 ★★★ — An attention decoder step on tensors.
///
/// One decoder step of the book's reference model (section 6.4), for a batch of B sentences
/// whose encoder states are stacked in `encoderStates` [B, T, D]:
///
///     eₜⱼ = vᵀ tanh(W₁ hⱼ + W₂ sₜ₋₁)            additive scores, [B, T]
///     αₜ  = softmax_j(eₜ), blocked positions 0   `mask` [B, T]: 1 = blocked (padding)
///     cₜ  = Σⱼ αₜⱼ hⱼ                           the context, [B, D]
///     sₜ  = GRU([embed(yₜ₋₁) ; cₜ], sₜ₋₁)        the GRU input is the embedding, then the context
///     logits = W sₜ + b                         [B, V]
///
/// `previous` holds yₜ₋₁ (one id per sentence), `state` is sₜ₋₁ [B, H]. The weights use the
/// book's layout (a row vector times a matrix): `w1` [D, A], `w2` [H, A], `v` [A]; `cell` takes
/// inputs of size E + D; `output` maps H to V. Return the logits, the new state sₜ and the
/// weights αₜ, all as Variables, so that a loss on them trains every weight.
///
/// Do not use `AdditiveAttention`, `attentionWeights`, `contextVector`, `AttentionSeq2Seq` or
/// `GRUDecoder`: the step is the exercise.
public func attentionDecoderStep(previous: [Int], state: Variable, encoderStates: Variable, mask: Tensor,
                                 w1: Variable, w2: Variable, v: Variable,
                                 embedding: Embedding, cell: GRUCell, output: Linear) throws
    -> (logits: Variable, state: Variable, weights: Variable) {
    let (B, T, D) = (encoderStates.shape[0], encoderStates.shape[1], encoderStates.shape[2])
    let A = v.shape[0]
    let keys = encoderStates.matmul(w1)                                        // W₁ hⱼ    [B, T, A]
    let query = state.matmul(w2).reshaped([B, 1, A])                           // W₂ sₜ₋₁  [B, 1, A]
    let scores = (keys + query).tanh().matmul(v.reshaped([A, 1])).reshaped([B, T])
    let weights = scores.maskedFill(mask, with: -1e9).softmax()                // αₜ       [B, T]
    let context = weights.reshaped([B, 1, T]).matmul(encoderStates).reshaped([B, D])
    let input = Variable.concatenate([embedding(previous), context], axis: 1)  // [embed(yₜ₋₁) ; cₜ]
    let newState = cell(input, state)
    return (output(newState), newState, weights)
}
