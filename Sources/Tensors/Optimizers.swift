import Foundation
import ScalarAutodiff

/// Stochastic gradient descent, with optional momentum.
///
/// Plain SGD steps against the gradient: θ ← θ − η·g. With momentum μ it keeps a running
/// velocity, so steps in a consistent direction build up speed and zig-zags cancel out:
///
///     v ← μ·v + g,    θ ← θ − η·v
///
/// ```swift
/// var optimizer = SGD(model.parameters, learningRate: 0.1, momentum: 0.9)
/// optimizer.zeroGradients(); loss.backward(); optimizer.step()
/// ```
public struct SGD {
    public let parameters: [Variable]
    public var learningRate: Float
    public let momentum: Float
    var velocities: [Tensor]

    public init(_ parameters: [Variable], learningRate: Float, momentum: Float = 0) {
        require(learningRate > 0, "SGD: learningRate must be positive, got \(learningRate)")
        require(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1), got \(momentum)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        velocities = parameters.map { Tensor.zeros($0.shape) }
    }

    /// One update of every parameter that has a gradient.
    public mutating func step() {
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            let lr = learningRate, mu = momentum
            p.value.scalars.withUnsafeMutableBufferPointer { theta in
                g.scalars.withUnsafeBufferPointer { grad in
                    velocities[i].scalars.withUnsafeMutableBufferPointer { v in
                        for j in 0..<theta.count {
                            v[j] = mu * v[j] + grad[j]
                            theta[j] -= lr * v[j]
                        }
                    }
                }
            }
        }
    }

    /// Clears every parameter's gradient before the next backward pass.
    public func zeroGradients() { for p in parameters { p.grad = nil } }
}

/// Adam (Kingma and Ba, 2015): momentum on the gradient, and a step size per parameter scaled by
/// a running average of the squared gradient.
///
///     m ← β₁·m + (1 − β₁)·g             (mean of g)
///     v ← β₂·v + (1 − β₂)·g²            (mean of g²)
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)    (bias correction)
///     θ ← θ − η · m̂ / (√v̂ + ε)
///
/// m and v start at 0, so without the correction the first steps would be far too small. With it,
/// the first step has m̂ = g and v̂ = g², so every parameter moves by η·g/(|g| + ε) ≈ η·sign(g),
/// whatever the size of its gradient.
public struct Adam {
    public let parameters: [Variable]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// The number of steps taken so far (t in the equations).
    public private(set) var stepCount = 0
    var m: [Tensor], v: [Tensor]

    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8) {
        require(learningRate > 0, "Adam: learningRate must be positive, got \(learningRate)")
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1,
                     "Adam: beta1 and beta2 must be in [0, 1), got \(beta1) and \(beta2)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = parameters.map { Tensor.zeros($0.shape) }
        v = parameters.map { Tensor.zeros($0.shape) }
    }

    /// One update of every parameter that has a gradient.
    public mutating func step() {
        stepCount += 1
        let t = Float(stepCount)
        let b1 = beta1, b2 = beta2, eps = epsilon
        let correction1 = 1 - Foundation.pow(b1, t), correction2 = 1 - Foundation.pow(b2, t)
        // θ − η·m̂/(√v̂ + ε) = θ − (η/c₁)·m / (√v·(1/√c₂) + ε), with cᵢ = 1 − βᵢᵗ, so the loop
        // needs no division by the corrections. Eight elements at a time, then the rest.
        let stepSize = learningRate / correction1, rootScale = 1 / correction2.squareRoot()
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            p.value.scalars.withUnsafeMutableBufferPointer { theta in
                g.scalars.withUnsafeBufferPointer { grad in
                    m[i].scalars.withUnsafeMutableBufferPointer { m in
                        v[i].scalars.withUnsafeMutableBufferPointer { v in
                            Adam.update(theta, grad, m, v, b1, b2, eps, stepSize, rootScale)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func update(_ theta: UnsafeMutableBufferPointer<Float>, _ grad: UnsafeBufferPointer<Float>,
                       _ m: UnsafeMutableBufferPointer<Float>, _ v: UnsafeMutableBufferPointer<Float>,
                       _ b1: Float, _ b2: Float, _ eps: Float, _ stepSize: Float, _ rootScale: Float) {
        typealias V8 = SIMD8<Float>
        let count = theta.count
        let pt = UnsafeMutableRawPointer(theta.baseAddress!), pg = UnsafeRawPointer(grad.baseAddress!)
        let pm = UnsafeMutableRawPointer(m.baseAddress!), pv = UnsafeMutableRawPointer(v.baseAddress!)
        var j = 0
        while j &+ 8 <= count {
            let offset = j &* 4
            let gj = pg.loadUnaligned(fromByteOffset: offset, as: V8.self)
            let mj = b1 * pm.loadUnaligned(fromByteOffset: offset, as: V8.self) + (1 - b1) * gj
            let vj = b2 * pv.loadUnaligned(fromByteOffset: offset, as: V8.self) + (1 - b2) * gj * gj
            let tj = pt.loadUnaligned(fromByteOffset: offset, as: V8.self)
            pm.storeBytes(of: mj, toByteOffset: offset, as: V8.self)
            pv.storeBytes(of: vj, toByteOffset: offset, as: V8.self)
            pt.storeBytes(of: tj - stepSize * mj / (vj.squareRoot() * rootScale + eps), toByteOffset: offset, as: V8.self)
            j &+= 8
        }
        while j < count {
            let gj = grad[j]
            m[j] = b1 * m[j] + (1 - b1) * gj
            v[j] = b2 * v[j] + (1 - b2) * gj * gj
            theta[j] -= stepSize * m[j] / (v[j].squareRoot() * rootScale + eps)
            j &+= 1
        }
    }

    /// Clears every parameter's gradient before the next backward pass.
    public func zeroGradients() { for p in parameters { p.grad = nil } }
}

/// Scales all gradients down together when their global norm exceeds `maxNorm`:
///
///     ‖g‖ = √(Σ over every parameter and element of g²)
///     if ‖g‖ > maxNorm:  g ← g · maxNorm / ‖g‖
///
/// The direction of the whole update is kept; only its length is capped. Recurrent networks use
/// it against exploding gradients.
///
/// - Returns: the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    require(maxNorm > 0, "clipGradientNorm: maxNorm must be positive, got \(maxNorm)")
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        for x in g.scalars { total += Double(x) * Double(x) }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / norm
        for p in parameters where p.grad != nil { p.grad = p.grad! * scale }
    }
    return norm
}
