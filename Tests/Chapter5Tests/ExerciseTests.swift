import Chapter5Exercises
import Datasets
import ExerciseTesting
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Testing

/// The checks for Exercises/Chapter5. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 5: exercises")
struct Chapter5ExerciseTests {
    static func smallModel(seed: UInt64 = 50) -> Seq2Seq {
        var rng = SeededRandom(seed: seed)
        return Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 6, rng: &rng)
    }

    @Test("5.1 One GRU step: r, z, n and h' = (1 − z) ∗ n + z ∗ h")
    func exercise5_1() throws {
        var rng = SeededRandom(seed: 51)
        let cell = GRUCell(inputSize: 3, hiddenSize: 4, rng: &rng)
        let x = Tensor.randomNormal([2, 3], rng: &rng), h = Tensor.randomNormal([2, 4], rng: &rng)
        let got = try attempt("5.1") { try gruStep(cell: cell, x: x, h: h) }
        let gates = cell.gates(.constant(x), .constant(h))
        #expect(got.shape == [2, 4], "h' has the shape of h, [B, H] = [2, 4]; got \(got.shape)")
        guard got.shape == [2, 4] else { return }
        if got.isClose(to: gates.h.value, tolerance: 1e-5) { return }
        let swapped = (Tensor.ones([2, 4]) - gates.z.value) * Tensor(shape: [2, 4], scalars: h.scalars) + gates.z.value * gates.n.value
        #expect(!got.isClose(to: swapped, tolerance: 1e-5),
                "you computed z ∗ n + (1 − z) ∗ h: PyTorch's GRU keeps the old state where z is near 1, h' = (1 − z) ∗ n + z ∗ h")
        let H = 4
        let gi = x.matmul(cell.weightIH.value) + cell.biasIH.value
        let nOutside = (gi.slice(axis: 1, 2 * H..<3 * H) + gates.r.value * h.matmul(cell.weightHH.value).slice(axis: 1, 2 * H..<3 * H)
                        + cell.biasHH.value.slice(axis: 0, 2 * H..<3 * H)).tanh()
        let hOutside = (Tensor.ones([2, 4]) - gates.z.value) * nOutside + gates.z.value * h
        #expect(!got.isClose(to: hOutside, tolerance: 1e-5),
                "the bias b_hn goes inside the reset gate's product: n = tanh(x·W_in + b_in + r ∗ (h·W_hn + b_hn))")
        #expect(got.isClose(to: gates.h.value, tolerance: 1e-5), "h' should be \(gates.h.value), got \(got)")
    }

    @Test("5.2 Parameter counts: GRU 3H(E + H) + 6H, LSTM 4H(E + H) + 8H")
    func exercise5_2() throws {
        let counts = try attempt("5.2") { try recurrentParameterCounts(input: 32, hidden: 64) }
        #expect(counts.gru == 18_816, "GRU(32, 64): 3 gates × (32·64 + 64·64 + 2·64) = 18,816, got \(counts.gru)")
        #expect(counts.lstm == 25_088, "LSTM(32, 64): 4 gates × (32·64 + 64·64 + 2·64) = 25,088, got \(counts.lstm)")
        if counts.gru == 18_432 || counts.gru == 18_624 {
            Issue.record("count both biases of every gate: PyTorch keeps b_ih and b_hh separately (6H for a GRU)")
        }
        for (e, h) in [(160, 64), (5, 7), (1, 1)] {
            let c = try recurrentParameterCounts(input: e, hidden: h)
            #expect(c.gru == gruParameterCount(input: e, hidden: h) && c.lstm == lstmParameterCount(input: e, hidden: h),
                    "E = \(e), H = \(h): GRU \(gruParameterCount(input: e, hidden: h)), LSTM \(lstmParameterCount(input: e, hidden: h)); got \(c)")
        }
    }

    @Test("5.3 The teacher-forced loss: gold inputs <sos>, y₁, …; mean −log P over the target")
    func exercise5_3() throws {
        let model = Self.smallModel()
        let source = [4, 6, 5, 7], target = [5, 7, 4, Vocabulary.endID]
        let loss = try attempt("5.3") { try teacherForcedLoss(model: model, source: source, target: target) }
        let reference = model.loss(sources: [source], targets: [target])
        #expect(abs(loss.value.scalar - reference.value.scalar) < 1e-5,
                "the loss should be \(reference.value.scalar), got \(loss.value.scalar): feed <sos> first, then the gold tokens (not the predictions), and average over the \(target.count) target tokens")
        loss.backward()
        let mine = model.parameters.map(\.gradient)
        for p in model.parameters { p.grad = nil }
        reference.backward()
        let close = zip(mine, model.parameters.map(\.gradient)).allSatisfy { $0.isClose(to: $1, tolerance: 1e-5) }
        #expect(close, "the gradients differ from the reference loss's: build the loss from Variables (no .value detours)")
    }

    @Test("5.4 The greedy loop: feed back the argmax, stop after <eos> or maxLength tokens")
    func exercise5_4() throws {
        let model = Self.smallModel(seed: 54)
        for (source, maxLength) in [([4, 6, 5], 6), ([7, 7, 8, 4], 3), ([5], 12)] {
            let got = try attempt("5.4") { try greedyTranslate(model: model, source: source, maxLength: maxLength) }
            let expected = greedyDecode(model, source: source, maxLength: maxLength).tokens
            #expect(got.count <= maxLength, "at most maxLength = \(maxLength) tokens, got \(got.count)")
            #expect(got == expected, "source \(source), maxLength \(maxLength): greedy decoding gives \(expected), got \(got); start from <sos> (id \(Vocabulary.startID)) and keep <eos> when it appears")
        }
    }

    @Test("5.5 Bidirectional states: hⱼ = [→hⱼ ; ←hⱼ]")
    func exercise5_5() throws {
        var rng = SeededRandom(seed: 55)
        let encoder = GRUEncoder(vocabularySize: 9, embeddingSize: 3, hiddenSize: 4, bidirectional: true, rng: &rng)
        let ids = [[4, 7, 5, 8], [6, 4, 3, 5]]
        let inputs = (0..<4).map { t in encoder.embedding(ids.map { $0[t] }).value }
        let got = try attempt("5.5") { try bidirectionalStates(forward: encoder.forward, backward: encoder.backward!, inputs: inputs) }
        let expected = encoder(ids).states.map(\.value)
        #expect(got.count == 4, "one state per position: 4, got \(got.count)")
        guard got.count == 4 else { return }
        for j in 0..<4 {
            #expect(got[j].shape == [2, 8], "each state is [B, 2H] = [2, 8], got \(got[j].shape)")
            guard got[j].shape == [2, 8] else { continue }
            let backwardHalf = got[j].slice(axis: 1, 4..<8), expectedBackward = expected[j].slice(axis: 1, 4..<8)
            #expect(got[j].slice(axis: 1, 0..<4).isClose(to: expected[j].slice(axis: 1, 0..<4), tolerance: 1e-5),
                    "position \(j): the first half is the forward state after reading positions 0…\(j)")
            #expect(backwardHalf.isClose(to: expectedBackward, tolerance: 1e-5),
                    "position \(j): the second half is the backward state after reading positions 3 down to \(j) (store it at j, not at its step number)")
        }
    }

    @Test("5.6 The inverse-sigmoid schedule: εᵢ = k / (k + exp(i / k))")
    func exercise5_6() throws {
        let e0 = try attempt("5.6") { try inverseSigmoidSchedule(step: 0, k: 100) }
        #expect(abs(e0 - 100.0 / 101) < 1e-9, "ε₀ = 100 / (100 + e⁰) = 0.990099, got \(e0)")
        for i in [250, 500, 1000] {
            let got = try inverseSigmoidSchedule(step: i, k: 100)
            let expected = SamplingSchedule.inverseSigmoid(k: 100).teacherForcingProbability(step: i)
            #expect(abs(got - expected) < 1e-9, "ε_\(i) with k = 100 is \(expected), got \(got)")
        }
        #expect(throws: ScheduleError.invalidK(0.5), "k = 0.5 < 1 should throw ScheduleError.invalidK(0.5)") {
            try inverseSigmoidSchedule(step: 3, k: 0.5)
        }
    }
}
