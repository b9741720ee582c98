// Chapter 7 exercises 7.11 and 7.12: reference answers. Same public API as Exercises/Chapter7.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.11 ★ — Cutting an image into patches.
public func patchesOf(_ images: Tensor, size p: Int) throws -> Tensor {
    let (b, h, w) = (images.shape[0], images.shape[1], images.shape[2])
    return images.reshaped([b, h / p, p, w / p, p]).permuted([0, 1, 3, 2, 4]).reshaped([b, (h / p) * (w / p), p * p])
}

/// Exercise 7.12 ★★ — Learned queries read the patches.
public func queryReadout(queries: Variable, tokens: Variable, attention: MultiHeadAttention) throws -> (output: Variable, weights: Variable) {
    let q = Variable.stack(Array(repeating: queries, count: tokens.shape[0]), axis: 0)
    let (keys, values) = attention.keysAndValues(tokens)
    let (read, weights) = attention.attend(q, keys: keys, values: values)
    return (q + read, weights)
}
