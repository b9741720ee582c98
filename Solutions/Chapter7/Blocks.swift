// Chapter 7 exercises 7.8 and 7.9: reference answers. Same public API as Exercises/Chapter7.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.8 ★★★ — Multi-head attention, forward.
public func multiHeadForward(query: Variable, memory: Variable, heads: Int, wQ: Linear, wK: Linear, wV: Linear, wO: Linear,
                             mask: Tensor?) throws -> (output: Variable, weights: Variable) {
    let (b, tq, d) = (query.shape[0], query.shape[1], query.shape[2])
    let tk = memory.shape[1]
    let width = d / heads
    func split(_ x: Variable, _ t: Int) -> Variable {
        x.reshaped([b, t, heads, width]).permuted([0, 2, 1, 3])
    }
    let q = split(wQ(query), tq), k = split(wK(memory), tk), v = split(wV(memory), tk)
    var scores = q.matmul(k.transposed()) * (1 / Float(width).squareRoot())
    if let mask { scores = scores.maskedFill(mask, with: -.infinity) }
    let weights = scores.softmax()
    let merged = weights.matmul(v).permuted([0, 2, 1, 3]).reshaped([b, tq, d])
    return (wO(merged), weights)
}

/// Exercise 7.9 ★★★ — A decoder block.
public func decoderBlockForward(_ x: Variable, memory: Variable, memoryMask: Tensor?,
                                selfAttention: MultiHeadAttention, crossAttention: MultiHeadAttention,
                                feedForward: FeedForward, norms: [LayerNorm],
                                normFirst: Bool) throws -> (output: Variable, crossWeights: Variable) {
    func sublayer(_ x: Variable, _ norm: LayerNorm, _ f: (Variable) -> Variable) -> Variable {
        normFirst ? x + f(norm(x)) : norm(x + f(x))
    }
    let causal = Tensor.causalMask(x.shape[1])
    let h = sublayer(x, norms[0]) { n in selfAttention(n, n, mask: causal) }
    let (keys, values) = crossAttention.keysAndValues(memory)
    var crossWeights: Variable? = nil
    let h2 = sublayer(h, norms[1]) { n in
        let (output, weights) = crossAttention.attend(n, keys: keys, values: values, mask: memoryMask)
        crossWeights = weights
        return output
    }
    return (sublayer(h2, norms[2]) { feedForward($0) }, crossWeights!)
}
