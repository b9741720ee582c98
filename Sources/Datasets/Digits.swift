import Foundation
import ScalarAutodiff

/// Labelled images of handwritten digits. ``Digits/load()`` reads the 1,797 digits of the UCI
/// optical digits data set, 8x8 pixels each, bundled with the package (see `Resources/README.md`
/// for provenance and licence); ``MNIST/load()`` reads 5,000 real MNIST digits, 28x28, into the
/// same type.
///
/// Each image is a flat array of `side · side` pixels in row-major order (top row first), scaled
/// from the file's integers 0...16 to Floats in [0, 1]:
///
///     pixel = count / 16
///
/// ```swift
/// let digits = try Digits.load()                 // 1,797 images of 64 pixels
/// let (train, test) = digits.split()             // 1,497 / 300, the same on every machine
/// let big = train.upsampled(to: 28)              // 28x28 = 784 pixels, for the 784-input models
/// print(train.count, test.labels[0], big.images[0].count)
/// ```
public struct Digits: Sendable {
    /// The number of images in the bundled file.
    public static let fileCount = 1_797
    /// The side of the bundled images, in pixels.
    public static let fileSide = 8
    /// The largest pixel value in the file; pixels are divided by it.
    public static let maximumPixel: Float = 16

    /// The images, each `side · side` Floats in [0, 1], row-major.
    public let images: [[Float]]
    /// The digit (0-9) shown by each image.
    public let labels: [Int]
    /// The width and height of every image, in pixels (8 for the UCI digits, 28 for MNIST).
    public let side: Int

    /// The number of images.
    public var count: Int { images.count }

    /// Makes a data set from images and labels, checking that they fit together.
    public init(images: [[Float]], labels: [Int], side: Int) {
        require(side > 0, "Digits: side must be positive, got \(side)")
        require(images.count == labels.count,
                     "Digits: \(images.count) images but \(labels.count) labels")
        for (index, image) in images.enumerated() {
            require(image.count == side * side,
                         "Digits: image \(index) has \(image.count) pixels, expected \(side)x\(side) = \(side * side)")
        }
        if let bad = labels.first(where: { !(0...9).contains($0) }) {
            fatalError("Digits: labels must be digits 0...9, found \(bad)")
        }
        self.images = images
        self.labels = labels
        self.side = side
    }

    /// Reads the bundled `digits.csv` (about 0.1 s in a debug build).
    ///
    /// The file lives in SwiftPM's resource bundle for this module, found through `Bundle.module`
    /// beside the built products; `swift run`, `swift test` and the release build all find it.
    /// If the bundle folder itself has been deleted, `Bundle.module` stops the program with
    /// SwiftPM's "could not load resource bundle" message and the paths it tried.
    ///
    /// - Throws: ``DigitsError/resourceMissing(_:)`` if the file is not in the package's
    ///   resource bundle, ``DigitsError/malformed(line:reason:)`` if a line cannot be read.
    public static func load() throws -> Digits {
        guard let url = Bundle.module.url(forResource: "digits", withExtension: "csv") else {
            throw DigitsError.resourceMissing(
                "digits.csv is not in the Datasets resource bundle (\(Bundle.module.bundlePath)); "
                + "Package.swift must list it under the Datasets target's resources")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DigitsError.resourceMissing("could not read \(url.path): \(error)")
        }
        return try parse(csv: text)
    }

    /// Parses text in the format of `digits.csv`: one image per line, 64 integers 0...16 and a
    /// label 0...9, separated by commas. Blank lines are ignored.
    ///
    /// ```swift
    /// let one = try Digits.parse(csv: String(repeating: "0,", count: 64) + "7")
    /// // one.labels == [7], one.images[0] == [Float](repeating: 0, count: 64)
    /// ```
    public static func parse(csv: String) throws -> Digits {
        let pixels = fileSide * fileSide
        var images: [[Float]] = []
        var labels: [Int] = []
        images.reserveCapacity(fileCount)
        labels.reserveCapacity(fileCount)
        for (index, line) in csv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == pixels + 1 else {
                throw DigitsError.malformed(line: index + 1,
                                            reason: "expected \(pixels + 1) values, found \(fields.count)")
            }
            var image: [Float] = []
            image.reserveCapacity(pixels)
            for field in fields.prefix(pixels) {
                guard let count = Int(field), (0...Int(maximumPixel)).contains(count) else {
                    throw DigitsError.malformed(line: index + 1,
                                                reason: "pixel \"\(field)\" is not an integer in 0...16")
                }
                image.append(Float(count) / maximumPixel)
            }
            guard let label = Int(fields[pixels]), (0...9).contains(label) else {
                throw DigitsError.malformed(line: index + 1,
                                            reason: "label \"\(fields[pixels])\" is not a digit 0...9")
            }
            images.append(image)
            labels.append(label)
        }
        return Digits(images: images, labels: labels, side: fileSide)
    }

    /// The images at the given indices, in that order.
    public func subset(_ indices: [Int]) -> Digits {
        for index in indices {
            require(images.indices.contains(index),
                         "Digits.subset: index \(index) is outside 0..<\(count)")
        }
        return Digits(images: indices.map { images[$0] }, labels: indices.map { labels[$0] }, side: side)
    }

    /// The book's fixed train/test split.
    ///
    /// The indices 0..<count are shuffled by ``SeededRandom`` (Fisher-Yates) with `seed`; the
    /// first `testCount` shuffled indices form the test set, the rest the training set. Each part
    /// keeps the file's order, so `train.images[0]` is the earliest training image in the file.
    /// With the defaults the split is 1,497 training and 300 test images, identical everywhere.
    ///
    /// ```swift
    /// let (train, test) = try Digits.load().split()
    /// ```
    public func split(testCount: Int = 300, seed: UInt64 = 1_797) -> (train: Digits, test: Digits) {
        require(testCount >= 0 && testCount <= count,
                     "Digits.split: testCount must be in 0...\(count), got \(testCount)")
        var rng = SeededRandom(seed: seed)
        let shuffled = rng.shuffled(Array(0..<count))
        let test = shuffled.prefix(testCount).sorted()
        let train = shuffled.dropFirst(testCount).sorted()
        return (subset(train), subset(test))
    }

    /// A train/test split with the same number of test images of every digit.
    ///
    /// One ``SeededRandom`` with `seed` shuffles, digit by digit from 0 to 9, the indices of that
    /// digit's images (in file order, Fisher-Yates); the first `testPerDigit` of each go to the
    /// test set, the rest to the training set. Each part keeps the file's order. For MNIST,
    /// ``MNIST/loadSplit()`` is this split with 100 test images per digit and seed 5,000.
    ///
    /// ```swift
    /// let (train, test) = try MNIST.load().split(testPerDigit: 100, seed: 5_000)
    /// // test.countsPerDigit == [100, 100, ..., 100], train.count == 4_000
    /// ```
    public func split(testPerDigit: Int, seed: UInt64) -> (train: Digits, test: Digits) {
        let fewest = countsPerDigit.min() ?? 0
        require(testPerDigit >= 0 && testPerDigit <= fewest,
                "Digits.split: testPerDigit must be in 0...\(fewest) (the rarest digit's count), got \(testPerDigit)")
        var rng = SeededRandom(seed: seed)
        var test: [Int] = []
        for digit in 0...9 {
            let indices = labels.indices.filter { labels[$0] == digit }
            test += rng.shuffled(indices).prefix(testPerDigit)
        }
        let inTest = Set(test)
        return (subset(labels.indices.filter { !inTest.contains($0) }), subset(test.sorted()))
    }

    /// How many images show each digit 0-9.
    public var countsPerDigit: [Int] {
        var counts = [Int](repeating: 0, count: 10)
        for label in labels { counts[label] += 1 }
        return counts
    }
}

/// Why the digits could not be loaded.
public enum DigitsError: Error, CustomStringConvertible, Equatable {
    /// The bundled file is missing or unreadable; the message says where it was looked for.
    case resourceMissing(String)
    /// A line of the file is not 64 pixels 0...16 and a label 0...9 (lines count from 1).
    case malformed(line: Int, reason: String)
    /// A bundled IDX file (MNIST's format) has a wrong header, length or label.
    case malformedIDX(file: String, reason: String)

    public var description: String {
        switch self {
        case .resourceMissing(let message):
            return "Digits: \(message)"
        case .malformed(let line, let reason):
            return "Digits: line \(line) of digits.csv is malformed: \(reason)"
        case .malformedIDX(let file, let reason):
            return "Digits: \(file) is malformed: \(reason)"
        }
    }
}
