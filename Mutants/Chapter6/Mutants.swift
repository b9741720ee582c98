// Known wrong answers to chapter 6's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Attention
import Chapter6Checks
import Datasets
import ExerciseTesting
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Masked weights on arrays with one of the usual slips.
private func maskedWeightsMutant(_ scores: [Float], _ mask: [Bool], blockedMeansVisible: Bool = false,
                                 subtractMax: Bool = true, zeroAfterwards: Bool = false) throws -> [Float] {
    let visible = scores.indices.filter { mask[$0] == blockedMeansVisible }
    guard !visible.isEmpty else {
        if blockedMeansVisible { return scores.map { _ in 0 } }
        throw MutantError.nothingVisible
    }
    let top = subtractMax ? visible.map { scores[$0] }.max()! : 0
    if zeroAfterwards {
        let all = scores.map { Foundation.exp($0 - scores.max()!) }
        let total = all.reduce(0, +)
        return all.indices.map { mask[$0] ? 0 : all[$0] / total }
    }
    let exps = scores.indices.map { visible.contains($0) ? Foundation.exp(scores[$0] - top) : 0 }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}

/// One attention decoder step with one of its slips.
private func decoderStepMutant(previous: [Int], state: Variable, states: Variable, mask: Tensor, w1: Variable, w2: Variable,
                               v: Variable, embedding: Embedding, cell: GRUCell, output: Linear,
                               invertMask: Bool = false, contextFirst: Bool = false, noTanh: Bool = false,
                               detached: Bool = false) -> (logits: Variable, state: Variable, weights: Variable) {
    let (B, T, D) = (states.shape[0], states.shape[1], states.shape[2])
    let A = v.shape[0]
    let inner = states.matmul(w1) + state.matmul(w2).reshaped([B, 1, A])
    let scores = (noTanh ? inner : inner.tanh()).matmul(v.reshaped([A, 1])).reshaped([B, T])
    var weights = scores.maskedFill(invertMask ? 1 - mask : mask, with: -1e9).softmax()
    if detached { weights = .constant(weights.value) }
    let context = weights.reshaped([B, 1, T]).matmul(states).reshaped([B, D])
    let pieces = contextFirst ? [context, embedding(previous)] : [embedding(previous), context]
    let newState = cell(Variable.concatenate(pieces, axis: 1), state)
    return (output(newState), newState, weights)
}

/// The padded teacher-forced loss with one of its slips.
private func copyLossMutant(_ model: AttentionSeq2Seq, _ sources: [[Int]], _ targets: [[Int]], countPadding: Bool = false,
                            feedPredictions: Bool = false) -> Variable {
    let (sourceIDs, lengths) = padBatch(sources)
    let (targetIDs, _) = padBatch(targets)
    let (states, mask, s0) = model.encode(sourceIDs, lengths: lengths)
    var state = s0, previous = Array(repeating: Vocabulary.startID, count: targets.count)
    var logits: [Variable] = [], gold: [Int] = []
    for t in 0..<targetIDs[0].count {
        let out = model.step(previous: previous, state: state, states: states, mask: mask)
        state = out.state
        logits.append(out.logits)
        gold += targetIDs.map { $0[t] }
        previous = feedPredictions ? out.logits.value.argmax() : targetIDs.map { $0[t] }
    }
    return crossEntropy(logits: Variable.concatenate(logits, axis: 0), targets: gold, ignoreIndex: countPadding ? nil : Vocabulary.padID)
}

/// A training loop for 6.9 with one of its slips.
private func copierMutant(_ model: AttentionSeq2Seq, _ data: EncodedPairs, _ rng: inout SeededRandom, steps: Int = 80,
                          zeroGradients: Bool = true, clip: Bool = true) -> [Float] {
    var optimizer = Adam(model.parameters, learningRate: 0.03)
    var losses: [Float] = []
    for _ in 0..<steps {
        let rows = (0..<32).map { _ in rng.integer(below: data.count) }
        let loss = copyLossMutant(model, rows.map { data.sources[$0] }, rows.map { data.targets[$0] })
        if zeroGradients { optimizer.zeroGradients() }
        loss.backward()
        if clip { clipGradientNorm(model.parameters, maxNorm: 1) }
        optimizer.step()
        losses.append(loss.value.scalar)
    }
    return losses
}

public let chapter6Mutants: [Mutant] = [
    Mutant("6.1", "stops one coordinate short", mentions: "last coordinate is missing") {
        try checkDotProductScores($0) { q, states in
            states.map { h in (0..<(q.count - 1)).reduce(Float(0)) { $0 + q[$1] * h[$1] } }
        }
    },
    Mutant("6.1", "normalises to cosine similarity", mentions: "cosine similarities") {
        try checkDotProductScores($0) { q, states in
            let nq = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return states.map { h in zip(q, h).reduce(Float(0)) { $0 + $1.0 * $1.1 } / (nq * h.reduce(0) { $0 + $1 * $1 }.squareRoot()) }
        }
    },
    Mutant("6.2", "reads true as visible", mentions: "wrong way round") {
        try checkMaskedAttentionWeights($0) { try maskedWeightsMutant($0, $1, blockedMeansVisible: true) }
    },
    Mutant("6.2", "exponentiates without subtracting the maximum", mentions: "overflows") {
        try checkMaskedAttentionWeights($0) { try maskedWeightsMutant($0, $1, subtractMax: false) }
    },
    Mutant("6.2", "zeroes the blocked weights after the softmax", mentions: "no longer sum to 1") {
        try checkMaskedAttentionWeights($0) { try maskedWeightsMutant($0, $1, zeroAfterwards: true) }
    },
    Mutant("6.3", "averages the states without the weights", mentions: "plain mean") {
        try checkContextVector($0) { _, states in
            (0..<states[0].count).map { k in states.reduce(Float(0)) { $0 + $1[k] } / Float(states.count) }
        }
    },
    Mutant("6.3", "swaps the state and coordinate indices", mentions: "indices are swapped") {
        try checkContextVector($0) { weights, states in
            (0..<states[0].count).map { k in weights.indices.reduce(Float(0)) { $0 + weights[$1] * states[k % states.count][$1 % states[0].count] } }
        }
    },
    Mutant("6.4", "forgets the tanh", mentions: "tanh is missing") {
        try checkBahdanauScores($0) { states, s, w1, w2, v in
            (states.matmul(w1) + s.reshaped([1, s.count]).matmul(w2)).matmul(v.reshaped([v.count, 1])).scalars
        }
    },
    Mutant("6.4", "applies tanh to the score instead of the hidden layer", mentions: "tanh goes inside") {
        try checkBahdanauScores($0) { states, s, w1, w2, v in
            (states.matmul(w1) + s.reshaped([1, s.count]).matmul(w2)).matmul(v.reshaped([v.count, 1])).tanh().scalars
        }
    },
    Mutant("6.5", "multiplies hⱼᵀ W_a hₜ", mentions: "wrong way round") {
        try checkLuongGeneralScores($0) { q, w, states in
            states.map { h in (0..<h.count).reduce(Float(0)) { total, k in total + (0..<q.count).reduce(Float(0)) { $0 + h[k] * w[k][$1] * q[$1] } } }
        }
    },
    Mutant("6.5", "leaves W_a out", mentions: "W_a was left out") {
        try checkLuongGeneralScores($0) { q, _, states in states.map { h in zip(q, h).reduce(Float(0)) { $0 + $1.0 * $1.1 } } }
    },
    Mutant("6.6", "adds the step to the coverage before the min", mentions: "included the step itself") {
        try checkCoverageLoss($0) { steps in
            var coverage = [Float](repeating: 0, count: steps[0].count), total: Float = 0
            for alpha in steps {
                for j in coverage.indices { coverage[j] += alpha[j] }
                for j in coverage.indices { total += min(alpha[j], coverage[j]) }
            }
            return total
        }
    },
    Mutant("6.6", "uses max instead of min", mentions: "max, not min") {
        try checkCoverageLoss($0) { steps in
            var coverage = [Float](repeating: 0, count: steps[0].count), total: Float = 0
            for alpha in steps {
                for j in coverage.indices { total += max(alpha[j], coverage[j]) }
                for j in coverage.indices { coverage[j] += alpha[j] }
            }
            return total
        }
    },
    Mutant("6.7", "assigns the copy probability instead of adding it", mentions: "only its last weight counted") {
        try checkPointerGeneratorMixture($0) { pGen, vocabulary, attention, ids, size in
            var p = [Float](repeating: 0, count: size)
            for (w, q) in vocabulary.enumerated() { p[w] = pGen * q }
            for (j, w) in ids.enumerated() { p[w] = (w < vocabulary.count ? pGen * vocabulary[w] : 0) + (1 - pGen) * attention[j] }
            return p
        }
    },
    Mutant("6.7", "forgets the 1 − p_gen on the copy part", mentions: "not weighted by 1 − p_gen") {
        try checkPointerGeneratorMixture($0) { pGen, vocabulary, attention, ids, size in
            var p = [Float](repeating: 0, count: size)
            for (w, q) in vocabulary.enumerated() { p[w] = pGen * q }
            for (j, w) in ids.enumerated() { p[w] += attention[j] }
            return p
        }
    },
    Mutant("6.8", "applies the mask the wrong way round", mentions: "mask is the wrong way round") {
        try checkAttentionDecoderStep($0) {
            decoderStepMutant(previous: $0, state: $1, states: $2, mask: $3, w1: $4, w2: $5, v: $6, embedding: $7, cell: $8, output: $9, invertMask: true)
        }
    },
    Mutant("6.8", "feeds the GRU [cₜ ; embed(yₜ₋₁)]", mentions: "the embedding first") {
        try checkAttentionDecoderStep($0) {
            decoderStepMutant(previous: $0, state: $1, states: $2, mask: $3, w1: $4, w2: $5, v: $6, embedding: $7, cell: $8, output: $9, contextFirst: true)
        }
    },
    Mutant("6.8", "forgets the tanh in the score", mentions: "tanh is missing") {
        try checkAttentionDecoderStep($0) {
            decoderStepMutant(previous: $0, state: $1, states: $2, mask: $3, w1: $4, w2: $5, v: $6, embedding: $7, cell: $8, output: $9, noTanh: true)
        }
    },
    Mutant("6.8", "cuts the weights out of the graph with .value", mentions: "gradients differ") {
        try checkAttentionDecoderStep($0) {
            decoderStepMutant(previous: $0, state: $1, states: $2, mask: $3, w1: $4, w2: $5, v: $6, embedding: $7, cell: $8, output: $9, detached: true)
        }
    },
    Mutant("6.9", "scores the padded target positions", mentions: "padded target positions were scored") {
        try checkAttentionCopyLoss($0) { copyLossMutant($0, $1, $2, countPadding: true) }
    },
    Mutant("6.9", "feeds the model's own predictions", mentions: "fed its own predictions") {
        try checkAttentionCopyLoss($0) { copyLossMutant($0, $1, $2, feedPredictions: true) }
    },
    Mutant("6.9", "neither zeroes nor clips the gradients", mentions: "never zeroed") {
        try checkTrainAttentionCopier($0) { copierMutant($0, $1, &$2, zeroGradients: false, clip: false) }
    },
    Mutant("6.9", "stops after 20 steps", mentions: "train for more steps") {
        try checkTrainAttentionCopier($0) { copierMutant($0, $1, &$2, steps: 20) }
    },
]

private enum MutantError: Error { case nothingVisible }
