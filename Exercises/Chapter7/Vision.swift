// Chapter 7 exercises 7.11 and 7.12: the pieces of an image captioner (section 7.10). See
// Exercises.swift for how to run the tests.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.11 ★ — Cutting an image into patches.
///
/// images [batch, H, W] → patches [batch, (H/p)·(W/p), p·p]. Patches are numbered row by row
/// over the grid: patch r·(W/p) + c covers rows r·p ..< (r+1)·p and columns c·p ..< (c+1)·p,
/// and lists its p·p pixels row by row. H and W are multiples of p. For a 4 × 6 image holding
/// 0 … 23 and p = 2, patch 0 is [0, 1, 6, 7] and patch 1 is [2, 3, 8, 9].
///
/// Do not use `patchify`, `VisionEncoder` or `FrozenTileReader`.
public func patchesOf(_ images: Tensor, size p: Int) throws -> Tensor {
    throw NotAttempted("7.11")
}

/// Exercise 7.12 ★★ — Learned queries read the patches.
///
///     z = Q + MultiHead(Q, m, m)
///
/// `queries` Q [k, d] are learned, the same for every image; `tokens` m [batch, N, d] are one
/// image's patch tokens per row. Every image's k queries attend over its N tokens with
/// `attention` (queries from Q, keys and values from m). Return z [batch, k, d] and the
/// attention weights [batch, h, k, N]. The gradient must reach `queries` (from every image) and
/// `tokens`.
///
/// Do not use `LearnedQueries`.
public func queryReadout(queries: Variable, tokens: Variable, attention: MultiHeadAttention) throws -> (output: Variable, weights: Variable) {
    throw NotAttempted("7.12")
}
