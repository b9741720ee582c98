/// The nonlinearity a neuron applies to its weighted sum.
public enum Activation: Sendable {
    case tanh, relu, linear

    func callAsFunction(_ x: Value) -> Value {
        switch self {
        case .tanh: x.tanh()
        case .relu: x.relu()
        case .linear: x
        }
    }
}

/// One neuron: `o = φ(Σᵢ wᵢ·xᵢ + b)`.
public struct Neuron {
    public var weights: [Value]
    public var bias: Value
    public let activation: Activation

    /// A neuron with `inputs` weights drawn uniformly from [−1, 1) and a zero bias.
    public init(inputs: Int, activation: Activation = .tanh, rng: inout SeededRandom) {
        weights = (0..<inputs).map { _ in Value(rng.uniform(-1, 1)) }
        bias = Value(0)
        self.activation = activation
    }

    public func callAsFunction(_ x: [Value]) -> Value {
        require(x.count == weights.count, "Neuron expects \(weights.count) inputs, got \(x.count)")
        var total = bias
        for (w, xi) in zip(weights, x) { total = total + w * xi }
        return activation(total)
    }

    public var parameters: [Value] { weights + [bias] }
}

/// A layer: several neurons that read the same inputs.
public struct Layer {
    public var neurons: [Neuron]

    public init(inputs: Int, outputs: Int, activation: Activation = .tanh, rng: inout SeededRandom) {
        neurons = (0..<outputs).map { _ in Neuron(inputs: inputs, activation: activation, rng: &rng) }
    }

    public func callAsFunction(_ x: [Value]) -> [Value] {
        neurons.map { $0(x) }
    }

    public var parameters: [Value] { neurons.flatMap(\.parameters) }
}

/// A multilayer perceptron: layers applied one after another. Hidden layers use `activation`;
/// the last layer is linear, so the output can take any value.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let mlp = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)   // 337 parameters
/// let score = mlp([Value(0.5), Value(-1)])[0]
/// ```
public struct MLP {
    public var layers: [Layer]

    public init(inputs: Int, layerSizes: [Int], activation: Activation = .tanh, rng: inout SeededRandom) {
        require(!layerSizes.isEmpty, "MLP needs at least one layer size")
        let sizes = [inputs] + layerSizes
        layers = (0..<layerSizes.count).map { i in
            let isLast = i == layerSizes.count - 1
            return Layer(inputs: sizes[i], outputs: sizes[i + 1], activation: isLast ? .linear : activation, rng: &rng)
        }
    }

    public func callAsFunction(_ x: [Value]) -> [Value] {
        layers.reduce(x) { input, layer in layer(input) }
    }

    public var parameters: [Value] { layers.flatMap(\.parameters) }

    /// Sets every parameter's gradient to 0, ready for the next backward pass.
    public func zeroGradients() {
        for p in parameters { p.grad = 0 }
    }

    /// One step of plain gradient descent: `θ ← θ − lr · ∂L/∂θ` for every parameter.
    public func gradientDescentStep(learningRate: Double) {
        for p in parameters { p.data -= learningRate * p.grad }
    }
}
