// The book's benchmarks. Run in release mode:
//
//     swift run -c release bench
//
// Prints one table: matrix-multiplication speed, a small autoencoder's training time, the cost of
// an RNN's many small operations, and chapter 1's scalar engine on a small MLP. Reference numbers
// from PyTorch (one thread) and micrograd on the same machine are printed beside ours. Times are
// wall-clock, best of several runs; the load average printed under the table says how busy the
// machine was, since other work on the same cores slows every row.

import Datasets
import Foundation
import ScalarAutodiff
import Tensors

/// Seconds taken by `body`, best of `repeats` runs (the machine may be busy with other work;
/// the best run is the one least disturbed). Also records the best CPU time of this thread in
/// `lastCPUSeconds`, which does not count time spent waiting for a core while others run.
func time(repeats: Int = 1, _ body: () -> Void) -> Double {
    var best = Double.infinity
    var bestCPU = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let startCPU = threadCPUSeconds()
        body()
        bestCPU = min(bestCPU, threadCPUSeconds() - startCPU)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    lastCPUSeconds = min(lastCPUSeconds, bestCPU)
    return best
}

/// The best CPU time of the runs timed since it was last reset.
nonisolated(unsafe) var lastCPUSeconds = Double.infinity

/// CPU time used by the calling thread so far.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// "40.1 GFLOP/s (CPU 41.2)" for `flops` done in `wall` seconds, then resets the CPU record.
func gigaflops(_ flops: Double, _ wall: Double) -> String {
    defer { lastCPUSeconds = .infinity }
    return String(format: "%.1f GFLOP/s (CPU %.1f)", flops / wall / 1e9, flops / lastCPUSeconds / 1e9)
}

/// "0.500 s (CPU 0.480 s)" for the last timed section, then resets the CPU record.
func seconds(_ wall: Double) -> String {
    defer { lastCPUSeconds = .infinity }
    return String(format: "%.3f s (CPU %.3f s)", wall, lastCPUSeconds)
}

var rows: [(String, String, String)] = []

/// `swift run -c release bench [matmul|autoencoder|rnn|sum|scalar]` runs one section (for profiling).
let only = CommandLine.arguments.dropFirst().first
func selected(_ section: String) -> Bool { only == nil || only == section }

// 1. Matrix multiplication, n × n × n, Float32, single thread.
for n in [128, 256, 512] where selected("matmul") {
    var rng = SeededRandom(seed: 1)
    let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
    var c = a
    let repeats = n == 512 ? 5 : 20
    let wall = time(repeats: repeats) { c = a.matmul(b) }
    precondition(c.isFinite)
    rows.append(("matmul \(n)×\(n)×\(n), fast kernel", gigaflops(2 * Double(n * n * n), wall),
                 n == 512 ? "target ≥ 50; PyTorch 1 thread ≈ 110" : ""))
}
if selected("matmul") {
    let n = 256
    var rng = SeededRandom(seed: 1)
    let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
    var c = [Float](repeating: 0, count: n * n)
    let wall = time(repeats: 3) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    MatmulKernel.referenceMatmul(pa, pb, pc, m: n, k: n, n: n)
                }
            }
        }
    }
    rows.append(("matmul 256×256×256, reference loops", gigaflops(2 * Double(n * n * n), wall), ""))
}

// 2. Autoencoder 784-128-32-128-784, ReLU, batch 64, 200 Adam steps, MSE, lr 1e-2, random data.
if selected("autoencoder") {
    var best = Double.infinity
    var losses: [Float] = []
    for _ in 0..<3 {
        // A fresh model each time, so every run does the same work from the same start.
        var rng = SeededRandom(seed: 7)
        let model = Sequential([
            Linear(784, 128, initialisation: .heNormal, rng: &rng), ReLU(),
            Linear(128, 32, initialisation: .heNormal, rng: &rng), ReLU(),
            Linear(32, 128, initialisation: .heNormal, rng: &rng), ReLU(),
            Linear(128, 784, rng: &rng),
        ])
        let x = Tensor.randomUniform([64, 784], rng: &rng)
        var optimizer = Adam(model.parameters, learningRate: 1e-2)
        best = min(best, time {
            losses = trainingLoop(steps: 200, logEvery: 1_000, log: { _ in }) { _ in
                let loss = meanSquaredError(model(.constant(x)), x)
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
                return loss.value.scalar
            }
        })
    }
    rows.append(("autoencoder 784-128-32-128-784, 200 Adam steps",
                 seconds(best),
                 String(format: "target ≤ 0.40 s (1.5 × PyTorch ≈ 0.27 s); loss %.4f → %.4f", losses.first!, losses.last!)))
}

// 2b. Per-operation overhead: an RNN over 50 steps of small matrices (batch 32, hidden 64),
// h = tanh(x·Wx + h·Wh + b), forward, backward and an Adam step, 20 times.
if selected("rnn") {
    var best = Double.infinity
    var nodes = 0
    for _ in 0..<3 {
        var rng = SeededRandom(seed: 5)
        let wx = Variable(Initialisation.xavierUniform.sample([32, 64], fanIn: 32, fanOut: 64, rng: &rng))
        let wh = Variable(Initialisation.xavierUniform.sample([64, 64], fanIn: 64, fanOut: 64, rng: &rng))
        let b = Variable(Tensor.zeros([64]))
        let xs = (0..<50).map { _ in Variable.constant(Tensor.randomNormal([32, 32], rng: &rng)) }
        var optimizer = Adam([wx, wh, b], learningRate: 1e-3)
        best = min(best, time {
            for _ in 0..<20 {
                var h = Variable.constant(Tensor.zeros([32, 64]))
                for x in xs { h = (x.matmul(wx) + h.matmul(wh) + b).tanh() }
                let loss = h.pow(2).mean()
                nodes = loss.topologicalOrder().count
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
            }
        })
    }
    rows.append(("RNN 50 steps, batch 32, hidden 64: train step",
                 String(format: "%.2f ms (CPU %.2f ms)", best / 20 * 1000, lastCPUSeconds / 20 * 1000),
                 String(format: "%d graph nodes, %.1f µs per node (forward + backward)", nodes, best / 20 / Double(nodes) * 1e6)))
}

// 2c. Reductions, accumulated in Double: a sum of 10⁶ Floats, and the same numbers summed along
// each axis of [1000, 1000] (axis 0 is the bias-gradient pattern, axis 1 the row-sum pattern).
if selected("sum") {
    var rng = SeededRandom(seed: 9)
    let x = Tensor.randomUniform([1000, 1000], rng: &rng)
    var total: Float = 0
    let whole = time(repeats: 20) { total = x.sum().scalar }
    let wholeCPU = lastCPUSeconds
    lastCPUSeconds = .infinity
    let columns = time(repeats: 20) { total += x.sum(axis: 0).scalars[0] }
    let columnsCPU = lastCPUSeconds
    lastCPUSeconds = .infinity
    let rowsTime = time(repeats: 20) { total += x.sum(axis: 1).scalars[0] }
    let rowsCPU = lastCPUSeconds
    lastCPUSeconds = .infinity
    // For comparison: adding one at a time in Float, as the book did before (1 % off for 10⁶ × 0.1).
    let naive = time(repeats: 20) {
        var s: Float = 0
        for v in x.scalars { s += v }
        total += s
    }
    precondition(total.isFinite)
    rows.append(("sum of 10⁶ Floats; sum(axis: 0), sum(axis: 1) of [1000, 1000]",
                 String(format: "%.2f, %.2f, %.2f ms (CPU %.2f, %.2f, %.2f)", whole * 1000, columns * 1000, rowsTime * 1000,
                        wholeCPU * 1000, columnsCPU * 1000, rowsCPU * 1000),
                 String(format: "accumulated in Double; one at a time in Float: %.2f ms (CPU %.2f)", naive * 1000, lastCPUSeconds * 1000)))
    lastCPUSeconds = .infinity
}

// 3. Chapter 1's scalar engine: MLP(2, [16, 16, 1]) on 100 two-moons points, 10 steps of GD.
if selected("scalar") {
    let points = twoMoons(count: 100)
    var best = Double.infinity
    var lastLoss = 0.0
    for _ in 0..<3 {
        var rng = SeededRandom(seed: 3)
        let mlp = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
        best = min(best, time {
            for _ in 0..<10 {
                let scores = points.map { mlp([Value($0.x), Value($0.y)])[0] }
                let loss = hingeLoss(scores: scores, labels: points.map(\.label))
                mlp.zeroGradients()
                loss.backward()
                mlp.gradientDescentStep(learningRate: 0.05)
                lastLoss = loss.data
            }
        })
    }
    rows.append(("scalar engine MLP(2,[16,16,1]) × 100 points × 10 steps",
                 seconds(best),
                 String(format: "target ≤ 0.147 s (micrograd ≈ 14.7 s: %.0f× faster); loss %.3f", 14.7 / best, lastLoss)))
}

let w0 = max(9, rows.map(\.0.count).max() ?? 0), w1 = max(8, rows.map(\.1.count).max() ?? 0)
func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
print("| \(pad("benchmark", w0)) | \(pad("measured", w1)) | reference |")
print("|\(String(repeating: "-", count: w0 + 2))|\(String(repeating: "-", count: w1 + 2))|-----------|")
for (name, value, note) in rows { print("| \(pad(name, w0)) | \(pad(value, w1)) | \(note) |") }
if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
    let oneMinute = load.split(separator: " ").first ?? ""
    print("\nLoad average (1 min) while running: \(oneMinute), on \(ProcessInfo.processInfo.activeProcessorCount) cores.")
}
