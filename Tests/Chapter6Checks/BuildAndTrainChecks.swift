// The checks of chapter 6's ★★★ exercises: 6.8 builds the attention decoder's step on batched
// tensors, 6.9 writes the padded teacher-forced loss and trains the attention model with it.

import Attention
import Chapter6Exercises
import Datasets
import ExerciseTesting
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// The student's step, as the check calls it.
public typealias DecoderStepFunction = ([Int], Variable, Variable, Tensor, Variable, Variable, Variable, Embedding, GRUCell, Linear) throws
    -> (logits: Variable, state: Variable, weights: Variable)

/// A weighted sum of every entry of the step's outputs: a loss that reads all of them.
func readStep(_ logits: Variable, _ state: Variable, seed: UInt64) -> Variable {
    var rng = SeededRandom(seed: seed)
    return (logits * Tensor.randomNormal(logits.shape, rng: &rng)).sum() + (state * Tensor.randomNormal(state.shape, rng: &rng)).sum()
}

/// 6.8: two decoder steps on a padded batch, against `AttentionSeq2Seq.step`: the weights (with
/// the mask, the scores and the query named when they are wrong), the new state (with the GRU
/// input's order), the logits, and the gradients that reach every weight.
public func checkAttentionDecoderStep(_ c: Checker, _ step: DecoderStepFunction) throws {
    var rng = SeededRandom(seed: 68)
    let model = AttentionSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 5, rng: &rng)
    let sources = [[4, 5, 6, 7], [6, 4]]
    let (ids, lengths) = padBatch(sources)
    let a = model.attention, d = model.decoder
    let encoded = model.encode(ids, lengths: lengths)
    let (states, mask) = (encoded.states, encoded.mask)
    var state = encoded.initialState
    for (t, previous) in [[Vocabulary.startID, Vocabulary.startID], [5, 6]].enumerated() {
        let got = try step(previous, state, states, mask, a.encoderWeight, a.decoderWeight, a.v, d.embedding, d.cell, d.output)
        let expected = model.step(previous: previous, state: state, states: states, mask: mask)
        let what = "step \(t + 1) for the batch \(sources) (the second padded, mask \(mask.scalars.map { Int($0) }))"
        // The wrong answers, computed from the same weights.
        let scores = a.alignmentScores(query: state, states: states)
        let (B, T, A) = (2, 4, a.attentionSize)
        let noTanh = (states.matmul(a.encoderWeight) + state.matmul(a.decoderWeight).reshaped([B, 1, A]))
            .matmul(a.v.reshaped([A, 1])).reshaped([B, T])
        c.expectClose(got.weights.value, expected.weights.value, tolerance: 1e-5, "the attention weights αₜ [2, 4] of \(what)", mistakes: [
            Mistake(scores.softmax().value, "the mask was not applied: padded positions must get weight 0 (mask 1 = blocked; scores.maskedFill(mask, with: -1e9) before the softmax)"),
            Mistake(scores.maskedFill(1 - mask, with: -1e9).softmax().value, "the mask is the wrong way round: 1 = blocked, the padding, which must get weight 0"),
            Mistake(noTanh.maskedFill(mask, with: -1e9).softmax().value, "tanh is missing from the score vᵀ tanh(W₁ hⱼ + W₂ sₜ₋₁)"),
        ])
        guard c.failures.isEmpty else { return }
        let context = contextVector(weights: expected.weights, states: states)
        let swapped = d.cell(Variable.concatenate([context, d.embedding(previous)], axis: 1), state)
        c.expectClose(got.state.value, expected.state.value, tolerance: 1e-5, "the new state sₜ [2, 5] of \(what)", mistakes: [
            Mistake(swapped.value, "the GRU's input is [embed(yₜ₋₁) ; cₜ]: the embedding first, then the context"),
        ])
        c.expectClose(got.logits.value, expected.logits.value, tolerance: 1e-5, "the logits [2, 8] of \(what)", mistakes: [
            Mistake(d.output(state).value, "the logits come from the new state sₜ, after the GRU step, not from sₜ₋₁"),
        ])
        guard c.failures.isEmpty else { return }
        // Gradients: the same loss on both must reach every weight (and the encoder, through the states) alike.
        // Both losses share the encoder's graph: clear every node's gradient, not just the weights'.
        let parameters = model.parameters
        let myLoss = readStep(got.logits, got.state, seed: 680), theirLoss = readStep(expected.logits, expected.state, seed: 680)
        myLoss.zeroGradients()
        theirLoss.zeroGradients()
        myLoss.backward()
        let mine = parameters.map(\.gradient)
        myLoss.zeroGradients()
        theirLoss.zeroGradients()
        theirLoss.backward()
        let theirs = parameters.map(\.gradient)
        theirLoss.zeroGradients()
        if mine.allSatisfy({ $0.scalars.allSatisfy { $0 == 0 } }) {
            c.fail("the outputs of \(what) are right, but a loss on them sends no gradient to any weight. Likely mistake: part of the step was computed on .value (Tensors) and wrapped in a new Variable; stay with Variables")
            return
        }
        if let worst = zip(mine, theirs).map({ zip($0.scalars, $1.scalars).map { abs($0 - $1) }.max() ?? 0 }).max(), worst > 1e-4 {
            let cut = zip(mine, theirs).contains { m, e in m.scalars.allSatisfy { $0 == 0 } && e.scalars.contains { $0 != 0 } }
            c.fail("the outputs of \(what) are right, but their gradients differ from the reference by up to \(Checker.format(Double(worst)))."
                   + (cut ? " Likely mistake: some weights get no gradient at all, because part of the step was computed on .value (Tensors)" : ""))
            return
        }
        state = expected.state
    }
}

/// A teacher-forced loss of the attention model with one of the student's slips, for 6.9's
/// mistakes: `countPadding` scores the padded target positions too; `feedPredictions` feeds the
/// model's own argmax instead of the gold tokens.
func attentionLossVariant(_ model: AttentionSeq2Seq, sources: [[Int]], targets: [[Int]], countPadding: Bool = false,
                          feedPredictions: Bool = false) -> Float {
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
    return crossEntropy(logits: Variable.concatenate(logits, axis: 0), targets: gold,
                        ignoreIndex: countPadding ? nil : Vocabulary.padID).value.scalar
}

/// 6.9, part 1: the padded teacher-forced loss of a batch, its value and its gradient.
public func checkAttentionCopyLoss(_ c: Checker, _ loss: (AttentionSeq2Seq, [[Int]], [[Int]]) throws -> Variable) throws {
    var rng = SeededRandom(seed: 69)
    let model = AttentionSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 4, hiddenSize: 5, rng: &rng)
    let sources = [[4, 5, 6, 7], [6, 4], [8, 5, 7]]
    let targets = [[7, 6, 5, 4, Vocabulary.endID], [4, Vocabulary.endID], [5, 8, Vocabulary.endID]]
    let what = "the loss of the batch \(sources) → \(targets)"
    let got = try loss(model, sources, targets)
    let reference = model.teacherForcedLoss(sources: sources, targets: targets)
    c.expect(got.value.count == 1, "\(what) should be one number, got shape \(got.shape)")
    guard got.value.count == 1 else { return }
    let expected = reference.value.scalar
    c.expectClose(got.value.scalars[0], expected, tolerance: 1e-5, what, mistakes: [
        Mistake(attentionLossVariant(model, sources: sources, targets: targets, countPadding: true),
                "the padded target positions were scored too: crossEntropy(…, ignoreIndex: Vocabulary.padID) leaves them out of the mean"),
        Mistake(attentionLossVariant(model, sources: sources, targets: targets, feedPredictions: true),
                "the decoder was fed its own predictions; teacher forcing feeds the gold previous tokens"),
        Mistake(expected * 10, "that is the sum over the 10 real target tokens; the loss is their mean"),
    ])
    guard c.failures.isEmpty else { return }
    let parameters = model.parameters
    for p in parameters { p.grad = nil }
    got.backward()
    let mine = parameters.map(\.gradient)
    for p in parameters { p.grad = nil }
    reference.backward()
    let worst = zip(mine, parameters.map(\.gradient)).map { zip($0.scalars, $1.scalars).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    for p in parameters { p.grad = nil }
    if mine.allSatisfy({ $0.scalars.allSatisfy { $0 == 0 } }) {
        c.fail("\(what) has the right value, but no gradient reached the model. Likely mistake: the loss was built from .value (Tensors); build it from the steps' logits Variables")
    } else if worst > 1e-4 {
        c.fail("\(what) has the right value, but its gradient differs from the reference by up to \(Checker.format(Double(worst)))")
    }
}

/// The copy task of 6.9: 500 training copies of 2 to 7 letters from a to f, and 60 new test
/// copies of 6 and 7 letters, the long end.
public func longCopyTask() -> (train: EncodedPairs, test: EncodedPairs) {
    let alphabet = Array(SequenceTasks.letters.prefix(6))
    let letters = Vocabulary(alphabet)
    func pairs(_ count: Int, _ lengths: ClosedRange<Int>, seed: UInt64) -> EncodedPairs {
        let sources = SequenceTasks.randomSources(count: count, lengths: lengths, alphabet: alphabet, seed: seed)
        return EncodedPairs(sources.map { SequencePair(source: $0, target: $0) }, sourceVocabulary: letters, targetVocabulary: letters)
    }
    return (pairs(500, 2...7, seed: 691), pairs(60, 6...7, seed: 692))
}

/// Token accuracy over the whole test set of `longCopyTask` (both lengths pooled, every target
/// token counted once).
public func pooledTokenAccuracy(on data: EncodedPairs, decode: ([Int], Int) -> [Int]) -> Float {
    var right = 0, total = 0
    for (source, target) in zip(data.sources, data.targets) {
        right += zip(decode(source, target.count), target).filter { $0 == $1 }.count
        total += target.count
    }
    return Float(right) / Float(total)
}

/// The target of 6.9: token accuracy on the long test copies.
public let longCopyTarget: Float = 0.6

/// 6.9, part 2: the student's loop must train the attention model past the target on long copies.
public func checkTrainAttentionCopier(_ c: Checker, _ train: (AttentionSeq2Seq, EncodedPairs, inout SeededRandom) throws -> [Float]) throws {
    let task = longCopyTask()
    var rng = SeededRandom(seed: 693)
    let model = AttentionSeq2Seq(sourceVocabularySize: task.train.sourceVocabulary.count, targetVocabularySize: task.train.targetVocabulary.count,
                                 embeddingSize: 8, hiddenSize: 16, rng: &rng)
    let initial = model.parameters.map(\.value)
    var trainingRNG = SeededRandom(seed: 694)
    let losses = try train(model, task.train, &trainingRNG)
    let accuracy = pooledTokenAccuracy(on: task.test) { greedyDecode(model, source: $0, maxLength: $1).tokens }
    guard !(accuracy >= longCopyTarget) else { return }
    c.fail(trainingDiagnosis(
        "after your training, greedy decoding should get at least \(percent(longCopyTarget)) of the tokens of 60 new copies of 6 and 7 letters right (chapter 5's model without attention gets 29 %), and it got \(percent(accuracy))",
        parameters: model.parameters, initial: initial, losses: losses,
        freshLoss: { model.teacherForcedLoss(sources: Array(task.train.sources.prefix(64)), targets: Array(task.train.targets.prefix(64))) }))
}
