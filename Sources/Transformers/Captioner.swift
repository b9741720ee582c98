import ScalarAutodiff
import Tensors

/// The sizes of an image captioner.
public struct CaptionerConfiguration: Sendable {
    /// d, shared by the visual tokens and the text decoder.
    public var dimension: Int
    public var heads: Int
    /// d_ff of every feed-forward network.
    public var hidden: Int
    /// Encoder blocks of the vision Transformer.
    public var encoderLayers: Int
    /// Decoder blocks of the text decoder.
    public var decoderLayers: Int
    /// p, the side of a square patch.
    public var patchSize: Int
    /// The largest image, in pixels, the learned patch positions cover.
    public var maxHeight: Int, maxWidth: Int
    /// k, the number of learned queries of the bottleneck variant.
    public var queries: Int

    public init(dimension: Int = 32, heads: Int = 4, hidden: Int = 64, encoderLayers: Int = 2, decoderLayers: Int = 1,
                patchSize: Int = 7, maxHeight: Int = 28, maxWidth: Int = 84, queries: Int = 4) {
        require(dimension > 0 && heads > 0 && dimension % heads == 0,
                "CaptionerConfiguration: dimension \(dimension) must be a positive multiple of heads \(heads)")
        require(dimension % 2 == 0, "CaptionerConfiguration: dimension must be even for the decoder's positional encoding, got \(dimension)")
        require(maxHeight % patchSize == 0 && maxWidth % patchSize == 0,
                "CaptionerConfiguration: the largest image, \(maxHeight) × \(maxWidth), must cut into \(patchSize) × \(patchSize) patches")
        self.dimension = dimension
        self.heads = heads
        self.hidden = hidden
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.patchSize = patchSize
        self.maxHeight = maxHeight
        self.maxWidth = maxWidth
        self.queries = queries
    }

    /// The text decoder's configuration: 13 tokens, captions of at most 3 words plus end.
    var decoder: TransformerConfiguration {
        TransformerConfiguration(vocabularySize: DigitStrips.vocabularySize, dimension: dimension, heads: heads,
                                 hidden: hidden, layers: decoderLayers, maxLength: 8)
    }
}

/// A frozen image encoder applied to square tiles of the image (for example, each digit's
/// 28 × 28 slot), followed by what is trained: a projection of each tile's code to d and a
/// learned position per tile.
///
///     memoryᵢ = encoder(tileᵢ) · W + b + Pᵢ       encoder frozen; W, b, P trained
///
/// The encoder's codes are computed as constants: no gradient reaches it, and an optimizer
/// given ``trainableParameters`` never moves it.
public struct FrozenTileReader {
    public let encoder: any Tensors.Layer
    public let tileSide: Int
    public let projection: Linear
    /// [maxTiles, d].
    public let positions: Variable

    public init(encoder: any Tensors.Layer, codeWidth: Int, tileSide: Int, maxTiles: Int, dimension: Int, rng: inout SeededRandom) {
        self.encoder = encoder
        self.tileSide = tileSide
        projection = Linear(codeWidth, dimension, rng: &rng)
        positions = Variable(Tensor.randomNormal([maxTiles, dimension], standardDeviation: 0.1, rng: &rng))
    }

    /// One token per tile: [batch, tiles, d].
    public func callAsFunction(_ images: Tensor) -> Variable {
        let tiles = patchify(images, size: tileSide)                 // [b, n, side²]
        let (b, n) = (tiles.shape[0], tiles.shape[1])
        require(n <= positions.shape[0], "FrozenTileReader: \(n) tiles, but positions for only \(positions.shape[0])")
        let codes = encoder(.constant(tiles.reshaped([b * n, tileSide * tileSide]))).value
        let code = Variable.constant(codes.reshaped([b, n, codes.shape[1]]))
        return projection(code) + positions.slice(axis: 0, 0..<n)
    }

    public var trainableParameters: [Variable] { projection.parameters + [positions] }
}

/// How a captioner turns an image into the memory its decoder cross-attends to.
public enum VisualReader {
    /// (a) A vision Transformer over patches, trained with the decoder end to end.
    case patches(VisionEncoder)
    /// (b) A frozen encoder per tile, with only a projection (and tile positions) trained.
    case frozenTiles(FrozenTileReader)
    /// (c) A vision Transformer whose patch tokens are read by k learned queries; the decoder
    /// sees only the k query outputs. With `visionFrozen` the vision Transformer is not
    /// trained (as BLIP-2 keeps its image encoder frozen).
    case learnedQueries(VisionEncoder, LearnedQueries, visionFrozen: Bool)
}

/// An image captioner: an encoder-decoder "in disguise". The encoder turns pixels into a
/// sequence of visual tokens, and chapter 7's Transformer decoder writes the caption while
/// cross-attending to them, exactly as it would to an encoded source sentence.
public struct ImageCaptioner {
    public let reader: VisualReader
    public let decoder: TransformerDecoder
    public let configuration: CaptionerConfiguration

    /// (a) Patches, a vision Transformer and the decoder, all trained together.
    public static func endToEnd(_ configuration: CaptionerConfiguration, seed: UInt64) -> ImageCaptioner {
        var rng = SeededRandom(seed: seed)
        let vision = visionEncoder(configuration, rng: &rng)
        return ImageCaptioner(reader: .patches(vision), configuration: configuration, rng: &rng)
    }

    /// (b) A frozen encoder of `tileSide` × `tileSide` tiles with `codeWidth` outputs.
    public static func frozenEncoder(_ encoder: any Tensors.Layer, codeWidth: Int, tileSide: Int,
                                     _ configuration: CaptionerConfiguration, seed: UInt64) -> ImageCaptioner {
        var rng = SeededRandom(seed: seed)
        let reader = FrozenTileReader(encoder: encoder, codeWidth: codeWidth, tileSide: tileSide,
                                      maxTiles: configuration.maxWidth / tileSide, dimension: configuration.dimension, rng: &rng)
        return ImageCaptioner(reader: .frozenTiles(reader), configuration: configuration, rng: &rng)
    }

    /// (c) A vision Transformer read through `configuration.queries` learned queries: a new
    /// one trained with the rest, or `frozenVision`, an already trained one kept as it is.
    public static func learnedQueries(_ configuration: CaptionerConfiguration, seed: UInt64,
                                      frozenVision: VisionEncoder? = nil) -> ImageCaptioner {
        var rng = SeededRandom(seed: seed)
        let vision = frozenVision ?? visionEncoder(configuration, rng: &rng)
        let queries = LearnedQueries(count: configuration.queries, dimension: configuration.dimension,
                                     heads: configuration.heads, hidden: configuration.hidden, rng: &rng)
        return ImageCaptioner(reader: .learnedQueries(vision, queries, visionFrozen: frozenVision != nil),
                              configuration: configuration, rng: &rng)
    }

    static func visionEncoder(_ c: CaptionerConfiguration, rng: inout SeededRandom) -> VisionEncoder {
        VisionEncoder(patchSize: c.patchSize, rows: c.maxHeight / c.patchSize, columns: c.maxWidth / c.patchSize,
                      dimension: c.dimension, heads: c.heads, hidden: c.hidden, layers: c.encoderLayers,
                      dropout: Dropout(probability: 0, seed: 0), rng: &rng)
    }

    init(reader: VisualReader, configuration: CaptionerConfiguration, rng: inout SeededRandom) {
        self.reader = reader
        self.configuration = configuration
        let text = configuration.decoder
        decoder = TransformerDecoder(text, input: InputEmbedding(text, rng: &rng), dropout: Dropout(probability: 0, seed: 0), rng: &rng)
    }

    /// The memory the decoder reads: [batch, N, d], with N patches, tiles or queries.
    public func memory(_ images: Tensor) -> Variable {
        switch reader {
        case .patches(let vision): vision(images)
        case .frozenTiles(let tiles): tiles(images)
        case .learnedQueries(let vision, let queries, let frozen): queries(visualTokens(vision, images, frozen: frozen))
        }
    }

    /// A vision Transformer's tokens; as constants when it is frozen (no gradient reaches it).
    func visualTokens(_ vision: VisionEncoder, _ images: Tensor, frozen: Bool) -> Variable {
        frozen ? .constant(vision(images).value) : vision(images)
    }

    /// Teacher forcing: cross-entropy per caption token (the words and the end token).
    public func captionLoss(_ batch: CaptionBatch) -> Variable {
        let (logits, _) = decoder(batch.decoderInput, memory: memory(batch.images), memoryMask: nil)
        return crossEntropy(logits: logits.reshaped([-1, DigitStrips.vocabularySize]), targets: Array(batch.decoderTarget.joined()))
    }

    /// Greedy captions of images [batch, H, W], as digits: at most `maxWords` words each.
    public func caption(_ images: Tensor, maxWords: Int = 4) -> [[Int]] {
        let memory = self.memory(images)
        var caches = decoder.startCaches(memory: memory)
        let b = images.shape[0]
        var tokens = [[Int]](repeating: [], count: b)
        var last = [Int](repeating: DigitStrips.start, count: b)
        for position in 0..<(maxWords + 1) {
            let next = decoder.step(last, position: position, caches: &caches, memoryMask: nil).argmax()
            for row in 0..<b where tokens[row].last != DigitStrips.end { tokens[row].append(next[row]) }
            if tokens.allSatisfy({ $0.last == DigitStrips.end }) { break }
            last = next
        }
        return tokens.map(DigitStrips.digits)
    }

    /// The fraction of a batch whose greedy caption is exactly right (every word, no extra).
    public func exactMatch(_ batch: CaptionBatch) -> Double {
        let captions = caption(batch.images)
        return Double(zip(captions, batch.digits).filter { $0 == $1 }.count) / Double(batch.count)
    }

    /// Where the decoder looked while writing each word of `digits`: [batch, words + 1, N]
    /// weights over the image's patches (the last one is for the end token), the mean of the
    /// last decoder block's heads. Through a learned-query bottleneck the decoder's weights
    /// over the k queries are carried on to the patches by the queries' own weights (weights
    /// over queries [t, k] · query weights over patches [k, N]); for a frozen tile encoder they
    /// are over the tiles.
    public func crossAttention(_ images: Tensor, digits: [[Int]]) -> Tensor {
        require(digits.allSatisfy { $0.count == digits[0].count },
                "crossAttention: captions of one batch must have one length, got lengths \(digits.map(\.count))")
        let input = digits.map { [DigitStrips.start] + DigitStrips.tokens($0) }
        var queryWeights: Tensor? = nil
        let memory: Variable
        switch reader {
        case .learnedQueries(let vision, let queries, let frozen):
            let (output, weights) = queries.forward(visualTokens(vision, images, frozen: frozen))
            memory = output
            queryWeights = weights.value.mean(axis: 1)                     // [b, k, N]
        default:
            memory = self.memory(images)
        }
        let weights = decoder(input, memory: memory, memoryMask: nil).crossWeights.value.mean(axis: 1)   // [b, t, N or k]
        return queryWeights.map { weights.matmul($0) } ?? weights
    }

    /// What training updates: everything but a frozen encoder.
    public var trainableParameters: [Variable] {
        let decoderParameters = decoder.input.parameters + decoder.ownParameters
        switch reader {
        case .patches(let vision): return vision.parameters + decoderParameters
        case .frozenTiles(let tiles): return tiles.trainableParameters + decoderParameters
        case .learnedQueries(let vision, let queries, let frozen):
            return (frozen ? [] : vision.parameters) + queries.parameters + decoderParameters
        }
    }

    /// The frozen encoder's parameters (empty when everything is trained).
    public var frozenParameters: [Variable] {
        switch reader {
        case .frozenTiles(let tiles): tiles.encoder.parameters
        case .learnedQueries(let vision, _, visionFrozen: true): vision.parameters
        default: []
        }
    }
}

/// Trains a captioner with Adam on its trainable parameters only (a frozen encoder is never
/// given to the optimizer, so it cannot move): each step draws a batch of strips of 2 or 3
/// digits (one count per batch, at random) and takes one step with the learning rate
/// `schedule` gives it. Returns the losses.
@discardableResult
public func trainCaptioner(_ model: ImageCaptioner, on data: DigitStrips, steps: Int, batchSize: Int,
                           schedule: LearningRateSchedule, rng: inout SeededRandom, logEvery: Int = 100,
                           log: (String) -> Void = { print($0) }) -> [Float] {
    var optimizer = Adam(model.trainableParameters, learningRate: schedule.learningRate(atStep: 1))
    return trainingLoop(steps: steps, logEvery: logEvery, log: log) { step in
        optimizer.learningRate = schedule.learningRate(atStep: step)
        let batch = data.batch(batchSize, digits: 2 + rng.integer(below: 2), rng: &rng)
        let loss = model.captionLoss(batch)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}
