import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// The vision-language pieces: patches, strips of digits, the three captioner variants.
@Suite("Chapter 7: the image captioner")
struct Chapter7CaptionerTests {
    /// Ten made-up 28 × 28 "digits" (random blobs of ink), 20 noisy copies of each: data the
    /// tests can learn from in a few steps, without MNIST.
    static let strips: DigitStrips = {
        var rng = SeededRandom(seed: 77)
        let glyphs = (0..<10).map { _ in (0..<784).map { _ in rng.uniformFloat() < 0.2 ? Float(1) : 0 } }
        var images: [[Float]] = [], labels: [Int] = []
        for _ in 0..<20 {
            for (digit, glyph) in glyphs.enumerated() {
                images.append(glyph.map { min(1, max(0, $0 + 0.2 * (rng.uniformFloat() - 0.5))) })
                labels.append(digit)
            }
        }
        return DigitStrips(images: images, labels: labels)
    }()

    static let small = CaptionerConfiguration(dimension: 16, heads: 2, hidden: 32, encoderLayers: 1, decoderLayers: 1,
                                              patchSize: 14, queries: 3)

    @Test("Patches are numbered row by row over the grid, each listing its own pixels row by row")
    func patchOrder() {
        // A 4 × 6 image holding 0 … 23 cut into 2 × 2 patches: a 2 × 3 grid.
        let image = Tensor(shape: [1, 4, 6], scalars: (0..<24).map(Float.init))
        let patches = patchify(image, size: 2)
        #expect(patches.shape == [1, 6, 4])
        #expect(patches.slice(axis: 1, 0..<1).scalars == [0, 1, 6, 7], "patch 0 is the top-left corner")
        #expect(patches.slice(axis: 1, 1..<2).scalars == [2, 3, 8, 9], "patch 1 is to its right")
        #expect(patches.slice(axis: 1, 3..<4).scalars == [12, 13, 18, 19], "patch 3 starts the second row of the grid")
        #expect(patches.slice(axis: 1, 5..<6).scalars == [16, 17, 22, 23], "patch 5 is the bottom-right corner")
        let strips = Tensor.zeros([2, 28, 84])
        #expect(patchify(strips, size: 7).shape == [2, 48, 49], "a 28 × 84 strip is a 4 × 12 grid of 7 × 7 patches")
        #expect(patchify(strips, size: 14).shape == [2, 12, 196], "or a 2 × 6 grid of 14 × 14 patches")
        #expect(patchify(strips, size: 28).shape == [2, 3, 784], "or one 28 × 28 tile per digit")
    }

    @Test("A strip of 3 digits is 28 × 84, each digit in its own slot; its caption is their names in order")
    func stripLayout() {
        var rng = SeededRandom(seed: 1)
        let batch = Self.strips.batch(4, digits: 3, rng: &rng)
        #expect(batch.images.shape == [4, 28, 84] && batch.digits.allSatisfy { $0.count == 3 })
        let tiles = patchify(batch.images, size: 28)
        // Without jitter every tile is exactly one of the digit images, with its label.
        for row in 0..<4 {
            for slot in 0..<3 {
                let tile = tiles.slice(axis: 0, row..<(row + 1)).slice(axis: 1, slot..<(slot + 1)).scalars
                let index = Self.strips.images.firstIndex(of: tile)
                #expect(index.map { Self.strips.labels[$0] } == batch.digits[row][slot], "strip \(row), slot \(slot)")
            }
        }
        #expect(DigitStrips.caption([3, 7, 1]) == "three seven one")
        #expect(batch.decoderInput[0] == [1] + batch.digits[0].map { $0 + 3 } && batch.decoderTarget[0].last == 2)
        #expect(DigitStrips.digits([6, 10, 4, 2, 5]) == [3, 7, 1], "tokens after the end token are not part of the caption")
    }

    @Test("Memory shapes: one token per patch (a), per tile (b), per learned query (c)")
    func memoryShapes() {
        var rng = SeededRandom(seed: 2)
        let images = Self.strips.batch(2, digits: 3, rng: &rng).images
        #expect(ImageCaptioner.endToEnd(Self.small, seed: 1).memory(images).shape == [2, 12, 16])
        let frozen = Sequential([Linear(784, 8, rng: &rng)])
        #expect(ImageCaptioner.frozenEncoder(frozen, codeWidth: 8, tileSide: 28, Self.small, seed: 1).memory(images).shape == [2, 3, 16])
        let queries = ImageCaptioner.learnedQueries(Self.small, seed: 1)
        #expect(queries.memory(images).shape == [2, 3, 16])
        let two = Self.strips.batch(2, digits: 2, rng: &rng).images
        #expect(queries.memory(two).shape == [2, 3, 16], "the decoder reads k = 3 vectors however wide the image")
        let maps = queries.crossAttention(images, digits: [[1, 2, 3], [4, 5, 6]])
        #expect(maps.shape == [2, 4, 12], "one map over the 12 patches per word and for the end token")
        #expect(maps.sum(axis: -1).isClose(to: Tensor.ones([2, 4]), tolerance: 1e-4), "carried through the queries, each map still sums to 1")
    }

    @Test("Training with a frozen encoder leaves every encoder parameter exactly as it was")
    func frozenEncoderUnchanged() {
        var rng = SeededRandom(seed: 3)
        let encoder = Sequential([Linear(784, 16, rng: &rng), ReLU(), Linear(16, 8, rng: &rng)])
        let before = encoder.parameters.map(\.value)
        let model = ImageCaptioner.frozenEncoder(encoder, codeWidth: 8, tileSide: 28, Self.small, seed: 4)
        guard case .frozenTiles(let reader) = model.reader else { Issue.record("not a frozen-encoder captioner"); return }
        let projectionBefore = reader.projection.weight.value
        trainCaptioner(model, on: Self.strips, steps: 10, batchSize: 8, schedule: .constant(1e-2), rng: &rng, log: { _ in })
        #expect(encoder.parameters.map(\.value) == before, "the frozen encoder moved")
        #expect(encoder.parameters.allSatisfy { $0.grad == nil }, "no gradient reaches a frozen encoder")
        #expect(reader.projection.weight.value != projectionBefore, "the projection is trained")
        #expect(Set(model.frozenParameters.map(ObjectIdentifier.init)).isDisjoint(with: model.trainableParameters.map(ObjectIdentifier.init)))
    }

    @Test("A seeded 20-step training lowers the caption loss on held-out strips by a fifth")
    func shortTrainingLowersLoss() {
        var rng = SeededRandom(seed: 5)
        let model = ImageCaptioner.endToEnd(Self.small, seed: 6)
        var testRNG = SeededRandom(seed: 7)
        let test = Self.strips.batch(32, digits: 3, rng: &testRNG)
        let before = model.captionLoss(test).value.scalar
        trainCaptioner(model, on: Self.strips, steps: 20, batchSize: 8, schedule: .linearWarmup(peak: 1e-2, warmupSteps: 5), rng: &rng, log: { _ in })
        let after = model.captionLoss(test).value.scalar
        #expect(after < before * 0.8, "caption loss \(before) before training, \(after) after")
    }

    @Test("The demo's captioners train 37,581 (a), 14,893 (b) and 22,477 (c) parameters; 4 learned queries over 12 patches")
    func demoParameterCounts() {
        let c = CaptionerConfiguration(dimension: 32, heads: 4, hidden: 64, encoderLayers: 2, decoderLayers: 1, patchSize: 14, queries: 4)
        func count(_ xs: [Variable]) -> Int { xs.reduce(0) { $0 + $1.value.count } }
        let a = ImageCaptioner.endToEnd(c, seed: 1)
        #expect(count(a.trainableParameters) == 37_581)
        var rng = SeededRandom(seed: 1)
        let encoder = Sequential([Linear(784, 128, rng: &rng), ReLU(), Linear(128, 32, rng: &rng)])
        let b = ImageCaptioner.frozenEncoder(encoder, codeWidth: 32, tileSide: 28, c, seed: 1)
        #expect(count(b.trainableParameters) == 14_893 && count(b.frozenParameters) == 104_608)
        guard case .patches(let vision) = a.reader else { return }
        let q = ImageCaptioner.learnedQueries(c, seed: 2, frozenVision: vision)
        #expect(count(q.trainableParameters) == 22_477 && count(q.frozenParameters) == 23_840)
        // Exact captions from a per-digit accuracy q: about q² for 2 digits, q³ for 3.
        let q96 = 0.96
        #expect(abs((q96 * q96 + q96 * q96 * q96) / 2 - 0.903) < 5e-4)
    }
}
