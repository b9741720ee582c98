import Foundation
import ScalarAutodiff
import Tensors

/// The sinusoidal positional encoding of Vaswani et al. (2017), shape [length, dimension]:
///
///     PE(pos, 2i)     = sin(pos / 10000^(2i/d))
///     PE(pos, 2i + 1) = cos(pos / 10000^(2i/d))
///
/// Each pair of columns is a sine and cosine of one frequency; the wavelengths grow
/// geometrically from 2π to 10000·2π. At position 1 the first pair is (sin 1, cos 1) =
/// (0.8415, 0.5403). Because sin(a + k) and cos(a + k) are a fixed rotation of (sin a, cos a),
/// PE(pos + k) is a linear function of PE(pos): relative offsets are easy for attention to read.
///
/// Computed in Double and rounded once, so large positions keep their precision.
public func positionalEncoding(length: Int, dimension: Int) -> Tensor {
    require(length >= 0, "positionalEncoding: length must be non-negative, got \(length)")
    require(dimension > 0 && dimension % 2 == 0,
                 "positionalEncoding: dimension must be a positive even number (sine and cosine pairs), got \(dimension)")
    var pe = Tensor.zeros([length, dimension])
    for pos in 0..<length {
        for i in 0..<(dimension / 2) {
            let angle = Double(pos) / Foundation.pow(10000, Double(2 * i) / Double(dimension))
            pe.scalars[pos * dimension + 2 * i] = Float(Foundation.sin(angle))
            pe.scalars[pos * dimension + 2 * i + 1] = Float(Foundation.cos(angle))
        }
    }
    return pe
}
