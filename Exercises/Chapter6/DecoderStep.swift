// Chapter 6, exercise 6.8: one step of the attention decoder, on batched tensors.

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
    throw NotAttempted("6.8")
}
