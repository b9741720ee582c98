import Autoencoders
import Datasets
import Foundation
import Plotting
import ScalarAutodiff
import Tensors
import Transformers

/// Chapter 7, vision-language: an image captioner on strips of 2 or 3 MNIST digits, in three
/// variants trained on the same data: (a) a vision Transformer over 14 × 14 patches and the
/// decoder, end to end; (b) the frozen encoder half of chapter 3's MNIST autoencoder, one code
/// per digit, with only a projection and the decoder trained; (c) 4 learned queries reading the
/// patch tokens of (a)'s vision Transformer, frozen, with the decoder reading only the queries.
/// Prints each variant's held-out caption exact match and draws where the decoder looked for
/// each word it wrote.
let chapter7CaptionerDemo = Demo(chapter: 7, part: "captioner",
                                 title: "an image captioner: MNIST digit strips, a vision Transformer, a frozen encoder, learned queries") { options in
    let started = Date()
    let steps = options.steps ?? 2_500
    let folder = options.outputFolder.path
    var written: [String] = []
    func save(_ svg: String, _ name: String) throws {
        written.append(try writeSVG(svg, to: folder + "/" + name).path)
    }

    let (train, test) = try MNIST.loadSplit()
    let data = DigitStrips(images: train.images, labels: train.labels, jitter: 2)
    var testRNG = SeededRandom(seed: options.seed &+ 70)
    let unseen = DigitStrips(images: test.images, labels: test.labels)
    let seen = DigitStrips(images: train.images, labels: train.labels)
    let heldOut = [("strips of digits never seen in training", unseen.batch(250, digits: 2, rng: &testRNG), unseen.batch(250, digits: 3, rng: &testRNG)),
                   ("new strips of the training digits", seen.batch(250, digits: 2, rng: &testRNG), seen.batch(250, digits: 3, rng: &testRNG))]
    let configuration = CaptionerConfiguration(dimension: 32, heads: 4, hidden: 64, encoderLayers: 2, decoderLayers: 1,
                                               patchSize: 14, queries: 4)
    let batchSize = 64
    print("""
    Task: caption a strip of 2 or 3 MNIST digits side by side with the digits' names, e.g. "three seven one".
    Training strips are drawn from \(train.count) digits, each moved up to 2 pixels within its 28-pixel slot.
    Held out: 500 strips (250 of 2 digits, 250 of 3) of the \(test.count) digits never used in training,
    and 500 new strips of the training digits. Batches of \(batchSize) strips; Adam, its learning rate falling
    from 3e-3 to 0 along half a cosine over each variant's steps.

    """)

    struct Result {
        let name: String
        let model: ImageCaptioner
        let trained: Int
        let rates: [Double]
        let digitRate: Double
        let seconds: Double
        let losses: [Float]
    }
    var results: [Result] = []
    func run(_ name: String, _ model: ImageCaptioner, steps: Int, seed: UInt64) {
        let clock = Date()
        var rng = SeededRandom(seed: seed)
        let trained = model.trainableParameters.reduce(0) { $0 + $1.value.count }
        let frozen = model.frozenParameters.reduce(0) { $0 + $1.value.count }
        print("\(name)\n  \(trained) parameters trained\(frozen > 0 ? ", \(frozen) frozen" : ""), \(steps) steps")
        let losses = trainCaptioner(model, on: data, steps: steps, batchSize: batchSize,
                                    schedule: .cosine(peak: 3e-3, totalSteps: steps), rng: &rng,
                                    logEvery: max(steps / 4, 1), log: { print("  " + $0) })
        let rates = heldOut.map { (model.exactMatch($0.1) + model.exactMatch($0.2)) / 2 }
        // Digits read right, over the unseen strips whose caption has the right number of words.
        let pairs = [heldOut[0].1, heldOut[0].2].flatMap { batch in zip(model.caption(batch.images), batch.digits) }
            .filter { $0.0.count == $0.1.count }
        let digitRate = Double(pairs.map { zip($0.0, $0.1).filter { $0 == $1 }.count }.reduce(0, +)) / Double(pairs.map(\.1.count).reduce(0, +))
        let seconds = Date().timeIntervalSince(clock)
        print(String(format: "  held-out exact match: %.1f%% on unseen digits (%.1f%% of their digits read right), %.1f%% on new strips of training digits (%.1f s)\n",
                     100 * rates[0], 100 * digitRate, 100 * rates[1], seconds))
        results.append(Result(name: name, model: model, trained: trained, rates: rates, digitRate: digitRate, seconds: seconds, losses: losses))
    }

    // (a) End to end.
    let endToEnd = ImageCaptioner.endToEnd(configuration, seed: options.seed)
    run("(a) end to end: 14 × 14 patches, a vision Transformer (2 blocks) and the decoder (1 block), all trained",
        endToEnd, steps: steps, seed: options.seed &+ 1)

    // (b) Chapter 3's autoencoder, trained on the training digits; its encoder half, frozen, codes each digit.
    var autoencoderRNG = SeededRandom(seed: options.seed &+ 3)
    let autoencoder = Autoencoder.seeds(rng: &autoencoderRNG)
    let autoencoderClock = Date()
    trainAutoencoder(autoencoder, images: train.images,
                     options: TrainingOptions(steps: 600, batchSize: 64, learningRate: 2e-3, seed: options.seed), log: { _ in })
    print(String(format: "Chapter 3's 784-128-32 autoencoder, 600 steps on the training digits: test MSE %.4f per pixel (%.1f s)",
                 reconstructionMSE(autoencoder, images: test.images), Date().timeIntervalSince(autoencoderClock)))
    let frozen = ImageCaptioner.frozenEncoder(autoencoder.encoder, codeWidth: 32, tileSide: 28, configuration, seed: options.seed)
    run("(b) frozen encoder: the autoencoder's 32-number code of each digit; only a projection and the decoder trained",
        frozen, steps: steps * 2 / 5, seed: options.seed &+ 1)

    // (c) Learned queries over (a)'s vision Transformer, frozen.
    guard case .patches(let vision) = endToEnd.reader else { return }
    let queries = ImageCaptioner.learnedQueries(configuration, seed: options.seed &+ 5, frozenVision: vision)
    run("(c) learned queries: 4 queries read (a)'s frozen patch tokens; the decoder reads only the 4 queries",
        queries, steps: steps * 2 / 5, seed: options.seed &+ 1)

    print("Held-out caption exact match:")
    printTable(["variant", "unseen digits", "(digits read right)", "new strips", "trained parameters", "time"],
               results.map { [String($0.name.prefix(3)), percent($0.rates[0]), percent($0.digitRate), percent($0.rates[1]), "\($0.trained)",
                              String(format: "%.1f s", $0.seconds)] })

    // The modality gap: the frozen encoder's visual token of a digit, projected, against the
    // decoder's embedding of that digit's word.
    let sample = unseen.batch(200, digits: 3, rng: &testRNG)
    let tokens = frozen.memory(sample.images).value                     // [200, 3, d]
    let words = frozen.decoder.input.embedding.table.value               // [13, d]
    var same: [Double] = [], other: [Double] = []
    for row in 0..<sample.count {
        for slot in 0..<3 {
            let v = (0..<configuration.dimension).map { tokens[row, slot, $0] }
            for digit in 0..<10 {
                let w = (0..<configuration.dimension).map { words[digit + 3, $0] }
                (digit == sample.digits[row][slot] ? { same.append($0) } : { other.append($0) })(cosine(v, w))
            }
        }
    }
    print(String(format: """

    The modality gap in (b): the cosine between a digit's visual token and the embedding of its own word is %.3f on
    average, and %.3f with the other nine words. The decoder reads the right word off the image without the two ever
    being placed near each other: it learned to translate between two spaces, not to match points in one.

    """, mean(same), mean(other)))

    // Figures: where the decoder looked for each word, for three unseen strips, in each variant.
    let shown = unseen.batch(3, digits: 3, rng: &testRNG)
    var rows: [AttentionRow] = []
    for result in results {
        let captions = result.model.caption(shown.images)
        let grid = result.model.reader.isTiles ? (1, 3) : (2, 6)
        for i in 0..<shown.count {
            let one = shown.images.slice(axis: 0, i..<(i + 1))
            let image = one.scalars
            let maps = result.model.crossAttention(one, digits: [captions[i]])      // [1, words + 1, N]
            let panels = captions[i].indices.map { w in
                AttentionPanel(title: DigitStrips.words[captions[i][w]], pixels: image, height: 28, width: 84,
                               weights: (0..<maps.shape[2]).map { maps[0, w, $0] }, grid: grid)
            }
            rows.append(AttentionRow(label: "\(result.name.prefix(3)) \(DigitStrips.caption(shown.digits[i]))", panels: panels))
        }
    }
    try save(attentionOverlay(rows, title: "Where the decoder looked for each word it wrote (last block, mean of 4 heads); (c) through its 4 queries"),
             "captioner-attention.svg")
    try save(linePlot(results.map { Series(String($0.name.prefix(3)), y: smoothed($0.losses)) },
                      title: "Training the three captioners", xLabel: "step", yLabel: "caption cross-entropy", logY: true),
             "captioner-loss.svg")
    print("Figures:\n" + written.map { "  " + $0 }.joined(separator: "\n"))
    print(String(format: "Done in %.1f s.", Date().timeIntervalSince(started)))
}

private func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
private func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }
private func cosine(_ a: [Float], _ b: [Float]) -> Double {
    let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let na = a.reduce(0.0) { $0 + Double($1) * Double($1) }, nb = b.reduce(0.0) { $0 + Double($1) * Double($1) }
    return dot / max((na * nb).squareRoot(), 1e-12)
}

/// A moving average over 50 steps, so a noisy loss curve shows its trend.
private func smoothed(_ xs: [Float]) -> [Float] {
    xs.indices.map { i in
        let window = xs[max(0, i - 49)...i]
        return window.reduce(0, +) / Float(window.count)
    }
}

extension VisualReader {
    /// Whether the memory is one token per 28 × 28 tile (the frozen encoder's).
    var isTiles: Bool { if case .frozenTiles = self { true } else { false } }
}

/// One image with the attention over its grid of patches drawn on top.
struct AttentionPanel {
    let title: String
    let pixels: [Float]
    let height: Int, width: Int
    let weights: [Float]
    let grid: (rows: Int, columns: Int)
}

struct AttentionRow {
    let label: String
    let panels: [AttentionPanel]
}

/// Rows of images, each with a red layer over the patches as strong as the weight the decoder
/// gave them (the largest weight of a panel fully red at 60% opacity), the word above.
func attentionOverlay(_ rows: [AttentionRow], title: String, pixelSize: Double = 2, gap: Double = 14) -> String {
    let labelWidth = 150.0
    let panelWidth = Double(rows.first?.panels.first?.width ?? 84) * pixelSize
    let panelHeight = Double(rows.first?.panels.first?.height ?? 28) * pixelSize
    let columns = Double(rows.map(\.panels.count).max() ?? 1)
    let width = labelWidth + columns * (panelWidth + gap) + gap
    let height = 40 + Double(rows.count) * (panelHeight + 28)
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg += "<text x=\"\(Int(gap))\" y=\"22\" font-size=\"14\">\(escapeXML(title))</text>\n"
    for (r, row) in rows.enumerated() {
        let top = 40 + Double(r) * (panelHeight + 28) + 16
        svg += "<text x=\"\(Int(gap))\" y=\"\(Int(top + panelHeight / 2 + 4))\" font-size=\"11\">\(escapeXML(row.label))</text>\n"
        for (c, panel) in row.panels.enumerated() {
            let left = labelWidth + Double(c) * (panelWidth + gap)
            svg += "<text x=\"\(Int(left))\" y=\"\(Int(top - 4))\" font-size=\"11\">\(escapeXML(panel.title))</text>\n"
            svg += "<g transform=\"translate(\(left) \(top)) scale(\(pixelSize))\" shape-rendering=\"crispEdges\">"
            svg += "<rect width=\"\(panel.width)\" height=\"\(panel.height)\" fill=\"white\"/>"
            for y in 0..<panel.height {
                for x in 0..<panel.width where panel.pixels[y * panel.width + x] > 0.05 {
                    svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"1\" height=\"1\" fill=\"\(grayColour(Double(panel.pixels[y * panel.width + x])))\"/>"
                }
            }
            let largest = max(panel.weights.max() ?? 1, 1e-6)
            let (cellHeight, cellWidth) = (panel.height / panel.grid.rows, panel.width / panel.grid.columns)
            for (i, w) in panel.weights.enumerated() {
                let (gr, gc) = (i / panel.grid.columns, i % panel.grid.columns)
                svg += "<rect x=\"\(gc * cellWidth)\" y=\"\(gr * cellHeight)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" fill=\"#d62728\" fill-opacity=\"\(String(format: "%.3f", 0.6 * Double(w / largest)))\"/>"
            }
            svg += "<rect width=\"\(panel.width)\" height=\"\(panel.height)\" fill=\"none\" stroke=\"#999999\" stroke-width=\"0.5\"/></g>\n"
        }
    }
    return svg + "</svg>\n"
}
