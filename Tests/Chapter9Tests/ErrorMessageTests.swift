import Evaluation
import Tensors
import Testing

/// Bad input stops with a message that names what and why.
@Suite("Chapter 9: bad input gets a clear message")
struct Chapter9ErrorMessageTests {
    @Test("Label smoothing ε outside [0, 1] is refused")
    func epsilonOutOfRange() async {
        await #expect(processExitsWith: .failure) {
            _ = labelSmoothedCrossEntropy(logits: .constant(Tensor.zeros([1, 3])), targets: [0], epsilon: 1.5)
        }
    }

    @Test("A target outside the classes is named")
    func targetOutOfRange() async {
        await #expect(processExitsWith: .failure) {
            _ = labelSmoothedCrossEntropy(logits: .constant(Tensor.zeros([2, 3])), targets: [0, 3], epsilon: 0.1)
        }
    }

    @Test("Hypotheses and reference sets must pair up")
    func corpusMismatch() async {
        await #expect(processExitsWith: .failure) {
            _ = corpusBLEU(hypotheses: ["a b", "c"], referenceStreams: [["a b"]])
        }
    }

    @Test("Perplexity refuses positive log-probabilities")
    func positiveLogProbability() async {
        await #expect(processExitsWith: .failure) {
            _ = corpusPerplexity(tokenLogProbabilities: [-1, 0.5])
        }
    }
}
