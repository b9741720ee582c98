/// Resizes a square grayscale image by bilinear interpolation.
///
/// Pixels are treated as samples at their centres. Output pixel i (along either axis) reads the
/// input at the position
///
///     s = (i + ½) · n / m − ½,   clamped to [0, n − 1]
///
/// where n is the input side and m the output side, and blends the two nearest input pixels
/// ⌊s⌋ and ⌊s⌋ + 1 with weights 1 − (s − ⌊s⌋) and s − ⌊s⌋; in two dimensions, the four nearest.
/// A constant image stays constant, values stay within the input's range, and resizing to the
/// same side returns the image unchanged.
///
/// ```swift
/// bilinearResize([0, 1,
///                 0, 1], side: 2, to: 4)
/// // each of the 4 rows is [0, 0.25, 0.75, 1]
/// ```
///
/// - Parameters:
///   - image: `side · side` pixels, row-major.
///   - side: the input's width and height.
///   - newSide: the output's width and height.
/// - Returns: `newSide · newSide` pixels, row-major.

import ScalarAutodiff

public func bilinearResize(_ image: [Float], side: Int, to newSide: Int) -> [Float] {
    require(side > 0 && newSide > 0,
                 "bilinearResize: sides must be positive, got \(side) -> \(newSide)")
    require(image.count == side * side,
                 "bilinearResize: image has \(image.count) pixels, expected \(side)x\(side) = \(side * side)")
    // For each output coordinate: the lower input index and the weight of the upper one.
    let samples: [(lower: Int, weight: Float)] = (0..<newSide).map { i in
        let position = (Double(i) + 0.5) * Double(side) / Double(newSide) - 0.5
        let clamped = min(max(position, 0), Double(side - 1))
        let lower = min(Int(clamped), side - 1)
        return (lower, Float(clamped - Double(lower)))
    }
    var output = [Float](repeating: 0, count: newSide * newSide)
    for (row, r) in samples.enumerated() {
        let r1 = min(r.lower + 1, side - 1)
        for (column, c) in samples.enumerated() {
            let c1 = min(c.lower + 1, side - 1)
            let top = image[r.lower * side + c.lower] * (1 - c.weight) + image[r.lower * side + c1] * c.weight
            let bottom = image[r1 * side + c.lower] * (1 - c.weight) + image[r1 * side + c1] * c.weight
            output[row * newSide + column] = top * (1 - r.weight) + bottom * r.weight
        }
    }
    return output
}

extension Digits {
    /// The same digits resized to `newSide` x `newSide` pixels by ``bilinearResize(_:side:to:)``.
    ///
    /// Chapter 3's autoencoder is sized for 28x28 = 784 inputs; `upsampled(to: 28)` turns the
    /// bundled 8x8 digits into inputs of that size. The result is smoother than a real 28x28 scan
    /// but has the same labels, the same [0, 1] range and the same strokes.
    ///
    /// ```swift
    /// let digits784 = try Digits.load().upsampled(to: 28)   // images[i].count == 784
    /// ```
    public func upsampled(to newSide: Int) -> Digits {
        Digits(images: images.map { bilinearResize($0, side: side, to: newSide) },
               labels: labels, side: newSide)
    }
}
