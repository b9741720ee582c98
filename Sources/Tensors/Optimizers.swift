import Foundation
import ScalarAutodiff

/// Something that turns gradients into a step: SGD, Adam, AdamW.
///
/// Every optimizer updates a fixed list of parameters, has a learning rate that a schedule may
/// change between steps (see ``LearningRateSchedule``), and keeps its state *per parameter*, as
/// PyTorch does: a parameter with no gradient at a step (`grad == nil`) is skipped entirely, its
/// momentum is not decayed and its step count does not advance. A frozen layer, or one that first
/// takes part at step 5, is therefore trained exactly as if it had joined at step 1.
///
/// ```swift
/// var optimizer: any Optimizer = useAdam ? Adam(model.parameters) : SGD(model.parameters, learningRate: 0.1)
/// optimizer.zeroGradients(); loss.backward(); optimizer.step()
/// ```
public protocol Optimizer {
    /// The variables it updates, in a fixed order.
    var parameters: [Variable] { get }
    /// η, the size of a step.
    var learningRate: Float { get set }
    /// One update of every parameter that has a gradient.
    mutating func step()
    /// The per-parameter state, by PyTorch's names under the parameter's position in
    /// `parameters`: `0.momentum_buffer` for SGD, `3.exp_avg`, `3.exp_avg_sq` and `3.step` for
    /// Adam. A parameter that has had no gradient yet has no state. Save it beside the model's
    /// `stateDict` (for example in one safetensors file) to resume training where it stopped.
    var stateDict: [String: Tensor] { get }
    /// Restores the state saved by ``stateDict`` for the same list of parameters. Throws
    /// ``StateDictError``, changing nothing, if a name or a shape does not fit.
    mutating func loadStateDict(_ state: [String: Tensor]) throws
}

extension Optimizer {
    /// Clears every parameter's gradient before the next backward pass.
    public func zeroGradients() { for p in parameters { p.grad = nil } }
}

/// Per-parameter tensors (velocities, moments) by name: `"\(i).\(name)"` for each parameter i
/// that has one.
func optimizerState(_ fields: [(String, [Tensor?])]) -> [String: Tensor] {
    var state: [String: Tensor] = [:]
    for (name, tensors) in fields {
        for (i, tensor) in tensors.enumerated() { if let tensor { state["\(i).\(name)"] = tensor } }
    }
    return state
}

/// Reads per-parameter tensors saved by ``optimizerState(_:)``: for each field, the tensor of
/// every parameter that has one, checked against the parameter's shape (`step`, a count, is a
/// scalar). Every name in `state` must belong to one of the fields.
func readOptimizerState(_ state: [String: Tensor], fields: [String], parameters: [Variable]) throws -> [String: [Tensor?]] {
    var result = Dictionary(uniqueKeysWithValues: fields.map { ($0, [Tensor?](repeating: nil, count: parameters.count)) })
    var unexpected: [String] = [], mismatched: [String] = []
    for (key, tensor) in state {
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let i = Int(parts[0]), parameters.indices.contains(i), fields.contains(parts[1]) else {
            unexpected.append(key)
            continue
        }
        let shape = parts[1] == "step" ? [] : parameters[i].shape
        if tensor.shape != shape {
            mismatched.append("\(key) is \(tensor.shape) in the state but \(shape) in the optimizer")
        } else {
            result[parts[1]]![i] = tensor
        }
    }
    if !unexpected.isEmpty || !mismatched.isEmpty {
        throw StateDictError(missing: [], unexpected: unexpected.sorted(), mismatched: mismatched.sorted())
    }
    return result
}

/// Stochastic gradient descent, with optional momentum and weight decay (PyTorch's `torch.optim.SGD`).
///
/// Plain SGD steps against the gradient: θ ← θ − η·g. With momentum μ it keeps a running
/// velocity, so steps in a consistent direction build up speed and zig-zags cancel out:
///
///     g ← g + λ·θ                      (weight decay λ, an L2 penalty λ/2·‖θ‖²)
///     v ← μ·v + g,    θ ← θ − η·v       (v = g at a parameter's first step)
///     Nesterov:       θ ← θ − η·(g + μ·v)
///
/// ```swift
/// var optimizer = SGD(model.parameters, learningRate: 0.1, momentum: 0.9)
/// optimizer.zeroGradients(); loss.backward(); optimizer.step()
/// ```
public struct SGD: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public let nesterov: Bool
    /// Each parameter's velocity, nil until its first gradient.
    var velocities: [Tensor?]

    public init(_ parameters: [Variable], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0,
                nesterov: Bool = false) {
        require(learningRate > 0, "SGD: learningRate must be positive, got \(learningRate)")
        require(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1), got \(momentum)")
        require(weightDecay >= 0, "SGD: weightDecay must be non-negative, got \(weightDecay)")
        require(!nesterov || momentum > 0, "SGD: Nesterov momentum needs a momentum above 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        velocities = Array(repeating: nil, count: parameters.count)
    }

    /// One update of every parameter that has a gradient.
    public mutating func step() {
        let lr = learningRate, mu = momentum, decay = weightDecay, nesterov = nesterov
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            require(g.shape == p.shape, "SGD: the gradient of parameter \(i) has shape \(g.shape), the parameter \(p.shape)")
            if mu == 0 {
                p.value.scalars.withUnsafeMutableBufferPointer { theta in
                    g.scalars.withUnsafeBufferPointer { grad in
                        for j in 0..<theta.count { theta[j] -= lr * (grad[j] + decay * theta[j]) }
                    }
                }
                continue
            }
            let first = velocities[i] == nil
            if first { velocities[i] = Tensor.zeros(p.shape) }
            p.value.scalars.withUnsafeMutableBufferPointer { theta in
                g.scalars.withUnsafeBufferPointer { grad in
                    velocities[i]!.scalars.withUnsafeMutableBufferPointer { v in
                        for j in 0..<theta.count {
                            let gj = grad[j] + decay * theta[j]
                            v[j] = first ? gj : mu * v[j] + gj
                            theta[j] -= lr * (nesterov ? gj + mu * v[j] : v[j])
                        }
                    }
                }
            }
        }
    }

    /// Each parameter's velocity, as `i.momentum_buffer`.
    public var stateDict: [String: Tensor] { optimizerState([("momentum_buffer", velocities)]) }

    public mutating func loadStateDict(_ state: [String: Tensor]) throws {
        velocities = try readOptimizerState(state, fields: ["momentum_buffer"], parameters: parameters)["momentum_buffer"]!
    }
}
