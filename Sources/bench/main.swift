// The book's benchmarks. Run in release mode:
//
//     swift run -c release bench                                   # everything, with PyTorch beside it
//     BOOK_PYTHON=path/to/python swift run -c release bench        # a Python that has torch
//     swift run -c release bench matmul                            # one section, without PyTorch
//
// Prints one table: matrix-multiplication speed for every kernel variant this CPU runs, three
// training workloads (the seeds' autoencoder, the seeds' attention seq2seq, a small Transformer),
// the cost of an RNN's many small operations, sums, and chapter 1's scalar engine. Each is run
// on one thread and, where the work can be split, on every core. Before the book's rows it runs
// Tools/pytorch_bench.py, the same workloads in PyTorch, and prints its figures beside ours with
// the ratio of the times (book / PyTorch: below 1 means the book is faster).
//
// Times are best of several runs: wall-clock, and in parentheses the CPU time of the process,
// which does not count time spent waiting for a core while other programs run. On a busy
// machine only the CPU times mean much; the load average printed under the table says how busy
// it was.

import Attention
import Datasets
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Transformers

/// Wall-clock and CPU seconds.
struct Timing {
    var wall: Double
    var cpu: Double
    static let none = Timing(wall: .infinity, cpu: .infinity)
    func scaled(_ factor: Double) -> Timing { Timing(wall: wall * factor, cpu: cpu * factor) }
}

/// CPU time used by the whole process so far (every thread).
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Best wall and best CPU time of `repeats` runs of `body`, with products limited to `threads`.
/// `prepare` runs untimed before each run (a fresh model, say).
func measure(threads: Int, repeats: Int, prepare: () -> Void = {}, _ body: () -> Void) -> Timing {
    Parallelism.threads = threads
    defer { Parallelism.threads = Parallelism.defaultThreads }
    var best = Timing.none
    for _ in 0..<repeats {
        prepare()
        let start = DispatchTime.now().uptimeNanoseconds
        let startCPU = processCPUSeconds()
        body()
        best.cpu = min(best.cpu, processCPUSeconds() - startCPU)
        best.wall = min(best.wall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

// MARK: PyTorch, from Tools/pytorch_bench.py in the same run

let arguments = CommandLine.arguments.dropFirst()
/// `bench matmul` (or autoencoder, seq2seq, transformer, rnn, sum, scalar) runs one section.
let only = arguments.first
func selected(_ section: String) -> Bool { only == nil || only == section }

/// PyTorch's timings by "workload/threads", and a line saying where they came from.
func runPyTorch() -> (rows: [String: Timing], note: String) {
    guard only == nil else { return ([:], "PyTorch: not run for a single section") }
    let script = "Tools/pytorch_bench.py"
    guard FileManager.default.fileExists(atPath: script) else {
        return ([:], "PyTorch: \(script) not found (run the benchmark from the package's folder)")
    }
    let python = ProcessInfo.processInfo.environment["BOOK_PYTHON"] ?? "python3"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, script, "--json"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return ([:], "PyTorch: could not start \(python): \(error)") }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let rows = json["rows"] as? [String: [String: Double]] else {
        return ([:], "PyTorch: \(python) \(script) failed (is torch installed? set BOOK_PYTHON to a Python that has it)")
    }
    var timings: [String: Timing] = [:]
    for (key, row) in rows {
        if let wall = row["wall"], let cpu = row["cpu"] { timings[key] = Timing(wall: wall, cpu: cpu) }
    }
    return (timings, "PyTorch \(json["torch"] ?? "?") on CPU, \(json["threads"] ?? "?") threads by default (Tools/pytorch_bench.py, same run)")
}

print("Running Tools/pytorch_bench.py first, then the book's workloads…")
let pytorch = runPyTorch()
let all = Parallelism.defaultThreads

// MARK: The table

struct Row {
    var workload: String
    var threads: String
    var book: String
    var pytorch: String = ""
    var ratio: String = ""
    var target: String = ""
}
var rows: [Row] = []

func threadsLabel(_ threads: Int) -> String { threads == 1 ? "1" : "\(threads) (all)" }

/// "0.500 s (CPU 0.480 s)", or in milliseconds.
func describe(_ t: Timing, milliseconds: Bool = false) -> String {
    milliseconds ? String(format: "%.2f ms (CPU %.2f)", t.wall * 1000, t.cpu * 1000)
                 : String(format: "%.3f s (CPU %.3f)", t.wall, t.cpu)
}

/// "93.4 GFLOP/s (CPU 94.8)" for `flops` done in `t`.
func gigaflops(_ flops: Double, _ t: Timing) -> String {
    String(format: "%.1f GFLOP/s (CPU %.1f)", flops / t.wall / 1e9, flops / t.cpu / 1e9)
}

/// A row for a workload with PyTorch's figure for the same key, the ratio of the times, and
/// whether the target (a bound on the wall-time ratio) is met.
@MainActor func addRow(_ workload: String, threads: Int, key: String, book: Timing, show: (Timing) -> String,
            ratioTarget: Double? = nil, target: String = "") {
    var row = Row(workload: workload, threads: threadsLabel(threads), book: show(book), target: target)
    if let theirs = pytorch.rows["\(key)/\(threads)"] {
        row.pytorch = show(theirs)
        let ratio = book.wall / theirs.wall
        row.ratio = String(format: "%.2f× (CPU %.2f×)", ratio, book.cpu / theirs.cpu)
        if let bound = ratioTarget {
            row.target = String(format: "≤ %.1f×: %@", bound, ratio <= bound ? "met" : "not met")
        }
    } else if let bound = ratioTarget {
        row.target = String(format: "≤ %.1f× PyTorch", bound)
    }
    rows.append(row)
}

// MARK: 1. Matrix multiplication, n × n × n, Float32

if selected("matmul") {
    func product(_ n: Int, variant: MatmulKernel.Variant, threads: Int) -> Timing {
        var rng = SeededRandom(seed: 1)
        let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
        var c = [Float](repeating: 0, count: n * n)
        let timing = measure(threads: threads, repeats: n == 512 ? 10 : 30) {
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer {
                        MatmulKernel.fastMatmul(pa, pb, $0, m: n, k: n, n: n, variant: variant, threads: threads)
                    }
                }
            }
        }
        precondition(c.allSatisfy(\.isFinite))
        return timing
    }
    let best = MatmulKernel.Variant.selected
    for variant in MatmulKernel.Variant.supportedVariants where variant != best {
        let t = product(512, variant: variant, threads: 1)
        rows.append(Row(workload: "matmul 512³, \(variant) kernel", threads: "1", book: gigaflops(2 * 512 * 512 * 512, t)))
    }
    for threads in Set([1, all]).sorted() {
        for n in [128, 256, 512] {
            let flops = 2 * Double(n * n * n)
            let t = product(n, variant: best, threads: threads)
            var target = ""
            if n == 512 {
                let bound = threads == 1 ? 100.0 : 180.0
                target = String(format: "≥ %.0f GFLOP/s: %@", bound, flops / t.wall / 1e9 >= bound ? "met" : "not met")
            }
            addRow("matmul \(n)³, \(best) kernel", threads: threads, key: "matmul \(n)", book: t,
                   show: { gigaflops(flops, $0) }, target: target)
        }
    }
    let n = 256
    var rng = SeededRandom(seed: 1)
    let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
    var c = [Float](repeating: 0, count: n * n)
    let t = measure(threads: 1, repeats: 3) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { MatmulKernel.referenceMatmul(pa, pb, $0, m: n, k: n, n: n) }
            }
        }
    }
    rows.append(Row(workload: "matmul 256³, reference loops", threads: "1", book: gigaflops(2 * Double(n * n * n), t)))
}

// `bench split`: where splitting a product across cores starts to pay (not part of the table).
if only == "split" {
    for (m, k, n) in [(32, 64, 192), (64, 128, 128), (64, 784, 128), (128, 128, 128), (64, 128, 784), (256, 256, 256)] {
        var rng = SeededRandom(seed: 2)
        let a = Tensor.randomNormal([m, k], rng: &rng), b = Tensor.randomNormal([k, n], rng: &rng)
        var c = [Float](repeating: 0, count: m * n)
        let times = Set([1, all]).sorted().map { threads in
            measure(threads: threads, repeats: 200) {
                a.scalars.withUnsafeBufferPointer { pa in
                    b.scalars.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { MatmulKernel.fastMatmul(pa, pb, $0, m: m, k: k, n: n, threads: threads) }
                    }
                }
            }
        }
        print("\(m)×\(k)×\(n) (\(m * k * n) multiply-adds): " + times.map { String(format: "%.1f µs (CPU %.1f)", $0.wall * 1e6, $0.cpu * 1e6) }.joined(separator: " on 1 thread, ") + " on all")
    }
}

// MARK: 2. Training workloads, each on one thread and on every core

/// The seeds' autoencoder 784-128-32-128-784 (ReLU), batch 64 of uniform data, MSE, 200 Adam
/// steps at lr 1e-2. Returns the first and last loss.
func trainAutoencoder() -> (Float, Float) {
    var rng = SeededRandom(seed: 7)
    let model = Sequential([
        Linear(784, 128, initialisation: .heNormal, rng: &rng), ReLU(),
        Linear(128, 32, initialisation: .heNormal, rng: &rng), ReLU(),
        Linear(32, 128, initialisation: .heNormal, rng: &rng), ReLU(),
        Linear(128, 784, rng: &rng),
    ])
    let x = Tensor.randomUniform([64, 784], rng: &rng)
    var optimizer = Adam(model.parameters, learningRate: 1e-2)
    let losses = trainingLoop(steps: 200, logEvery: 1_000, log: { _ in }) { _ in
        let loss = meanSquaredError(model(.constant(x)), x)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
    return (losses.first!, losses.last!)
}

/// The seeds' reference translation model (bidirectional GRU encoder, additive attention, GRU
/// decoder; 104,212 parameters), batch 32 of 10 random tokens reversed, 100 Adam steps at lr 1e-3.
func trainSeq2Seq() -> (Float, Float) {
    var rng = SeededRandom(seed: 11)
    let model = AttentionSeq2Seq(sourceVocabularySize: 20, targetVocabularySize: 20, embeddingSize: 32,
                                 hiddenSize: 64, rng: &rng)
    precondition(model.parameterCount == 104_212)
    var optimizer = Adam(model.parameters, learningRate: 1e-3)
    var losses: [Float] = []
    for _ in 0..<100 {
        let sources = (0..<32).map { _ in (0..<10).map { _ in 3 + rng.integer(below: 17) } }
        let targets = sources.map { Array($0.reversed()) + [Vocabulary.endID] }
        let loss = model.teacherForcedLoss(sources: sources, targets: targets)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        losses.append(loss.value.scalar)
    }
    return (losses.first!, losses.last!)
}

/// Chapter 7's encoder-decoder (d = 32, 4 heads, d_ff = 64, 2 + 2 blocks), vocabulary 13, batch
/// 32 of 8-token sources reversed: `steps` training steps (Adam, lr 2e-3).
func trainTransformer(steps: Int) -> (Float, Float) {
    let configuration = TransformerConfiguration(vocabularySize: 13, dimension: 32, heads: 4, hidden: 64,
                                                 layers: 2, maxLength: 16)
    let model = EncoderDecoderModel(configuration, seed: 13)
    var rng = SeededRandom(seed: 13)
    var optimizer = Adam(model.parameters, learningRate: 2e-3)
    var losses: [Float] = []
    for _ in 0..<steps {
        let sources = (0..<32).map { _ in (0..<8).map { _ in 3 + rng.integer(below: 10) } }
        let inputs = sources.map { [1] + $0.reversed() }
        let outputs = sources.map { Array($0.reversed()) + [2] }
        let logits = model(source: sources, target: inputs)
        let loss = crossEntropy(logits: logits.reshaped([-1, 13]), targets: Array(outputs.joined()))
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        losses.append(loss.value.scalar)
    }
    return (losses.first!, losses.last!)
}

for threads in Set([1, all]).sorted() {
    if selected("autoencoder") {
        var losses: (Float, Float) = (0, 0)
        let t = measure(threads: threads, repeats: 3) { losses = trainAutoencoder() }
        addRow("seeds' autoencoder 784-128-32-128-784, batch 64, 200 Adam steps", threads: threads,
               key: "autoencoder", book: t, show: { describe($0) }, ratioTarget: 1.0)
        rows[rows.count - 1].target += String(format: "; loss %.4f → %.4f", losses.0, losses.1)
    }
    if selected("seq2seq") {
        var losses: (Float, Float) = (0, 0)
        let t = measure(threads: threads, repeats: 3) { losses = trainSeq2Seq() }
        addRow("seeds' attention seq2seq (104,212 parameters), batch 32, 100 steps", threads: threads,
               key: "seq2seq", book: t, show: { describe($0) }, ratioTarget: 1.0)
        rows[rows.count - 1].target += String(format: "; loss %.3f → %.3f", losses.0, losses.1)
    }
    if selected("transformer") {
        let steps = 50
        var losses: (Float, Float) = (0, 0)
        let t = measure(threads: threads, repeats: 3) { losses = trainTransformer(steps: steps) }
        addRow("Transformer d 32, 4 heads, 2 + 2 blocks, batch 32: one step", threads: threads,
               key: "transformer step", book: t.scaled(1 / Double(steps)), show: { describe($0, milliseconds: true) },
               ratioTarget: 1.2)
        rows[rows.count - 1].target += String(format: "; loss %.3f → %.3f over %d steps", losses.0, losses.1, steps)
    }
}

// MARK: 3. Many small operations: an RNN over 50 steps (batch 32, hidden 64)

// h = tanh(x·Wx + h·Wh + b), forward, backward and an Adam step, 20 times.
if selected("rnn") {
    var nodes = 0
    var wx = Variable(Tensor.zeros([1])), wh = wx, b = wx
    var xs: [Variable] = []
    var optimizer = Adam([wx], learningRate: 1e-3)
    let t = measure(threads: 1, repeats: 3, prepare: {
        var rng = SeededRandom(seed: 5)
        wx = Variable(Initialisation.xavierUniform.sample([32, 64], fanIn: 32, fanOut: 64, rng: &rng))
        wh = Variable(Initialisation.xavierUniform.sample([64, 64], fanIn: 64, fanOut: 64, rng: &rng))
        b = Variable(Tensor.zeros([64]))
        xs = (0..<50).map { _ in Variable.constant(Tensor.randomNormal([32, 32], rng: &rng)) }
        optimizer = Adam([wx, wh, b], learningRate: 1e-3)
    }) {
        for _ in 0..<20 {
            var h = Variable.constant(Tensor.zeros([32, 64]))
            for x in xs { h = (x.matmul(wx) + h.matmul(wh) + b).tanh() }
            let loss = h.pow(2).mean()
            nodes = loss.topologicalOrder().count
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
        }
    }.scaled(1.0 / 20)
    addRow("RNN 50 steps, batch 32, hidden 64: one train step", threads: 1, key: "rnn step", book: t,
           show: { describe($0, milliseconds: true) })
    rows[rows.count - 1].target = String(format: "%d graph nodes, %.1f µs per node", nodes, t.wall / Double(nodes) * 1e6)
}

// MARK: 4. Reductions, accumulated in Double

// A sum of 10⁶ Floats, and the same numbers summed along each axis of [1000, 1000] (axis 0 is
// the bias-gradient pattern, axis 1 the row-sum pattern).
if selected("sum") {
    var rng = SeededRandom(seed: 9)
    let x = Tensor.randomUniform([1000, 1000], rng: &rng)
    var total: Float = 0
    let whole = measure(threads: 1, repeats: 20) { total = x.sum().scalar }
    let columns = measure(threads: 1, repeats: 20) { total += x.sum(axis: 0).scalars[0] }
    let byRows = measure(threads: 1, repeats: 20) { total += x.sum(axis: 1).scalars[0] }
    // For comparison: adding one at a time in Float, as the book did before (1 % off for 10⁶ × 0.1).
    let naive = measure(threads: 1, repeats: 20) {
        var s: Float = 0
        for v in x.scalars { s += v }
        total += s
    }
    precondition(total.isFinite)
    rows.append(Row(workload: "sum of 10⁶ Floats; sum(axis: 0), sum(axis: 1) of [1000, 1000]", threads: "1",
                    book: String(format: "%.2f, %.2f, %.2f ms (CPU %.2f, %.2f, %.2f)", whole.wall * 1000, columns.wall * 1000,
                                 byRows.wall * 1000, whole.cpu * 1000, columns.cpu * 1000, byRows.cpu * 1000),
                    target: String(format: "in Double; one at a time in Float: %.2f ms (CPU %.2f)", naive.wall * 1000, naive.cpu * 1000)))
}

// MARK: 5. Chapter 1's scalar engine: MLP(2, [16, 16, 1]) on 100 two-moons points, 10 steps

if selected("scalar") {
    let points = twoMoons(count: 100)
    var lastLoss = 0.0
    let t = measure(threads: 1, repeats: 3) {
        var rng = SeededRandom(seed: 3)
        let mlp = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
        for _ in 0..<10 {
            let scores = points.map { mlp([Value($0.x), Value($0.y)])[0] }
            let loss = hingeLoss(scores: scores, labels: points.map(\.label))
            mlp.zeroGradients()
            loss.backward()
            mlp.gradientDescentStep(learningRate: 0.05)
            lastLoss = loss.data
        }
    }
    // micrograd's time for the same work, measured once on the reference machine.
    let micrograd = 14.7
    rows.append(Row(workload: "scalar engine MLP(2,[16,16,1]) × 100 points × 10 steps", threads: "1", book: describe(t),
                    pytorch: "micrograd ≈ 14.7 s", ratio: String(format: "%.0f× faster", micrograd / t.wall),
                    target: String(format: "≥ 100× micrograd: %@; loss %.3f", micrograd / t.wall >= 100 ? "met" : "not met", lastLoss)))
}

// MARK: Printing

let header = Row(workload: "workload", threads: "threads", book: "book", pytorch: "PyTorch", ratio: "book / PyTorch", target: "target")
let columns: [KeyPath<Row, String>] = [\.workload, \.threads, \.book, \.pytorch, \.ratio, \.target]
let widths = columns.map { column in ([header] + rows).map { $0[keyPath: column].count }.max() ?? 0 }
@MainActor func line(_ row: Row) -> String {
    "| " + zip(columns, widths).map { column, width in
        let text = row[keyPath: column]
        return text + String(repeating: " ", count: max(0, width - text.count))
    }.joined(separator: " | ") + " |"
}
print()
print(line(header))
print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
for row in rows { print(line(row)) }
print()
print("Kernel: \(MatmulKernel.Variant.selected) (this CPU runs \(MatmulKernel.Variant.supportedVariants.map(\.rawValue).joined(separator: ", "))); all cores = \(all) threads.")
print(pytorch.note + ".")
if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
    let oneMinute = load.split(separator: " ").first ?? ""
    print("Load average (1 min) at the end: \(oneMinute), on \(ProcessInfo.processInfo.activeProcessorCount) cores.")
}
