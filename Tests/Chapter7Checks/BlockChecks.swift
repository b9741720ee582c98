// The checks of exercises 7.8 (multi-head attention) and 7.9 (a decoder block). Each compares
// the answer with the book's layers built from the same weights, and names the mistake when the
// answer equals one of the usual wrong versions, which the check computes beside the right one.

import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// The usual ways to get multi-head attention wrong, so a check can recognise them.
struct MultiHeadVariant {
    var scaleWidth: Int? = nil
    var plainReshape = false
    var mergeWithoutPermute = false
    var skipOutputProjection = false
    var keysFromQuery = false
    var mask: Tensor?? = nil

    /// Multi-head attention on tensors with this variant's mistakes.
    func apply(_ query: Tensor, _ memory: Tensor, _ p: MultiHeadAttention, mask: Tensor?) -> (output: Tensor, weights: Tensor) {
        let (b, tq, d) = (query.shape[0], query.shape[1], query.shape[2])
        let h = p.heads, width = d / h
        func project(_ layer: Linear, _ x: Tensor) -> Tensor { x.matmul(layer.weight.value) + layer.bias.value }
        func split(_ x: Tensor) -> Tensor {
            let t = x.shape[1]
            return plainReshape ? x.reshaped([b, h, t, width]) : x.reshaped([b, t, h, width]).permuted([0, 2, 1, 3])
        }
        let source = keysFromQuery ? query : memory
        let q = split(project(p.wQ, query)), k = split(project(p.wK, source)), v = split(project(p.wV, source))
        var scores = q.matmul(k.transposed()) * (1 / Float(scaleWidth ?? width).squareRoot())
        // Keys from the query have t_q positions, which a mask over the memory does not fit.
        if let used = self.mask ?? mask, !keysFromQuery { scores = scores.maskedFill(used, with: -.infinity) }
        let weights = scores.softmax()
        let heads = weights.matmul(v)
        let merged = plainReshape || mergeWithoutPermute ? heads.reshaped([b, tq, d]) : heads.permuted([0, 2, 1, 3]).reshaped([b, tq, d])
        return (skipOutputProjection ? merged : project(p.wO, merged), weights)
    }
}

/// A fixed random weighting, so that a loss depends on every output entry differently.
func weightedSum(_ y: Variable, seed: UInt64) -> Variable {
    var rng = SeededRandom(seed: seed)
    return (y * Tensor.randomNormal(y.shape, rng: &rng)).sum()
}

/// A multi-head attention layer with random biases too, so that a missing bias shows.
func randomMultiHead(dimension: Int, heads: Int, seed: UInt64) -> MultiHeadAttention {
    var rng = SeededRandom(seed: seed)
    let mha = MultiHeadAttention(dimension: dimension, heads: heads, rng: &rng)
    for layer in [mha.wQ, mha.wK, mha.wV, mha.wO] { layer.bias.value = Tensor.randomNormal([dimension], standardDeviation: 0.3, rng: &rng) }
    return mha
}

/// 7.8: multi-head attention forward, its per-head weights and its gradients.
public func checkMultiHeadForward(_ c: Checker,
                                  _ forward: (Variable, Variable, Int, Linear, Linear, Linear, Linear, Tensor?) throws -> (output: Variable, weights: Variable)) throws {
    let (d, h) = (8, 2)
    var rng = SeededRandom(seed: 708)
    let query = Tensor.randomNormal([2, 3, d], rng: &rng), memory = Tensor.randomNormal([2, 4, d], rng: &rng)
    let mask = Tensor(shape: [2, 1, 1, 4], scalars: [0, 1, 0, 0, 0, 0, 0, 1])
    let student = randomMultiHead(dimension: d, heads: h, seed: 7080), reference = randomMultiHead(dimension: d, heads: h, seed: 7080)

    let got = try forward(.constant(query), .constant(memory), h, student.wQ, student.wK, student.wV, student.wO, mask)
    let (k, v) = reference.keysAndValues(.constant(memory))
    let expected = reference.attend(.constant(query), keys: k, values: v, mask: mask)
    func variant(_ change: (inout MultiHeadVariant) -> Void) -> Tensor {
        var m = MultiHeadVariant()
        change(&m)
        return m.apply(query, memory, reference, mask: mask).output
    }
    c.expectClose(got.output.value, expected.output.value, tolerance: 1e-4,
                  "the output for queries [2, 3, 8] over a memory [2, 4, 8], 2 heads, with a padding mask",
                  mistakes: [Mistake(variant { $0.scaleWidth = d }, "each head's scores are divided by √(d/h) = √4, the width of one head, not √d"),
                             Mistake(variant { $0.plainReshape = true }, "a direct reshape [b, t, d] → [b, h, t, d/h] mixes positions: reshape to [b, t, h, d/h], then permute [0, 2, 1, 3] (and back when merging)"),
                             Mistake(variant { $0.mergeWithoutPermute = true }, "merging the heads needs the inverse permutation: permute [0, 2, 1, 3] back to [b, t, h, d/h] before reshaping to [b, t, d]"),
                             Mistake(variant { $0.skipOutputProjection = true }, "the concatenated heads go through W_O (wO) at the end"),
                             Mistake(variant { $0.keysFromQuery = true }, "keys and values come from the memory; only the queries come from `query`"),
                             Mistake(variant { $0.mask = .some(1 - mask) }, "the mask is inverted: 1 means blocked (the book's convention), 0 visible"),
                             Mistake(variant { $0.mask = .some(nil) }, "the mask was ignored: blocked scores must become −∞ before the softmax")])
    if got.weights.shape == [2, 3, 4] {
        c.fail("the attention weights: expected every head's, shape [2, 2, 3, 4] ([batch, heads, t_q, t_k]), got shape [2, 3, 4]. Likely mistake: the weights were averaged over the heads; return them per head")
    } else {
        c.expectClose(got.weights.value, expected.weights.value, tolerance: 1e-4,
                      "the attention weights [batch, heads, t_q, t_k] (each row sums to 1; masked keys get exactly 0)")
    }

    // Gradients: backward() must reach every weight, with the same values as the book's layer.
    weightedSum(got.output, seed: 1).backward()
    weightedSum(expected.output, seed: 1).backward()
    for (name, mine, theirs) in [("W_Q", student.wQ, reference.wQ), ("W_K", student.wK, reference.wK),
                                 ("W_V", student.wV, reference.wV), ("W_O", student.wO, reference.wO)] {
        guard let grad = mine.weight.grad else {
            c.fail("no gradient reached \(name): build the output from Variable operations (\(name == "W_O" ? "wO(merged)" : "the Linear layer called on a Variable"), matmul, softmax) so that backward() reaches the weights; going through .value or .constant cuts the graph")
            continue
        }
        c.expectClose(grad, theirs.weight.gradient, tolerance: 1e-3, "the gradient of a weighted sum of the output with respect to \(name)")
    }

    // Self-attention with the causal mask and 4 heads of width 2.
    let selfStudent = randomMultiHead(dimension: d, heads: 4, seed: 7081), selfReference = randomMultiHead(dimension: d, heads: 4, seed: 7081)
    let x = Tensor.randomNormal([1, 5, d], rng: &rng)
    let causal = Tensor.causalMask(5)
    let selfGot = try forward(.constant(x), .constant(x), 4, selfStudent.wQ, selfStudent.wK, selfStudent.wV, selfStudent.wO, causal)
    var scaled = MultiHeadVariant()
    scaled.scaleWidth = d
    c.expectClose(selfGot.output.value, selfReference(.constant(x), .constant(x), mask: causal).value, tolerance: 1e-4,
                  "causal self-attention over 5 positions with 4 heads of width 2",
                  mistakes: [Mistake(scaled.apply(x, x, selfReference, mask: causal).output, "each head's scores are divided by √(d/h) = √2, not √d")])
}

/// The usual ways to get a decoder block wrong.
struct DecoderBlockVariant {
    enum CrossSource { case memory, normalisedMemory, decoder }
    var normFirst: Bool
    var causal = true
    var residual = true
    var crossSource = CrossSource.memory
    var normOrder = [0, 1, 2]
    var useMemoryMask = true

    func apply(_ x: Tensor, _ memory: Tensor, _ memoryMask: Tensor?, _ parts: DecoderBlock) -> Tensor {
        let norms = [parts.norm1, parts.norm2, parts.norm3]
        func sublayer(_ x: Variable, _ i: Int, _ f: (Variable) -> Variable) -> Variable {
            let norm = norms[normOrder[i]]
            if !residual { return normFirst ? f(norm(x)) : norm(f(x)) }
            return normFirst ? x + f(norm(x)) : norm(x + f(x))
        }
        let t = x.shape[1]
        let h = sublayer(.constant(x), 0) { n in parts.selfAttention(n, n, mask: causal ? Tensor.causalMask(t) : nil) }
        let h2 = sublayer(h, 1) { n in
            let source: Variable = switch crossSource {
            case .memory: .constant(memory)
            case .normalisedMemory: norms[normOrder[1]](.constant(memory))
            case .decoder: n
            }
            return parts.crossAttention(n, source, mask: useMemoryMask && crossSource != .decoder ? memoryMask : nil)
        }
        return sublayer(h2, 2) { parts.feedForward($0) }.value
    }
}

/// A decoder block whose norms have random γ and β, so that every norm shows in the output.
func randomDecoderBlock(normFirst: Bool, seed: UInt64) -> DecoderBlock {
    var rng = SeededRandom(seed: seed)
    let block = DecoderBlock(dimension: 8, heads: 2, hidden: 16, normFirst: normFirst, dropout: Dropout(probability: 0, seed: 0), rng: &rng)
    for norm in [block.norm1, block.norm2, block.norm3] {
        norm.gamma.value = 1 + Tensor.randomNormal([8], standardDeviation: 0.3, rng: &rng)
        norm.beta.value = Tensor.randomNormal([8], standardDeviation: 0.3, rng: &rng)
    }
    return block
}

/// 7.9: a decoder block, pre-norm and post-norm, its cross-attention weights and its gradients.
public func checkDecoderBlockForward(_ c: Checker,
                                     _ block: (Variable, Variable, Tensor?, MultiHeadAttention, MultiHeadAttention, FeedForward, [LayerNorm], Bool) throws -> (output: Variable, crossWeights: Variable)) throws {
    var rng = SeededRandom(seed: 709)
    let x = Tensor.randomNormal([2, 4, 8], rng: &rng), memory = Tensor.randomNormal([2, 5, 8], rng: &rng)
    let memoryMask = Tensor(shape: [2, 1, 1, 5], scalars: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    for normFirst in [true, false] {
        let name = normFirst ? "pre-norm (normFirst: true)" : "post-norm (normFirst: false)"
        let mine = randomDecoderBlock(normFirst: normFirst, seed: 7090), reference = randomDecoderBlock(normFirst: normFirst, seed: 7090)
        let xv = Variable(x), memoryVariable = Variable(memory)
        let got = try block(xv, memoryVariable, memoryMask, mine.selfAttention, mine.crossAttention, mine.feedForward,
                            [mine.norm1, mine.norm2, mine.norm3], normFirst)
        let expected = reference.forward(.constant(x), memory: .constant(memory), selfMask: Tensor.causalMask(4), memoryMask: memoryMask)
        func variant(_ change: (inout DecoderBlockVariant) -> Void) -> Tensor {
            var v = DecoderBlockVariant(normFirst: normFirst)
            change(&v)
            return v.apply(x, memory, memoryMask, reference)
        }
        c.expectClose(got.output.value, expected.output.value, tolerance: 1e-4,
                      "the \(name) block's output for x [2, 4, 8] and a memory [2, 5, 8] whose second row ends in 2 padded positions",
                      mistakes: [Mistake(variant { $0.normFirst = !normFirst },
                                         normFirst ? "that is post-norm, LN(x + f(x)); with normFirst the norm comes first: x + f(LN(x))"
                                                   : "that is pre-norm, x + f(LN(x)); without normFirst the norm comes after the addition: LN(x + f(x))"),
                                 Mistake(variant { $0.causal = false }, "self-attention must be causal: pass Tensor.causalMask(t), so position i sees only positions 0…i"),
                                 Mistake(variant { $0.residual = false }, "the residual is missing: each sub-layer's output is added to its input"),
                                 Mistake(variant { $0.crossSource = .normalisedMemory }, "cross-attention takes its keys and values from the memory as it is; only the decoder side is normalised"),
                                 Mistake(variant { $0.crossSource = .decoder }, "cross-attention takes its keys and values from the memory (the encoder's output), not from the decoder's own states"),
                                 Mistake(variant { $0.useMemoryMask = false }, "the memory mask was ignored: padded source positions must get no cross-attention weight"),
                                 Mistake(variant { $0.normOrder = [0, 0, 0] }, "every sub-layer used norms[0]: norms[0] goes with self-attention, norms[1] with cross-attention, norms[2] with the FFN"),
                                 Mistake(variant { $0.normOrder = [2, 1, 0] }, "the norms are in the wrong order: norms[0] goes with self-attention, norms[1] with cross-attention, norms[2] with the FFN")])
        if got.crossWeights.shape == [2, 2, 4, 4] {
            c.fail("the \(name) block's cross-attention weights: expected shape [2, 2, 4, 5] ([batch, heads, t, s]), got [2, 2, 4, 4]. Likely mistake: those are the self-attention's weights; return the cross-attention's")
        } else {
            c.expectClose(got.crossWeights.value, expected.crossWeights.value, tolerance: 1e-4,
                          "the \(name) block's cross-attention weights [batch, heads, t, s]")
        }
        // Training the block needs gradients for every parameter and for the memory.
        weightedSum(got.output, seed: 2).backward()
        let missing = zip(["the self-attention", "the cross-attention", "the feed-forward network", "norms[0]", "norms[1]", "norms[2]"],
                          [mine.selfAttention.parameters, mine.crossAttention.parameters, mine.feedForward.parameters,
                           mine.norm1.parameters, mine.norm2.parameters, mine.norm3.parameters])
            .filter { _, parameters in parameters.contains { $0.grad == nil } }.map(\.0)
        c.expect(missing.isEmpty, "the \(name) block: no gradient reached \(missing.joined(separator: ", ")): build the block from the layers' own calls on Variables, so that backward() reaches every parameter")
        c.expect(memoryVariable.grad != nil, "the \(name) block: no gradient reached the memory, so the encoder below could never learn: pass the memory Variable itself to cross-attention")
    }
}
