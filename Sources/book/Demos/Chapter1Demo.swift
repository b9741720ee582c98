import Datasets
import Foundation
import Plotting
import ScalarAutodiff

/// Chapter 1: a scalar MLP learns to separate the two moons by plain gradient descent.
let chapter1Demo = Demo(chapter: 1, title: "a scalar MLP separates two moons") { options in
    let points = twoMoons(count: 100, noise: 0.1, seed: options.seed)
    var rng = SeededRandom(seed: options.seed)
    let mlp = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
    let steps = options.steps ?? 60
    print("MLP(2, [16, 16, 1]): \(mlp.parameters.count) parameters; \(points.count) points; \(steps) steps of gradient descent on the hinge loss")

    let inputs = points.map { [Value($0.x), Value($0.y)] }
    let labels = points.map(\.label)
    let progress = ProgressPrinter(total: steps)
    var losses: [Double] = []
    for step in 1...steps {
        let scores = inputs.map { mlp($0)[0] }
        // Hinge loss plus a little L2 regularisation: L = mean(max(0, 1 − y·s)) + 1e-4 Σ θ².
        let regularisation = sum(mlp.parameters.map { $0 * $0 }) * 1e-4
        let loss = hingeLoss(scores: scores, labels: labels) + regularisation
        guard loss.data.isFinite else {
            throw CommandFailure("The loss became \(loss.data) at step \(step): lower the learning rate.")
        }
        let accuracy = Double(zip(scores, labels).filter { $0.data * $1 > 0 }.count) / Double(labels.count)
        mlp.zeroGradients()
        loss.backward()
        // Learning rate decays linearly from 1.0 to 0.1.
        let learningRate = 1.0 - 0.9 * Double(step - 1) / Double(max(steps - 1, 1))
        mlp.gradientDescentStep(learningRate: learningRate)
        losses.append(loss.data)
        progress.update(step: step, String(format: "loss %.4f  accuracy %3.0f%%", loss.data, accuracy * 100))
    }

    // The decision boundary as text: each character is the sign of the score at that point.
    print("\nWhat the network learned (+ and - are its two classes; o and x are the data):")
    let width = 60, height = 22
    var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
    func cell(_ x: Double, _ y: Double) -> (Int, Int) {
        (Int((x + 1.5) / 4 * Double(width)), Int((1.5 - y) / 3 * Double(height)))
    }
    for row in 0..<height {
        for column in 0..<width {
            let x = -1.5 + 4 * (Double(column) + 0.5) / Double(width)
            let y = 1.5 - 3 * (Double(row) + 0.5) / Double(height)
            grid[row][column] = mlp([Value(x), Value(y)])[0].data > 0 ? "+" : "-"
        }
    }
    for point in points {
        let (column, row) = cell(point.x, point.y)
        if (0..<width).contains(column), (0..<height).contains(row) {
            grid[row][column] = point.label > 0 ? "o" : "x"
        }
    }
    print(grid.map { String($0) }.joined(separator: "\n"))
    print(String(format: "\nFinal loss %.4f (started at %.4f).", losses.last!, losses.first!))

    // Figures: the loss curve, and the data over a fine grid of the network's decisions.
    let lossFile = options.outputFolder.appendingPathComponent("loss.svg").path
    try writeSVG(linePlot([Series("hinge loss + L2", y: losses)], title: "Chapter 1: training loss",
                          xLabel: "step", yLabel: "loss", logY: true), to: lossFile)
    var xs: [Double] = [], ys: [Double] = [], classes: [Int] = []
    for row in 0..<40 {
        for column in 0..<50 {
            let x = -1.5 + 4 * (Double(column) + 0.5) / 50, y = -1 + 2.5 * (Double(row) + 0.5) / 40
            xs.append(x); ys.append(y)
            classes.append(mlp([Value(x), Value(y)])[0].data > 0 ? 2 : 3)
        }
    }
    for point in points {
        xs.append(point.x); ys.append(point.y); classes.append(point.label > 0 ? 1 : 0)
    }
    let boundaryFile = options.outputFolder.appendingPathComponent("decision-boundary.svg").path
    try writeSVG(scatterPlot(x: xs, y: ys, classes: classes,
                             classNames: ["moon −1", "moon +1", "predicted +1", "predicted −1"],
                             title: "Chapter 1: what the MLP learned", radius: 2.5), to: boundaryFile)
    print("Figures: \(lossFile), \(boundaryFile)")
}
