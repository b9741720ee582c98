import Foundation
import ScalarAutodiff

/// 5,000 real MNIST handwritten digits, 28×28 pixels, 500 of each digit, bundled with the package
/// (see `Resources/README.md` for provenance and licence: MNIST is CC BY-SA 3.0).
///
/// The two resource files are in MNIST's own IDX format, so any MNIST reader opens them. Each
/// image is returned as a ``Digits`` value with `side == 28`: a flat array of 784 pixels in
/// row-major order (top row first), scaled from the file's grey levels 0...255 to [0, 1]:
///
///     pixel = grey / 255
///
/// ```swift
/// let mnist = try MNIST.load()                  // 5,000 images of 784 pixels, file order
/// let (train, test) = try MNIST.loadSplit()     // 4,000 / 1,000, 100 of each digit in test
/// print(train.count, test.labels[0], test.images[0].count)   // 4000 0 784
/// ```
///
/// The file is sorted by label (500 zeros, then 500 ones, …); the split keeps that order inside
/// each part, so shuffle batches when training.
public enum MNIST {
    /// The number of images in the bundled files.
    public static let fileCount = 5_000
    /// The width and height of every image, in pixels.
    public static let side = 28
    /// The largest grey level; pixels are divided by it.
    public static let maximumPixel: Float = 255
    /// How many images of each digit the book's split puts in the test set.
    public static let testPerDigit = 100
    /// The seed of the book's split.
    public static let splitSeed: UInt64 = 5_000

    /// The resource names (`name.extension`) of the two bundled files.
    static let imagesFile = (name: "mnist-5k-images", extension: "idx3-ubyte")
    static let labelsFile = (name: "mnist-5k-labels", extension: "idx1-ubyte")

    /// Reads the bundled files: all 5,000 digits in file order (about 0.05 s).
    ///
    /// - Throws: ``DigitsError/resourceMissing(_:)`` if a file is not in the resource bundle,
    ///   ``DigitsError/malformedIDX(file:reason:)`` if its header or length is wrong.
    public static func load() throws -> Digits {
        let images = try bundledBytes(imagesFile)
        let labels = try bundledBytes(labelsFile)
        return try parse(images: images, labels: labels)
    }

    /// The book's train/test split of the bundled digits: 4,000 training and 1,000 test images,
    /// exactly 100 of each digit in the test set, identical on every machine. It is
    /// `load().split(testPerDigit: 100, seed: 5_000)`; see ``Digits/split(testPerDigit:seed:)``.
    public static func loadSplit() throws -> (train: Digits, test: Digits) {
        try load().split(testPerDigit: testPerDigit, seed: splitSeed)
    }

    /// Reads an IDX image file (magic 0x00000803, then count, rows and columns as big-endian
    /// UInt32, then count · rows · columns bytes) and an IDX label file (magic 0x00000801, then
    /// count, then count bytes 0...9). The images must be 28×28.
    public static func parse(images: [UInt8], labels: [UInt8]) throws -> Digits {
        let imageFile = "\(imagesFile.name).\(imagesFile.extension)"
        let labelFile = "\(labelsFile.name).\(labelsFile.extension)"
        let imageHeader = try header(images, words: 4, magic: 0x0803, file: imageFile)
        let labelHeader = try header(labels, words: 2, magic: 0x0801, file: labelFile)
        let (count, rows, columns) = (imageHeader[1], imageHeader[2], imageHeader[3])
        guard rows == side, columns == side else {
            throw DigitsError.malformedIDX(file: imageFile,
                                           reason: "images are \(rows)x\(columns), expected \(side)x\(side)")
        }
        guard images.count == 16 + count * side * side else {
            throw DigitsError.malformedIDX(
                file: imageFile,
                reason: "\(images.count) bytes, expected 16 + \(count)·\(side * side) = \(16 + count * side * side)")
        }
        guard labelHeader[1] == count, labels.count == 8 + count else {
            throw DigitsError.malformedIDX(
                file: labelFile,
                reason: "\(labelHeader[1]) labels in \(labels.count) bytes, but \(count) images")
        }
        let labelValues = labels[8...].map(Int.init)
        if let bad = labelValues.firstIndex(where: { $0 > 9 }) {
            throw DigitsError.malformedIDX(file: labelFile,
                                           reason: "label \(bad) is \(labelValues[bad]), not a digit 0...9")
        }
        let pixels = side * side
        let imageValues = (0..<count).map { index in
            let start = 16 + index * pixels
            return images[start..<(start + pixels)].map { Float($0) / maximumPixel }
        }
        return Digits(images: imageValues, labels: labelValues, side: side)
    }

    /// The header's big-endian UInt32 words, after checking the magic number.
    private static func header(_ bytes: [UInt8], words: Int, magic: Int, file: String) throws -> [Int] {
        guard bytes.count >= 4 * words else {
            throw DigitsError.malformedIDX(file: file, reason: "\(bytes.count) bytes, too short for its header")
        }
        let values = (0..<words).map { word in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 * word + $1]) }
        }
        guard values[0] == magic else {
            throw DigitsError.malformedIDX(
                file: file,
                reason: "magic number 0x\(String(values[0], radix: 16)), expected 0x\(String(magic, radix: 16))")
        }
        return values
    }

    /// The bytes of a file in this module's resource bundle.
    private static func bundledBytes(_ file: (name: String, extension: String)) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: file.name, withExtension: file.extension) else {
            throw DigitsError.resourceMissing(
                "\(file.name).\(file.extension) is not in the Datasets resource bundle (\(Bundle.module.bundlePath)); "
                + "Package.swift must list it under the Datasets target's resources")
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw DigitsError.resourceMissing("could not read \(url.path): \(error)")
        }
    }
}
