import Foundation
import ScalarAutodiff

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
///
/// t counts *this parameter's* steps, as in PyTorch: a parameter that has no gradient at a step
/// keeps its m, v and t unchanged, so one that first gets a gradient at step 5 takes a first
/// step of size η, not 0.55·η.
///
/// `weightDecay` λ adds λ·θ to the gradient first (an L2 penalty, PyTorch's `Adam(weight_decay:)`);
/// ``AdamW`` decays the weights directly instead.
public struct Adam: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public let weightDecay: Float
    /// Each parameter's m, v and t.
    var moments: AdamMoments

    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        checkAdamSettings("Adam", learningRate, beta1, beta2, epsilon, weightDecay)
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        moments = AdamMoments(count: parameters.count)
    }

    /// How many steps each parameter has taken (t in the equations), in `parameters` order.
    public var stepCounts: [Int] { moments.steps }

    /// One update of every parameter that has a gradient.
    public mutating func step() {
        moments.step(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                     l2: weightDecay, decoupled: 0, name: "Adam")
    }

    /// Each parameter's m, v and t, as `i.exp_avg`, `i.exp_avg_sq` and `i.step`.
    public var stateDict: [String: Tensor] { moments.stateDict }

    public mutating func loadStateDict(_ state: [String: Tensor]) throws {
        moments = try AdamMoments(state, parameters: parameters)
    }
}

/// AdamW (Loshchilov and Hutter, 2019): Adam with the weight decay taken out of the gradient.
///
///     θ ← θ − η·λ·θ                      (decay the weights directly)
///     then Adam's step, on the gradient alone
///
/// With plain Adam, an L2 term λθ added to g is divided by √v̂ like the rest of the gradient, so
/// weights with large gradients are barely decayed. AdamW decays every weight at the same rate λ,
/// independent of its gradient, which is what weight decay was meant to do. PyTorch's default
/// λ = 0.01 is the default here too.
public struct AdamW: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public let weightDecay: Float
    var moments: AdamMoments

    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        checkAdamSettings("AdamW", learningRate, beta1, beta2, epsilon, weightDecay)
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        moments = AdamMoments(count: parameters.count)
    }

    /// How many steps each parameter has taken, in `parameters` order.
    public var stepCounts: [Int] { moments.steps }

    /// One update of every parameter that has a gradient.
    public mutating func step() {
        moments.step(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                     l2: 0, decoupled: weightDecay, name: "AdamW")
    }

    /// Each parameter's m, v and t, as `i.exp_avg`, `i.exp_avg_sq` and `i.step`.
    public var stateDict: [String: Tensor] { moments.stateDict }

    public mutating func loadStateDict(_ state: [String: Tensor]) throws {
        moments = try AdamMoments(state, parameters: parameters)
    }
}

func checkAdamSettings(_ name: String, _ learningRate: Float, _ beta1: Float, _ beta2: Float,
                       _ epsilon: Float, _ weightDecay: Float) {
    require(learningRate > 0, "\(name): learningRate must be positive, got \(learningRate)")
    require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1,
            "\(name): beta1 and beta2 must be in [0, 1), got \(beta1) and \(beta2)")
    require(epsilon >= 0, "\(name): epsilon must be non-negative, got \(epsilon)")
    require(weightDecay >= 0, "\(name): weightDecay must be non-negative, got \(weightDecay)")
}

/// Adam's running moments and step count for every parameter, created at its first gradient.
struct AdamMoments {
    var m: [Tensor?], v: [Tensor?]
    var steps: [Int]

    init(count: Int) {
        m = Array(repeating: nil, count: count)
        v = Array(repeating: nil, count: count)
        steps = Array(repeating: 0, count: count)
    }

    /// The moments saved by ``stateDict``; a parameter needs all three of its tensors or none.
    init(_ state: [String: Tensor], parameters: [Variable]) throws {
        let fields = try readOptimizerState(state, fields: ["exp_avg", "exp_avg_sq", "step"], parameters: parameters)
        let means = fields["exp_avg"]!, squares = fields["exp_avg_sq"]!, counts = fields["step"]!
        let incomplete = parameters.indices.filter { i in
            Set([means[i] == nil, squares[i] == nil, counts[i] == nil]).count > 1 || (counts[i].map { $0.scalar < 1 } ?? false)
        }
        if !incomplete.isEmpty {
            throw StateDictError(missing: incomplete.map { "\($0).exp_avg, \($0).exp_avg_sq and \($0).step (all three, with step ≥ 1)" },
                                 unexpected: [], mismatched: [])
        }
        m = means
        v = squares
        steps = counts.map { $0.map { Int($0.scalar) } ?? 0 }
    }

    var stateDict: [String: Tensor] {
        optimizerState([("exp_avg", m), ("exp_avg_sq", v), ("step", steps.map { $0 > 0 ? Tensor(Float($0)) : nil })])
    }

    mutating func step(_ parameters: [Variable], learningRate: Float, beta1: Float, beta2: Float, epsilon: Float,
                       l2: Float, decoupled: Float, name: String) {
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            require(g.shape == p.shape, "\(name): the gradient of parameter \(i) has shape \(g.shape), the parameter \(p.shape)")
            if m[i] == nil {
                m[i] = Tensor.zeros(p.shape)
                v[i] = Tensor.zeros(p.shape)
            }
            steps[i] += 1
            if decoupled != 0 {
                let shrink = 1 - learningRate * decoupled
                p.value.scalars.withUnsafeMutableBufferPointer { theta in
                    for j in 0..<theta.count { theta[j] *= shrink }
                }
            }
            // The corrections in Double, as PyTorch computes them. θ − η·m̂/(√v̂ + ε) is
            // θ − (η/c₁)·m / (√v·(1/√c₂) + ε), with cᵢ = 1 − βᵢᵗ, so the loop needs no division by
            // the corrections.
            let t = Double(steps[i])
            let correction1 = 1 - Foundation.pow(Double(beta1), t), correction2 = 1 - Foundation.pow(Double(beta2), t)
            let stepSize = Float(Double(learningRate) / correction1), rootScale = Float(1 / correction2.squareRoot())
            p.value.scalars.withUnsafeMutableBufferPointer { theta in
                g.scalars.withUnsafeBufferPointer { grad in
                    m[i]!.scalars.withUnsafeMutableBufferPointer { m in
                        v[i]!.scalars.withUnsafeMutableBufferPointer { v in
                            AdamMoments.update(theta, grad, m, v, beta1, beta2, epsilon, l2, stepSize, rootScale)
                        }
                    }
                }
            }
        }
    }

    /// The update of one parameter, eight elements at a time, then the rest.
    @inline(__always)
    static func update(_ theta: UnsafeMutableBufferPointer<Float>, _ grad: UnsafeBufferPointer<Float>,
                       _ m: UnsafeMutableBufferPointer<Float>, _ v: UnsafeMutableBufferPointer<Float>,
                       _ b1: Float, _ b2: Float, _ eps: Float, _ l2: Float, _ stepSize: Float, _ rootScale: Float) {
        typealias V8 = SIMD8<Float>
        let count = theta.count
        guard count > 0 else { return }
        let pt = UnsafeMutableRawPointer(theta.baseAddress!), pg = UnsafeRawPointer(grad.baseAddress!)
        let pm = UnsafeMutableRawPointer(m.baseAddress!), pv = UnsafeMutableRawPointer(v.baseAddress!)
        var j = 0
        while j &+ 8 <= count {
            let offset = j &* 4
            let tj = pt.loadUnaligned(fromByteOffset: offset, as: V8.self)
            var gj = pg.loadUnaligned(fromByteOffset: offset, as: V8.self)
            if l2 != 0 { gj = gj + l2 * tj }
            let mj = b1 * pm.loadUnaligned(fromByteOffset: offset, as: V8.self) + (1 - b1) * gj
            let vj = b2 * pv.loadUnaligned(fromByteOffset: offset, as: V8.self) + (1 - b2) * gj * gj
            pm.storeBytes(of: mj, toByteOffset: offset, as: V8.self)
            pv.storeBytes(of: vj, toByteOffset: offset, as: V8.self)
            pt.storeBytes(of: tj - stepSize * mj / (vj.squareRoot() * rootScale + eps), toByteOffset: offset, as: V8.self)
            j &+= 8
        }
        while j < count {
            let gj = l2 != 0 ? grad[j] + l2 * theta[j] : grad[j]
            m[j] = b1 * m[j] + (1 - b1) * gj
            v[j] = b2 * v[j] + (1 - b2) * gj * gj
            theta[j] -= stepSize * m[j] / (v[j].squareRoot() * rootScale + eps)
            j &+= 1
        }
    }
}
