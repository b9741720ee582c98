// Chapter 5, exercise 5.7: reference answer.

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
    guard let T = sequences.map(\.count).max(), T > 0 else { throw EncodingError.empty }
    let B = sequences.count
    let padded = sequences.map { $0 + Array(repeating: Vocabulary.padID, count: T - $0.count) }
    var h = Variable.constant(Tensor.zeros([B, cell.hiddenSize]))
    var states: [Variable] = []
    for t in 0..<T {
        let x = embedding(padded.map { $0[t] })                                     // [B, E]
        let p = Tensor(shape: [B, 1], scalars: sequences.map { t < $0.count ? 0 : 1 })   // 1 = padding
        h = cell(x, h) * (1 - p) + h * p
        states.append(h)
    }
    let mask = Tensor(shape: [B, T], scalars: sequences.flatMap { s in (0..<T).map { $0 < s.count ? 0 : 1 } })
    return (states, h, mask)
}

/// Thrown for an empty batch (no sequences, or only empty ones).
enum EncodingError: Error {
    case empty
}
