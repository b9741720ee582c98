import Foundation
import ScalarAutodiff

/// Initial weights that keep the size of signals steady from layer to layer.
///
/// A unit that adds up n inputs xⱼ with weights wⱼ of variance Var(w) has output variance
/// n · Var(w) · Var(x). To keep that equal to Var(x) going forward (n = fanIn) and backward
/// (n = fanOut):
///
///     Xavier/Glorot (tanh, sigmoid, linear):  Var(w) = 2 / (fanIn + fanOut)
///                                             w ~ U(−a, a),  a = √(6 / (fanIn + fanOut))
///     He/Kaiming (ReLU, which zeroes half):   Var(w) = 2 / fanIn
///                                             w ~ N(0, 2 / fanIn)
///
/// A uniform distribution on (−a, a) has variance a²/3, which is where the 6 comes from.
public enum Initialisation: Sendable {
    /// Xavier/Glorot uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)).
    case xavierUniform
    /// He/Kaiming normal: N(0, 2 / fanIn).
    case heNormal
    /// All zeros (biases).
    case zeros

    /// A [fanIn, fanOut] weight matrix (or any shape whose fans are given) drawn from `rng`.
    public func sample(_ shape: [Int], fanIn: Int, fanOut: Int, rng: inout SeededRandom) -> Tensor {
        require(fanIn > 0 && fanOut > 0, "Initialisation: fanIn and fanOut must be positive, got \(fanIn) and \(fanOut)")
        switch self {
        case .xavierUniform:
            let a = Float(Foundation.sqrt(6.0 / Double(fanIn + fanOut)))
            return Tensor.randomUniform(shape, low: -a, high: a, rng: &rng)
        case .heNormal:
            let sd = Float(Foundation.sqrt(2.0 / Double(fanIn)))
            return Tensor.randomNormal(shape, standardDeviation: sd, rng: &rng)
        case .zeros:
            return Tensor.zeros(shape)
        }
    }
}
