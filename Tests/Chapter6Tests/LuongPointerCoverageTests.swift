import Attention
import Datasets
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Testing

/// Anti-diagonal share: for reversal, output token t should look hardest at source position n − 1 − t.
func mirroredShare(_ pairs: EncodedPairs, decode: ([Int], Int) -> AttentionDecoding) -> Float {
    var hits = 0, total = 0
    for (source, target) in zip(pairs.sources, pairs.targets).prefix(20) {
        for (t, row) in decode(source, target.count).alignment.enumerated() where t < source.count {
            total += 1
            if row.indices.max(by: { row[$0] < row[$1] }) == source.count - 1 - t { hits += 1 }
        }
    }
    return Float(hits) / Float(total)
}

@Suite("Chapter 6: Luong's model")
struct Chapter6LuongTests {
    @Test("Its parameters, part by part: 25,582 at E = 16, H = 32, V = 14 (Bahdanau's model: 26,638)")
    func parameterCount() {
        var rng = SeededRandom(seed: 6)
        let luong = LuongSeq2Seq(sourceVocabularySize: 14, targetVocabularySize: 14, embeddingSize: 16, hiddenSize: 32, rng: &rng)
        let bahdanau = AttentionSeq2Seq(sourceVocabularySize: 14, targetVocabularySize: 14, embeddingSize: 16, hiddenSize: 32, rng: &rng)
        let encoder = 14 * 16 + 2 * gruParameterCount(input: 16, hidden: 32)
        let attention = 32 * 64 + (64 + 32) * 32                                   // W_a [H, 2H], W_c [3H, H]
        let decoder = 14 * 16 + gruParameterCount(input: 16 + 32, hidden: 32) + linearParameterCount(32, 14)   // input feeding: E + H
        #expect(luong.parameterCount == encoder + linearParameterCount(64, 32) + attention + decoder)
        #expect(luong.parameterCount == 25_582 && bahdanau.parameterCount == 26_638, "Luong \(luong.parameterCount), Bahdanau \(bahdanau.parameterCount)")
    }

    @Test("A step is the GRU on [embed(yₜ₋₁) ; h̃ₜ₋₁], then the general score with sₜ, then h̃ₜ = tanh(W_c [cₜ ; sₜ]) into the output layer")
    func stepByHand() {
        var rng = SeededRandom(seed: 61)
        let model = LuongSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let (states, mask, initial) = model.encode([[4, 5, 6], [7, 4, 0]], lengths: [3, 2])
        #expect(initial.attentional.value == Tensor.zeros([2, 4]), "h̃₀ = 0")
        let out = model.step(previous: [1, 1], state: initial, states: states, mask: mask)
        let input = Variable.concatenate([model.decoder.embedding([1, 1]), initial.attentional], axis: 1)
        let s = model.decoder.cell(input, initial.state)
        let alpha = attentionWeights(generalScores(query: s, states: states, weight: model.attention.generalWeight!), mask: mask)
        let hTilde = Variable.concatenate([contextVector(weights: alpha, states: states), s], axis: 1).matmul(model.attention.combine).tanh()
        #expect(out.state.state.value.isClose(to: s.value, tolerance: 1e-6))
        #expect(out.weights.value.isClose(to: alpha.value, tolerance: 1e-6) && out.weights.value[1, 2] == 0, "the padded position gets no weight")
        #expect(out.state.attentional.value.isClose(to: hTilde.value, tolerance: 1e-6))
        #expect(out.logits.value.isClose(to: model.decoder.output(hTilde).value, tolerance: 1e-6))
    }

    @Test("The gradient of a padded batch's loss matches central differences")
    func gradientCheck() {
        var rng = SeededRandom(seed: 62)
        let model = LuongSeq2Seq(sourceVocabularySize: 8, targetVocabularySize: 7, embeddingSize: 3, hiddenSize: 3, rng: &rng)
        let check = Tensors.gradientCheck(parameters: model.parameters, stride: 3) {
            model.teacherForcedLoss(sources: [[4, 5, 6, 7], [5, 4]], targets: [[6, 5, Vocabulary.endID], [4, Vocabulary.endID]])
        }
        #expect(check.worst < 5e-3, "\(check.detail)")
    }
}

@Suite("Chapter 6: the pointer-generator")
struct Chapter6PointerGeneratorTests {
    @Test("The names task: letters move on by one, names stay; unknown words get extended ids V, V + 1, …")
    func namesTask() {
        #expect(NamesTask.translate("c") == "d" && NamesTask.translate("f") == "a" && NamesTask.translate("Kalo") == "Kalo")
        let pairs = [SequencePair(source: ["c", "Kalo", "f", "Kalo", "Mivi"], target: ["d", "Kalo", "a", "Kalo", "Mivi"])]
        let data = PointerPairs(pairs, vocabulary: NamesTask.vocabulary)
        let V = NamesTask.vocabulary.count
        #expect(data.sources[0] == [6, Vocabulary.unknownID, 9, Vocabulary.unknownID, Vocabulary.unknownID])
        #expect(data.extendedSources[0] == [6, V, 9, V, V + 1] && data.unknownWords[0] == ["Kalo", "Mivi"])
        #expect(data.targets[0] == [7, V, 4, V, V + 1, Vocabulary.endID])
        #expect(data.words([7, V + 1], sentence: 0) == ["d", "Mivi"])
        let generated = NamesTask.pairs(count: 50, lengths: 3...5, nameRange: NamesTask.testNames, seed: 3)
        #expect(generated.allSatisfy { pair in pair.source.contains { NamesTask.names[NamesTask.testNames].contains($0) } })
    }

    @Test("A step's distribution is the worked mixture p_gen · P_vocab + (1 − p_gen) · Σ α, and sums to 1")
    func stepIsTheMixture() {
        var rng = SeededRandom(seed: 63)
        let model = PointerGeneratorSeq2Seq(vocabularySize: 10, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let data = PointerPairs([SequencePair(source: ["a", "Kalo", "b", "Kalo"], target: ["b", "Kalo", "c", "Kalo"])],
                                vocabulary: NamesTask.vocabulary)
        let (states, mask, s0) = model.model.encode(data.sources)
        let map = PointerGeneratorSeq2Seq.copyMap(data.extendedSources, length: 4, extendedSize: 11)
        let out = model.step(previous: [Vocabulary.startID], state: s0, states: states, mask: mask, copyMap: map)
        let plain = model.model.step(previous: [Vocabulary.startID], state: s0, states: states, mask: mask)
        let expected = pointerGeneratorDistribution(generationProbability: out.generation.value.scalars[0],
                                                    vocabularyDistribution: plain.logits.value.softmax().scalars,
                                                    attention: out.weights.value.scalars, sourceIDs: data.extendedSources[0],
                                                    extendedVocabularySize: 11)
        #expect(out.distribution.value.isClose(to: Tensor([expected]), tolerance: 1e-6))
        #expect(abs(out.distribution.value.scalars.reduce(0, +) - 1) < 1e-5)
    }

    @Test("The gradient of the mixture's loss on a padded batch matches central differences")
    func gradientCheck() {
        var rng = SeededRandom(seed: 64)
        let model = PointerGeneratorSeq2Seq(vocabularySize: 10, embeddingSize: 3, hiddenSize: 3, rng: &rng)
        let data = PointerPairs(NamesTask.pairs(count: 2, lengths: 2...4, nameRange: NamesTask.trainingNames, seed: 5),
                                vocabulary: NamesTask.vocabulary)
        let check = Tensors.gradientCheck(parameters: model.parameters, stride: 5) { model.loss(data, rows: [0, 1]) }
        #expect(check.worst < 5e-3, "\(check.detail)")
    }

    @Test("After a short training it copies names it has never seen, which the model without copying cannot write at all")
    func copiesUnseenNames() {
        let vocabulary = NamesTask.vocabulary
        let train = NamesTask.pairs(count: 300, lengths: 2...4, nameRange: NamesTask.trainingNames, seed: 65)
        let test = PointerPairs(NamesTask.pairs(count: 40, lengths: 2...4, nameRange: NamesTask.testNames, seed: 66), vocabulary: vocabulary)
        var rng = SeededRandom(seed: 67)
        let pointer = PointerGeneratorSeq2Seq(vocabularySize: vocabulary.count, embeddingSize: 8, hiddenSize: 12, rng: &rng)
        let losses = trainPointerGenerator(pointer, on: PointerPairs(train, vocabulary: vocabulary), steps: 100, batchSize: 16,
                                           learningRate: 0.02, rng: &rng, log: { _ in })
        let scores = copyScores(on: test) { greedyDecode(pointer, test, sentence: $0, maxLength: $1).tokens }
        let first: Float = losses.prefix(10).reduce(0, +), last: Float = losses.suffix(10).reduce(0, +)
        #expect(last < 0.25 * first, "the loss of the last 10 steps should be under a quarter of the first 10's: \(first) → \(last)")
        // 38 of the 42 names of the test sentences come out right; without copying, none can.
        #expect(abs(scores.unknownWordAccuracy - 38.0 / 42) < 1e-6, "\(scores)")
    }
}

@Suite("Chapter 6: coverage")
struct Chapter6CoverageTests {
    @Test("With λ = 0 and w_c = 0 the loss is the model's own; with λ = 1 it adds the coverage loss Σₜ Σⱼ min(αₜⱼ, coverageₜⱼ) per token")
    func lossIsTheModelsPlusCoverage() {
        var rng = SeededRandom(seed: 68)
        let model = AttentionSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let source = [4, 5, 6, 7], target = [7, 6, 5, Vocabulary.endID]
        let plain = model.teacherForcedLoss(sources: [source], targets: [target]).value.scalar
        #expect(abs(CoverageSeq2Seq(model, lambda: 0).teacherForcedLoss(sources: [source], targets: [target]).value.scalar - plain) < 1e-6)
        // The attention rows of the teacher-forced pass, then chapter 6's coverage loss over them.
        let (states, mask, s0) = model.encode([source])
        var state = s0, previous = Vocabulary.startID, weights: [Variable] = []
        for y in target {
            let out = model.step(previous: [previous], state: state, states: states, mask: mask)
            weights.append(out.weights)
            state = out.state
            previous = y
        }
        let expected = plain + coverageLoss(sequence: weights).value.scalar / Float(target.count)
        let got = CoverageSeq2Seq(model, lambda: 1).teacherForcedLoss(sources: [source], targets: [target]).value.scalar
        #expect(abs(got - expected) < 1e-5, "loss with coverage \(got), expected \(expected)")
    }

    @Test("The gradient of the coverage model's loss on a padded batch, w_c included, matches central differences")
    func gradientCheck() {
        var rng = SeededRandom(seed: 69)
        let model = CoverageSeq2Seq(sourceVocabularySize: 8, targetVocabularySize: 8, embeddingSize: 3, hiddenSize: 3, rng: &rng)
        model.coverageWeight.value = Tensor.randomNormal([3], rng: &rng)
        let check = Tensors.gradientCheck(parameters: model.parameters, stride: 3) {
            model.teacherForcedLoss(sources: [[4, 5, 6], [6, 7]], targets: [[6, 5, 4, Vocabulary.endID], [7, Vocabulary.endID]])
        }
        #expect(check.worst < 5e-3, "\(check.detail)")
    }

    @Test("Distinct-letter copies and the repetition rate: a letter written twice counts, once does not")
    func repetitionRateCounts() {
        let pairs = distinctLetterCopies(count: 30, lengths: 3...6, seed: 7)
        #expect(pairs.allSatisfy { Set($0.source).count == $0.source.count && $0.target == $0.source })
        let letters = Vocabulary(SequenceTasks.letters)
        let data = EncodedPairs(Array(pairs.prefix(4)), sourceVocabulary: letters, targetVocabulary: letters)
        var calls = 0
        let rate = repetitionRate(on: data) { source, _ in
            calls += 1
            return calls == 1 ? source + [source[0], Vocabulary.endID] : source + [Vocabulary.endID]
        }
        #expect(rate == 0.25, "one of four decodings repeats a letter; got \(rate)")
    }

    @Test("Trained on with coverage, a model repeats a letter in 9 % of longer copies; trained on without it, in 32 %")
    func coverageReducesRepetition() {
        let letters = Vocabulary(SequenceTasks.letters)
        let train = EncodedPairs(distinctLetterCopies(count: 1000, lengths: 3...6, seed: 70), sourceVocabulary: letters, targetVocabulary: letters)
        let test = EncodedPairs(distinctLetterCopies(count: 100, lengths: 7...8, seed: 71), sourceVocabulary: letters, targetVocabulary: letters)
        var rng = SeededRandom(seed: 72)
        let model = AttentionSeq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count, embeddingSize: 8,
                                     hiddenSize: 16, rng: &rng)
        trainAttentionSeq2Seq(model, on: train, steps: 100, batchSize: 16, learningRate: 0.02, rng: &rng, log: { _ in })
        let firstPhase = model.parameters.map(\.value)
        /// The repetition rate and the mean coverage loss Σₜ Σⱼ min(αₜⱼ, coverageₜⱼ) of greedy decodings.
        func measure(_ decode: ([Int], Int) -> AttentionDecoding) -> (repetition: Float, overlap: Float) {
            var decodings: [[Int]: AttentionDecoding] = [:]
            let repetition = repetitionRate(on: test) { source, maxLength in
                let decoded = decode(source, maxLength)
                decodings[source] = decoded
                return decoded.tokens
            }
            let overlap = decodings.values.map { coverageLoss(sequence: $0.alignment.map { .constant(Tensor([$0])) }).value.scalar }
            return (repetition, overlap.reduce(0, +) / Float(overlap.count))
        }
        var phaseRNG = rng
        trainAttentionSeq2Seq(model, on: train, steps: 100, batchSize: 16, learningRate: 0.02, rng: &phaseRNG, log: { _ in })
        let without = measure { greedyDecode(model, source: $0, maxLength: $1) }
        for (p, value) in zip(model.parameters, firstPhase) { p.value = value }
        let covered = CoverageSeq2Seq(model)
        phaseRNG = rng
        trainCoverageSeq2Seq(covered, on: train, steps: 100, batchSize: 16, learningRate: 0.02, rng: &phaseRNG, log: { _ in })
        let with = measure { greedyDecode(covered, source: $0, maxLength: $1) }
        #expect(with.overlap < 0.5 * without.overlap, "attention returning where it has been: \(with.overlap) with coverage, \(without.overlap) without")
        // The text's numbers come from the portable kernel of x86-64; a kernel with fused
        // multiply-add trains to 0.41 and 0.13.
        let expected: (without: Float, with: Float) = MatmulKernel.Variant.selected.fusesMultiplyAdd ? (0.41, 0.13) : (0.32, 0.09)
        #expect(abs(without.repetition - expected.without) < 1e-6 && abs(with.repetition - expected.with) < 1e-6,
                "repetition rate without coverage \(without.repetition) (text: 0.32), with \(with.repetition) (text: 0.09)")
    }
}

@Suite("Chapter 6: named parameters")
struct Chapter6NamedParameterTests {
    @Test("Every attention model names each of its parameters once, PyTorch-style")
    func names() {
        var rng = SeededRandom(seed: 6)
        let bahdanau = AttentionSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let luong = LuongSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let pointer = PointerGeneratorSeq2Seq(vocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let coverage = CoverageSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        for (names, parameters) in [(bahdanau.namedParameters, bahdanau.parameters), (luong.namedParameters, luong.parameters),
                                    (pointer.namedParameters, pointer.parameters), (coverage.namedParameters, coverage.parameters)] {
            #expect(names.count == parameters.count)
            #expect(Set(names.values.map(ObjectIdentifier.init)) == Set(parameters.map(ObjectIdentifier.init)))
        }
        #expect(bahdanau.namedParameters["attention.encoder_weight"]?.shape == [8, 4])
        #expect(luong.namedParameters["attention.W_a"]?.shape == [4, 8] && luong.namedParameters["attention.W_c"]?.shape == [12, 4])
        #expect(pointer.namedParameters["p_gen.context_weight"]?.shape == [8, 1] && coverage.namedParameters["attention.coverage_weight"]?.shape == [4])
    }
}
