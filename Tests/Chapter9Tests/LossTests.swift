import Evaluation
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// Seeded logits, uniform in [−2, 2).
func randomInput(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededRandom(seed: seed)
    return Tensor.randomUniform(shape, low: -2, high: 2, rng: &rng)
}

@Suite("Chapter 9: the book's label smoothing and perplexity")
struct Chapter9LossTests {
    @Test("Label-smoothed cross-entropy passes a gradient check, with padding rows ignored")
    func gradientCheckWithPadding() {
        let variable = Variable(randomInput([5, 7], seed: 91))
        let targets = [3, 0, -1, 6, 2]
        let result = Tensors.gradientCheck(parameters: [variable]) {
            labelSmoothedCrossEntropy(logits: variable, targets: targets, epsilon: 0.2, ignoreIndex: -1)
        }
        #expect(result.worst < 5e-3, "\(result.detail)")
        // Ignored rows get exactly no gradient.
        variable.grad = nil
        labelSmoothedCrossEntropy(logits: variable, targets: targets, epsilon: 0.2, ignoreIndex: -1).backward()
        #expect((0..<7).allSatisfy { variable.gradient.scalars[2 * 7 + $0] == 0 }, "the padding row must get no gradient")
    }

    @Test("ε = 0 is plain cross-entropy; the loss equals −Σ q log p computed by hand, on a batch of 3-D logits")
    func agreesWithDefinition() {
        let logits = randomInput([2, 3, 5], seed: 92)
        let targets = [4, 1, 0, 2, 2, 3]
        let zero = labelSmoothedCrossEntropy(logits: .constant(logits), targets: targets, epsilon: 0).value.scalars[0]
        let plain = crossEntropy(logits: .constant(logits), targets: targets).value.scalars[0]
        #expect(abs(zero - plain) < 1e-6, "ε = 0: \(zero) vs crossEntropy \(plain)")
        let logP = logits.logSoftmax()
        var byHand: Float = 0
        for (i, y) in targets.enumerated() {
            let q = smoothedTargets(target: y, classes: 5, epsilon: 0.3)
            for c in 0..<5 { byHand -= q[c] * logP.scalars[i * 5 + c] }
        }
        byHand /= Float(targets.count)
        let smoothed = labelSmoothedCrossEntropy(logits: .constant(logits), targets: targets, epsilon: 0.3).value.scalars[0]
        #expect(abs(smoothed - byHand) < 1e-5, "\(smoothed) vs −Σ q log p = \(byHand)")
    }

    @Test("Perplexity of a model's logits is exp of its cross-entropy, and skips padding")
    func perplexityOfLogits() {
        let logits = randomInput([4, 6], seed: 93)
        let loss = crossEntropy(logits: .constant(logits), targets: [1, 2, 3, 4]).value.scalars[0]
        #expect(abs(corpusPerplexity(logits: logits, targets: [1, 2, 3, 4]) - exp(Double(loss))) < 1e-4)
        let padded = corpusPerplexity(logits: logits, targets: [1, -1, -1, 4], ignoreIndex: -1)
        let byHand = corpusPerplexity(tokenLogProbabilities: [0, 3].map { Double(logits.logSoftmax().scalars[$0 * 6 + [1, 4][$0 == 0 ? 0 : 1]]) })
        #expect(abs(padded - byHand) < 1e-4, "\(padded) vs \(byHand)")
        #expect(perplexityFromLoss(0) == 1, "a model sure of every gold token has perplexity 1")
    }

    @Test("Exact match counts identical sequences only")
    func exactMatchCounts() {
        #expect(exactMatch(hypotheses: [[1, 2], [3], [4, 5]], references: [[1, 2], [3, 0], [4, 5]]) == 2.0 / 3)
    }
}
