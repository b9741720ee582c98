import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The engine against PyTorch's own numbers (Tests/Chapter2Tests/PyTorchFixture.swift, made by
/// Tools/chapter2_pytorch_fixture.py): sums, optimizers, clipping, the edge cases of losses and
/// powers, the activations and the schedules. Where the book deliberately differs, the test says so.
@Suite("Chapter 2: agreement with PyTorch")
struct Chapter2PyTorchAgreementTests {
    typealias Fixture = Chapter2PyTorchFixture

    /// Every pair agrees to `tolerance`, relative above 1 and absolute below; NaN matches NaN.
    func expectAgree(_ got: [Float], _ expected: [Float], tolerance: Float = 1e-6, _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let agree = got.count == expected.count && zip(got, expected).allSatisfy { a, b in
            (a.isNaN && b.isNaN) || a == b || abs(a - b) <= tolerance * max(1, abs(b))
        }
        #expect(agree, "\(what): PyTorch gives \(expected), the book \(got)", sourceLocation: sourceLocation)
    }

    /// shift + scale·sin(1.3k + offset) for k = 0, 1, …, rounded to Float: the script's inputs.
    func formula(_ count: Int, _ offset: Double, _ scale: Double, _ shift: Double = 0) -> [Float] {
        (0..<count).map { Float(shift + scale * Foundation.sin(1.3 * Double($0) + offset)) }
    }

    @Test("A million copies of 0.1 sum to 100000 within 0.01 (Float one at a time gave 100958.34); PyTorch gives 100000.008")
    func sums() {
        let tenths = Tensor(repeating: 0.1, shape: [1000, 1000])
        let total = tenths.sum().scalar
        #expect(abs(total - 100_000) <= 0.01, "got \(total)")
        #expect(total == Float(Fixture.millionTenthsSumExact), "the Float nearest the exact sum \(Fixture.millionTenthsSumExact), got \(total)")
        #expect(abs(total - Fixture.millionTenthsSumPyTorch) <= 0.0079, "within one Float spacing of PyTorch's \(Fixture.millionTenthsSumPyTorch)")
        let column = Float(Fixture.columnOfTenthsSumExact)
        #expect(tenths.sum(axis: 0).scalars.allSatisfy { $0 == column } && tenths.sum(axis: 1).scalars.allSatisfy { $0 == column },
                "every row and column sums to \(column)")
        #expect(tenths.mean().scalar == Float(0.1), "the mean is 0.1, got \(tenths.mean().scalar)")
        #expect(tenths.reshaped([1, 1_000_000]).unbroadcast(to: [1]).scalar == total, "unbroadcast sums as accurately")
        let v = Variable(tenths)
        #expect(v.sum().value.scalar == total && v.mean().value.scalar == Float(0.1))
    }

    @Test("MSE and BCE over a [64, 784] batch agree with a float64 reference to 1e-6 relative")
    func batchLosses() {
        let n = 64 * 784
        let prediction = Tensor(shape: [64, 784], scalars: formula(n, 0.1, 0.5, 0.5))
        let target = Tensor(shape: [64, 784], scalars: formula(n, 0.4, 0.5, 0.5))
        let logits = Tensor(shape: [64, 784], scalars: formula(n, 0.2, 4))
        let mse = Double(meanSquaredError(Variable(prediction), target).value.scalar)
        #expect(abs(mse / Fixture.mseBatchExact - 1) < 1e-6, "MSE \(mse) against float64 \(Fixture.mseBatchExact)")
        let bce = Double(binaryCrossEntropy(logits: Variable(logits), targets: target).value.scalar)
        #expect(abs(bce / Fixture.bceBatchExact - 1) < 1e-6, "BCE \(bce) against float64 \(Fixture.bceBatchExact)")
    }

    /// The script's run: a gets [0.3t, −0.7] at every step t = 1…10; `late` gets twice that from
    /// step 5 on and no gradient before.
    func runLate(_ make: ([Variable]) -> any Optimizer) -> (a: [Float], late: [Float]) {
        let a = Variable(Tensor([1, 1])), late = Variable(Tensor([1, -1]))
        var optimizer = make([a, late])
        for t in 1...10 {
            let g = Tensor([0.3 * Float(t), -0.7])
            a.grad = g
            late.grad = t >= 5 ? g * 2 : nil
            optimizer.step()
        }
        return (a.value.scalars, late.value.scalars)
    }

    @Test("Adam, AdamW and SGD keep per-parameter state: a parameter whose first gradient comes at step 5 moves as in PyTorch")
    func lateGradients() {
        let cases: [(String, ([Variable]) -> any Optimizer, [Float], [Float])] = [
            ("Adam", { Adam($0, learningRate: 0.01) }, Fixture.adamLateA, Fixture.adamLateLate),
            ("Adam with weight decay 0.1", { Adam($0, learningRate: 0.01, weightDecay: 0.1) }, Fixture.adamDecayLateA, Fixture.adamDecayLateLate),
            ("AdamW", { AdamW($0, learningRate: 0.01, weightDecay: 0.1) }, Fixture.adamWLateA, Fixture.adamWLateLate),
            ("SGD with momentum", { SGD($0, learningRate: 0.01, momentum: 0.9) }, Fixture.momentumLateA, Fixture.momentumLateLate),
            ("SGD, Nesterov, weight decay", { SGD($0, learningRate: 0.01, momentum: 0.9, weightDecay: 0.01, nesterov: true) },
             Fixture.nesterovDecayLateA, Fixture.nesterovDecayLateLate),
        ]
        for (name, make, a, late) in cases {
            let got = runLate(make)
            expectAgree(got.a, a, "\(name): the parameter with a gradient at every step")
            expectAgree(got.late, late, "\(name): the parameter whose first gradient comes at step 5")
        }
    }

    @Test("SGD, Adam and AdamW with their options follow PyTorch for 8 steps on a quadratic")
    func quadratic() {
        let c = Tensor(Fixture.quadraticC), d = Tensor(Fixture.quadraticD)
        let cases: [(String, ([Variable]) -> any Optimizer, [Float])] = [
            ("SGD", { SGD($0, learningRate: 0.1, momentum: 0.5, weightDecay: 0.01) }, Fixture.quadraticSGD),
            ("Adam", { Adam($0, learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.05) }, Fixture.quadraticAdam),
            ("AdamW", { AdamW($0, learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1) }, Fixture.quadraticAdamW),
        ]
        for (name, make, expected) in cases {
            let theta = Variable(Tensor([1, -2, 3, 0.5]))
            var optimizer = make([theta])
            for _ in 0..<8 {
                let loss = (c * theta * theta).sum() / 2 + (d * theta).sum()
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
            }
            expectAgree(theta.value.scalars, expected, tolerance: 2e-6, "\(name) after 8 steps")
        }
    }

    /// Clips gradients given as arrays, one per parameter; returns the norm and the gradients.
    func clip(_ grads: [[Float]], _ maxNorm: Float) -> (Float, [Float]) {
        let parameters = grads.map { g -> Variable in
            let p = Variable(Tensor.zeros([g.count]))
            p.grad = Tensor(g)
            return p
        }
        let norm = clipGradientNorm(parameters, maxNorm: maxNorm)
        return (norm, parameters.flatMap { $0.grad!.scalars })
    }

    @Test("Clipping: NaN spreads to every gradient, ∞ zeroes the finite ones, tiny norms divide by norm + 1e-6, as in PyTorch")
    func clipping() {
        let cases: [(String, [[Float]], Float, Float, [Float])] = [
            ("a NaN gradient", [[1, .nan], [2]], 1, Fixture.clipNaNNorm, Fixture.clipNaNGradients),
            ("an infinite gradient", [[.infinity, 1], [2]], 1, Fixture.clipInfinityNorm, Fixture.clipInfinityGradients),
            ("a norm of 5e-8 clipped to 1e-8", [[3e-8], [0, 4e-8]], 1e-8, Fixture.clipTinyNorm, Fixture.clipTinyGradients),
            ("a norm of 5 clipped to 5", [[3], [0, 4]], 5, Fixture.clipAtLimitNorm, Fixture.clipAtLimitGradients),
            ("a norm of 5 clipped to 1", [[3], [0, 4]], 1, Fixture.clipLargeNorm, Fixture.clipLargeGradients),
        ]
        for (name, grads, maxNorm, norm, expected) in cases {
            let (gotNorm, got) = clip(grads, maxNorm)
            expectAgree([gotNorm], [norm], "\(name): the norm")
            expectAgree(got, expected, "\(name): the clipped gradients")
        }
        let p = Variable(Tensor.zeros([4]))
        p.grad = Tensor([-3, 0.5, .nan, 2])
        clipGradientValue([p], maxValue: 1)
        expectAgree(p.grad!.scalars, Fixture.clipValueGradients, "clipGradientValue at 1")
    }

    @Test("clipGradientNorm(errorIfNonfinite: true) stops with a message when the norm is NaN")
    func clippingError() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let p = Variable(Tensor([1]))
            p.grad = Tensor([.nan])
            clipGradientNorm([p], maxNorm: 1, errorIfNonfinite: true)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("clipGradientNorm: the total norm of the gradients is nan"), "got: \(message)")
    }

    @Test("Edge cases: the gradient of x⁰ at 0, log-softmax at 1000, BCE on probabilities of exactly 0 and 1")
    func edgeCases() {
        let x = Variable(Tensor([0, 2, -1.5]))
        x.pow(0).sum().backward()
        expectAgree(x.gradient.scalars, Fixture.powZeroGradient, "the gradient of x⁰")
        let big = Tensor([[1000, 1001, 1002]])
        expectAgree(big.logSoftmax().scalars, Fixture.logSoftmaxLarge, tolerance: 0, "log-softmax of [1000, 1001, 1002]")
        expectAgree([crossEntropy(logits: Variable(big), targets: [0]).value.scalar], [Fixture.crossEntropyLarge], "cross-entropy there")
        let p = Variable(Tensor(Fixture.bceProbabilities))
        let loss = binaryCrossEntropy(probabilities: p, targets: Tensor(Fixture.bceTargets))
        expectAgree([loss.value.scalar], [Fixture.bceProbabilityLoss], "BCE on probabilities (each log clamped at −100)")
        loss.backward()
        expectAgree(p.gradient.scalars, Fixture.bceProbabilityGradient, "its gradient, (p − y)/max(p(1 − p), 1e-12)/N")
    }

    @Test("GELU, softplus, LeakyReLU and SiLU: values and gradients as PyTorch's")
    func activations() {
        let x = Tensor(Fixture.activationInputs)
        let cases: [(String, (Variable) -> Variable, [Float], [Float])] = [
            ("gelu", { $0.gelu() }, Fixture.geluValues, Fixture.geluGradients),
            ("gelu tanh", { $0.gelu(tanhApproximation: true) }, Fixture.geluTanhValues, Fixture.geluTanhGradients),
            ("softplus", { $0.softplus() }, Fixture.softplusValues, Fixture.softplusGradients),
            ("softplus β = 2", { $0.softplus(beta: 2) }, Fixture.softplusBeta2Values, Fixture.softplusBeta2Gradients),
            ("leakyRelu", { $0.leakyRelu() }, Fixture.leakyReluValues, Fixture.leakyReluGradients),
            ("leakyRelu 0.2", { $0.leakyRelu(slope: 0.2) }, Fixture.leakyRelu02Values, Fixture.leakyRelu02Gradients),
            ("silu", { $0.silu() }, Fixture.siluValues, Fixture.siluGradients),
        ]
        for (name, f, values, gradients) in cases {
            let v = Variable(x)
            let y = f(v)
            y.sum().backward()
            expectAgree(y.value.scalars, values, tolerance: 2e-6, "\(name) values")
            expectAgree(v.gradient.scalars, gradients, tolerance: 2e-6, "\(name) gradients")
        }
    }

    @Test("Schedules: linear warm-up, cosine and inverse square root give PyTorch's learning rates")
    func schedules() {
        let warmup = (1...8).map { LearningRateSchedule.linearWarmup(peak: 1, warmupSteps: 4).learningRate(atStep: $0) }
        expectAgree(warmup, Fixture.warmupRates, "linear warm-up over 4 steps (LinearLR)")
        let cosine = (1...5).map { LearningRateSchedule.cosine(peak: 1, totalSteps: 4, minimum: 0.1).learningRate(atStep: $0) }
        expectAgree(cosine, Fixture.cosineRates, "cosine over 4 steps down to 0.1 (CosineAnnealingLR)")
        let transformer = LearningRateSchedule.inverseSquareRoot(modelDimension: 512, warmupSteps: 4000)
        let rates = Fixture.inverseSquareRootSteps.map { transformer.learningRate(atStep: Int($0)) }
        expectAgree(rates, Fixture.inverseSquareRootRates, "the Transformer's schedule, d = 512, 4000 warm-up steps (LambdaLR)")
    }

    @Test("Cross-entropy over a batch that is all padding is 0 with zero gradients; PyTorch's is NaN (0/0)")
    func allPadding() {
        let logits = Variable(Tensor([[1, 2, 3], [0, 0, 5]]))
        let loss = crossEntropy(logits: logits, targets: [-100, -100], ignoreIndex: -100)
        loss.backward()
        #expect(loss.value.scalar == 0 && logits.gradient == Tensor.zeros([2, 3]), "got \(loss.value.scalar) and \(logits.gradient)")
        #expect(Fixture.crossEntropyAllPaddingPyTorch.isNaN, "the book differs from PyTorch here on purpose (see section 2.5)")
    }

    @Test("Optimizer state saved to a safetensors file resumes training exactly")
    func resumeTraining() throws {
        func freshModel() -> Sequential {
            var rng = SeededRandom(seed: 12)
            return Sequential([Linear(3, 4, rng: &rng), Tanh(), Linear(4, 2, rng: &rng)])
        }
        let x = Tensor([[0.5, -1, 2], [1, 0, -0.5]]), y = Tensor([[1, 0], [0, 1]])
        func train(_ m: Sequential, _ optimizer: inout any Optimizer, steps: Int) {
            for _ in 0..<steps {
                let loss = meanSquaredError(m(.constant(x)), y)
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
            }
        }
        for make in [{ (p: [Variable]) -> any Optimizer in Adam(p, learningRate: 0.05) },
                     { AdamW($0, learningRate: 0.05) },
                     { SGD($0, learningRate: 0.1, momentum: 0.9) }] {
            let straight = freshModel()
            var first = make(straight.parameters)
            train(straight, &first, steps: 6)

            let interrupted = freshModel()
            var before = make(interrupted.parameters)
            train(interrupted, &before, steps: 3)
            let file = Safetensors.encode(namespaced(["model": interrupted.stateDict, "optimizer": before.stateDict]))
            let saved = try Safetensors.decode(file).tensors
            let resumed = freshModel()
            try resumed.loadStateDict(entries(under: "model", in: saved))
            var after = make(resumed.parameters)
            try after.loadStateDict(entries(under: "optimizer", in: saved))
            train(resumed, &after, steps: 3)
            #expect(resumed.stateDict == straight.stateDict, "\(type(of: first)): 3 + 3 steps with a save in between must equal 6 steps")
        }
        var adam = Adam([Variable(Tensor([1, 2]))])
        #expect(throws: StateDictError.self) { try adam.loadStateDict(["0.exp_avg": Tensor([1, 2])]) }
        #expect(throws: StateDictError.self) { try adam.loadStateDict(["0.exp_avg": Tensor([1, 2, 3]), "0.exp_avg_sq": Tensor([1, 2]), "0.step": Tensor(1)]) }
        #expect(throws: StateDictError.self) { try adam.loadStateDict(["7.step": Tensor(1)]) }
    }
}
