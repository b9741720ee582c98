// The checks of exercises 7.11 (patches) and 7.12 (learned queries), the pieces of the
// chapter's image captioner.

import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// 7.11: images [b, H, W] → patches [b, (H/p)(W/p), p²], row by row over the grid.
public func checkPatchesOf(_ c: Checker, _ patches: (Tensor, Int) throws -> Tensor) throws {
    func cases(_ images: Tensor, _ p: Int, _ what: String) throws {
        let (b, h, w) = (images.shape[0], images.shape[1], images.shape[2])
        let got = try patches(images, p)
        let split = images.reshaped([b, h / p, p, w / p, p])
        let expectedShape = [b, (h / p) * (w / p), p * p]
        guard got.shape == expectedShape else {
            c.fail("\(what): expected shape \(expectedShape) ([batch, patches, p·p]), got \(got.shape)")
            return
        }
        c.expectClose(got, patchify(images, size: p), tolerance: 0, what,
                      mistakes: [Mistake(images.reshaped(expectedShape), "a plain reshape cuts each image row into runs of p·p pixels, not p × p squares: reshape to [b, H/p, p, W/p, p] and put the two grid axes first"),
                                 Mistake(split.permuted([0, 3, 1, 2, 4]).reshaped(expectedShape), "the patches are numbered column by column; number them row by row over the grid (left to right, then down)"),
                                 Mistake(split.permuted([0, 1, 3, 4, 2]).reshaped(expectedShape), "each patch lists its pixels column by column; list them row by row")])
    }
    try cases(Tensor(shape: [1, 4, 6], scalars: (0..<24).map(Float.init)), 2,
              "a 4 × 6 image holding 0 … 23 in 2 × 2 patches (patch 0 is [0, 1, 6, 7], patch 1 is [2, 3, 8, 9])")
    var rng = SeededRandom(seed: 711)
    try cases(Tensor.randomUniform([2, 28, 84], rng: &rng), 7, "a batch of two 28 × 84 strips in 7 × 7 patches (a 4 × 12 grid)")
    try cases(Tensor.randomUniform([1, 28, 56], rng: &rng), 28, "a 28 × 56 strip in 28 × 28 tiles, one per digit")
}

/// 7.12: z = Q + MultiHead(Q, m, m), for every image, with gradients to Q and m.
public func checkQueryReadout(_ c: Checker, _ readout: (Variable, Variable, MultiHeadAttention) throws -> (output: Variable, weights: Variable)) throws {
    var rng = SeededRandom(seed: 712)
    let (b, k, n, d) = (2, 3, 5, 8)
    let q = Tensor.randomNormal([k, d], rng: &rng), m = Tensor.randomNormal([b, n, d], rng: &rng)
    let mine = randomMultiHead(dimension: d, heads: 2, seed: 7120), reference = randomMultiHead(dimension: d, heads: 2, seed: 7120)
    let queries = Variable(q), tokens = Variable(m)
    let got = try readout(queries, tokens, mine)

    let referenceQueries = Variable(q), referenceTokens = Variable(m)
    let stacked = Variable.stack([referenceQueries, referenceQueries], axis: 0)
    let (keys, values) = reference.keysAndValues(referenceTokens)
    let (read, weights) = reference.attend(stacked, keys: keys, values: values)
    let expected = stacked + read
    if got.output.shape == [b, n, d] {
        c.fail("the output: expected one vector per query, shape [2, 3, 8] ([batch, k, d]), got [2, 5, 8]. Likely mistake: the patch tokens attended to the queries; the queries ask (they give the attention's queries) and the tokens answer (keys and values)")
        return
    }
    let qs = Tensor.concatenate([q.reshaped([1, k, d]), q.reshaped([1, k, d])], axis: 0)
    c.expectClose(got.output.value, expected.value, tolerance: 1e-4,
                  "z for k = 3 queries over 5 patch tokens in each of 2 images",
                  mistakes: [Mistake(read.value, "the answer is added to the queries: z = Q + MultiHead(Q, m, m), a residual connection"),
                             Mistake(qs + reference(.constant(qs), .constant(qs)).value, "keys and values come from the patch tokens m; the queries only ask")])
    c.expectClose(got.weights.value, weights.value, tolerance: 1e-4, "the weights [batch, heads, k, N]: which tokens each query read")
    weightedSum(got.output, seed: 3).backward()
    weightedSum(expected, seed: 3).backward()
    if let grad = queries.grad {
        c.expectClose(grad, referenceQueries.gradient, tolerance: 1e-3, "the gradient reaching the queries Q (the sum over both images)")
    } else {
        c.fail("no gradient reached the queries, so they could never be learned: give each image the Variable Q itself (Variable.stack(Array(repeating: queries, count: b), axis: 0)), not a constant copy of its values")
    }
    c.expect(tokens.grad != nil, "no gradient reached the patch tokens, so the vision encoder below could never learn: pass the tokens Variable itself to keysAndValues")
}
