import ScalarAutodiff
import Tensors

/// Images of 2 or 3 handwritten digits side by side, captioned with the digits' names in order:
/// a 28 × 84 strip showing 3, 7, 1 is captioned "three seven one". The task of the chapter's
/// image captioner.
///
/// Tokens: 0 padding, 1 start, 2 end, 3 + k the word for digit k ("zero" … "nine").
/// With `jitter` > 0 every digit moves by up to that many pixels in each direction within its
/// 28-pixel slot, so no two strips of the same digits are quite the same.
public struct DigitStrips: Sendable {
    public static let padding = 0, start = 1, end = 2
    public static let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    public static let vocabularySize = 13

    /// Digit images, `side · side` pixels each, row-major, ink in [0, 1].
    public let images: [[Float]]
    public let labels: [Int]
    public let side: Int
    public let jitter: Int

    public init(images: [[Float]], labels: [Int], side: Int = 28, jitter: Int = 0) {
        require(!images.isEmpty && images.count == labels.count,
                "DigitStrips: needs one label per image and at least one image, got \(images.count) images and \(labels.count) labels")
        require(images.allSatisfy { $0.count == side * side }, "DigitStrips: every image must have \(side) × \(side) pixels")
        require(labels.allSatisfy { (0...9).contains($0) }, "DigitStrips: labels must be digits 0 … 9")
        require(jitter >= 0 && jitter < side / 2, "DigitStrips: jitter must be in 0 ..< \(side / 2), got \(jitter)")
        self.images = images
        self.labels = labels
        self.side = side
        self.jitter = jitter
    }

    /// The caption of some digits, as words.
    public static func caption(_ digits: [Int]) -> String { digits.map { words[$0] }.joined(separator: " ") }

    /// The caption's tokens, without start and end.
    public static func tokens(_ digits: [Int]) -> [Int] { digits.map { $0 + 3 } }

    /// The digits of caption tokens, up to the end token (other tokens are dropped).
    public static func digits(_ tokens: [Int]) -> [Int] {
        tokens.prefix { $0 != end }.compactMap { (3...12).contains($0) ? $0 - 3 : nil }
    }

    /// The strip of the images with these indices: [side, side · count] pixels, row-major.
    /// Each digit moves by up to `jitter` pixels each way within its slot (drawn from `rng`);
    /// ink pushed out of the slot is lost.
    public func strip(_ indices: [Int], rng: inout SeededRandom) -> [Float] {
        let width = side * indices.count
        var pixels = [Float](repeating: 0, count: side * width)
        for (slot, index) in indices.enumerated() {
            let dx = jitter == 0 ? 0 : rng.integer(below: 2 * jitter + 1) - jitter
            let dy = jitter == 0 ? 0 : rng.integer(below: 2 * jitter + 1) - jitter
            for r in 0..<side where (0..<side).contains(r + dy) {
                for c in 0..<side where (0..<side).contains(c + dx) {
                    pixels[(r + dy) * width + slot * side + c + dx] = images[index][r * side + c]
                }
            }
        }
        return pixels
    }

    /// `size` strips of `count` random digits each: images [size, side, side · count] and
    /// the digits of each.
    public func batch(_ size: Int, digits count: Int, rng: inout SeededRandom) -> CaptionBatch {
        require(size > 0 && count > 0, "DigitStrips.batch: size and count must be positive, got \(size) and \(count)")
        var pixels: [Float] = []
        pixels.reserveCapacity(size * side * side * count)
        var digits: [[Int]] = []
        for _ in 0..<size {
            let indices = (0..<count).map { _ in rng.integer(below: images.count) }
            pixels += strip(indices, rng: &rng)
            digits.append(indices.map { labels[$0] })
        }
        return CaptionBatch(images: Tensor(shape: [size, side, side * count], scalars: pixels), digits: digits)
    }
}

/// A batch of captioned strips, all with the same number of digits.
public struct CaptionBatch: Sendable {
    /// [batch, height, width].
    public let images: Tensor
    /// The digits shown in each strip, left to right.
    public let digits: [[Int]]

    public init(images: Tensor, digits: [[Int]]) {
        require(images.rank == 3 && images.shape[0] == digits.count,
                "CaptionBatch: expected images [batch, height, width] with one caption each, got shape \(images.shape) and \(digits.count) captions")
        self.images = images
        self.digits = digits
    }

    public var count: Int { digits.count }
    /// What the decoder reads under teacher forcing: start, then the words.
    public var decoderInput: [[Int]] { digits.map { [DigitStrips.start] + DigitStrips.tokens($0) } }
    /// What it must predict: the words, then end.
    public var decoderTarget: [[Int]] { digits.map { DigitStrips.tokens($0) + [DigitStrips.end] } }
}
