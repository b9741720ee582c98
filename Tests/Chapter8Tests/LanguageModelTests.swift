import Decoding
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The small fixed-window language model the demo decodes from: it learns a tiny corpus, and its
/// log-probabilities plug into every decoder.
@Suite("Chapter 8: a trained language model")
struct Chapter8LanguageModelTests {
    // Tokens: 0 <s>, 1 </s>, 2 the, 3 cat, 4 dog, 5 sat, 6 ran.
    static let sentences: [[Int]] = [[2, 3, 5], [2, 4, 6], [2, 3, 5], [2, 4, 5]]

    @Test("Training lowers the loss below the uniform log 7 and greedy decoding returns a training sentence")
    func trainsAndDecodes() {
        var rng = SeededRandom(seed: 8)
        let lm = WindowLanguageModel(vocabularySize: 7, context: 2, dimension: 8, hiddenSize: 16, startToken: 0, rng: &rng)
        let (contexts, targets) = lm.trainingExamples(Self.sentences, endToken: 1)
        #expect(contexts.count == 16 && contexts[0] == [0, 0] && contexts[1] == [0, 2] && targets[3] == 1)
        var adam = Adam(lm.parameters, learningRate: 0.05)
        var losses: [Float] = []
        for _ in 0..<60 {
            let loss = lm.loss(contexts: contexts, targets: targets)
            adam.zeroGradients()
            loss.backward()
            adam.step()
            losses.append(loss.value.scalar)
        }
        #expect(losses[0] > 1.5 && losses.last! < 0.6, "the loss should fall from about log 7 = 1.95 towards the corpus entropy, got \(losses[0]) → \(losses.last!)")
        let model = lm.nextTokenModel()
        let rules = DecodingRules(endToken: 1)
        let greedy = greedyDecode(model, maxLength: 6, rules: rules)
        #expect(greedy.tokens == [2, 3, 5, 1], "the most common sentence is \"the cat sat\", got \(greedy.tokens)")
        #expect(beamSearch(model, width: 1, maxLength: 6, rules: rules) == [greedy])
        let beams = beamSearch(model, width: 3, maxLength: 6, rules: rules)
        #expect(beams.count == 3 && beams[0].logProbability >= greedy.logProbability - 1e-5)
        let probabilities = lm.logProbabilities(after: []).map { exp($0) }
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5 && probabilities[2] > 0.9, "every sentence starts with \"the\"")
    }
}
