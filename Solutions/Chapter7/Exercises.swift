// Chapter 7 exercises: reference answers. Same public API as Exercises/Chapter7.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.1 ★ — Scaled dot-product attention.
public func attention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor?) throws -> Tensor {
    let dk = Float(query.shape[query.rank - 1])
    var scores = query.matmul(key.transposed()) / dk.squareRoot()
    if let mask { scores = scores.maskedFill(mask, with: -.infinity) }
    return scores.softmax().matmul(value)
}

/// Exercise 7.2 ★ — The prefix-LM mask.
public func prefixMask(length: Int, prefix: Int) throws -> Tensor {
    var m = Tensor.zeros([length, length])
    for i in 0..<length {
        for j in 0..<length where j >= prefix && j > i { m.scalars[i * length + j] = 1 }
    }
    return m
}

/// Exercise 7.3 ★ — Sinusoidal positional encoding.
public func sinusoidalEncoding(length: Int, dimension: Int) throws -> Tensor {
    var pe = Tensor.zeros([length, dimension])
    for pos in 0..<length {
        for i in stride(from: 0, to: dimension, by: 2) {
            let angle = Double(pos) / pow(10000, Double(i) / Double(dimension))
            pe.scalars[pos * dimension + i] = Float(sin(angle))
            if i + 1 < dimension { pe.scalars[pos * dimension + i + 1] = Float(cos(angle)) }
        }
    }
    return pe
}

/// Exercise 7.4 ★★ — Splitting into heads.
public func splitIntoHeads(_ x: Tensor, heads: Int) throws -> Tensor {
    let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
    return x.reshaped([b, t, heads, d / heads]).permuted([0, 2, 1, 3])
}

/// Exercise 7.5 ★★ — Layer normalisation.
public func layerNormalise(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) throws -> Tensor {
    let mu = x.mean(axis: -1, keepingDimension: true)
    let centred = x - mu
    let variance = (centred * centred).mean(axis: -1, keepingDimension: true)
    return centred / (variance + epsilon).sqrt() * gamma + beta
}

/// Exercise 7.6 ★★★ — One step of self-attention with a KV cache.
public func cachedAttentionStep(_ attention: MultiHeadAttention, x: Tensor,
                                cache: (keys: Tensor, values: Tensor)?) throws -> (output: Tensor, keys: Tensor, values: Tensor) {
    let (k, v) = attention.keysAndValues(.constant(x))
    let keys = cache.map { Tensor.concatenate([$0.keys, k.value], axis: 2) } ?? k.value
    let values = cache.map { Tensor.concatenate([$0.values, v.value], axis: 2) } ?? v.value
    let output = attention.attend(.constant(x), keys: .constant(keys), values: .constant(values)).output
    return (output.value, keys, values)
}

/// Exercise 7.7 ★★ — T5 span corruption.
public func corruptSpans(_ tokens: [Int], spans: [Range<Int>], sentinels: [Int]) throws -> (input: [Int], target: [Int]) {
    var input: [Int] = [], target: [Int] = []
    var next = 0
    for (k, span) in spans.enumerated() {
        input += tokens[next..<span.lowerBound] + [sentinels[k]]
        target += [sentinels[k]] + tokens[span]
        next = span.upperBound
    }
    return (input + tokens[next...], target + [sentinels[spans.count]])
}
