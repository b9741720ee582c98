import Foundation
import Plotting
import ScalarAutodiff
import Tensors
import Transformers

/// Chapter 7: a tiny encoder-decoder Transformer learns to reverse digit strings. It trains with
/// teacher forcing, decodes greedily with and without the KV cache (same outputs, different
/// speed), and draws its cross-attention, which for reversal is an anti-diagonal.
let chapter7Demo = Demo(chapter: 7, title: "a Transformer learns to reverse digit strings") { options in
    let started = Date()
    let steps = options.steps ?? 1_200
    let folder = options.outputFolder.path
    var written: [String] = []
    func save(_ svg: String, _ name: String) throws {
        written.append(try writeSVG(svg, to: folder + "/" + name).path)
    }

    let task = ReversalTask()
    let configuration = TransformerConfiguration(vocabularySize: task.vocabularySize, dimension: 32, heads: 4, hidden: 64,
                                                 layers: 2, maxLength: 16, padding: ReversalTask.padding)
    let model = EncoderDecoderModel(configuration, seed: options.seed)
    let parameterCount = model.parameters.reduce(0) { $0 + $1.value.count }
    // The Transformer's schedule (Vaswani et al., §5.3): a linear warm-up over 100 steps to 2e-3,
    // then a decay as 1/√t.
    let schedule = LearningRateSchedule.inverseSquareRoot(modelDimension: 32, warmupSteps: 100, factor: 2e-3 * (32 * 100 as Float).squareRoot())
    print("""
    Task: reverse a string of 3 to 8 digits, e.g. 3 1 4 1 5 → 5 1 4 1 3.
    Model: encoder-decoder, d = 32, 4 heads, d_ff = 64, 2 + 2 blocks, \(parameterCount) parameters.
    Training: \(steps) Adam steps on batches of 32 fresh strings (teacher forcing, padding ignored), the learning rate
    warmed up over 100 steps to \(String(format: "%.0e", schedule.learningRate(atStep: 100))), then decaying as 1/√t (\(String(format: "%.1e", schedule.learningRate(atStep: steps))) at the end).

    """)

    var rng = SeededRandom(seed: options.seed &+ 7)
    let losses = trainEncoderDecoder(model, steps: steps, learningRate: schedule.learningRate(atStep:), logEvery: max(steps / 10, 1),
                                     log: { print("  " + $0) }) { task.batch(32, rng: &rng) }

    // Greedy decoding of 200 new strings, with and without the cache.
    var testRNG = SeededRandom(seed: options.seed &+ 1_000)
    let test = task.batch(200, rng: &testRNG)
    let clock = Date()
    let cached = model.greedyDecode(test.source, start: ReversalTask.start, end: ReversalTask.end, maxLength: 9, cached: true)
    let cachedTime = Date().timeIntervalSince(clock)
    let clock2 = Date()
    let uncached = model.greedyDecode(test.source, start: ReversalTask.start, end: ReversalTask.end, maxLength: 9, cached: false)
    let uncachedTime = Date().timeIntervalSince(clock2)
    let correct = zip(cached.tokens, test.decoderTarget).filter { output, target in
        Array(output.prefix { $0 != ReversalTask.end }) == Array(target.prefix { $0 != ReversalTask.end })
    }.count
    let largestGap = zip(cached.logits, uncached.logits).map { a, b in (a - b).abs().max(axis: 1).max(axis: 0).scalar }.max() ?? 0
    print("""

    Greedy decoding of 200 new strings: \(correct)/200 reversed exactly.
    Cached and uncached decoding agree: \(cached.tokens == uncached.tokens ? "same tokens" : "DIFFERENT TOKENS"), \
    largest logit difference \(String(format: "%.1e", largestGap)).
    Time: \(String(format: "%.3f", cachedTime)) s with the KV cache, \(String(format: "%.3f", uncachedTime)) s recomputing every prefix.
    """)
    for row in 0..<3 {
        let source = test.source[row].filter { $0 != ReversalTask.padding }
        print("  \(task.text(source))  →  \(task.text(cached.tokens[row].prefix { $0 != ReversalTask.end }))")
    }

    // The denoising objectives of BART and T5 on one digit string (a "sentence" ends at each digit 9).
    let digits = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4].map { $0 + 3 }
    let show = { (tokens: [Int]) in tokens.map { $0 >= 100 ? "<X\($0 - 100)>" : $0 == 0 ? "<mask>" : task.symbol($0) }.joined(separator: " ") }
    var noiseRNG = SeededRandom(seed: options.seed &+ 2_000)
    let t5 = randomSpanCorruption(digits, sentinels: [100, 101, 102, 103], rng: &noiseRNG)
    print("""

    Denoising objectives on \(show(digits)):
      token masking (p = 0.3)   \(show(tokenMasking(digits, probability: 0.3, mask: 0, rng: &noiseRNG)))
      token deletion (p = 0.3)  \(show(tokenDeletion(digits, probability: 0.3, rng: &noiseRNG)))
      text infilling (p = 0.3)  \(show(textInfilling(digits, probability: 0.3, mask: 0, rng: &noiseRNG)))
      sentence permutation      \(show(sentencePermutation(digits, separator: 9 + 3, rng: &noiseRNG)))
      document rotation         \(show(documentRotation(digits, rng: &noiseRNG)))
      T5 span corruption        input  \(show(t5.input))
                                target \(show(t5.target))
    """)

    // Figures: cross-attention of the last decoder block for one string, the positional encoding, the loss.
    let example = [[3 + 2, 3 + 7, 3 + 1, 3 + 8, 3 + 2, 3 + 8]]
    let output = model.greedyDecode(example, start: ReversalTask.start, end: ReversalTask.end, maxLength: 9).tokens[0]
    let decoderInput = [[ReversalTask.start] + output.prefix { $0 != ReversalTask.end }]
    let weights = model.decode(decoderInput, memory: model.encode(example)).crossWeights.value   // [1, h, t, s]
    let (heads, t, s) = (weights.shape[1], weights.shape[2], weights.shape[3])
    let averaged = (0..<t).map { i in (0..<s).map { j in (0..<heads).reduce(Float(0)) { $0 + weights[0, $1, i, j] } / Float(heads) } }
    let reversedWeight = (0..<min(t, s)).map { averaged[$0][s - 1 - $0] }.reduce(0, +) / Float(min(t, s))
    print(String(format: "\nCross-attention on %@: output token i puts on average %.2f of its weight on source position n − 1 − i.",
                 task.text(example[0]), reversedWeight))
    try save(heatmap(averaged, rowLabels: ["<s>"] + output.prefix { $0 != ReversalTask.end }.map(task.symbol),
                     columnLabels: example[0].map(task.symbol),
                     title: "Cross-attention (last block, mean of \(heads) heads): query = output so far, key = source",
                     range: 0...1),
             "cross-attention.svg")
    let pe = positionalEncoding(length: 50, dimension: 32)
    try save(heatmap((0..<50).map { p in (0..<32).map { pe[p, $0] } }, rowLabels: (0..<50).map { $0 % 5 == 0 ? String($0) : "" },
                     columnLabels: (0..<32).map { $0 % 4 == 0 ? String($0) : "" },
                     title: "Sinusoidal positional encoding, d = 32: rows are positions, columns dimensions",
                     range: -1...1, cellSize: 12),
             "positional-encoding.svg")
    try save(linePlot([Series("training loss (cross-entropy per token)", y: losses)],
                      title: "Training the reversal Transformer", xLabel: "step", yLabel: "cross-entropy", logY: true),
             "loss.svg")
    print("\nFigures:\n" + written.map { "  " + $0 }.joined(separator: "\n"))
    print(String(format: "Done in %.1f s.", Date().timeIntervalSince(started)))
}
