// The checks of chapter 5's ★★★ exercises: 5.7 builds the padded-batch encoder, 5.8 trains a
// model with a loop of the student's own.

import Chapter5Exercises
import Datasets
import ExerciseTesting
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Σ of every state and the context, each weighted entry by entry by fixed random numbers: a
/// loss that reads all of an encoding, for comparing gradients.
func readEverything(states: [Variable], context: Variable, seed: UInt64) -> Variable {
    var rng = SeededRandom(seed: seed)
    var total = (context * Tensor.randomNormal(context.shape, rng: &rng)).sum()
    for state in states { total = total + (state * Tensor.randomNormal(state.shape, rng: &rng)).sum() }
    return total
}

/// 5.7: the padded-batch encoder against the book's `GRUEncoder`: mask, states, context, and the
/// gradients that reach the cell and the embedding.
public func checkPaddedEncoder(_ c: Checker,
                               _ encode: ([[Int]], Embedding, GRUCell) throws -> (states: [Variable], context: Variable, mask: Tensor)) throws {
    var rng = SeededRandom(seed: 57)
    let encoder = GRUEncoder(vocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
    let batch = [[4, 7, 5, 8], [6, 4], [5, 8, 6]]
    let lengths = batch.map(\.count), T = 4
    let padded = batch.map { $0 + Array(repeating: Vocabulary.padID, count: T - $0.count) }
    let what = "the batch \(batch) (lengths \(lengths))"
    let got = try encode(batch, encoder.embedding, encoder.forward)
    let reference = encoder(padded, lengths: lengths)
    // The wrong answers: the GRU reads the <pad> tokens; padded states are zeros.
    let readsPadding = encoder(padded)
    c.expectClose(got.mask, reference.mask, tolerance: 0, "the padding mask of \(what)", mistakes: [
        Mistake(1 - reference.mask, "the mask is the wrong way round: in this book 1 marks padding, a position attention may not look at (1 = blocked)"),
    ])
    c.expectEqual(got.states.count, T, "the number of states of \(what) (one per position of the padded batch)")
    c.expectClose(got.context.value, reference.context.value, tolerance: 1e-5, "the context of \(what)", mistakes: [
        Mistake(readsPadding.context.value, "the padding changed the state: the GRU read the <pad> tokens. Where a row is padding, keep its state: h ← (1 − pₜ) ∗ cell(xₜ, h) + pₜ ∗ h"),
        Mistake(readsPadding.states[0].value, "the context is the state after the last position, not after the first"),
    ])
    guard c.failures.isEmpty else { return }
    for t in 0..<T {
        let p = Tensor(shape: [3, 1], scalars: lengths.map { t < $0 ? 0 : 1 })
        c.expectClose(got.states[t].value, reference.states[t].value, tolerance: 1e-5, "states[\(t)] of \(what)", mistakes: [
            Mistake(reference.states[t].value * (1 - p), "a padded row's state is its last real state, carried over unchanged, not 0"),
            Mistake(readsPadding.states[t].value, "the padding changed the state: the GRU read the <pad> tokens"),
        ])
        if !c.failures.isEmpty { return }
    }
    // The gradients: the same loss on both encodings must reach the same weights.
    let parameters = encoder.parameters
    for p in parameters { p.grad = nil }
    let mine = readEverything(states: got.states, context: got.context, seed: 570)
    mine.backward()
    let myGradients = parameters.map(\.gradient)
    for p in parameters { p.grad = nil }
    readEverything(states: reference.states, context: reference.context, seed: 570).backward()
    let expected = parameters.map(\.gradient)
    if myGradients.allSatisfy({ $0.scalars.allSatisfy { $0 == 0 } }) {
        c.fail("the encoding of \(what) has the right values, but a loss on it sends no gradient to the cell or the embedding. Likely mistake: the states were computed from .value (Tensors) and wrapped in new Variables; use cell(x, h) and embedding(ids) on Variables throughout")
    } else {
        let names = ["the embedding table", "W_ih", "W_hh", "b_ih", "b_hh"]
        for (name, (a, b)) in zip(names, zip(myGradients, expected)) where c.failures.isEmpty {
            c.expectClose(a, b, tolerance: 1e-4, "the gradient of a loss on the encoding with respect to \(name)")
        }
    }
}

/// The reversal task of 5.8: 500 training pairs and 100 new test pairs, strings of 2 to 4 letters
/// from a to f, the target ending in <eos>.
public func reversalTask() -> (train: EncodedPairs, test: EncodedPairs) {
    let alphabet = Array(SequenceTasks.letters.prefix(6))
    let letters = Vocabulary(alphabet)
    func pairs(_ count: Int, seed: UInt64) -> EncodedPairs {
        let sources = SequenceTasks.randomSources(count: count, lengths: 2...4, alphabet: alphabet, seed: seed)
        return EncodedPairs(sources.map { SequencePair(source: $0, target: $0.reversed()) },
                            sourceVocabulary: letters, targetVocabulary: letters)
    }
    return (pairs(500, seed: 581), pairs(100, seed: 582))
}

/// The exact-match target of 5.8, on the 100 test reversals.
public let reversalTarget: Float = 0.75

/// 5.8, part 1: one training step, probed on two batches: it returns the batch's loss before
/// the update, lowers it, and leaves in the weights only its own batch's gradient (or none).
public func checkReverserStep(_ c: Checker,
                              _ step: (Seq2Seq, inout Adam, [[Int]], [[Int]]) throws -> Float) throws {
    let task = reversalTask()
    var rng = SeededRandom(seed: 585)
    let model = Seq2Seq(sourceVocabularySize: task.train.sourceVocabulary.count, targetVocabularySize: task.train.targetVocabulary.count,
                        embeddingSize: 8, hiddenSize: 32, rng: &rng)
    let parameters = model.parameters
    var optimizer = Adam(parameters, learningRate: 0.01)
    let (a, b) = (0..<8, 8..<16)
    func loss(_ rows: Range<Int>) -> Variable {
        model.teacherForcedLoss(sources: Array(task.train.sources[rows]), targets: Array(task.train.targets[rows]))
    }
    let before = loss(a).value.scalar
    let initial = parameters.map(\.value)
    let returned = try step(model, &optimizer, Array(task.train.sources[a]), Array(task.train.targets[a]))
    let after = loss(a).value.scalar
    c.expectClose(returned, before, tolerance: 1e-5, "the loss your step returns for its batch", mistakes: [
        Mistake(after, "that is the loss after the update; return the loss the step computed, before optimizer.step()"),
    ])
    guard zip(parameters, initial).contains(where: { $0.value != $1 }) else {
        c.fail("one step left the model's weights unchanged. Likely mistake: no loss.backward() before optimizer.step(), or an optimizer over other parameters than the ones given")
        return
    }
    c.expect(after < before, String(format: "one step should lower the loss of the batch it was taken on, and it went from %.4f to %.4f. Likely mistake: a step uphill (the gradient's sign flipped)", before, after))
    // The gradient a second step leaves must be that step's own: compare it with a fresh one.
    let first = parameters.map(\.grad)
    for p in parameters { p.grad = nil }
    loss(b).backward()
    let fresh = parameters.map(\.gradient)
    for (p, g) in zip(parameters, first) { p.grad = g }
    _ = try step(model, &optimizer, Array(task.train.sources[b]), Array(task.train.targets[b]))
    let left = parameters.map(\.grad)
    guard left.contains(where: { $0 != nil }) else { return }   // zeroed after the update: fine too
    let kept = left.map { $0 ?? Tensor.zeros([0]) }
    let dot = zip(kept, fresh).reduce(Float(0)) { total, pair in
        total + (pair.0.count == pair.1.count ? zip(pair.0.scalars, pair.1.scalars).reduce(0) { $0 + $1.0 * $1.1 } : 0)
    }
    let cosine = dot / max(gradientNorm(kept) * gradientNorm(fresh), 1e-12)
    c.expect(cosine > 0.999, String(format: "after a second step on a new batch, the gradient left in the weights points elsewhere than that batch's own gradient (cosine %.3f). Likely mistake: the gradients were never zeroed, so each backward() added to the last; call optimizer.zeroGradients() before loss.backward()", cosine))
}

/// 5.8, part 2: a model trained by the student's loop must reverse 75 % of new strings exactly;
/// if it does not, say why.
public func checkTrainReverser(_ c: Checker, _ train: (Seq2Seq, EncodedPairs, inout SeededRandom) throws -> [Float]) throws {
    let task = reversalTask()
    var rng = SeededRandom(seed: 583)
    let model = Seq2Seq(sourceVocabularySize: task.train.sourceVocabulary.count, targetVocabularySize: task.train.targetVocabulary.count,
                        embeddingSize: 8, hiddenSize: 32, rng: &rng)
    let initial = model.parameters.map(\.value)
    var trainingRNG = SeededRandom(seed: 584)
    let losses = try train(model, task.train, &trainingRNG)
    let accuracy = exactMatchAccuracy(model, on: task.test)
    guard !(accuracy >= reversalTarget) else { return }
    c.fail(trainingDiagnosis(
        "after your training, greedy decoding should reverse at least \(percent(reversalTarget)) of the 100 test strings exactly, and it reversed \(percent(accuracy))",
        parameters: model.parameters, initial: initial, losses: losses,
        freshLoss: { model.teacherForcedLoss(sources: Array(task.train.sources.prefix(64)), targets: Array(task.train.targets.prefix(64))) }))
}
