import Datasets
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Foundation
import Testing

@Suite("Chapter 5: worked examples")
struct Chapter5WorkedExampleTests {
    @Test("The worked trace: I am a student → je suis un etudiant <eos>, greedily")
    func trace() {
        let trace = WorkedTrace()
        let steps = trace.translate(["I", "am", "a", "student"])
        #expect(steps.map(\.input) == ["<sos>", "je", "suis", "un", "etudiant"],
                "greedy decoding feeds back its own previous output, starting from <sos>")
        #expect(steps.map(\.output) == ["je", "suis", "un", "etudiant", "<eos>"])
        // The probabilities printed in the chapter's table.
        let printed: [Float] = [0.996, 0.997, 0.993, 0.991, 0.998]
        for (step, p) in zip(steps, printed) {
            #expect(abs(step.probability - p) < 0.0015, "P(\(step.output) | …) is \(step.probability), the text says \(p)")
        }
        // Training starts near log 22 = 3.09, a uniform guess over the 22 target tokens.
        #expect(trace.data.targetVocabulary.count == 22 && trace.data.sourceVocabulary.count == 19)
        #expect(abs(trace.losses[0] - 3.152) < 0.002, "the first batch's loss is \(trace.losses[0])")
        #expect(trace.losses.suffix(10).reduce(0, +) / 10 < 0.15)
        // After 300 steps the tiny model gets 30 of its 48 training sentences exactly right.
        let accuracy = exactMatchAccuracy(trace.model, on: trace.data)
        #expect(abs(accuracy - 30.0 / 48) < 1e-6, "exact-match accuracy on the 48 sentences: \(accuracy)")
    }
}
