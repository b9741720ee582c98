import Chapter5Checks
import Datasets
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Testing

@Suite("Chapter 5: the LSTM encoder-decoder")
struct Chapter5LSTMTests {
    @Test("Its parameters: 43,342 against the GRU model's 32,846 at E = 16, H = 64, V = 14 (four gates to three)")
    func parameterCounts() {
        var rng = SeededRandom(seed: 5)
        let lstm = LSTMSeq2Seq(sourceVocabularySize: 14, targetVocabularySize: 14, embeddingSize: 16, hiddenSize: 64, rng: &rng)
        let gru = Seq2Seq(sourceVocabularySize: 14, targetVocabularySize: 14, embeddingSize: 16, hiddenSize: 64, rng: &rng)
        let shared = 2 * 14 * 16 + linearParameterCount(64, 14)
        #expect(lstm.parameterCount == shared + 2 * lstmParameterCount(input: 16, hidden: 64))
        #expect(gru.parameterCount == shared + 2 * gruParameterCount(input: 16, hidden: 64))
        #expect(lstm.parameterCount == 43_342 && gru.parameterCount == 32_846, "LSTM \(lstm.parameterCount), GRU \(gru.parameterCount)")
    }

    @Test("The encoder carries h and c over padding: a padded sentence ends in the state it has alone")
    func padding() {
        var rng = SeededRandom(seed: 52)
        let model = LSTMSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let alone = model.encode([[6, 4]])
        let batch = model.encode([[4, 7, 5], [6, 4, 0]], lengths: [3, 2])
        #expect(batch.shape == [2, 8])
        #expect(batch.value.slice(axis: 0, 1..<2).isClose(to: alone.value, tolerance: 1e-6), "[h ; c] of the padded row differs from the sentence alone")
        // By hand: two LSTM steps from (0, 0).
        var state = (h: Variable.constant(Tensor.zeros([1, 4])), c: Variable.constant(Tensor.zeros([1, 4])))
        for id in [6, 4] { state = model.encoder(model.sourceEmbedding([id]), state) }
        #expect(alone.value.isClose(to: Tensor.concatenate([state.h.value, state.c.value], axis: 1), tolerance: 1e-6))
    }

    @Test("The gradient of a padded batch's loss matches central differences")
    func gradientCheck() {
        var rng = SeededRandom(seed: 53)
        let model = LSTMSeq2Seq(sourceVocabularySize: 7, targetVocabularySize: 6, embeddingSize: 3, hiddenSize: 3, rng: &rng)
        let (worst, detail) = Tensors.gradientCheck(parameters: model.parameters, stride: 3) {
            model.teacherForcedLoss(sources: [[4, 5, 6], [6, 4]], targets: [[5, 4, 2], [3, 2]])
        }
        #expect(worst < 5e-3, "\(detail)")
    }

    @Test("On exercise 5.8's reversal task, with the GRU's settings, the LSTM (11,242 parameters) reverses 92 % of the test strings, the GRU (8,554) 88 %")
    func trainsLikeTheGRU() {
        let task = reversalTask()
        var rng = SeededRandom(seed: 583)
        let model = LSTMSeq2Seq(sourceVocabularySize: task.train.sourceVocabulary.count, targetVocabularySize: task.train.targetVocabulary.count,
                                embeddingSize: 8, hiddenSize: 32, rng: &rng)
        var trainingRNG = SeededRandom(seed: 584)
        trainLSTMSeq2Seq(model, on: task.train, steps: 140, batchSize: 32, learningRate: 0.01, rng: &trainingRNG, log: { _ in })
        let accuracy = exactMatchAccuracy(on: task.test) { greedyDecode(model, source: $0, maxLength: $1).tokens }
        #expect(abs(accuracy - 0.92) < 1e-6, "the text quotes 92 % exact match; got \(accuracy)")
        var gruRNG = SeededRandom(seed: 583)
        let gru = Seq2Seq(sourceVocabularySize: 10, targetVocabularySize: 10, embeddingSize: 8, hiddenSize: 32, rng: &gruRNG)
        #expect(model.parameterCount == 11_242 && gru.parameterCount == 8_554, "LSTM \(model.parameterCount), GRU \(gru.parameterCount)")
    }
}
