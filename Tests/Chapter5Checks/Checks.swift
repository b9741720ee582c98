// The checks of chapter 5's exercises 5.1 to 5.6. Each takes a Checker and the student's
// function, so the same check runs on the answer in Exercises/Chapter5 and on the known wrong
// answers in Mutants/Chapter5, which must fail it with a message that names their mistake.

import Chapter5Exercises
import Datasets
import ExerciseTesting
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// 5.1: one GRU step against the book's `GRUCell`, with the three classic slips named.
public func checkGRUStep(_ c: Checker, _ step: (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor) throws -> Tensor) throws {
    var rng = SeededRandom(seed: 51)
    for (B, E, H) in [(2, 3, 4), (1, 2, 3)] {
        let cell = GRUCell(inputSize: E, hiddenSize: H, rng: &rng)
        let x = Tensor.randomNormal([B, E], rng: &rng), h = Tensor.randomNormal([B, H], rng: &rng)
        let (wi, wh, bi, bh) = (cell.weightIH.value, cell.weightHH.value, cell.biasIH.value, cell.biasHH.value)
        let got = try step(x, h, wi, wh, bi, bh)
        let gates = cell.gates(.constant(x), .constant(h))
        let (r, z, n) = (gates.r.value, gates.z.value, gates.n.value)
        let one = Tensor.ones([B, H])
        // The wrong answers a student writes, computed from the same weights.
        let gi = x.matmul(wi) + bi, ghNoBias = h.matmul(wh)
        func columns(_ t: Tensor, _ k: Int) -> Tensor { t.slice(axis: 1, (k * H)..<((k + 1) * H)) }
        let nOutside = (columns(gi, 2) + r * columns(ghNoBias, 2) + bh.slice(axis: 0, (2 * H)..<(3 * H))).tanh()
        let gh = ghNoBias + bh
        let rSwapped = (columns(gi, 1) + columns(gh, 1)).sigmoid(), zSwapped = (columns(gi, 0) + columns(gh, 0)).sigmoid()
        let nSwapped = (columns(gi, 2) + rSwapped * columns(gh, 2)).tanh()
        c.expectClose(got, gates.h.value, tolerance: 1e-5, "h' for x [\(B), \(E)] and h [\(B), \(H)]", mistakes: [
            Mistake(z * n + (one - z) * h, "z and 1 − z are swapped: PyTorch's GRU keeps the old state where z is near 1, h' = (1 − z) ∗ n + z ∗ h"),
            Mistake((one - z) * nOutside + z * h, "the bias b_hn goes inside the reset gate's product: n = tanh(x·W_in + b_in + r ∗ (h·W_hn + b_hn))"),
            Mistake((one - zSwapped) * nSwapped + zSwapped * h, "the gates' columns are in the order r, z, n: columns 0..<H are r and H..<2H are z"),
            Mistake(n, "h' mixes the candidate with the old state: (1 − z) ∗ n + z ∗ h, not n alone"),
        ])
        if !c.failures.isEmpty { return }
    }
}

/// 5.2: parameter counts, with the one-bias and three-gate slips named.
public func checkParameterCounts(_ c: Checker, _ counts: (Int, Int) throws -> (gru: Int, lstm: Int)) throws {
    let got = try counts(32, 64)
    c.expectEqual(got.gru, 18_816, "the parameters of GRU(32, 64): 3 gates × (32·64 + 64·64 + 2·64)", mistakes: [
        Mistake(18_624, "one bias vector per gate; PyTorch keeps two, b_ih and b_hh, so a GRU has 6H biases"),
        Mistake(18_432, "the biases are missing: each gate has two bias vectors of size H"),
        Mistake(25_088, "that is the LSTM's count: a GRU has three gates (r, z, n), an LSTM four"),
    ])
    c.expectEqual(got.lstm, 25_088, "the parameters of LSTM(32, 64): 4 gates × (32·64 + 64·64 + 2·64)", mistakes: [
        Mistake(24_832, "one bias vector per gate; PyTorch keeps two, b_ih and b_hh, so an LSTM has 8H biases"),
        Mistake(24_576, "the biases are missing: each gate has two bias vectors of size H"),
        Mistake(18_816, "that is the GRU's count: an LSTM has four gates (i, f, g, o)"),
    ])
    for (e, h) in [(160, 64), (5, 7), (1, 1)] where c.failures.isEmpty {
        let other = try counts(e, h)
        c.expect(other.gru == gruParameterCount(input: e, hidden: h) && other.lstm == lstmParameterCount(input: e, hidden: h),
                 "E = \(e), H = \(h): expected GRU \(gruParameterCount(input: e, hidden: h)) and LSTM \(lstmParameterCount(input: e, hidden: h)), got \(other.gru) and \(other.lstm). Likely mistake: E and H swapped somewhere (the input matrix is E×H per gate, the recurrent one H×H)")
    }
}

/// The mean −log P of `targets` when the decoder is fed `inputs` (one per target), for the
/// wrong answers of 5.3.
func lossFeeding(_ model: Seq2Seq, source: [Int], inputs: [Int], targets: [Int]) -> Float {
    var state = model.initialState(model.encoder([source]))
    var total: Float = 0
    for (input, y) in zip(inputs, targets) {
        let (logits, next) = model.decoder.step(previous: [input], state: state)
        total -= logits.value.logSoftmax().scalars[y]
        state = next
    }
    return total / Float(targets.count)
}

/// 5.3: the teacher-forced loss of one pair: its value, and its gradient.
public func checkTeacherForcedPairLoss(_ c: Checker, _ pairLoss: (Seq2Seq, [Int], [Int]) throws -> Variable) throws {
    var rng = SeededRandom(seed: 53)
    let model = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 6, rng: &rng)
    for (source, target) in [([4, 6, 5, 7], [5, 7, 4, Vocabulary.endID]), ([6], [4, 4, 6, 5, Vocabulary.endID])] {
        for p in model.parameters { p.grad = nil }
        let got = try pairLoss(model, source, target)
        let reference = model.teacherForcedLoss(sources: [source], targets: [target])
        let expected = reference.value.scalar, T = Float(target.count)
        var unused = SeededRandom(seed: 0)
        let free = model.scheduledSamplingLoss(sources: [source], targets: [target], teacherForcing: 0, rng: &unused).value.scalar
        let what = "the loss of \(source) → \(target)"
        c.expect(got.value.count == 1, "\(what) should be one number (a scalar Variable), got shape \(got.shape)")
        guard got.value.count == 1 else { return }
        c.expectClose(got.value.scalars[0], expected, tolerance: 1e-5, what, mistakes: [
            Mistake(expected * T, "that is the sum over the \(target.count) target tokens; the loss is their mean"),
            Mistake(free, "the decoder was fed its own predictions; teacher forcing feeds the gold previous token"),
            Mistake(lossFeeding(model, source: source, inputs: target, targets: target),
                    "the inputs are shifted: the decoder reads <sos>, y₁, …, y_{T−1}, so the first input is <sos>, not y₁"),
            Mistake(lossFeeding(model, source: source, inputs: Array(repeating: Vocabulary.startID, count: target.count), targets: target),
                    "the decoder was fed <sos> at every step; after the first step feed the previous gold token"),
        ])
        guard c.failures.isEmpty else { return }
        got.backward()
        let mine = model.parameters.map(\.gradient)
        for p in model.parameters { p.grad = nil }
        reference.backward()
        let theirs = model.parameters.map(\.gradient)
        if mine.allSatisfy({ $0.scalars.allSatisfy { $0 == 0 } }) {
            c.fail("\(what) has the right value, but no gradient reached the model's weights. Likely mistake: the loss was built from .value (Tensors) and wrapped in a new Variable; build it from the decoder's logits Variables")
        } else if let worst = zip(mine, theirs).map({ zip($0.scalars, $1.scalars).map { abs($0 - $1) }.max() ?? 0 }).max(), worst > 1e-4 {
            c.fail("\(what) has the right value, but its gradient differs from the reference by up to \(Checker.format(Double(worst))). Likely mistake: part of the loss was computed from .value (Tensors), which cuts it out of the graph")
        }
    }
}

/// A small GRU encoder-decoder trained by the book to copy strings of 1 to 4 letters from a to
/// d, so that greedy decoding writes `<eos>` when a copy is done (an untrained model never does).
public func trainedCopyModel() -> Seq2Seq {
    let alphabet = ["a", "b", "c", "d"]
    let letters = Vocabulary(alphabet)
    let sources = SequenceTasks.randomSources(count: 200, lengths: 1...4, alphabet: alphabet, seed: 540)
    let data = EncodedPairs(sources.map { SequencePair(source: $0, target: $0) }, sourceVocabulary: letters, targetVocabulary: letters)
    var rng = SeededRandom(seed: 541)
    let model = Seq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count, embeddingSize: 8,
                        hiddenSize: 24, rng: &rng)
    trainSeq2Seq(model, on: data, steps: 80, batchSize: 16, learningRate: 0.03, rng: &rng, log: { _ in })
    return model
}

/// Greedy decoding done wrong in two ways: `stopAtEnd` false runs on past `<eos>`, `feedBack`
/// false feeds `<sos>` at every step.
func greedyVariant(_ model: Seq2Seq, source: [Int], maxLength: Int, stopAtEnd: Bool, feedBack: Bool) -> [Int] {
    var state = model.initialState(model.encoder([source]))
    var previous = Vocabulary.startID, tokens: [Int] = []
    while tokens.count < maxLength {
        let (logits, next) = model.decoder.step(previous: [previous], state: state)
        state = next
        let y = logits.value.argmax()[0]
        tokens.append(y)
        if stopAtEnd && y == Vocabulary.endID { break }
        if feedBack { previous = y }
    }
    return tokens
}

/// 5.4: greedy decoding of a trained copy model, which stops with `<eos>`.
public func checkGreedyTranslate(_ c: Checker, _ translate: (Seq2Seq, [Int], Int) throws -> [Int]) throws {
    // One step of an untrained model first: a stub stops here, before the training below.
    var rng = SeededRandom(seed: 54)
    let untrained = Seq2Seq(sourceVocabularySize: 8, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 6, rng: &rng)
    let first = try translate(untrained, [4, 5], 1)
    c.expectEqual(first, greedyDecode(untrained, source: [4, 5], maxLength: 1).tokens,
                  "the first token of an untrained model's decoding of [4, 5] (maxLength 1): the argmax after <sos>")
    let model = trainedCopyModel()
    // Letters a, b, c, d are ids 4, 5, 6, 7.
    for (source, maxLength) in [([4, 6, 5], 10), ([7, 4], 10), ([5, 5, 6, 7], 3), ([6], 1), ([7, 6, 4, 5], 12)] {
        let got = try translate(model, source, maxLength)
        let expected = greedyDecode(model, source: source, maxLength: maxLength).tokens
        var mistakes = [
            Mistake(greedyVariant(model, source: source, maxLength: maxLength, stopAtEnd: false, feedBack: true),
                    "decoding went on after <eos>: stop as soon as the token you appended is <eos>"),
            Mistake(greedyVariant(model, source: source, maxLength: maxLength, stopAtEnd: true, feedBack: false),
                    "the decoder was fed <sos> at every step: feed back the token just produced"),
        ]
        if expected.last == Vocabulary.endID {
            mistakes.insert(Mistake(Array(expected.dropLast()), "the <eos> that stops the loop was dropped: append it before you stop"), at: 0)
        }
        c.expect(got.count <= maxLength, "source \(source): at most maxLength = \(maxLength) tokens, got \(got.count)")
        c.expectEqual(got, expected, "the greedy decoding of \(source) (maxLength \(maxLength), <eos> is \(Vocabulary.endID))",
                      mistakes: mistakes.filter { $0.value != expected })
        if !c.failures.isEmpty { return }
    }
}

/// 5.5: bidirectional states against the book's bidirectional `GRUEncoder`.
public func checkBidirectionalStates(_ c: Checker, _ states: (GRUCell, GRUCell, [Tensor]) throws -> [Tensor]) throws {
    var rng = SeededRandom(seed: 55)
    let encoder = GRUEncoder(vocabularySize: 9, embeddingSize: 3, hiddenSize: 4, bidirectional: true, rng: &rng)
    let ids = [[4, 7, 5, 8], [6, 4, 3, 5]]
    let T = 4
    let inputs = (0..<T).map { t in encoder.embedding(ids.map { $0[t] }).value }
    let (forward, backward) = (encoder.forward, encoder.backward!)
    let got = try states(forward, backward, inputs)
    let expected = encoder(ids).states.map(\.value)
    // The wrong answers: backward states stored in step order, or read left to right.
    func run(_ cell: GRUCell, _ order: [Int]) -> [Tensor] {
        var h = Variable.constant(Tensor.zeros([2, 4]))
        return order.map { t in
            h = cell(.constant(inputs[t]), h)
            return h.value
        }
    }
    let forwardStates = run(forward, Array(0..<T))
    let backwardStepOrder = run(backward, Array((0..<T).reversed()))
    let backwardLeftToRight = run(backward, Array(0..<T))
    let backwardStates = Array(backwardStepOrder.reversed())
    c.expectEqual(got.count, T, "the number of states (one per position)")
    guard got.count == T else { return }
    for j in 0..<T {
        c.expectClose(got[j], expected[j], tolerance: 1e-5, "h_\(j) = [→h_\(j) ; ←h_\(j)]", mistakes: [
            Mistake(Tensor.concatenate([forwardStates[j], backwardStepOrder[j]], axis: 1),
                    "the backward states are stored in the order they were computed; store ←h at the position it has just read, so ←h_\(j) is the state after reading positions \(T - 1) down to \(j)"),
            Mistake(Tensor.concatenate([backwardStates[j], forwardStates[j]], axis: 1),
                    "the halves are swapped: the forward state comes first, [→hⱼ ; ←hⱼ]"),
            Mistake(Tensor.concatenate([forwardStates[j], backwardLeftToRight[j]], axis: 1),
                    "the backward GRU read left to right; it reads the inputs from the last position down to the first"),
        ])
        if !c.failures.isEmpty { return }
    }
}

/// 5.6: the inverse-sigmoid schedule and its check of k.
public func checkInverseSigmoidSchedule(_ c: Checker, _ schedule: (Int, Double) throws -> Double) throws {
    let first = try schedule(0, 100)
    c.expectClose(first, 100.0 / 101, tolerance: 1e-9, "ε₀ with k = 100 (100 / (100 + e⁰))")
    for i in [250, 500, 1000] {
        let expected = SamplingSchedule.inverseSigmoid(k: 100).teacherForcingProbability(step: i)
        let got = try schedule(i, 100)
        c.expectClose(got, expected, tolerance: 1e-9, "ε_\(i) with k = 100", mistakes: [
            Mistake(0, "the step is divided by k inside the exponential, exp(i / k), not multiplied"),
            Mistake(100 / (100 + exp(-Double(i) / 100)), "the exponent is + i / k: ε must fall as training goes on"),
            Mistake(1 / (1 + exp(Double(i) / 100)), "the numerator and the first term of the denominator are k, not 1"),
        ])
    }
    do {
        let value = try schedule(3, 0.5)
        c.fail("k = 0.5 should throw ScheduleError.invalidK(0.5): for k < 1 the schedule does not start near 1; got the value \(Checker.format(value))")
    } catch let error as ScheduleError {
        c.expectEqual(error, .invalidK(0.5), "the error thrown for k = 0.5")
    }
}
