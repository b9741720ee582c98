import Testing
import Datasets

/// The bundled MNIST sample, read once for all the tests below.
private let bundledMNIST = Result { try MNIST.load() }

/// Grey levels back from the loader's [0, 1] pixels (exact: every pixel is k/255).
private func greyLevels(_ image: [Float]) -> [Int] {
    image.map { Int(($0 * 255).rounded()) }
}

@Suite("MNIST data set")
struct MNISTTests {
    @Test("the bundled files hold 5,000 images of 28x28 = 784 pixels, 500 of each digit")
    func countAndBalance() throws {
        let mnist = try bundledMNIST.get()
        #expect(mnist.count == 5_000)
        #expect(mnist.side == 28)
        #expect(mnist.images.allSatisfy { $0.count == 784 })
        #expect(mnist.countsPerDigit == [Int](repeating: 500, count: 10))
        // The file is sorted by label.
        #expect(mnist.labels == (0...9).flatMap { [Int](repeating: $0, count: 500) })
    }

    @Test("pixels are grey levels 0...255 divided by 255, with the sums of the source file")
    func knownPixelSums() throws {
        let mnist = try bundledMNIST.get()
        var (smallest, largest, total, fractional) = (Float(1), Float(0), 0, 0)
        for image in mnist.images {
            for pixel in image {
                smallest = min(smallest, pixel)
                largest = max(largest, pixel)
                let grey = pixel * 255
                total += Int(grey.rounded())
                if abs(grey - grey.rounded()) > 1e-3 { fractional += 1 }
            }
        }
        #expect(smallest == 0)
        #expect(largest == 1)
        // Every pixel is a whole grey level over 255.
        #expect(fractional == 0)
        // Sums printed by Tools/mnist_to_idx.py from the CSV itself.
        #expect(total == 131_267_102)
        #expect(greyLevels(mnist.images[0]).reduce(0, +) == 31_095)
        #expect(greyLevels(mnist.images[4_999]).reduce(0, +) == 33_540)
        // Row 5 of the first image (a zero), where its strokes begin.
        #expect(greyLevels(mnist.images[0])[(4 * 28 + 15)..<(4 * 28 + 20)] == [51, 159, 253, 159, 50])
    }

    @Test("the book's split: 4,000 training and 1,000 test images, 100 of each digit in test, disjoint")
    func splitSizesAndBalance() throws {
        let mnist = try bundledMNIST.get()
        let (train, test) = try MNIST.loadSplit()
        #expect(train.count == 4_000)
        #expect(test.count == 1_000)
        #expect(test.countsPerDigit == [Int](repeating: 100, count: 10))
        #expect(train.countsPerDigit == [Int](repeating: 400, count: 10))
        // Together the two parts hold every image exactly once.
        var remaining: [[Float]: Int] = [:]
        for image in mnist.images { remaining[image, default: 0] += 1 }
        for image in train.images + test.images { remaining[image, default: 0] -= 1 }
        #expect(remaining.values.allSatisfy { $0 == 0 })
    }

    @Test("the split is deterministic and matches an independent re-implementation")
    func splitMatchesOracle() throws {
        let mnist = try bundledMNIST.get()
        let (_, test) = mnist.split(testPerDigit: 100, seed: 5_000)
        let again = mnist.split(testPerDigit: 100, seed: 5_000)
        #expect(test.images == again.test.images)
        // Numbers from Tools/mnist_to_idx.py, which re-implements SeededRandom's shuffle:
        // the first test images are file rows 3, 4, 12, 14, 16, 19, and the last is row 4,999.
        for (position, row) in [3, 4, 12, 14, 16, 19].enumerated() {
            #expect(test.images[position] == mnist.images[row])
        }
        #expect(test.images[999] == mnist.images[4_999])
        let testTotal = test.images.reduce(0) { $0 + greyLevels($1).reduce(0, +) }
        #expect(testTotal == 26_431_062)
        // Another seed gives another split, still balanced.
        let other = mnist.split(testPerDigit: 100, seed: 7).test
        #expect(other.images != test.images)
        #expect(other.countsPerDigit == [Int](repeating: 100, count: 10))
    }

    @Test("parse names the file and the reason for a bad header, length or label")
    func parseErrors() throws {
        func be(_ values: [Int]) -> [UInt8] {
            values.flatMap { v in (0..<4).reversed().map { UInt8((v >> (8 * $0)) & 0xFF) } }
        }
        let image = [UInt8](repeating: 255, count: 784)
        let one = try MNIST.parse(images: be([0x803, 1, 28, 28]) + image, labels: be([0x801, 1]) + [7])
        #expect(one.labels == [7])
        #expect(one.images == [[Float](repeating: 1, count: 784)])

        #expect(throws: DigitsError.malformedIDX(file: "mnist-5k-images.idx3-ubyte",
                                                 reason: "magic number 0x801, expected 0x803")) {
            try MNIST.parse(images: be([0x801, 1, 28, 28]) + image, labels: be([0x801, 1]) + [7])
        }
        #expect(throws: DigitsError.malformedIDX(file: "mnist-5k-images.idx3-ubyte",
                                                 reason: "images are 8x8, expected 28x28")) {
            try MNIST.parse(images: be([0x803, 1, 8, 8]) + image, labels: be([0x801, 1]) + [7])
        }
        #expect(throws: DigitsError.malformedIDX(file: "mnist-5k-images.idx3-ubyte",
                                                 reason: "799 bytes, expected 16 + 1·784 = 800")) {
            try MNIST.parse(images: be([0x803, 1, 28, 28]) + image.dropLast(), labels: be([0x801, 1]) + [7])
        }
        #expect(throws: DigitsError.malformedIDX(file: "mnist-5k-labels.idx1-ubyte",
                                                 reason: "label 0 is 12, not a digit 0...9")) {
            try MNIST.parse(images: be([0x803, 1, 28, 28]) + image, labels: be([0x801, 1]) + [12])
        }
        #expect(throws: DigitsError.malformedIDX(file: "mnist-5k-labels.idx1-ubyte",
                                                 reason: "2 labels in 10 bytes, but 1 images")) {
            try MNIST.parse(images: be([0x803, 1, 28, 28]) + image, labels: be([0x801, 2]) + [7, 1])
        }
    }
}
