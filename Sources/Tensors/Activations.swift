import Foundation
import ScalarAutodiff

// The smooth and leaky activations of modern networks, beside chapter 2's relu, tanh and sigmoid.
// Each is an elementwise function f on tensors, a differentiable operation on variables whose rule
// multiplies the incoming gradient by f′(x), and a layer for `Sequential`. They follow PyTorch's
// definitions (torch.nn.GELU, Softplus, LeakyReLU, SiLU), defaults included.
//
//     GELU:       f(x) = x·Φ(x),  Φ(x) = ½(1 + erf(x/√2))         f′ = Φ(x) + x·φ(x)
//     softplus:   f(x) = (1/β)·log(1 + e^(βx))                    f′ = σ(βx)
//     LeakyReLU:  f(x) = x for x > 0, else slope·x                f′ = 1 or slope
//     SiLU:       f(x) = x·σ(x)                                    f′ = σ(x)·(1 + x(1 − σ(x)))
//
// φ(x) = e^(−x²/2)/√(2π) is the standard normal density and Φ its distribution function.

/// The standard normal density φ(x) = e^(−x²/2) / √(2π).
@inline(__always)
func normalDensity(_ x: Float) -> Float { Foundation.exp(-0.5 * x * x) * 0.398_942_28 }

/// The standard normal distribution function Φ(x) = ½(1 + erf(x/√2)).
@inline(__always)
func normalCDF(_ x: Float) -> Float { 0.5 * (1 + Foundation.erf(x * 0.707_106_78)) }

/// GELU's tanh approximation (Hendrycks and Gimpel, 2016), as GPT-2 and BERT used it:
///
///     f(x) ≈ ½x(1 + tanh u),  u = √(2/π)(x + 0.044715x³)
///     f′(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)
@inline(__always)
func geluTanh(_ x: Float) -> (value: Float, slope: Float) {
    let k: Float = 0.797_884_56, c: Float = 0.044_715
    let t = Foundation.tanh(k * (x + c * x * x * x))
    return (0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * c * x * x))
}

/// softplus with PyTorch's threshold: x itself once βx exceeds it (where log(1 + e^(βx)) and βx
/// agree to Float precision), and log1p(e^(βx))/β below, which is accurate for very negative x.
@inline(__always)
func softplusValue(_ x: Float, _ beta: Float, _ threshold: Float) -> Float {
    beta * x > threshold ? x : Foundation.log1p(Foundation.exp(beta * x)) / beta
}

extension Tensor {
    /// GELU for every element: x·Φ(x) exactly (through erf), or its tanh approximation.
    public func gelu(tanhApproximation: Bool = false) -> Tensor {
        tanhApproximation ? map { geluTanh($0).value } : map { $0 * normalCDF($0) }
    }

    /// softplus for every element: (1/β)·log(1 + e^(βx)), and x where βx > `threshold`.
    public func softplus(beta: Float = 1, threshold: Float = 20) -> Tensor {
        map { softplusValue($0, beta, threshold) }
    }

    /// LeakyReLU for every element: x for x > 0, `slope`·x otherwise.
    public func leakyRelu(slope: Float = 0.01) -> Tensor { map { $0 > 0 ? $0 : slope * $0 } }

    /// SiLU (also called swish) for every element: x·σ(x).
    public func silu() -> Tensor { self * sigmoid() }
}

extension Variable {
    /// y = x·Φ(x) (or its tanh approximation), with dy/dx = Φ(x) + x·φ(x).
    public func gelu(tanhApproximation: Bool = false) -> Variable {
        Variable(value.gelu(tanhApproximation: tanhApproximation), op: "gelu", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, self.value, op: "gelu backward") { g, x in
                g * (tanhApproximation ? geluTanh(x).slope : normalCDF(x) + x * normalDensity(x))
            })
        }
    }

    /// y = (1/β)·log(1 + e^(βx)), with dy/dx = σ(βx) (and 1 above the threshold, where y = x).
    public func softplus(beta: Float = 1, threshold: Float = 20) -> Variable {
        require(beta > 0, "softplus: beta must be positive, got \(beta)")
        return Variable(value.softplus(beta: beta, threshold: threshold), op: "softplus", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, self.value, op: "softplus backward") { g, x in
                beta * x > threshold ? g : g / (1 + Foundation.exp(-beta * x))
            })
        }
    }

    /// y = x for x > 0 and `slope`·x otherwise, with dy/dx = 1 for x > 0 and `slope` otherwise
    /// (at 0 too, as in PyTorch).
    public func leakyRelu(slope: Float = 0.01) -> Variable {
        Variable(value.leakyRelu(slope: slope), op: "leakyRelu", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, self.value, op: "leakyRelu backward") { g, x in x > 0 ? g : slope * g })
        }
    }

    /// y = x·σ(x), with dy/dx = σ(x)·(1 + x(1 − σ(x))).
    public func silu() -> Variable {
        let s = value.sigmoid()
        return Variable(value * s, op: "silu", inputs: [self]) { g in
            var dx = Tensor.zip(self.value, s, op: "silu backward") { x, s in s * (1 + x * (1 - s)) }
            dx = dx * g
            self.accumulate(dx)
        }
    }
}

/// GELU as a layer: x·Φ(x), or its tanh approximation (PyTorch's `approximate='tanh'`).
public struct GELU: Layer {
    public let tanhApproximation: Bool
    public init(tanhApproximation: Bool = false) { self.tanhApproximation = tanhApproximation }
    public func callAsFunction(_ x: Variable) -> Variable { x.gelu(tanhApproximation: tanhApproximation) }
    public var parameters: [Variable] { [] }
}

/// softplus as a layer: (1/β)·log(1 + e^(βx)), linear above `threshold` as in PyTorch.
public struct Softplus: Layer {
    public let beta: Float, threshold: Float
    public init(beta: Float = 1, threshold: Float = 20) {
        require(beta > 0, "Softplus: beta must be positive, got \(beta)")
        self.beta = beta
        self.threshold = threshold
    }
    public func callAsFunction(_ x: Variable) -> Variable { x.softplus(beta: beta, threshold: threshold) }
    public var parameters: [Variable] { [] }
}

/// LeakyReLU as a layer: x for x > 0, `slope`·x otherwise (PyTorch's negative_slope, 0.01).
public struct LeakyReLU: Layer {
    public let slope: Float
    public init(slope: Float = 0.01) { self.slope = slope }
    public func callAsFunction(_ x: Variable) -> Variable { x.leakyRelu(slope: slope) }
    public var parameters: [Variable] { [] }
}

/// SiLU (swish) as a layer: x·σ(x).
public struct SiLU: Layer {
    public init() {}
    public func callAsFunction(_ x: Variable) -> Variable { x.silu() }
    public var parameters: [Variable] { [] }
}
