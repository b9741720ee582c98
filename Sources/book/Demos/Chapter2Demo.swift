import Datasets
import Foundation
import Plotting
import ScalarAutodiff
import Tensors

/// Chapter 2: the tensor engine trains a small classifier on the 8×8 handwritten digits, first
/// with plain SGD and then with Adam, from the same starting weights.
let chapter2Demo = Demo(chapter: 2, title: "an MLP classifies handwritten digits, SGD against Adam") { options in
    let (train, test) = try Digits.load().split()
    let steps = options.steps ?? 300
    let batchSize = 64
    print("Digits: \(train.count) training and \(test.count) test images of 8×8 pixels; MLP 64 → 64 → 10 with ReLU; batch \(batchSize), \(steps) steps per optimizer")

    let testImages = Tensor(shape: [test.count, 64], scalars: test.images.flatMap { $0 })

    /// Trains one fresh model (same seed, so the same initial weights) with the given optimizer.
    func run(_ name: String, useAdam: Bool) -> (losses: [Float], accuracy: Double) {
        var rng = SeededRandom(seed: options.seed)
        let model = Sequential([
            Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng),
        ])
        var sgd = SGD(model.parameters, learningRate: options.learningRate ?? 0.1)
        var adam = Adam(model.parameters, learningRate: options.learningRate ?? 0.01)
        var order = Array(0..<train.count)
        var cursor = train.count
        print("\n\(name): \(model.parameterCount) parameters")
        let losses = trainingLoop(steps: steps, logEvery: max(steps / 6, 1)) { _ in
            // Draw a batch without replacement, reshuffling after each pass over the data.
            if cursor + batchSize > order.count { rng.shuffle(&order); cursor = 0 }
            let batch = order[cursor..<cursor + batchSize]
            cursor += batchSize
            let x = Tensor(shape: [batchSize, 64], scalars: batch.flatMap { train.images[$0] })
            let loss = crossEntropy(logits: model(.constant(x)), targets: batch.map { train.labels[$0] })
            if useAdam {
                adam.zeroGradients()
                loss.backward()
                adam.step()
            } else {
                sgd.zeroGradients()
                loss.backward()
                sgd.step()
            }
            return loss.value.scalar
        }
        let predictions = model(.constant(testImages)).value.argmax()
        let correct = zip(predictions, test.labels).filter { $0 == $1 }.count
        let accuracy = Double(correct) / Double(test.count)
        print(String(format: "%@: test accuracy %.1f%% (%d of %d)", name, accuracy * 100, correct, test.count))
        return (losses, accuracy)
    }

    let sgd = run("SGD, learning rate 0.1", useAdam: false)
    let adam = run("Adam, learning rate 0.01", useAdam: true)

    let lossFile = options.outputFolder.appendingPathComponent("loss.svg").path
    try writeSVG(linePlot([Series("SGD", y: sgd.losses), Series("Adam", y: adam.losses)],
                          title: "Chapter 2: cross-entropy on digits", xLabel: "step", yLabel: "loss", logY: true),
                 to: lossFile)
    print("\nFigure: \(lossFile)")
}
