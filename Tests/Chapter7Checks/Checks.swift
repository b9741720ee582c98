// The checks of chapter 7's exercises 7.1 to 7.7. Each takes a Checker and the student's
// function, so the same check runs on the answer in Exercises/Chapter7 and on the known wrong
// answers in Mutants/Chapter7, which must fail it with a message that names their mistake.

import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// softmax(Q·Kᵀ·scale, masked) · V on tensors, with the ways a mask can be applied, so that
/// the checks can name the mistake an answer made.
enum MaskStyle { case minusInfinity, zero, afterSoftmax }

func attentionVariant(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor?, scale: Float,
                      style: MaskStyle = .minusInfinity, softmaxAxis: Int = -1) -> Tensor {
    var scores = q.matmul(k.transposed()) * scale
    if let mask, style != .afterSoftmax { scores = scores.maskedFill(mask, with: style == .zero ? 0 : -.infinity) }
    var weights: Tensor
    if softmaxAxis == -1 {
        weights = scores.softmax()
    } else {
        weights = scores.transposed().softmax().transposed()
    }
    if let mask, style == .afterSoftmax { weights = weights.maskedFill(mask, with: 0) }
    return weights.matmul(v)
}

/// 7.1: softmax(Q·Kᵀ/√d_k)·V, with the mask's blocked scores at −∞.
public func checkAttention(_ c: Checker, _ attention: (Tensor, Tensor, Tensor, Tensor?) throws -> Tensor) throws {
    // The worked example, no mask: d_k = 2.
    let q = Tensor([[1, 0]]), k = Tensor([[1, 0], [0, 1]]), v = Tensor([[1, 2], [3, 4]])
    let got = try attention(q, k, v, nil)
    let root2 = Float(2).squareRoot()
    c.expectClose(got, Tensor([[1.6605, 2.6605]]), tolerance: 2e-4,
                  "the worked example q = (1, 0), keys (1, 0) and (0, 1), values (1, 2) and (3, 4): softmax(0.7071, 0) = (0.6698, 0.3302)",
                  mistakes: [Mistake(attentionVariant(q, k, v, mask: nil, scale: 1), "the scores were not divided by √d_k (here √2): without it the weights are softmax(1, 0) = (0.7311, 0.2689)"),
                             Mistake(attentionVariant(q, k, v, mask: nil, scale: 0.5), "the scores were divided by d_k; the scale is 1/√d_k"),
                             Mistake(attentionVariant(q, k, v, mask: nil, scale: root2), "the scores were multiplied by √d_k; divide by it"),
                             Mistake(attentionVariant(q, k, v, mask: nil, scale: 1 / root2, softmaxAxis: -2), "the softmax ran over the queries; it must run along each row, over the keys (the last axis)")])

    // One query, three keys, the middle one blocked.
    let q2 = Tensor([[0.8, -0.4]]), k2 = Tensor([[1, 0], [0.5, 1.5], [-1, 0.5]]), v2 = Tensor([[1, 0], [0, 1], [2, 2]])
    let blocked = Tensor([[0, 1, 0]])
    let scale = 1 / root2
    c.expectClose(try attention(q2, k2, v2, blocked), attentionVariant(q2, k2, v2, mask: blocked, scale: scale), tolerance: 1e-4,
                  "one query over three keys with the mask [0, 1, 0] (key 1 blocked, so its weight must be exactly 0)",
                  mistakes: [Mistake(attentionVariant(q2, k2, v2, mask: nil, scale: scale), "the mask was ignored: set the scores where the mask is 1 to −∞ before the softmax"),
                             Mistake(attentionVariant(q2, k2, v2, mask: 1 - blocked, scale: scale), "the mask is inverted: 1 means blocked (the book's convention), 0 visible"),
                             Mistake(attentionVariant(q2, k2, v2, mask: blocked, scale: scale, style: .zero), "blocked scores were set to 0, and e⁰ = 1 still gives them weight: set them to −∞"),
                             Mistake(attentionVariant(q2, k2, v2, mask: blocked, scale: scale, style: .afterSoftmax), "the mask was applied after the softmax, so the remaining weights no longer sum to 1: block the scores before it"),
                             Mistake(attentionVariant(q2, k2, v2, mask: blocked, scale: 1), "the scores were not divided by √d_k")])

    // A batch of heads with a causal mask; d_k = 4 and d_v = 5 differ.
    var rng = SeededRandom(seed: 701)
    let q3 = Tensor.randomNormal([2, 2, 3, 4], rng: &rng), k3 = Tensor.randomNormal([2, 2, 3, 4], rng: &rng)
    let v3 = Tensor.randomNormal([2, 2, 3, 5], rng: &rng)
    let causal = Tensor.causalMask(3)
    c.expectClose(try attention(q3, k3, v3, causal), attentionVariant(q3, k3, v3, mask: causal, scale: 0.5), tolerance: 1e-4,
                  "a [2, 2] batch of heads, 3 positions, d_k = 4, d_v = 5, with the causal mask",
                  mistakes: [Mistake(attentionVariant(q3, k3, v3, mask: causal, scale: 1), "the scores were not divided by √d_k"),
                             Mistake(attentionVariant(q3, k3, v3, mask: causal, scale: 1 / Float(5).squareRoot()), "the scale used d_v, the width of the values; d_k is the last axis of the query"),
                             Mistake(attentionVariant(q3, k3, v3, mask: causal, scale: 1 / root2), "d_k was read from the first axis; it is the last axis of the query"),
                             Mistake(attentionVariant(q3, k3, v3, mask: 1 - causal, scale: 0.5), "the mask is inverted: 1 means blocked"),
                             Mistake(attentionVariant(q3, k3, v3, mask: nil, scale: 0.5), "the mask was ignored: blocked scores must become −∞ before the softmax")])
}

/// 7.2: the prefix-LM mask, 1 = blocked.
public func checkPrefixMask(_ c: Checker, _ prefixMask: (Int, Int) throws -> Tensor) throws {
    func mask(_ length: Int, _ blocked: (Int, Int) -> Bool) -> Tensor {
        Tensor(shape: [length, length], scalars: (0..<(length * length)).map { blocked($0 / length, $0 % length) ? 1 : 0 })
    }
    for (length, prefix) in [(5, 2), (4, 0), (3, 3), (6, 1)] {
        let got = try prefixMask(length, prefix)
        c.expectClose(got, prefixLMMask(length: length, prefix: prefix), tolerance: 0,
                      "the mask for length \(length), prefix \(prefix) (entry [i, j] is 1 when query i may not see key j)",
                      mistakes: [Mistake(mask(length) { i, j in j >= prefix || j > i }, "a key is blocked only when it is outside the prefix AND in the future (j ≥ prefix and j > i), not when either holds"),
                                 Mistake(mask(length) { i, j in j > prefix && j > i }, "off by one at the prefix: the prefix is positions 0 ..< prefix, so j = prefix is already outside it (j ≥ prefix)"),
                                 Mistake(mask(length) { i, j in j >= prefix && j >= i }, "a position may always see itself: block j > i, not j ≥ i"),
                                 Mistake(mask(length) { i, j in !(j >= prefix && j > i) }, "the mask is inverted: 1 means blocked, 0 visible"),
                                 Mistake(mask(length) { i, j in i >= prefix && j > i }, "the condition is on the key j (the column), not the query i: block key j when j ≥ prefix and j > i")])
    }
}

/// 7.3: the sinusoidal positional encoding.
public func checkSinusoidalEncoding(_ c: Checker, _ encoding: (Int, Int) throws -> Tensor) throws {
    func table(_ length: Int, _ d: Int, _ entry: (Int, Int) -> Double) -> Tensor {
        Tensor(shape: [length, d], scalars: (0..<(length * d)).map { Float(entry($0 / d, $0 % d)) })
    }
    for (length, d) in [(6, 8), (3, 4)] {
        let got = try encoding(length, d)
        let pairExponent = { (column: Int) in Double(column - column % 2) / Double(d) }
        c.expectClose(got, positionalEncoding(length: length, dimension: d), tolerance: 1e-5,
                      "the [\(length), \(d)] table (PE(1, 0) = sin 1 = 0.8415, PE(1, 1) = cos 1 = 0.5403)",
                      mistakes: [Mistake(table(length, d) { p, j in let a = Double(p) / pow(10000, Double(j / 2) / Double(d)); return j % 2 == 0 ? sin(a) : cos(a) },
                                         "the exponent is 2i/d with 2i the even column index; i/d with the pair number i gives the wrong frequencies"),
                                 Mistake(table(length, d) { p, j in let a = Double(p) / pow(10000, Double(j) / Double(d)); return j % 2 == 0 ? sin(a) : cos(a) },
                                         "columns 2i and 2i + 1 share one frequency, 1/10000^(2i/d): the odd column must not use its own index"),
                                 Mistake(table(length, d) { p, j in let a = Double(p) / pow(10000, pairExponent(j)); return j % 2 == 0 ? cos(a) : sin(a) },
                                         "sine and cosine are swapped: sin goes in the even columns 2i, cos in the odd columns 2i + 1"),
                                 Mistake(table(length, d) { p, j in let a = Double(p) * pow(10000, pairExponent(j)); return j % 2 == 0 ? sin(a) : cos(a) },
                                         "pos is divided by 10000^(2i/d), not multiplied")])
    }
}

/// 7.4: [batch, t, d] → [batch, h, t, d/h].
public func checkSplitIntoHeads(_ c: Checker, _ split: (Tensor, Int) throws -> Tensor) throws {
    let (b, t, d, h) = (2, 4, 6, 3)
    let x = Tensor(shape: [b, t, d], scalars: (0..<(b * t * d)).map(Float.init))
    let got = try split(x, h)
    let expected = splitHeads(.constant(x), heads: h).value
    if got.shape == [b, t, h, d / h] {
        c.fail("splitting [2, 4, 6] into 3 heads: expected shape [2, 3, 4, 2] ([batch, heads, t, d/h]), got [2, 4, 3, 2]. Likely mistake: the reshape to [batch, t, heads, d/h] is right, but the head axis must then move in front of time: permute [0, 2, 1, 3]")
    } else {
        c.expectClose(got, expected, tolerance: 0, "splitting x = 0, 1, …, 47 of shape [2, 4, 6] into 3 heads (head j at position p holds features 2j, 2j + 1 of position p)",
                      mistakes: [Mistake(x.reshaped([b, h, t, d / h]), "a plain reshape to [batch, heads, t, d/h] mixes positions: reshape to [batch, t, heads, d/h], then permute [0, 2, 1, 3]"),
                                 Mistake(x.reshaped([b, t, d / h, h]).permuted([0, 3, 1, 2]), "head j must hold consecutive features j·d/h ..< (j+1)·d/h, not every h-th feature")])
    }
    let one = try split(x, 1)
    c.expectClose(one, x.reshaped([b, 1, t, d]), tolerance: 0, "one head: [2, 4, 6] becomes [2, 1, 4, 6] with nothing moved")
}

/// 7.5: layer normalisation over the last axis.
public func checkLayerNormalise(_ c: Checker, _ normalise: (Tensor, Tensor, Tensor, Float) throws -> Tensor) throws {
    func variant(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor, axis: Int = -1, unbiased: Bool = false, epsilonOutside: Bool = false) -> Tensor {
        let n = Float(x.shape[axis < 0 ? x.rank + axis : axis])
        let mu = x.mean(axis: axis, keepingDimension: true)
        let centred = x - mu
        let variance = (centred * centred).sum(axis: axis, keepingDimension: true) / (unbiased ? n - 1 : n)
        let scale = epsilonOutside ? variance.sqrt() + 1e-5 : (variance + 1e-5).sqrt()
        return centred / scale * gamma + beta
    }
    let x = Tensor([[1, 2, 3, 4]]), ones = Tensor.ones([4]), zeros = Tensor.zeros([4])
    c.expectClose(try normalise(x, ones, zeros, 1e-5), Tensor([[-1.3416, -0.4472, 0.4472, 1.3416]]), tolerance: 2e-4,
                  "the worked example [1, 2, 3, 4] (μ = 2.5, σ² = 1.25)",
                  mistakes: [Mistake(variant(x, ones, zeros, unbiased: true), "the variance divides by d = 4, not d − 1 = 3 (layer norm uses the biased variance)"),
                             Mistake(x - 2.5, "the result was not divided by √(σ² + ε)")])
    var rng = SeededRandom(seed: 705)
    let y = Tensor.randomNormal([2, 3, 5], rng: &rng)
    let gamma = Tensor.randomNormal([5], rng: &rng), beta = Tensor.randomNormal([5], rng: &rng)
    c.expectClose(try normalise(y, gamma, beta, 1e-5), variant(y, gamma, beta), tolerance: 1e-4,
                  "a [2, 3, 5] tensor with random γ and β: each of its 6 rows is normalised on its own",
                  mistakes: [Mistake(variant(y, Tensor.ones([5]), Tensor.zeros([5])), "γ and β were left out: scale by γ and shift by β after normalising"),
                             Mistake(variant(y, beta, gamma), "γ and β are swapped: y = γ·x̂ + β"),
                             Mistake(variant(y, gamma, beta, axis: 1), "the statistics were taken across positions (axis 1); each position is normalised along its own features, the last axis"),
                             Mistake(variant(y, gamma, beta, unbiased: true), "the variance divides by d, not d − 1")])
    // A nearly constant row shows where ε goes.
    let flat = Tensor([[1, 1, 1, 1.001]])
    c.expectClose(try normalise(flat, ones, zeros, 1e-5), variant(flat, ones, zeros), tolerance: 1e-3,
                  "the nearly constant row [1, 1, 1, 1.001] with ε = 1e-5 (σ² = 1.9e-7 is smaller than ε)",
                  mistakes: [Mistake(variant(flat, ones, zeros, epsilonOutside: true), "ε goes inside the square root: divide by √(σ² + ε), not √σ² + ε")])
}

/// 7.6: a cached self-attention step equals the last row of causal self-attention.
public func checkCachedAttentionStep(_ c: Checker,
                                     _ step: (MultiHeadAttention, Tensor, (keys: Tensor, values: Tensor)?) throws -> (output: Tensor, keys: Tensor, values: Tensor)) throws {
    var rng = SeededRandom(seed: 706)
    let mha = MultiHeadAttention(dimension: 6, heads: 2, rng: &rng)
    let x = Tensor.randomNormal([2, 4, 6], rng: &rng)
    let full = mha(.constant(x), .constant(x), mask: Tensor.causalMask(4)).value
    var cache: (keys: Tensor, values: Tensor)? = nil
    for t in 0..<4 {
        let position = x.slice(axis: 1, t..<(t + 1))
        let result = try step(mha, position, cache)
        let alone = mha(.constant(position), .constant(position)).value
        let expected = full.slice(axis: 1, t..<(t + 1))
        let outputRight = result.output.shape == expected.shape && result.output.isClose(to: expected, tolerance: 1e-4)
        c.expectClose(result.output, expected, tolerance: 1e-4,
                      "step \(t): the output for position \(t), which must equal row \(t) of causal self-attention over all 4 positions",
                      mistakes: t == 0 ? [] : [Mistake(alone, "the new query attended only to its own key and value: attend over the whole cache, old positions and new")])
        guard result.keys.shape == [2, 2, t + 1, 3] && result.values.shape == [2, 2, t + 1, 3] else {
            var message = "after step \(t) the cache must hold \(t + 1) position(s): keys and values of shape [2, 2, \(t + 1), 3], got \(result.keys.shape) and \(result.values.shape)"
            if t > 0 && result.keys.shape == [2, 2, t, 3] && outputRight {
                message += ". Likely mistake: the grown cache was not returned; return the keys and values with the new position appended"
            } else if t > 0 && result.keys.shape == [2, 2, 1, 3] {
                message += ". Likely mistake: the new key and value replaced the cache; append them to it along the time axis (axis 2)"
            }
            c.fail(message)
            return
        }
        cache = (result.keys, result.values)
    }
}

/// 7.7: T5 span corruption with sentinels.
public func checkCorruptSpans(_ c: Checker, _ corrupt: ([Int], [Range<Int>], [Int]) throws -> (input: [Int], target: [Int])) throws {
    let cases: [([Int], [Range<Int>], [Int], String)] = [
        (Array(0..<11), [2..<4, 8..<9], [11, 12, 13], "T5's example, 'Thank you for inviting me to your party last week .' with spans 2..<4 and 8..<9"),
        ([5, 6, 7], [0..<1, 2..<3], [9, 8, 7], "[5, 6, 7] with spans at both ends, 0..<1 and 2..<3"),
        ([4, 4, 4, 4], [1..<3], [20, 21], "[4, 4, 4, 4] with one span 1..<3"),
    ]
    for (tokens, spans, sentinels, what) in cases {
        let got = try corrupt(tokens, spans, sentinels)
        let expected = spanCorruption(tokens, spans: spans, sentinels: sentinels)
        let oneSentinel = spanCorruption(tokens, spans: spans, sentinels: Array(repeating: sentinels[0], count: sentinels.count))
        c.expectEqual(got.input, expected.input, "the input for \(what)",
                      mistakes: [Mistake(oneSentinel.input, "each span gets its own sentinel: span k becomes sentinels[k]")])
        c.expectEqual(got.target, expected.target, "the target for \(what)",
                      mistakes: [Mistake(Array(expected.target.dropLast()), "the target is closed by one more sentinel, sentinels[spans.count]"),
                                 Mistake(oneSentinel.target, "each span gets its own sentinel: span k is announced by sentinels[k]")])
    }
}
