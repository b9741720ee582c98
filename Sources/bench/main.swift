// The book's benchmarks. Run in release mode:
//
//     swift run -c release bench
//
// Prints one table: matrix-multiplication speed, a small autoencoder's training time, and
// chapter 1's scalar engine on a small MLP. Reference numbers from PyTorch (one thread) and
// micrograd on the same machine are printed beside ours for comparison.

import Datasets
import Foundation
import ScalarAutodiff
import Tensors

/// Seconds taken by `body`, best of `repeats` runs.
func time(repeats: Int = 1, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

var rows: [(String, String, String)] = []

/// `swift run -c release bench [matmul|autoencoder|scalar]` runs one section (for profiling).
let only = CommandLine.arguments.dropFirst().first
func selected(_ section: String) -> Bool { only == nil || only == section }

// 1. Matrix multiplication, n × n × n, Float32, single thread.
for n in [128, 256, 512] where selected("matmul") {
    var rng = SeededRandom(seed: 1)
    let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
    var c = a
    let repeats = n == 512 ? 5 : 20
    let seconds = time(repeats: repeats) { c = a.matmul(b) }
    precondition(c.isFinite)
    let gflops = 2 * Double(n * n * n) / seconds / 1e9
    rows.append(("matmul \(n)×\(n)×\(n), fast kernel", String(format: "%.1f GFLOP/s", gflops),
                 n == 512 ? "target ≥ 50; PyTorch 1 thread ≈ 110" : ""))
}
if selected("matmul") {
    let n = 256
    var rng = SeededRandom(seed: 1)
    let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
    var c = [Float](repeating: 0, count: n * n)
    let seconds = time(repeats: 3) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    MatmulKernel.referenceMatmul(pa, pb, pc, m: n, k: n, n: n)
                }
            }
        }
    }
    rows.append(("matmul 256×256×256, reference loops", String(format: "%.1f GFLOP/s", 2 * Double(n * n * n) / seconds / 1e9), ""))
}

// 2. Autoencoder 784-128-32-128-784, ReLU, batch 64, 200 Adam steps, MSE, lr 1e-2, random data.
if selected("autoencoder") {
    var rng = SeededRandom(seed: 7)
    let model = Sequential([
        Linear(784, 128, initialisation: .heNormal, rng: &rng), ReLU(),
        Linear(128, 32, initialisation: .heNormal, rng: &rng), ReLU(),
        Linear(32, 128, initialisation: .heNormal, rng: &rng), ReLU(),
        Linear(128, 784, rng: &rng),
    ])
    let x = Tensor.randomUniform([64, 784], rng: &rng)
    var optimizer = Adam(model.parameters, learningRate: 1e-2)
    var losses: [Float] = []
    let seconds = time {
        losses = trainingLoop(steps: 200, logEvery: 1_000, log: { _ in }) { _ in
            let loss = meanSquaredError(model(.constant(x)), x)
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            return loss.value.scalar
        }
    }
    rows.append(("autoencoder 784-128-32-128-784, 200 Adam steps",
                 String(format: "%.3f s", seconds),
                 String(format: "target ≤ 0.40 s (1.5 × PyTorch ≈ 0.27 s); loss %.4f → %.4f", losses.first!, losses.last!)))
}

// 3. Chapter 1's scalar engine: MLP(2, [16, 16, 1]) on 100 two-moons points, 10 steps of GD.
if selected("scalar") {
    let points = twoMoons(count: 100)
    var rng = SeededRandom(seed: 3)
    let mlp = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
    var lastLoss = 0.0
    let seconds = time {
        for _ in 0..<10 {
            let scores = points.map { mlp([Value($0.x), Value($0.y)])[0] }
            let loss = hingeLoss(scores: scores, labels: points.map(\.label))
            mlp.zeroGradients()
            loss.backward()
            mlp.gradientDescentStep(learningRate: 0.05)
            lastLoss = loss.data
        }
    }
    rows.append(("scalar engine MLP(2,[16,16,1]) × 100 points × 10 steps",
                 String(format: "%.3f s", seconds),
                 String(format: "target ≤ 0.147 s (micrograd ≈ 14.7 s: %.0f× faster); loss %.3f", 14.7 / seconds, lastLoss)))
}

let w0 = rows.map(\.0.count).max()!, w1 = rows.map(\.1.count).max()!
func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
print("| \(pad("benchmark", w0)) | \(pad("measured", w1)) | reference |")
print("|\(String(repeating: "-", count: w0 + 2))|\(String(repeating: "-", count: w1 + 2))|-----------|")
for (name, value, note) in rows { print("| \(pad(name, w0)) | \(pad(value, w1)) | \(note) |") }
