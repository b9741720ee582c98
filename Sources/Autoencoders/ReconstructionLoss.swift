import ScalarAutodiff
import Tensors

/// The reconstruction loss of one example: the squared distance between the input and the
/// reconstruction,
///
///     ℓ(x) = ‖x − f_dec(f_enc(x))‖² = Σᵢ (xᵢ − x̂ᵢ)²
///
/// averaged over a batch of B examples: L = (1/B) Σ_b ‖x_b − x̂_b‖². This is d times the
/// per-pixel mean squared error (d pixels per example), so both fall and rise together; the book
/// reports the per-pixel MSE, which does not depend on the image size.
///
/// ```swift
/// let loss = squaredDistanceLoss(model(.constant(batch)), batch)    // a scalar Variable
/// loss.backward()
/// ```
public func squaredDistanceLoss(_ xHat: Variable, _ x: Tensor) -> Variable {
    require(xHat.shape == x.shape,
                 "squaredDistanceLoss: reconstruction shape \(xHat.shape) and input shape \(x.shape) differ")
    require(x.rank == 2, "squaredDistanceLoss: expected a batch [examples, pixels], got shape \(x.shape)")
    let d = Float(x.shape[1])
    return meanSquaredError(xHat, x) * d
}

/// ‖x − x̂‖² for each example (row) of a batch, as plain numbers.
public func squaredErrors(_ x: Tensor, _ xHat: Tensor) -> [Float] {
    require(x.shape == xHat.shape && x.rank == 2,
                 "squaredErrors: input shape \(x.shape) and reconstruction shape \(xHat.shape) must be the same [examples, pixels]")
    let d = x.shape[1]
    return (0..<x.shape[0]).map { row in
        var total: Float = 0
        for i in (row * d)..<(row * d + d) {
            let e = x.scalars[i] - xHat.scalars[i]
            total += e * e
        }
        return total
    }
}

/// The per-pixel mean squared error of `model` on a set of images, (1/(N·d)) Σₙ ‖xₙ − x̂ₙ‖²,
/// computed in batches so no large graph is built.
///
/// ```swift
/// let testMSE = reconstructionMSE(model, images: test.images)
/// ```
public func reconstructionMSE(_ model: Autoencoder, images: [[Float]], batchSize: Int = 256) -> Float {
    require(!images.isEmpty, "reconstructionMSE: no images")
    var total: Double = 0
    var start = 0
    while start < images.count {
        let batch = batchTensor(images[start..<min(start + batchSize, images.count)])
        total += squaredErrors(batch, model.reconstruct(batch)).reduce(0) { $0 + Double($1) }
        start += batchSize
    }
    let mse = Float(total / Double(images.count * images[0].count))
    require(mse.isFinite, "reconstructionMSE: the error is \(mse); the model's weights are not finite")
    return mse
}

/// The error of the laziest possible model, one that ignores its input and always outputs the
/// mean image of `reference`: (1/(N·d)) Σₙ ‖xₙ − x̄‖². An autoencoder has learned something only
/// if it beats this.
public func meanImageMSE(_ images: [[Float]], reference: [[Float]]) -> Float {
    require(!images.isEmpty && !reference.isEmpty, "meanImageMSE: no images")
    let d = reference[0].count
    var mean = [Double](repeating: 0, count: d)
    for image in reference { for i in 0..<d { mean[i] += Double(image[i]) } }
    mean = mean.map { $0 / Double(reference.count) }
    var total: Double = 0
    for image in images { for i in 0..<d { total += (Double(image[i]) - mean[i]) * (Double(image[i]) - mean[i]) } }
    return Float(total / Double(images.count * d))
}

/// Rows of pixels as one [rows, pixels] tensor.
public func batchTensor<Images: Collection>(_ images: Images) -> Tensor where Images.Element == [Float] {
    require(!images.isEmpty, "batchTensor: no images")
    let d = images.first!.count
    require(images.allSatisfy { $0.count == d }, "batchTensor: images have different sizes")
    return Tensor(shape: [images.count, d], scalars: images.flatMap { $0 })
}
