import ScalarAutodiff
import Tensors
import Testing

/// Every differentiable operation's backward rule against central differences, on seeded random
/// inputs, including shapes that broadcast.
@Suite("Chapter 2: gradient checks for every operation")
struct Chapter2GradientCheckTests {
    static let tolerance: Float = 5e-3

    func expectGradients(_ name: String, _ inputs: [Tensor], _ f: ([Variable]) -> Variable,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let (worst, detail) = gradientCheck(inputs, f)
        #expect(worst < Self.tolerance,
                "\(name): backward rule disagrees with central differences by \(worst) (tolerance \(Self.tolerance)); \(detail)",
                sourceLocation: sourceLocation)
    }

    /// Shape pairs that broadcast: equal, a trailing row, a column, a scalar, both sides stretched.
    static let broadcastPairs: [([Int], [Int])] = [
        ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [3, 1]), ([2, 3, 4], [1]),
        ([2, 1, 4], [3, 1]), ([4], [2, 3, 4]), ([], [2, 2]),
    ]

    @Test("+ − × ÷ with broadcasting sum the gradient back to each input's shape",
          arguments: Array(broadcastPairs.enumerated()))
    func binaryOperations(_ item: (offset: Int, element: ([Int], [Int]))) {
        let (sa, sb) = item.element
        let seed = UInt64(item.offset * 10)
        let a = randomInput(sa, seed: seed + 1)
        let b = randomInput(sb, seed: seed + 2, low: 0.5, high: 2)   // away from 0 for ÷
        expectGradients("a + b \(sa) \(sb)", [a, b]) { $0[0] + $0[1] }
        expectGradients("a − b \(sa) \(sb)", [a, b]) { $0[0] - $0[1] }
        expectGradients("a × b \(sa) \(sb)", [a, b]) { $0[0] * $0[1] }
        expectGradients("a ÷ b \(sa) \(sb)", [a, b]) { $0[0] / $0[1] }
    }

    @Test("+ − × ÷ on 20 seeded random pairs of broadcastable shapes")
    func randomBroadcastShapes() {
        var rng = SeededRandom(seed: 2024)
        for trial in 0..<20 {
            // A random full shape of rank 1-3 with sizes 1-4; the other operand drops some
            // leading axes and sets some of the rest to 1.
            let rank = 1 + rng.integer(below: 3)
            let full = (0..<rank).map { _ in 1 + rng.integer(below: 4) }
            var other = Array(full.dropFirst(rng.integer(below: rank + 1)))
            for axis in other.indices where rng.uniform() < 0.4 { other[axis] = 1 }
            let (sa, sb) = rng.uniform() < 0.5 ? (full, other) : (other, full)
            let a = randomInput(sa, seed: UInt64(100 + trial))
            let b = randomInput(sb, seed: UInt64(200 + trial), low: 0.5, high: 2)
            expectGradients("trial \(trial): \(sa) + \(sb)", [a, b]) { $0[0] + $0[1] }
            expectGradients("trial \(trial): \(sa) − \(sb)", [a, b]) { $0[0] - $0[1] }
            expectGradients("trial \(trial): \(sa) × \(sb)", [a, b]) { $0[0] * $0[1] }
            expectGradients("trial \(trial): \(sa) ÷ \(sb)", [a, b]) { $0[0] / $0[1] }
        }
    }

    @Test("Negation and arithmetic with plain numbers and constant tensors")
    func scalarOperations() {
        let a = randomInput([2, 3], seed: 3)
        let c = randomInput([3], seed: 4)
        expectGradients("−a", [a]) { -$0[0] }
        expectGradients("2.5·a + 1 − a/4", [a]) { 2.5 * $0[0] + 1 - $0[0] / 4 }
        expectGradients("3 − a", [a]) { 3 - $0[0] }
        expectGradients("a × constant", [a]) { $0[0] * c + c }
    }

    @Test("exp, log, tanh, sigmoid, relu, sqrt, pow")
    func elementwiseFunctions() {
        let x = randomInput([3, 4], seed: 5, gap: 0.1)
        let positive = randomInput([3, 4], seed: 6, low: 0.3, high: 3)
        expectGradients("exp", [x]) { $0[0].exp() }
        expectGradients("log", [positive]) { $0[0].log() }
        expectGradients("tanh", [x]) { $0[0].tanh() }
        expectGradients("sigmoid", [x]) { $0[0].sigmoid() }
        expectGradients("relu", [x]) { $0[0].relu() }
        expectGradients("sqrt", [positive]) { $0[0].sqrt() }
        expectGradients("pow 3", [x]) { $0[0].pow(3) }
        expectGradients("pow −1.5", [positive]) { $0[0].pow(-1.5) }
    }

    @Test("sum, mean, and sum/mean/max along each axis")
    func reductions() {
        let x = randomInput([2, 3, 4], seed: 7)
        expectGradients("sum", [x]) { $0[0].sum() }
        expectGradients("mean", [x]) { $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            expectGradients("sum(axis: \(axis))", [x]) { $0[0].sum(axis: axis) }
            expectGradients("mean(axis: \(axis), keeping)", [x]) { $0[0].mean(axis: axis, keepingDimension: true) }
            expectGradients("max(axis: \(axis))", [x]) { $0[0].max(axis: axis) }
        }
    }

    @Test("matmul: matrices, a batch times a shared matrix, and a batch times a batch")
    func matmul() {
        expectGradients("[3,4]·[4,5]", [randomInput([3, 4], seed: 8), randomInput([4, 5], seed: 9)]) { $0[0].matmul($0[1]) }
        expectGradients("[2,3,4]·[4,5]", [randomInput([2, 3, 4], seed: 10), randomInput([4, 5], seed: 11)]) { $0[0].matmul($0[1]) }
        expectGradients("[2,3,4]·[2,4,2]", [randomInput([2, 3, 4], seed: 12), randomInput([2, 4, 2], seed: 13)]) { $0[0].matmul($0[1]) }
    }

    @Test("reshape, transpose, permute, concatenate, slice")
    func shapeOperations() {
        let x = randomInput([2, 3, 4], seed: 14)
        let y = randomInput([2, 2, 4], seed: 15)
        expectGradients("reshape", [x]) { $0[0].reshaped([6, -1]) }
        expectGradients("transpose", [x]) { $0[0].transposed() }
        expectGradients("permute [2,0,1]", [x]) { $0[0].permuted([2, 0, 1]) }
        expectGradients("concatenate axis 1", [x, y]) { Variable.concatenate([$0[0], $0[1]], axis: 1) }
        expectGradients("concatenate axis 0", [x, x]) { Variable.concatenate([$0[0], $0[1]], axis: 0) }
        expectGradients("stack axis 1", [x, x]) { Variable.stack([$0[0], $0[1]], axis: 1) }
        expectGradients("slice axis 1", [x]) { $0[0].slice(axis: 1, 1..<3) }
        expectGradients("slice axis -1", [x]) { $0[0].slice(axis: -1, 0..<2) }
    }

    @Test("gather (embedding lookup, with a repeated id) and maskedFill")
    func gatherAndMask() {
        let table = randomInput([5, 3], seed: 16)
        expectGradients("gatherRows", [table]) { $0[0].gatherRows([4, 0, 4, 2], indexShape: [2, 2]) }
        let scores = randomInput([2, 3, 3], seed: 17)
        expectGradients("maskedFill causal", [scores]) { $0[0].maskedFill(Tensor.causalMask(3), with: -1e9).softmax() }
    }

    @Test("softmax, logSoftmax, logSumExp")
    func softmaxFamily() {
        let z = randomInput([3, 5], seed: 18, low: -3, high: 3)
        expectGradients("softmax", [z]) { $0[0].softmax() }
        expectGradients("logSoftmax", [z]) { $0[0].logSoftmax() }
        expectGradients("logSumExp", [z]) { $0[0].logSumExp() }
    }

    @Test("Losses: MSE, cross-entropy with an ignored row, BCE with logits")
    func losses() {
        let p = randomInput([4, 3], seed: 19)
        let target = randomInput([4, 3], seed: 20)
        expectGradients("meanSquaredError", [p]) { meanSquaredError($0[0], target) }
        let logits = randomInput([2, 3, 4], seed: 21, low: -3, high: 3)
        expectGradients("crossEntropy", [logits]) { crossEntropy(logits: $0[0], targets: [0, 3, -1, 2, 1, -1], ignoreIndex: -1) }
        let probabilities = randomInput([4, 3], seed: 22, low: 0, high: 1)
        expectGradients("binaryCrossEntropy", [p]) { binaryCrossEntropy(logits: $0[0], targets: probabilities) }
    }

    @Test("A variable used twice, and an RNN-style loop, accumulate gradients")
    func reuseAndRecurrence() {
        expectGradients("x·x + x", [randomInput([3], seed: 23)]) { $0[0] * $0[0] + $0[0] }
        let x = randomInput([3, 2, 4], seed: 24, low: -1, high: 1)   // [time, batch, features]
        let wx = randomInput([4, 3], seed: 25, low: -1, high: 1)
        let wh = randomInput([3, 3], seed: 26, low: -1, high: 1)
        let b = randomInput([3], seed: 27, low: -1, high: 1)
        expectGradients("h = tanh(x Wx + h Wh + b) over 3 steps", [x, wx, wh, b]) { v in
            var h = Variable.constant(Tensor.zeros([2, 3]))
            for t in 0..<3 {
                let xt = v[0].slice(axis: 0, t..<(t + 1)).reshaped([2, 4])
                h = (xt.matmul(v[1]) + h.matmul(v[2]) + v[3]).tanh()
            }
            return h
        }
    }

    @Test("Batched attention with a padding mask: softmax(Q·Kᵀ/√d, masked)·V")
    func maskedAttention() {
        // Two sequences of 3 positions; the second has one padding position at the end.
        let padding = Tensor(shape: [2, 1, 3], scalars: [0, 0, 0, 0, 0, 1])
        let q = randomInput([2, 3, 4], seed: 28, low: -1, high: 1)
        let k = randomInput([2, 3, 4], seed: 29, low: -1, high: 1)
        let v = randomInput([2, 3, 4], seed: 30, low: -1, high: 1)
        expectGradients("attention", [q, k, v]) { x in
            let scores = x[0].matmul(x[1].transposed()) / Float(4).squareRoot()
            return scores.maskedFill(padding, with: -1e9).softmax().matmul(x[2])
        }
        let weights = (Variable(q).matmul(Variable(k).transposed())).maskedFill(padding, with: -1e9).softmax().value
        #expect(weights[1, 0, 2] == 0 && weights[1, 2, 2] == 0, "no attention may go to the padding position")
    }
}
