// Known wrong answers to chapter 7's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter7Checks
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

public let chapter7Mutants: [Mutant] = basicMutants + layerMutants + trainingMutants + visionMutants

let basicMutants: [Mutant] = [
    Mutant("7.1", "forgets to divide the scores by √d_k", mentions: "√d_k") {
        try checkAttention($0) { q, k, v, mask in
            var scores = q.matmul(k.transposed())
            if let mask { scores = scores.maskedFill(mask, with: -.infinity) }
            return scores.softmax().matmul(v)
        }
    },
    Mutant("7.1", "reads the mask as 1 = visible", mentions: "inverted") {
        try checkAttention($0) { q, k, v, mask in
            var scores = q.matmul(k.transposed()) / Float(q.shape[q.rank - 1]).squareRoot()
            if let mask { scores = scores.maskedFill(1 - mask, with: -.infinity) }
            return scores.softmax().matmul(v)
        }
    },
    Mutant("7.1", "sets blocked scores to 0 instead of −∞", mentions: "−∞") {
        try checkAttention($0) { q, k, v, mask in
            var scores = q.matmul(k.transposed()) / Float(q.shape[q.rank - 1]).squareRoot()
            if let mask { scores = scores.maskedFill(mask, with: 0) }
            return scores.softmax().matmul(v)
        }
    },
    Mutant("7.2", "blocks a key when either condition holds", mentions: "AND") {
        try checkPrefixMask($0) { length, prefix in
            var m = Tensor.zeros([length, length])
            for i in 0..<length { for j in 0..<length where j >= prefix || j > i { m.scalars[i * length + j] = 1 } }
            return m
        }
    },
    Mutant("7.2", "is off by one at the end of the prefix", mentions: "off by one") {
        try checkPrefixMask($0) { length, prefix in
            var m = Tensor.zeros([length, length])
            for i in 0..<length { for j in 0..<length where j > prefix && j > i { m.scalars[i * length + j] = 1 } }
            return m
        }
    },
    Mutant("7.3", "uses the pair number i in the exponent instead of 2i", mentions: "2i/d") {
        try checkSinusoidalEncoding($0) { length, d in
            var pe = Tensor.zeros([length, d])
            for pos in 0..<length {
                for i in 0..<(d / 2) {
                    let angle = Double(pos) / pow(10000, Double(i) / Double(d))
                    pe.scalars[pos * d + 2 * i] = Float(sin(angle))
                    pe.scalars[pos * d + 2 * i + 1] = Float(cos(angle))
                }
            }
            return pe
        }
    },
    Mutant("7.3", "puts the cosine in the even columns", mentions: "swapped") {
        try checkSinusoidalEncoding($0) { length, d in
            var pe = Tensor.zeros([length, d])
            for pos in 0..<length {
                for i in stride(from: 0, to: d, by: 2) {
                    let angle = Double(pos) / pow(10000, Double(i) / Double(d))
                    pe.scalars[pos * d + i] = Float(cos(angle))
                    pe.scalars[pos * d + i + 1] = Float(sin(angle))
                }
            }
            return pe
        }
    },
    Mutant("7.4", "reshapes straight to [batch, heads, t, d/h]", mentions: "mixes positions") {
        try checkSplitIntoHeads($0) { x, heads in
            x.reshaped([x.shape[0], heads, x.shape[1], x.shape[2] / heads])
        }
    },
    Mutant("7.4", "reshapes but forgets the permutation", mentions: "permute [0, 2, 1, 3]") {
        try checkSplitIntoHeads($0) { x, heads in
            x.reshaped([x.shape[0], x.shape[1], heads, x.shape[2] / heads])
        }
    },
    Mutant("7.5", "divides the variance by d − 1", mentions: "d − 1") {
        try checkLayerNormalise($0) { x, gamma, beta, epsilon in
            let d = Float(x.shape[x.rank - 1])
            let mu = x.mean(axis: -1, keepingDimension: true)
            let centred = x - mu
            let variance = (centred * centred).sum(axis: -1, keepingDimension: true) / (d - 1)
            return centred / (variance + epsilon).sqrt() * gamma + beta
        }
    },
    Mutant("7.5", "adds ε outside the square root", mentions: "inside the square root") {
        try checkLayerNormalise($0) { x, gamma, beta, epsilon in
            let mu = x.mean(axis: -1, keepingDimension: true)
            let centred = x - mu
            let variance = (centred * centred).mean(axis: -1, keepingDimension: true)
            return centred / (variance.sqrt() + epsilon) * gamma + beta
        }
    },
    Mutant("7.6", "replaces the cache with the new key and value", mentions: "replaced the cache") {
        try checkCachedAttentionStep($0) { attention, x, _ in
            let (k, v) = attention.keysAndValues(.constant(x))
            let output = attention.attend(.constant(x), keys: k, values: v).output
            return (output.value, k.value, v.value)
        }
    },
    Mutant("7.6", "returns the cache as it was", mentions: "grown cache was not returned") {
        try checkCachedAttentionStep($0) { attention, x, cache in
            let (k, v) = attention.keysAndValues(.constant(x))
            let keys = cache.map { Tensor.concatenate([$0.keys, k.value], axis: 2) } ?? k.value
            let values = cache.map { Tensor.concatenate([$0.values, v.value], axis: 2) } ?? v.value
            let output = attention.attend(.constant(x), keys: .constant(keys), values: .constant(values)).output
            return (output.value, cache?.keys ?? keys, cache?.values ?? values)
        }
    },
    Mutant("7.7", "forgets the closing sentinel", mentions: "closed by one more sentinel") {
        try checkCorruptSpans($0) { tokens, spans, sentinels in
            var input: [Int] = [], target: [Int] = []
            var next = 0
            for (k, span) in spans.enumerated() {
                input += tokens[next..<span.lowerBound] + [sentinels[k]]
                target += [sentinels[k]] + tokens[span]
                next = span.upperBound
            }
            return (input + tokens[next...], target)
        }
    },
    Mutant("7.7", "uses the first sentinel for every span", mentions: "its own sentinel") {
        try checkCorruptSpans($0) { tokens, spans, sentinels in
            var input: [Int] = [], target: [Int] = []
            var next = 0
            for span in spans {
                input += tokens[next..<span.lowerBound] + [sentinels[0]]
                target += [sentinels[0]] + tokens[span]
                next = span.upperBound
            }
            return (input + tokens[next...], target + [sentinels[spans.count]])
        }
    },
]

/// Multi-head attention as a student writes it, with switches for the usual mistakes.
func studentMultiHead(_ query: Variable, _ memory: Variable, _ heads: Int, _ wQ: Linear, _ wK: Linear, _ wV: Linear, _ wO: Linear,
                      _ mask: Tensor?, scaleByFullWidth: Bool = false, plainReshape: Bool = false, skipOutput: Bool = false,
                      throughValues: Bool = false) -> (output: Variable, weights: Variable) {
    let (b, tq, d) = (query.shape[0], query.shape[1], query.shape[2])
    let width = d / heads
    func split(_ x: Variable) -> Variable {
        let t = x.shape[1]
        return plainReshape ? x.reshaped([b, heads, t, width]) : x.reshaped([b, t, heads, width]).permuted([0, 2, 1, 3])
    }
    func project(_ layer: Linear, _ x: Variable) -> Variable {
        throughValues ? .constant(x.value.matmul(layer.weight.value) + layer.bias.value) : layer(x)
    }
    let q = split(project(wQ, query)), k = split(project(wK, memory)), v = split(project(wV, memory))
    var scores = q.matmul(k.transposed()) * (1 / Float(scaleByFullWidth ? d : width).squareRoot())
    if let mask { scores = scores.maskedFill(mask, with: -.infinity) }
    let weights = scores.softmax()
    let heads = weights.matmul(v)
    let merged = plainReshape ? heads.reshaped([b, tq, d]) : heads.permuted([0, 2, 1, 3]).reshaped([b, tq, d])
    return (skipOutput ? merged : project(wO, merged), weights)
}

/// A decoder block as a student writes it, with switches for the usual mistakes.
func studentDecoderBlock(_ x: Variable, _ memory: Variable, _ memoryMask: Tensor?, _ selfAttention: MultiHeadAttention,
                         _ crossAttention: MultiHeadAttention, _ feedForward: FeedForward, _ norms: [LayerNorm], _ normFirst: Bool,
                         causal: Bool = true, alwaysPreNorm: Bool = false, crossFromDecoder: Bool = false,
                         residual: Bool = true) -> (output: Variable, crossWeights: Variable) {
    let first = normFirst || alwaysPreNorm
    func sublayer(_ x: Variable, _ norm: LayerNorm, _ f: (Variable) -> Variable) -> Variable {
        if !residual { return first ? f(norm(x)) : norm(f(x)) }
        return first ? x + f(norm(x)) : norm(x + f(x))
    }
    let t = x.shape[1]
    let h = sublayer(x, norms[0]) { n in selfAttention(n, n, mask: causal ? Tensor.causalMask(t) : nil) }
    var crossWeights: Variable? = nil
    let h2 = sublayer(h, norms[1]) { n in
        let (k, v) = crossAttention.keysAndValues(crossFromDecoder ? n : memory)
        let (output, weights) = crossAttention.attend(n, keys: k, values: v, mask: crossFromDecoder ? nil : memoryMask)
        crossWeights = weights
        return output
    }
    return (sublayer(h2, norms[2]) { feedForward($0) }, crossWeights!)
}

let layerMutants: [Mutant] = [
    Mutant("7.8", "scales every head's scores by √d", mentions: "√(d/h)") {
        try checkMultiHeadForward($0) { studentMultiHead($0, $1, $2, $3, $4, $5, $6, $7, scaleByFullWidth: true) }
    },
    Mutant("7.8", "reshapes straight into heads", mentions: "mixes positions") {
        try checkMultiHeadForward($0) { studentMultiHead($0, $1, $2, $3, $4, $5, $6, $7, plainReshape: true) }
    },
    Mutant("7.8", "forgets the output projection W_O", mentions: "W_O") {
        try checkMultiHeadForward($0) { studentMultiHead($0, $1, $2, $3, $4, $5, $6, $7, skipOutput: true) }
    },
    Mutant("7.8", "projects through .value, so no gradient reaches the weights", mentions: "no gradient reached") {
        try checkMultiHeadForward($0) { studentMultiHead($0, $1, $2, $3, $4, $5, $6, $7, throughValues: true) }
    },
    Mutant("7.9", "leaves the self-attention without its causal mask", mentions: "causal") {
        try checkDecoderBlockForward($0) { studentDecoderBlock($0, $1, $2, $3, $4, $5, $6, $7, causal: false) }
    },
    Mutant("7.9", "always normalises first, even when asked for post-norm", mentions: "pre-norm") {
        try checkDecoderBlockForward($0) { studentDecoderBlock($0, $1, $2, $3, $4, $5, $6, $7, alwaysPreNorm: true) }
    },
    Mutant("7.9", "takes cross-attention's keys and values from the decoder", mentions: "not from the decoder's own states") {
        try checkDecoderBlockForward($0) { studentDecoderBlock($0, $1, $2, $3, $4, $5, $6, $7, crossFromDecoder: true) }
    },
    Mutant("7.9", "drops the residual connections", mentions: "residual") {
        try checkDecoderBlockForward($0) { studentDecoderBlock($0, $1, $2, $3, $4, $5, $6, $7, residual: false) }
    },
]

/// A training loop as a student writes it, with switches for the usual mistakes.
func studentTraining(_ strings: [[Int]], _ vocabularySize: Int, _ rng: inout SeededRandom, steps: Int = 200,
                     zeroGradients: Bool = true, shifted: Bool = true, reversed: Bool = true) -> EncoderDecoderModel {
    let model = EncoderDecoderModel(TransformerConfiguration(vocabularySize: vocabularySize, dimension: 16, heads: 2, hidden: 32,
                                                             layers: 1, maxLength: 8, padding: 0), seed: 1)
    var optimizer = Adam(model.parameters, learningRate: 1e-2)
    func padded(_ rows: [[Int]]) -> [[Int]] {
        let width = rows.map(\.count).max()!
        return rows.map { $0 + Array(repeating: 0, count: width - $0.count) }
    }
    for _ in 0..<steps {
        let batch = (0..<32).map { _ in strings[rng.integer(below: strings.count)] }
        let targets = batch.map { reversed ? Array($0.reversed()) : $0 }
        let decoderTarget = padded(targets.map { $0 + [2] })
        let decoderInput = shifted ? padded(targets.map { [1] + $0 }) : decoderTarget
        let logits = model(source: padded(batch), target: decoderInput)
        let loss = crossEntropy(logits: logits.reshaped([-1, vocabularySize]), targets: Array(decoderTarget.joined()), ignoreIndex: 0)
        if zeroGradients { optimizer.zeroGradients() }
        loss.backward()
        optimizer.step()
    }
    return model
}

let trainingMutants: [Mutant] = [
    Mutant("7.10", "feeds the decoder the target itself, not shifted right", mentions: "shifted right") {
        try checkTrainReverser($0) { studentTraining($0, $1, &$2, shifted: false) }
    },
    Mutant("7.10", "stops after 20 steps", mentions: "more steps") {
        try checkTrainReverser($0) { studentTraining($0, $1, &$2, steps: 20) }
    },
    Mutant("7.10", "trains on the strings as they are, not reversed", mentions: "forwards") {
        try checkTrainReverser($0) { studentTraining($0, $1, &$2, reversed: false) }
    },
    Mutant("7.10", "never zeroes the gradients", mentions: "never zeroed") {
        try checkTrainReverser($0) { studentTraining($0, $1, &$2, zeroGradients: false) }
    },
]

let visionMutants: [Mutant] = [
    Mutant("7.11", "reshapes straight to [batch, patches, p·p]", mentions: "plain reshape") {
        try checkPatchesOf($0) { images, p in
            let (b, h, w) = (images.shape[0], images.shape[1], images.shape[2])
            return images.reshaped([b, (h / p) * (w / p), p * p])
        }
    },
    Mutant("7.11", "numbers the patches down the columns", mentions: "column by column") {
        try checkPatchesOf($0) { images, p in
            let (b, h, w) = (images.shape[0], images.shape[1], images.shape[2])
            return images.reshaped([b, h / p, p, w / p, p]).permuted([0, 3, 1, 2, 4]).reshaped([b, (h / p) * (w / p), p * p])
        }
    },
    Mutant("7.12", "returns what the queries read without adding the queries", mentions: "residual") {
        try checkQueryReadout($0) { queries, tokens, attention in
            let q = Variable.stack(Array(repeating: queries, count: tokens.shape[0]), axis: 0)
            let (keys, values) = attention.keysAndValues(tokens)
            return attention.attend(q, keys: keys, values: values)
        }
    },
    Mutant("7.12", "copies the queries' values, so they get no gradient", mentions: "no gradient reached the queries") {
        try checkQueryReadout($0) { queries, tokens, attention in
            let copies = (0..<tokens.shape[0]).map { _ in queries.value.reshaped([1] + queries.shape) }
            let q = Variable.constant(Tensor.concatenate(copies, axis: 0))
            let (keys, values) = attention.keysAndValues(tokens)
            let (read, weights) = attention.attend(q, keys: keys, values: values)
            return (q + read, weights)
        }
    },
    Mutant("7.12", "lets the queries attend to themselves", mentions: "keys and values come from the patch tokens") {
        try checkQueryReadout($0) { queries, tokens, attention in
            let q = Variable.stack(Array(repeating: queries, count: tokens.shape[0]), axis: 0)
            let (keys, values) = attention.keysAndValues(q)
            let (read, weights) = attention.attend(q, keys: keys, values: values)
            return (q + read, weights)
        }
    },
]
