// Chapter 5, exercise 5.7: a GRU encoder over a padded batch, with its mask.

import Datasets
import ExerciseSupport
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Exercise 5.7 ★★★ — A GRU encoder over a padded batch.
///
/// Encode a batch of id sequences of different lengths in one pass, as section 5.4 does:
///
/// 1. Pad every sequence with `Vocabulary.padID` to the longest length T.
/// 2. Position by position, embed the batch's tokens, xₜ = embedding(…) [B, E], and update the
///    state from h = 0 [B, H], leaving it unchanged where a row is padding:
///
///        h ← (1 − pₜ) ∗ cell(xₜ, h) + pₜ ∗ h,     pₜ [B, 1] = 1 where row b is padding at t
///
/// 3. Return `states[t]` = h after position t (T of them, each [B, H]), the `context` [B, H]
///    (each row's state after its last real token), and the padding `mask` [B, T]: 1 at
///    padding, 0 at a real token (the book's mask convention: 1 = blocked).
///
/// Everything must stay a Variable computation, so that a loss on the states backpropagates
/// into `cell` and `embedding`. A padded row must encode exactly as it would alone.
/// Do not use `GRUEncoder`, `runRecurrence` or `padBatch` (or the models built on them).
public func encodePaddedBatch(_ sequences: [[Int]], embedding: Embedding, cell: GRUCell) throws
    -> (states: [Variable], context: Variable, mask: Tensor) {
    throw NotAttempted("5.7")
}
