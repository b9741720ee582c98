// Known wrong answers to chapter 5's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter5Checks
import Datasets
import ExerciseTesting
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// A GRU step written with one of three slips.
private func gruStepMutant(x: Tensor, h: Tensor, wi: Tensor, wh: Tensor, bi: Tensor, bh: Tensor,
                           swapZ: Bool = false, biasOutside: Bool = false, swapGates: Bool = false) -> Tensor {
    let H = wh.shape[0]
    let gi = x.matmul(wi) + bi
    let gh = biasOutside ? h.matmul(wh) : h.matmul(wh) + bh
    let (first, second) = swapGates ? (1, 0) : (0, 1)
    let r = (gi.slice(axis: 1, (first * H)..<((first + 1) * H)) + (biasOutside ? gh + bh : gh).slice(axis: 1, (first * H)..<((first + 1) * H))).sigmoid()
    let z = (gi.slice(axis: 1, (second * H)..<((second + 1) * H)) + (biasOutside ? gh + bh : gh).slice(axis: 1, (second * H)..<((second + 1) * H))).sigmoid()
    let n = biasOutside
        ? (gi.slice(axis: 1, 2 * H..<3 * H) + r * gh.slice(axis: 1, 2 * H..<3 * H) + bh.slice(axis: 0, 2 * H..<3 * H)).tanh()
        : (gi.slice(axis: 1, 2 * H..<3 * H) + r * gh.slice(axis: 1, 2 * H..<3 * H)).tanh()
    let one = Tensor.ones(z.shape)
    return swapZ ? z * n + (one - z) * h : (one - z) * n + z * h
}

/// The padded-batch encoder with one of its slips.
private func paddedEncoderMutant(_ sequences: [[Int]], embedding: Embedding, cell: GRUCell, carry: Bool = true,
                                 maskOfRealTokens: Bool = false, detached: Bool = false) -> (states: [Variable], context: Variable, mask: Tensor) {
    let T = sequences.map(\.count).max()!, B = sequences.count
    let padded = sequences.map { $0 + Array(repeating: Vocabulary.padID, count: T - $0.count) }
    var h = Variable.constant(Tensor.zeros([B, cell.hiddenSize]))
    var states: [Variable] = []
    for t in 0..<T {
        let x = embedding(padded.map { $0[t] })
        let next = cell(detached ? .constant(x.value) : x, h)
        let p = Tensor(shape: [B, 1], scalars: sequences.map { t < $0.count ? 0 : 1 })
        h = carry ? next * (1 - p) + h * p : next
        if detached { h = .constant(h.value) }
        states.append(h)
    }
    let mask = Tensor(shape: [B, T], scalars: sequences.flatMap { s in (0..<T).map { ($0 < s.count) == maskOfRealTokens ? 1 : 0 } })
    return (states, h, mask)
}

/// A training loop for 5.8 with one of its slips.
private func reverserMutant(_ model: Seq2Seq, _ data: EncodedPairs, _ rng: inout SeededRandom, steps: Int = 140,
                            freshModel: Bool = false) -> [Float] {
    var trained = model
    if freshModel {
        var own = SeededRandom(seed: 1)
        trained = Seq2Seq(sourceVocabularySize: data.sourceVocabulary.count, targetVocabularySize: data.targetVocabulary.count,
                          embeddingSize: 8, hiddenSize: 32, rng: &own)
    }
    var optimizer = Adam(trained.parameters, learningRate: 0.01)
    var losses: [Float] = []
    for _ in 0..<steps {
        let rows = (0..<32).map { _ in rng.integer(below: data.count) }
        let loss = trained.teacherForcedLoss(sources: rows.map { data.sources[$0] }, targets: rows.map { data.targets[$0] })
        optimizer.zeroGradients()
        loss.backward()
        clipGradientNorm(trained.parameters, maxNorm: 1)
        optimizer.step()
        losses.append(loss.value.scalar)
    }
    return losses
}

public let chapter5Mutants: [Mutant] = [
    Mutant("5.1", "swaps z and 1 − z", mentions: "z and 1 − z are swapped") {
        try checkGRUStep($0) { gruStepMutant(x: $0, h: $1, wi: $2, wh: $3, bi: $4, bh: $5, swapZ: true) }
    },
    Mutant("5.1", "puts b_hn outside the reset gate's product", mentions: "inside the reset gate's product") {
        try checkGRUStep($0) { gruStepMutant(x: $0, h: $1, wi: $2, wh: $3, bi: $4, bh: $5, biasOutside: true) }
    },
    Mutant("5.1", "reads the z columns as r and the r columns as z", mentions: "order r, z, n") {
        try checkGRUStep($0) { gruStepMutant(x: $0, h: $1, wi: $2, wh: $3, bi: $4, bh: $5, swapGates: true) }
    },
    Mutant("5.2", "counts one bias vector per gate", mentions: "one bias vector per gate") {
        try checkParameterCounts($0) { E, H in (3 * (H * E + H * H + H), 4 * (H * E + H * H + H)) }
    },
    Mutant("5.2", "gives the LSTM three gates", mentions: "four gates") {
        try checkParameterCounts($0) { E, H in (3 * (H * E + H * H + 2 * H), 3 * (H * E + H * H + 2 * H)) }
    },
    Mutant("5.3", "sums the token losses instead of averaging them", mentions: "their mean") {
        try checkTeacherForcedPairLoss($0) { model, source, target in
            var state = model.initialState(model.encoder([source]))
            var previous = Vocabulary.startID, all: [Variable] = []
            for y in target {
                let (logits, next) = model.decoder.step(previous: [previous], state: state)
                all.append(logits)
                state = next
                previous = y
            }
            return crossEntropy(logits: Variable.concatenate(all, axis: 0), targets: target) * Float(target.count)
        }
    },
    Mutant("5.3", "feeds the model's own predictions", mentions: "teacher forcing feeds the gold") {
        try checkTeacherForcedPairLoss($0) { model, source, target in
            var state = model.initialState(model.encoder([source]))
            var previous = Vocabulary.startID, all: [Variable] = []
            for _ in target {
                let (logits, next) = model.decoder.step(previous: [previous], state: state)
                all.append(logits)
                state = next
                previous = logits.value.argmax()[0]
            }
            return crossEntropy(logits: Variable.concatenate(all, axis: 0), targets: target)
        }
    },
    Mutant("5.3", "feeds y₁ … y_T, forgetting <sos>", mentions: "the first input is <sos>") {
        try checkTeacherForcedPairLoss($0) { model, source, target in
            var state = model.initialState(model.encoder([source]))
            var all: [Variable] = []
            for y in target {
                let (logits, next) = model.decoder.step(previous: [y], state: state)
                all.append(logits)
                state = next
            }
            return crossEntropy(logits: Variable.concatenate(all, axis: 0), targets: target)
        }
    },
    Mutant("5.3", "computes the loss from .value, cutting the graph", mentions: "no gradient reached") {
        try checkTeacherForcedPairLoss($0) { model, source, target in
            var state = model.initialState(model.encoder([source]))
            var previous = Vocabulary.startID, all: [Tensor] = []
            for y in target {
                let (logits, next) = model.decoder.step(previous: [previous], state: state)
                all.append(logits.value)
                state = next
                previous = y
            }
            return crossEntropy(logits: .constant(Tensor.concatenate(all, axis: 0)), targets: target)
        }
    },
    Mutant("5.4", "drops the <eos> that stops the loop", mentions: "<eos> that stops the loop was dropped") {
        try checkGreedyTranslate($0) { model, source, maxLength in
            var state = model.initialState(model.encoder([source]))
            var previous = Vocabulary.startID, tokens: [Int] = []
            while tokens.count < maxLength {
                let (logits, next) = model.decoder.step(previous: [previous], state: state)
                state = next
                let y = logits.value.argmax()[0]
                if y == Vocabulary.endID { break }
                tokens.append(y)
                previous = y
            }
            return tokens
        }
    },
    Mutant("5.4", "never stops at <eos>", mentions: "went on after <eos>") {
        try checkGreedyTranslate($0) { model, source, maxLength in
            var state = model.initialState(model.encoder([source]))
            var previous = Vocabulary.startID, tokens: [Int] = []
            for _ in 0..<maxLength {
                let (logits, next) = model.decoder.step(previous: [previous], state: state)
                state = next
                previous = logits.value.argmax()[0]
                tokens.append(previous)
            }
            return tokens
        }
    },
    Mutant("5.4", "feeds <sos> at every step", mentions: "fed <sos> at every step") {
        try checkGreedyTranslate($0) { model, source, maxLength in
            var state = model.initialState(model.encoder([source]))
            var tokens: [Int] = []
            while tokens.count < maxLength {
                let (logits, next) = model.decoder.step(previous: [Vocabulary.startID], state: state)
                state = next
                tokens.append(logits.value.argmax()[0])
                if tokens.last == Vocabulary.endID { break }
            }
            return tokens
        }
    },
    Mutant("5.5", "stores the backward states in the order they were computed", mentions: "order they were computed") {
        try checkBidirectionalStates($0) { forward, backward, inputs in
            let B = inputs[0].shape[0]
            var h = Variable.constant(Tensor.zeros([B, forward.hiddenSize])), forwardStates: [Tensor] = []
            for x in inputs {
                h = forward(.constant(x), h)
                forwardStates.append(h.value)
            }
            h = Variable.constant(Tensor.zeros([B, backward.hiddenSize]))
            var backwardStates: [Tensor] = []
            for x in inputs.reversed() {
                h = backward(.constant(x), h)
                backwardStates.append(h.value)
            }
            return zip(forwardStates, backwardStates).map { Tensor.concatenate([$0, $1], axis: 1) }
        }
    },
    Mutant("5.5", "puts the backward half first", mentions: "halves are swapped") {
        try checkBidirectionalStates($0) { forward, backward, inputs in
            let B = inputs[0].shape[0], T = inputs.count
            var h = Variable.constant(Tensor.zeros([B, forward.hiddenSize])), forwardStates: [Tensor] = []
            for x in inputs {
                h = forward(.constant(x), h)
                forwardStates.append(h.value)
            }
            h = Variable.constant(Tensor.zeros([B, backward.hiddenSize]))
            var backwardStates = [Tensor](repeating: Tensor.zeros([0]), count: T)
            for t in (0..<T).reversed() {
                h = backward(.constant(inputs[t]), h)
                backwardStates[t] = h.value
            }
            return (0..<T).map { Tensor.concatenate([backwardStates[$0], forwardStates[$0]], axis: 1) }
        }
    },
    Mutant("5.6", "multiplies the step by k", mentions: "not multiplied") {
        try checkInverseSigmoidSchedule($0) { i, k in
            guard k >= 1 else { throw ScheduleErrorStandIn.invalid }
            return k / (k + exp(Double(i) * k))
        }
    },
    Mutant("5.6", "accepts k < 1", mentions: "should throw ScheduleError.invalidK(0.5)") {
        try checkInverseSigmoidSchedule($0) { i, k in k / (k + exp(Double(i) / k)) }
    },
    Mutant("5.7", "lets the GRU read the padding", mentions: "the padding changed the state") {
        try checkPaddedEncoder($0) { paddedEncoderMutant($0, embedding: $1, cell: $2, carry: false) }
    },
    Mutant("5.7", "marks the real tokens with 1", mentions: "1 marks padding") {
        try checkPaddedEncoder($0) { paddedEncoderMutant($0, embedding: $1, cell: $2, maskOfRealTokens: true) }
    },
    Mutant("5.7", "builds the states from .value", mentions: "sends no gradient") {
        try checkPaddedEncoder($0) { paddedEncoderMutant($0, embedding: $1, cell: $2, detached: true) }
    },
    Mutant("5.8", "never zeroes the gradients", mentions: "never zeroed") {
        try checkReverserStep($0) { model, optimizer, sources, targets in
            let loss = model.teacherForcedLoss(sources: sources, targets: targets)
            loss.backward()
            clipGradientNorm(model.parameters, maxNorm: 1)
            optimizer.step()
            return loss.value.scalar
        }
    },
    Mutant("5.8", "returns the loss after the update", mentions: "loss after the update") {
        try checkReverserStep($0) { model, optimizer, sources, targets in
            let loss = model.teacherForcedLoss(sources: sources, targets: targets)
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            return model.teacherForcedLoss(sources: sources, targets: targets).value.scalar
        }
    },
    Mutant("5.8", "stops after 15 steps", mentions: "train for more steps") {
        try checkTrainReverser($0) { reverserMutant($0, $1, &$2, steps: 15) }
    },
    Mutant("5.8", "trains a model of its own instead of the one given", mentions: "weights never changed") {
        try checkTrainReverser($0) { reverserMutant($0, $1, &$2, freshModel: true) }
    },
]

/// An error of the mutants' own: the first 5.6 mutant must not throw the exercise's error type,
/// which the check catches; it never throws for the k the check gives first.
private enum ScheduleErrorStandIn: Error { case invalid }
