import Chapter5Checks
import Datasets
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Testing

@Suite("Chapter 5: encoder, decoder and sequence-to-sequence training")
struct Chapter5Seq2SeqTests {
    static func encoder(bidirectional: Bool, seed: UInt64 = 53) -> GRUEncoder {
        var rng = SeededRandom(seed: seed)
        return GRUEncoder(vocabularySize: 9, embeddingSize: 4, hiddenSize: 5, bidirectional: bidirectional, rng: &rng)
    }

    @Test("The context is the last state, hₜ = GRU(embed(xₜ), hₜ₋₁) from h₀ = 0")
    func recurrence() {
        let encoder = Self.encoder(bidirectional: false)
        let encoded = encoder([[4, 7, 5]])
        var h = Variable.constant(Tensor.zeros([1, 5]))
        for (t, id) in [4, 7, 5].enumerated() {
            h = encoder.forward(encoder.embedding([id]), h)
            #expect(encoded.states[t].value.isClose(to: h.value, tolerance: 1e-6))
        }
        #expect(encoded.context.value == encoded.states[2].value)
        #expect(encoder.outputSize == 5)
    }

    @Test("Bidirectional: hⱼ = [→hⱼ ; ←hⱼ], and ←h₀ has read the whole source right to left")
    func bidirectional() {
        let encoder = Self.encoder(bidirectional: true)
        let encoded = encoder([[4, 7, 5]])
        #expect(encoder.outputSize == 10 && encoded.context.shape == [1, 10])
        var back = Variable.constant(Tensor.zeros([1, 5]))
        var backStates: [Tensor] = []
        for id in [5, 7, 4] {
            back = encoder.backward!(encoder.embedding([id]), back)
            backStates.insert(back.value, at: 0)
        }
        for j in 0..<3 {
            #expect(encoded.states[j].value.slice(axis: 1, 5..<10).isClose(to: backStates[j], tolerance: 1e-6),
                    "the second half of h_\(j) is the backward GRU's state after reading positions 2 down to \(j)")
        }
        #expect(encoded.context.value.slice(axis: 1, 5..<10).isClose(to: backStates[0], tolerance: 1e-6))
        #expect(encoded.context.value.slice(axis: 1, 0..<5) == encoded.states[2].value.slice(axis: 1, 0..<5))
    }

    @Test("Padding changes nothing: a padded sequence encodes exactly as it does alone", arguments: [false, true])
    func masking(bidirectional: Bool) {
        let encoder = Self.encoder(bidirectional: bidirectional)
        let alone = encoder([[6, 4]])
        let batch = encoder([[4, 7, 5, 8], [6, 4, 0, 0]], lengths: [4, 2])
        #expect(batch.context.value.slice(axis: 0, 1..<2).isClose(to: alone.context.value, tolerance: 1e-6),
                "the padded row's context should equal the context of [6, 4] encoded alone")
        for j in 0..<2 {
            #expect(batch.states[j].value.slice(axis: 0, 1..<2).isClose(to: alone.states[j].value, tolerance: 1e-6))
        }
        #expect(batch.mask == Tensor([[0, 0, 0, 0], [0, 0, 1, 1]]), "the padding mask is 1 at padding (blocked), 0 at real tokens")
        let full = encoder([[4, 7, 5, 8]])
        #expect(batch.context.value.slice(axis: 0, 0..<1).isClose(to: full.context.value, tolerance: 1e-6))
    }

    @Test("The teacher-forced loss is the mean of −log P(yₜ | y<ₜ, c) over real target tokens")
    func teacherForcedLoss() {
        var rng = SeededRandom(seed: 54)
        let model = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 5, rng: &rng)
        let source = [4, 6, 5], target = [7, 4, Vocabulary.endID]
        var state = model.initialState(model.encoder([source]))
        var previous = Vocabulary.startID, total: Float = 0
        for y in target {
            let (logits, next) = model.decoder.step(previous: [previous], state: state)
            total -= logits.value.logSoftmax().scalars[y]
            state = next
            previous = y
        }
        let loss = model.teacherForcedLoss(sources: [source], targets: [target])
        #expect(abs(loss.value.scalar - total / 3) < 1e-5, "3 tokens: loss = (sum of −log P) / 3 = \(total / 3)")
        // Padding in a batch: the second pair's loss with a longer partner equals its loss alone.
        let alone = model.teacherForcedLoss(sources: [[5]], targets: [[4, Vocabulary.endID]]).value.scalar
        let both = model.teacherForcedLoss(sources: [source, [5]], targets: [target, [4, Vocabulary.endID]]).value.scalar
        let pooled: Float = (total + 2 * alone) / 5
        #expect(abs(both - pooled) < 1e-5, "padded target tokens must not count")
        let gru: Int = gruParameterCount(input: 4, hidden: 5)
        let expectedCount: Int = 9 * 4 + 8 * 4 + 2 * gru + linearParameterCount(5, 8)
        #expect(model.parameterCount == expectedCount)
    }

    @Test("A bidirectional model's bridge maps 2H → H and its decoder can take an extra input")
    func bridgeAndExtraInput() {
        var rng = SeededRandom(seed: 55)
        let model = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 5,
                            bidirectional: true, rng: &rng)
        let s0 = model.initialState(model.encoder([[4, 5]]))
        #expect(s0.shape == [1, 5] && s0.value.scalars.allSatisfy { abs($0) < 1 })
        let decoder = GRUDecoder(vocabularySize: 8, embeddingSize: 4, hiddenSize: 5, contextSize: 10, rng: &rng)
        #expect(decoder.cell.inputSize == 14)
        let (logits, state) = decoder.step(previous: [1, 2], state: .constant(.zeros([2, 5])),
                                           extra: .constant(.ones([2, 10])))
        #expect(logits.shape == [2, 8] && state.shape == [2, 5])
    }

    @Test("The reversal task of exercise 5.8: the book's trainer, with the reference answer's settings, reverses 88 % of the test strings")
    func training() {
        let task = reversalTask()
        var rng = SeededRandom(seed: 583)
        let model = Seq2Seq(sourceVocabularySize: task.train.sourceVocabulary.count, targetVocabularySize: task.train.targetVocabulary.count,
                            embeddingSize: 8, hiddenSize: 32, rng: &rng)
        let before = exactMatchAccuracy(model, on: task.test)
        var trainingRNG = SeededRandom(seed: 584)
        let losses = trainSeq2Seq(model, on: task.train, steps: 140, batchSize: 32, learningRate: 0.01, rng: &trainingRNG, log: { _ in })
        let after = exactMatchAccuracy(model, on: task.test)
        let first: Float = losses.prefix(20).reduce(0, +) / 20, last: Float = losses.suffix(20).reduce(0, +) / 20
        #expect(last < 0.25 * first, "the mean loss of the last 20 steps (\(last)) should be under a quarter of that of the first 20 (\(first))")
        #expect(before == 0, "an untrained model reverses nothing exactly; got \(before)")
        #expect(abs(after - 0.88) < 1e-6 && after >= reversalTarget, "the text and exercise 5.8 quote 88 % exact match (target \(reversalTarget)); got \(after)")
    }

    @Test("Scheduled sampling: the three schedules of Bengio et al. (2015)")
    func schedules() {
        let linear = SamplingSchedule.linear(k: 1, c: 0.001, minimum: 0.1)
        #expect(linear.teacherForcingProbability(step: 0) == 1)
        #expect(abs(linear.teacherForcingProbability(step: 500) - 0.5) < 1e-12)
        #expect(linear.teacherForcingProbability(step: 1000) == 0.1)
        #expect(linear.teacherForcingProbability(step: 2000) == 0.1)
        let exponential = SamplingSchedule.exponential(k: 0.99)
        #expect(abs(exponential.teacherForcingProbability(step: 100) - 0.366032) < 1e-6)
        #expect(abs(exponential.teacherForcingProbability(step: 500) - 0.006570) < 1e-6)
        #expect(abs(exponential.teacherForcingProbability(step: 1000) - 0.0000432) < 1e-7)
        let sigmoid = SamplingSchedule.inverseSigmoid(k: 100)
        #expect(abs(sigmoid.teacherForcingProbability(step: 0) - 100.0 / 101) < 1e-12)
        #expect(abs(sigmoid.teacherForcingProbability(step: 500) - 0.402555) < 1e-6)
        #expect(abs(sigmoid.teacherForcingProbability(step: 1000) - 0.004519) < 1e-6)
        #expect(SamplingSchedule.teacherForcing.teacherForcingProbability(step: 10_000) == 1)
    }

    @Test("With teacher forcing off, the decoder is fed its own predictions (the loss changes)")
    func freeRunningLoss() {
        var rng = SeededRandom(seed: 58)
        let model = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 5, rng: &rng)
        let sources = [[4, 6, 5], [7, 7]], targets = [[7, 4, 5, 2], [6, 6, 2]]
        let forced = model.teacherForcedLoss(sources: sources, targets: targets).value.scalar
        var r = SeededRandom(seed: 1)
        let free = model.scheduledSamplingLoss(sources: sources, targets: targets, teacherForcing: 0, rng: &r).value.scalar
        #expect(forced != free)
        // Free running feeds argmax tokens: the same as greedy decoding's inputs.
        let (tokens, steps) = greedyDecode(model, source: [4, 6, 5], maxLength: 4)
        #expect(steps.map(\.input) == [Vocabulary.startID] + tokens.dropLast())
    }

    @Test("The gradient of a padded, bidirectional batch's loss matches central differences")
    func gradientCheck() {
        var rng = SeededRandom(seed: 59)
        let model = Seq2Seq(sourceVocabularySize: 7, targetVocabularySize: 6, embeddingSize: 3, hiddenSize: 4,
                            bidirectional: true, rng: &rng)
        let sources = [[4, 5, 6], [6, 4]], targets = [[5, 4, 2], [3, 2]]
        let (worst, detail) = Tensors.gradientCheck(parameters: model.parameters, stride: 3) {
            model.teacherForcedLoss(sources: sources, targets: targets)
        }
        #expect(worst < 5e-3, "\(detail)")
    }

    @Test("Free running (ε = 0) feeds back the argmax of the previous step's logits")
    func freeRunningInputs() {
        var rng = SeededRandom(seed: 60)
        let model = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 4, hiddenSize: 5, rng: &rng)
        let source = [4, 6, 5], target = [7, 4, 5, Vocabulary.endID]
        var state = model.initialState(model.encoder([source]))
        var previous = Vocabulary.startID, total: Float = 0
        for y in target {
            let (logits, next) = model.decoder.step(previous: [previous], state: state)
            total -= logits.value.logSoftmax().scalars[y]
            state = next
            previous = logits.value.argmax()[0]
        }
        var r = SeededRandom(seed: 2)
        let free = model.scheduledSamplingLoss(sources: [source], targets: [target], teacherForcing: 0, rng: &r).value.scalar
        #expect(abs(free - total / 4) < 1e-5, "free-running loss \(free), by hand \(total / 4)")
    }

    @Test("Accuracy measures: exact match and token accuracy by source length agree with greedy decoding")
    func accuracyMeasures() {
        var rng = SeededRandom(seed: 61)
        let model = Seq2Seq(sourceVocabularySize: 14, targetVocabularySize: 14, embeddingSize: 4, hiddenSize: 5, rng: &rng)
        let pairs = SequenceTasks.copy(count: 12, lengths: 1...3, seed: 62)
        let letters = Vocabulary(SequenceTasks.letters)
        let data = EncodedPairs(pairs, sourceVocabulary: letters, targetVocabulary: letters)
        var right: [Int: Int] = [:], total: [Int: Int] = [:], exact = 0
        for (source, target) in zip(data.sources, data.targets) {
            let tokens = greedyDecode(model, source: source, maxLength: target.count).tokens
            right[source.count, default: 0] += zip(tokens, target).filter { $0 == $1 }.count
            total[source.count, default: 0] += target.count
            if greedyDecode(model, source: source, maxLength: target.count + 5).tokens == target { exact += 1 }
        }
        let byLength = tokenAccuracyByLength(model, on: data)
        #expect(Set(byLength.keys) == Set(total.keys))
        for (n, count) in total {
            #expect(abs(byLength[n]! - Float(right[n]!) / Float(count)) < 1e-6)
        }
        #expect(exactMatchAccuracy(model, on: data) == Float(exact) / 12)
        let reversed = EncodedPairs(pairs, sourceVocabulary: letters, targetVocabulary: letters, reverseSource: true)
        #expect(reversed.sources[0] == data.sources[0].reversed() && reversed.targets == data.targets)
    }

    @Test("Bad input stops with a message that names what is wrong")
    func badInput() async {
        await #expect(processExitsWith: .failure) {
            var rng = SeededRandom(seed: 1)
            let cell = GRUCell(inputSize: 3, hiddenSize: 4, rng: &rng)
            _ = cell(.constant(.zeros([2, 5])), .constant(.zeros([2, 4])))
        }
        await #expect(processExitsWith: .failure) {
            _ = SamplingSchedule.exponential(k: 1.5).teacherForcingProbability(step: 3)
        }
        await #expect(processExitsWith: .failure) {
            var rng = SeededRandom(seed: 1)
            let encoder = GRUEncoder(vocabularySize: 5, embeddingSize: 2, hiddenSize: 3, rng: &rng)
            _ = encoder([[1, 2], [3]])
        }
        await #expect(processExitsWith: .failure) {
            var rng = SeededRandom(seed: 1)
            let decoder = GRUDecoder(vocabularySize: 5, embeddingSize: 2, hiddenSize: 3, contextSize: 4, rng: &rng)
            _ = decoder.step(previous: [1], state: .constant(.zeros([1, 3])))
        }
        await #expect(processExitsWith: .failure) {
            var rng = SeededRandom(seed: 1)
            let model = Seq2Seq(sourceVocabularySize: 5, targetVocabularySize: 5, embeddingSize: 2, hiddenSize: 3, rng: &rng)
            _ = model.teacherForcedLoss(sources: [[4]], targets: [[9, 2]])
        }
    }
}
