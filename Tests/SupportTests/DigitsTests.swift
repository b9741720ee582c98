import Testing
import Datasets

/// The bundled file, read once for all the tests below.
private let bundled = Result { try Digits.load() }

@Suite("Digits data set")
struct DigitsTests {
    @Test("the bundled file has 1,797 images of 8x8 = 64 pixels")
    func shape() throws {
        let digits = try bundled.get()
        #expect(digits.count == 1_797)
        #expect(digits.labels.count == 1_797)
        #expect(digits.side == 8)
        #expect(digits.images.allSatisfy { $0.count == 64 })
    }

    @Test("each digit appears as often as in the UCI description")
    func countsPerDigit() throws {
        let digits = try bundled.get()
        #expect(digits.countsPerDigit == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    @Test("pixels are the file's integers 0...16 divided by 16")
    func pixelValues() throws {
        let digits = try bundled.get()
        let all = digits.images.joined()
        #expect(all.min() == 0)
        #expect(all.max() == 1)
        // Every pixel is a multiple of 1/16, exactly.
        #expect(all.allSatisfy { ($0 * 16).rounded() == $0 * 16 })
        // The sum of all 1,797 x 64 integers in the file is 561,718.
        let total = all.reduce(0.0) { $0 + Double($1 * 16) }
        #expect(total == 561_718)
        // The first row of the file, a zero.
        let first = digits.images[0].map { Int($0 * 16) }
        #expect(first.prefix(16) == [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0])
        #expect(digits.labels.prefix(3) == [0, 1, 2])
    }

    @Test("the default split is 1,497 training and 300 test images, with no overlap")
    func splitSizesAndDisjointness() throws {
        let digits = try bundled.get()
        let (train, test) = digits.split()
        #expect(train.count == 1_497)
        #expect(test.count == 300)
        // Together the two parts hold every image of the file exactly once.
        var remaining: [[Float]: Int] = [:]
        for image in digits.images { remaining[image, default: 0] += 1 }
        for image in train.images + test.images { remaining[image, default: 0] -= 1 }
        #expect(remaining.values.allSatisfy { $0 == 0 })
        // And labels travel with their images.
        #expect(zip(train.countsPerDigit, test.countsPerDigit).map(+) == digits.countsPerDigit)
    }

    @Test("the split is deterministic and matches an independent re-implementation")
    func splitIsDeterministic() throws {
        let digits = try bundled.get()
        let first = digits.split()
        let second = digits.split()
        #expect(first.train.images == second.train.images)
        #expect(first.test.labels == second.test.labels)
        // Numbers from Tools/digits_split_oracle.py, which re-implements SeededRandom's shuffle.
        #expect(first.test.countsPerDigit == [23, 36, 23, 25, 30, 31, 32, 40, 25, 35])
        #expect(first.test.labels.prefix(5) == [6, 9, 9, 5, 8])
        #expect(first.test.images[0] == digits.images[6])
        #expect(first.train.images[0] == digits.images[0])
        // Another seed gives another split.
        #expect(digits.split(seed: 7).test.labels != first.test.labels)
    }

    @Test("parse reports the line and the reason for bad input")
    func parseErrors() throws {
        let good = String(repeating: "0,", count: 64) + "7"
        let one = try Digits.parse(csv: good + "\n\n")
        #expect(one.labels == [7])
        #expect(one.images == [[Float](repeating: 0, count: 64)])

        #expect(throws: DigitsError.malformed(line: 2, reason: "expected 65 values, found 3")) {
            try Digits.parse(csv: good + "\n1,2,3")
        }
        #expect(throws: DigitsError.malformed(line: 1, reason: "pixel \"17\" is not an integer in 0...16")) {
            try Digits.parse(csv: "17," + String(repeating: "0,", count: 63) + "1")
        }
        #expect(throws: DigitsError.malformed(line: 1, reason: "label \"10\" is not a digit 0...9")) {
            try Digits.parse(csv: String(repeating: "0,", count: 64) + "10")
        }
    }
}

@Suite("Digits: bad input")
struct DigitsBadInputTests {
    @Test("images and labels that do not fit together stop with a message naming both")
    func mismatchedCounts() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Digits(images: [[Float](repeating: 0, count: 4)], labels: [1, 2], side: 2)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("Digits: 1 images but 2 labels"))
        await #expect(processExitsWith: .failure) {
            _ = Digits(images: [[Float](repeating: 0, count: 4)], labels: [1], side: 2).split(testCount: 2)
        }
    }
}

@Suite("Bilinear upsampling")
struct UpsamplingTests {
    @Test("a two-pixel ramp resized to four pixels per row")
    func rampValues() {
        let resized = bilinearResize([0, 1, 0, 1], side: 2, to: 4)
        #expect(resized.count == 16)
        for row in 0..<4 {
            #expect(Array(resized[(row * 4)..<(row * 4 + 4)]) == [0, 0.25, 0.75, 1])
        }
    }

    @Test("same side is the identity, constants stay constant")
    func identityAndConstant() {
        let image: [Float] = (0..<64).map { Float($0) / 63 }
        #expect(bilinearResize(image, side: 8, to: 8) == image)
        let constant = bilinearResize([Float](repeating: 0.375, count: 64), side: 8, to: 28)
        #expect(constant.allSatisfy { abs($0 - 0.375) < 1e-6 })
    }

    @Test("the digits upsampled to 28x28 = 784 inputs keep labels, range and corners")
    func digits784() throws {
        let digits = try bundled.get().subset(Array(0..<20))
        let big = digits.upsampled(to: 28)
        #expect(big.side == 28)
        #expect(big.count == 20)
        #expect(big.images.allSatisfy { $0.count == 784 })
        #expect(big.labels == digits.labels)
        #expect(big.images.joined().allSatisfy { $0 >= 0 && $0 <= 1 })
        for (small, large) in zip(digits.images, big.images) {
            #expect(large[0] == small[0])
            #expect(large[783] == small[63])
            // Ink is preserved: the mean brightness changes by less than a tenth of its size.
            let smallMean = small.reduce(0, +) / 64
            let largeMean = large.reduce(0, +) / 784
            #expect(abs(smallMean - largeMean) < 0.1 * smallMean)
        }
    }
}
