// The check of exercise 7.10: a Transformer the student trains must reach a stated exact match,
// and when it does not, the check says why (diverged, never zeroed gradients, decoder input not
// shifted, the string written forwards, loss going up, too little training).

import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// 7.10's task: reverse strings of 3 or 4 digits drawn from 4 (tokens 3 … 6).
public let reverserTask = ReversalTask(digits: 4, lengths: 3...4)

/// 7.10's target: greedy decoding reverses at least this many of the 200 test strings exactly.
public let reverserTarget = 180

/// 7.10: a Transformer trained to reverse strings reaches 90% exact match on 200 new strings.
public func checkTrainReverser(_ c: Checker, _ train: ([[Int]], Int, inout SeededRandom) throws -> EncoderDecoderModel) throws {
    let task = reverserTask
    var dataRNG = SeededRandom(seed: 7101)
    let strings = task.strings(4_000, rng: &dataRNG)
    var rng = SeededRandom(seed: 7102)
    let model = try train(strings, task.vocabularySize, &rng)

    let configuration = model.configuration
    guard configuration.vocabularySize >= task.vocabularySize else {
        c.fail("the model's vocabulary has \(configuration.vocabularySize) tokens, but the strings use tokens 0 … \(task.vocabularySize - 1): configure vocabularySize: \(task.vocabularySize)")
        return
    }
    guard configuration.maxLength >= 6 else {
        c.fail("the model's maxLength is \(configuration.maxLength), but decoding a 4-token string takes 6 positions (<s>, 4 tokens, </s>): configure maxLength of at least 6")
        return
    }
    guard model.parameters.allSatisfy({ $0.value.isFinite }) else {
        c.fail("the trained model's parameters contain NaN or ∞: the training diverged. Likely mistake: a learning rate far too large (1e-2 works), or a loss that is not finite")
        return
    }

    var testRNG = SeededRandom(seed: 7103)
    let test = task.batch(200, rng: &testRNG)
    let wasTraining = model.dropout.isTraining
    model.dropout.isTraining = false
    defer { model.dropout.isTraining = wasTraining }
    let decoded = model.greedyDecode(test.source, start: ReversalTask.start, end: ReversalTask.end, maxLength: 6).tokens
    let correct = zip(decoded, test.decoderTarget).filter { $0.prefix { $0 != ReversalTask.end } == $1.prefix { $0 != ReversalTask.end } }.count
    guard correct < reverserTarget else { return }
    var message = "greedy decoding reversed \(correct) of 200 new strings exactly; the target is at least \(reverserTarget) (90%)"

    // Did it learn to copy the token it reads? Then its input was not shifted.
    let unshifted = model(source: test.source, target: test.decoderTarget).value.argmax()
    let realPositions = test.decoderTarget.joined().enumerated().filter { $0.element != ReversalTask.padding }
    let copies = realPositions.filter { unshifted[$0.offset] == $0.element }.count
    // Did it learn to write the string forwards?
    let forwards = zip(decoded, test.source).filter { $0.prefix { $0 != ReversalTask.end } == $1.filter { $0 != ReversalTask.padding } }.count
    // What is left in the gradients, against one fresh gradient on a new batch.
    let left = model.parameters.map { $0.grad }
    let leftNorm = norm(left)
    for p in model.parameters { p.grad = nil }
    var freshRNG = SeededRandom(seed: 7104)
    model.teacherForcedLoss(task.batch(32, rng: &freshRNG)).backward()
    let freshNorm = norm(model.parameters.map { $0.grad })
    for (p, g) in zip(model.parameters, left) { p.grad = g }
    // The held-out loss, trained and untrained.
    let trainedLoss = model.teacherForcedLoss(test).value.scalar
    let untrained = EncoderDecoderModel(configuration, seed: 0)
    untrained.dropout.isTraining = false
    let untrainedLoss = untrained.teacherForcedLoss(test).value.scalar

    if copies > realPositions.count * 8 / 10 {
        message += ". Likely mistake: the decoder learned to copy the token it reads (\(copies) of \(realPositions.count) positions), because its input was the target itself; it must read the target shifted right by one: [1] + reversed(x), predicting reversed(x) + [2]"
    } else if forwards > 100 {
        message += ". Likely mistake: the model writes \(forwards) of 200 strings forwards: the target is the string reversed"
    } else if leftNorm > 4 * freshNorm {
        message += ". Likely mistake: the gradients were never zeroed, so each backward() added to the last (what is left in them is \(Checker.format(Double(leftNorm / max(freshNorm, 1e-12)).rounded())) times one fresh gradient); call zeroGradients() before loss.backward()"
    } else if !(trainedLoss < untrainedLoss) {
        message += ". Likely mistake: the held-out loss is \(Checker.format(Double(trainedLoss))), no better than an untrained model's \(Checker.format(Double(untrainedLoss))): check that the optimizer steps the model's parameters, downhill, after backward()"
    } else {
        message += ". It is learning (held-out loss per token \(Checker.format(Double(trainedLoss))), down from \(Checker.format(Double(untrainedLoss))) untrained): train for more steps (about 200 batches of 32 at Adam's 1e-2)"
    }
    c.fail(message)
}

/// The Euclidean norm of every gradient together (missing gradients count as 0).
func norm(_ gradients: [Tensor?]) -> Float {
    gradients.reduce(Float(0)) { total, g in total + (g.map { ($0 * $0).sum().scalar } ?? 0) }.squareRoot()
}
