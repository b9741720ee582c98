import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// SGD, Adam and AdamW behind one protocol, their per-parameter state, weight decay, and the
/// learning-rate schedules, on worked numbers.
@Suite("Chapter 2: optimizers, per-parameter state and schedules")
struct Chapter2OptimizerTests {
    @Test("Adam counts steps per parameter: one that first gets a gradient at step 5 moves by lr, not 0.55·lr")
    func adamLateGradient() {
        let a = Variable(Tensor([1, 1])), late = Variable(Tensor([1, -1]))
        var adam = Adam([a, late], learningRate: 0.01)
        let gradients = (1...10).map { Tensor([Float($0) * 0.3, -0.7]) }
        // The same parameter alone, with an optimizer that starts when its gradients start.
        let alone = Variable(Tensor([1, -1]))
        var fresh = Adam([alone], learningRate: 0.01)
        for step in 1...10 {
            a.grad = gradients[step - 1]
            late.grad = step >= 5 ? gradients[step - 1] * 2 : nil
            adam.step()
            if step == 5 {
                // t = 1 for this parameter: m̂ = g and v̂ = g², so it moves by lr·g/(|g| + ε).
                #expect(late.value.isClose(to: Tensor([0.99, -0.99]), tolerance: 1e-6),
                        "the first step of a late parameter is lr·sign(g), got \(late.value)")
                #expect(adam.stepCounts == [5, 1], "step counts per parameter should be [5, 1], got \(adam.stepCounts)")
            }
            if step >= 5 {
                alone.grad = gradients[step - 1] * 2
                fresh.step()
            }
        }
        #expect(adam.stepCounts == [10, 6])
        #expect(late.value == alone.value,
                "a parameter that joins at step 5 must follow the same path as one trained alone from then on: \(late.value) vs \(alone.value)")
    }

    @Test("Momentum is per parameter too: a late parameter starts with v = g")
    func momentumLateGradient() {
        let a = Variable(Tensor([0])), late = Variable(Tensor([1]))
        var sgd = SGD([a, late], learningRate: 0.1, momentum: 0.9)
        for step in 1...4 {
            a.grad = Tensor([1])
            late.grad = step >= 3 ? Tensor([2]) : nil
            sgd.step()
        }
        // Steps 3 and 4 for `late`: v = 2 then v = 3.8, θ = 1 − 0.2 − 0.38 = 0.42.
        #expect(abs(late.value.scalar - 0.42) < 1e-6, "got \(late.value.scalar)")
        // `a` took four steps with g = 1: v = 1, 1.9, 2.71, 3.439, θ = −0.9049.
        #expect(abs(a.value.scalar + 0.9049) < 1e-6, "got \(a.value.scalar)")
    }

    @Test("Weight decay: SGD adds λθ to g; Adam adds it before normalising; AdamW shrinks θ by 1 − ηλ")
    func weightDecay() {
        let p = Variable(Tensor([1]))
        var sgd = SGD([p], learningRate: 0.1, weightDecay: 0.1)
        p.grad = Tensor([0]); sgd.step()
        #expect(abs(p.value.scalar - 0.99) < 1e-7, "SGD: θ − η·λθ = 0.99, got \(p.value.scalar)")

        // With a zero gradient, Adam's L2 term λθ is the whole gradient, and Adam's first step
        // normalises it to lr·sign: θ = 0.9. AdamW only decays: θ = 1 − 0.1·0.1 = 0.99.
        let q = Variable(Tensor([1])), r = Variable(Tensor([1]))
        var adam = Adam([q], learningRate: 0.1, weightDecay: 0.1)
        var adamW = AdamW([r], learningRate: 0.1, weightDecay: 0.1)
        q.grad = Tensor([0]); r.grad = Tensor([0])
        adam.step(); adamW.step()
        #expect(abs(q.value.scalar - 0.9) < 1e-6, "Adam with L2: got \(q.value.scalar)")
        #expect(abs(r.value.scalar - 0.99) < 1e-7, "AdamW with g = 0 only decays: got \(r.value.scalar)")
        // With g = 0.5: AdamW gives 1·(1 − 0.01) − 0.1·0.5/(0.5 + ε) = 0.89.
        let s = Variable(Tensor([1]))
        var adamW2 = AdamW([s], learningRate: 0.1, weightDecay: 0.1)
        s.grad = Tensor([0.5]); adamW2.step()
        #expect(abs(s.value.scalar - 0.89) < 1e-6, "AdamW: got \(s.value.scalar)")
    }

    @Test("Nesterov momentum steps by η(g + μv)")
    func nesterov() {
        let p = Variable(Tensor([1]))
        var sgd = SGD([p], learningRate: 0.1, momentum: 0.9, nesterov: true)
        p.grad = Tensor([2]); sgd.step()      // v = 2,   θ = 1 − 0.1·(2 + 1.8) = 0.62
        #expect(abs(p.value.scalar - 0.62) < 1e-6, "got \(p.value.scalar)")
        p.grad = Tensor([2]); sgd.step()      // v = 3.8, θ = 0.62 − 0.1·(2 + 3.42) = 0.078
        #expect(abs(p.value.scalar - 0.078) < 1e-6, "got \(p.value.scalar)")
    }

    @Test("One Optimizer protocol: the same loop trains with SGD, Adam or AdamW")
    func protocolSwap() {
        func train(_ make: ([Variable]) -> any Optimizer) -> Float {
            let w = Variable(Tensor([3, -2]))
            var optimizer = make([w])
            for _ in 0..<100 {
                let loss = (w * w).sum()
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
            }
            return (w.value * w.value).sum().scalar
        }
        let losses = [
            train { SGD($0, learningRate: 0.1, momentum: 0.5) },
            train { Adam($0, learningRate: 0.1) },
            train { AdamW($0, learningRate: 0.1) },
        ]
        #expect(losses.allSatisfy { $0 < 0.05 }, "each optimizer should bring 13 down below 0.05, got \(losses)")
    }

    @Test("Schedules: constant, linear warm-up, cosine and the Transformer's inverse square root")
    func schedules() {
        func rates(_ s: LearningRateSchedule, _ steps: ClosedRange<Int>) -> [Float] { steps.map { s.learningRate(atStep: $0) } }
        #expect(rates(.constant(0.3), 1...3) == [0.3, 0.3, 0.3])
        #expect(rates(.linearWarmup(peak: 1, warmupSteps: 4), 1...6) == [0.25, 0.5, 0.75, 1, 1, 1])
        let cosine = rates(.cosine(peak: 1, totalSteps: 4), 1...6)
        let expected: [Float] = [1, 0.853_553_4, 0.5, 0.146_446_6, 0, 0]
        #expect(zip(cosine, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "cosine over 4 steps: \(cosine)")
        #expect(abs(LearningRateSchedule.cosine(peak: 1, totalSteps: 4, minimum: 0.1).learningRate(atStep: 3) - 0.55) < 1e-6)
        // d = 512, W = 4000: the peak at t = W is 1/√(512·4000) = 6.9877e-4, half of it at 4W.
        let transformer = LearningRateSchedule.inverseSquareRoot(modelDimension: 512, warmupSteps: 4000)
        let peak = transformer.learningRate(atStep: 4000)
        #expect(abs(peak - 6.987_712e-4) < 1e-9, "peak \(peak)")
        #expect(abs(transformer.learningRate(atStep: 16_000) - peak / 2) < 1e-9)
        #expect(abs(transformer.learningRate(atStep: 2000) - peak / 2) < 1e-9, "warm-up is linear: half the peak at W/2")
        #expect(transformer.learningRate(atStep: 3999) < peak && transformer.learningRate(atStep: 4001) < peak)
    }
}
