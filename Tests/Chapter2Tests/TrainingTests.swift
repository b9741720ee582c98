import Chapter2Checks
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// Layers, initialisation, dropout, optimizers and the training loop, on tiny problems.
@Suite("Chapter 2: layers, optimizers and training")
struct Chapter2TrainingTests {
    @Test("He and Xavier initialisation have the variances they promise")
    func initialisationStatistics() {
        var rng = SeededRandom(seed: 11)
        let he = Initialisation.heNormal.sample([200, 100], fanIn: 200, fanOut: 100, rng: &rng)
        let heVariance = (he * he).mean().scalar
        #expect(abs(heVariance - 2.0 / 200) < 0.0005, "He: Var(w) = 2/fanIn = 0.01, got \(heVariance)")
        let xavier = Initialisation.xavierUniform.sample([200, 100], fanIn: 200, fanOut: 100, rng: &rng)
        let xavierVariance = (xavier * xavier).mean().scalar
        #expect(abs(xavierVariance - 2.0 / 300) < 0.0004, "Xavier: Var(w) = 2/(fanIn + fanOut) ≈ 0.00667, got \(xavierVariance)")
        let bound = Float(sqrt(6.0 / 300))
        #expect(xavier.scalars.allSatisfy { abs($0) <= bound }, "Xavier uniform stays inside ±√(6/(fanIn+fanOut))")
    }

    @Test("Dropout keeps about 1 − p of the elements, scaled by 1/(1 − p), and repeats with its seed")
    func dropout() {
        let drop = Dropout(probability: 0.25, seed: 3)
        let y = drop(Variable.constant(Tensor.ones([100, 100]))).value
        let kept = y.scalars.filter { $0 != 0 }
        #expect(abs(Float(kept.count) / 10_000 - 0.75) < 0.02, "about 75% should survive, got \(kept.count)")
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 }, "survivors are scaled by 1/(1 − p)")
        #expect(abs(y.mean().scalar - 1) < 0.03, "the expected value is unchanged, got mean \(y.mean().scalar)")
        let again = Dropout(probability: 0.25, seed: 3)(Variable.constant(Tensor.ones([100, 100]))).value
        #expect(again == y, "the same seed must give the same mask")
        drop.isTraining = false
        #expect(drop(Variable.constant(Tensor.ones([2, 2]))).value == Tensor.ones([2, 2]), "evaluation mode is the identity")
    }

    @Test("SGD with momentum follows v ← μv + g, θ ← θ − ηv")
    func sgdMomentum() {
        let theta = Variable(Tensor([1]))
        var sgd = SGD([theta], learningRate: 0.1, momentum: 0.9)
        theta.grad = Tensor([2]); sgd.step()        // v = 2,   θ = 1 − 0.2 = 0.8
        theta.grad = Tensor([2]); sgd.step()        // v = 3.8, θ = 0.8 − 0.38 = 0.42
        #expect(abs(theta.value.scalar - 0.42) < 1e-6, "after two steps θ should be 0.42, got \(theta.value.scalar)")
    }

    @Test("Clipping by global norm scales all gradients by maxNorm/‖g‖")
    func clipping() {
        let a = Variable(Tensor([3])), b = Variable(Tensor([0, 0]))
        a.grad = Tensor([3]); b.grad = Tensor([0, 4])     // ‖g‖ = 5
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(norm == 5, "the global norm of (3, 0, 4) is 5, got \(norm)")
        #expect(a.grad!.isClose(to: Tensor([0.6])) && b.grad!.isClose(to: Tensor([0, 0.8])), "gradients should be scaled by 1/5")
        clipGradientNorm([a, b], maxNorm: 10)
        #expect(a.grad!.isClose(to: Tensor([0.6])), "a norm under the limit is left alone")
    }

    @Test("A tiny MLP learns XOR with Adam; the training loop logs steps and returns every loss")
    func trainXOR() {
        var rng = SeededRandom(seed: 4)
        let model = Sequential([Linear(2, 8, rng: &rng), Tanh(), Linear(8, 1, rng: &rng)])
        #expect(model.parameterCount == 2 * 8 + 8 + 8 + 1)
        let x = Tensor([[-1, -1], [-1, 1], [1, -1], [1, 1]]), y = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        var optimizer = Adam(model.parameters, learningRate: 0.05)
        var lines: [String] = []
        let losses = trainingLoop(steps: 300, logEvery: 100, log: { lines.append($0) }) { _ in
            let loss = binaryCrossEntropy(logits: model(.constant(x)), targets: y)
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            return loss.value.scalar
        }
        #expect(losses.count == 300 && losses.last! < 0.05, "the loss should fall below 0.05, from \(losses.first!) to \(losses.last!)")
        #expect(lines.count == 3 && lines[0].hasPrefix("step 100/300  loss ") && lines[0].hasSuffix("steps/s"),
                "progress lines look like 'step 100/300  loss 0.123456  812.0 steps/s', got \(lines)")
        let predictions = model(.constant(x)).value.sigmoid().scalars.map { $0 > 0.5 ? 1 : 0 }
        #expect(predictions == [0, 1, 1, 0], "XOR predictions should be [0, 1, 1, 0], got \(predictions)")
    }

    @Test("Linear applies to every position of a batch of sequences; Embedding looks up rows")
    func linearAndEmbeddingShapes() {
        var rng = SeededRandom(seed: 12)
        let layer = Linear(4, 3, rng: &rng)
        let x = Tensor.randomNormal([2, 5, 4], rng: &rng)
        let y = layer(.constant(x)).value
        #expect(y.shape == [2, 5, 3], "Linear(4, 3) maps [2, 5, 4] to [2, 5, 3], got \(y.shape)")
        let row = x.slice(axis: 0, 1..<2).slice(axis: 1, 3..<4).reshaped([1, 4])
        let expected = row.matmul(layer.weight.value) + layer.bias.value
        #expect(y.slice(axis: 0, 1..<2).slice(axis: 1, 3..<4).reshaped([1, 3]).isClose(to: expected),
                "position (1, 3) should be x·W + b for that row alone")
        let embedding = Embedding(vocabularySize: 10, dimension: 6, rng: &rng)
        let vectors = embedding([3, 1, 3, 0], shape: [2, 2])
        #expect(vectors.shape == [2, 2, 6])
        #expect(vectors.value.slice(axis: 0, 0..<1).slice(axis: 1, 0..<1).scalars
                == embedding.table.value.slice(axis: 0, 3..<4).scalars, "the first vector is row 3 of the table")
        vectors.sum().backward()
        #expect(embedding.table.gradient.slice(axis: 0, 3..<4) == Tensor(repeating: 2, shape: [1, 6]),
                "row 3 was looked up twice, so its gradient under a sum is 2 everywhere")
        #expect(embedding.table.gradient.slice(axis: 0, 2..<3) == Tensor.zeros([1, 6]), "row 2 was never used")
    }

    @Test("The recipe of exercise 2.9's hints reaches 97.0 % on the 300 test digits (the target is 90 %)")
    func digitRecipe() throws {
        // Exercise 2.9's reference answer, with the check's seed: 64 → 64 → 10 with ReLU, He
        // initialisation, Adam at 0.01, 300 batches of 64 drawn without replacement.
        let (images, labels) = try DigitExerciseData.training()
        var rng = SeededRandom(seed: 29)
        let model = Sequential([Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng)])
        var optimizer = Adam(model.parameters, learningRate: 0.01)
        var order = Array(0..<labels.count)
        var cursor = order.count
        for _ in 0..<300 {
            if cursor + 64 > order.count { rng.shuffle(&order); cursor = 0 }
            let batch = Array(order[cursor..<(cursor + 64)])
            cursor += 64
            let loss = crossEntropy(logits: model(.constant(images.gatherRows(batch))), targets: batch.map { labels[$0] })
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
        }
        let accuracy = try DigitExerciseData.testAccuracy(of: model)
        #expect(Int((accuracy * 300).rounded()) == 291, "the recipe should get 291 of 300 test digits right, got \(accuracy * 300)")
    }
}
