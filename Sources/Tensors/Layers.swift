import ScalarAutodiff

/// Something that maps a variable to a variable and owns some parameters.
///
/// Layers are small value types called like functions. Their parameters are ``Variable``s
/// (classes), so a copy of a layer shares its weights with the original, and an optimizer that
/// holds `layer.parameters` updates the layer in place.
public protocol Layer {
    func callAsFunction(_ x: Variable) -> Variable
    /// Every trainable variable, in a fixed order.
    var parameters: [Variable] { get }
    /// Every trainable variable by name, named as PyTorch's `state_dict` names them: `weight`,
    /// `0.bias`, `encoder.0.weight` (see NamedParameters.swift). A layer that does not say
    /// gets positional names `0`, `1`, … in `parameters` order.
    var namedParameters: [String: Variable] { get }
}

extension Layer {
    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// A fully connected layer: y = x·W + b.
///
/// W has shape [inputs, outputs] and b has shape [outputs]; x has shape […, inputs] and the bias
/// broadcasts over every leading axis. Linear(784, 128) has 784·128 + 128 = 100,480 parameters.
///
/// ```swift
/// var rng = SeededRandom(seed: 0)
/// let layer = Linear(784, 128, rng: &rng)
/// let y = layer(x)          // x: [batch, 784] → y: [batch, 128]
/// ```
public struct Linear: Layer {
    public let weight: Variable
    public let bias: Variable

    /// Weights from `initialisation` (Xavier/Glorot uniform by default; use `.heNormal` before
    /// a ReLU), bias zero.
    public init(_ inputs: Int, _ outputs: Int, initialisation: Initialisation = .xavierUniform,
                rng: inout SeededRandom) {
        weight = Variable(initialisation.sample([inputs, outputs], fanIn: inputs, fanOut: outputs, rng: &rng))
        bias = Variable(Tensor.zeros([outputs]))
    }

    /// A layer with given weights, in the book's layout: `weight` [inputs, outputs], `bias` [outputs].
    public init(weight: Tensor, bias: Tensor) {
        require(weight.rank == 2, "Linear(weight:bias:): the weight must be a matrix [inputs, outputs], got shape \(weight.shape)")
        require(bias.shape == [weight.shape[1]],
                "Linear(weight:bias:): a weight of shape \(weight.shape) needs a bias of shape [\(weight.shape[1])], got \(bias.shape)")
        self.weight = Variable(weight)
        self.bias = Variable(bias)
    }

    /// A layer with weights in PyTorch's layout: `torch.nn.Linear.weight` is [outputs, inputs],
    /// the transpose of the book's, since PyTorch computes y = x·Wᵀ + b.
    public init(pytorchWeight: Tensor, bias: Tensor) {
        require(pytorchWeight.rank == 2,
                "Linear(pytorchWeight:bias:): the weight must be a matrix [outputs, inputs], got shape \(pytorchWeight.shape)")
        self.init(weight: pytorchWeight.transposed(), bias: bias)
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        require(x.shape.last == weight.shape[0],
                     "Linear: input shape \(x.shape) does not end in \(weight.shape[0]) (weight shape \(weight.shape))")
        return x.matmul(weight) + bias
    }

    public var parameters: [Variable] { [weight, bias] }

    /// `weight` and `bias`, as in PyTorch. The weight is stored [inputs, outputs].
    public var namedParameters: [String: Variable] { ["weight": weight, "bias": bias] }
}

/// A lookup table of learned vectors, one row per token: ids → rows of a [vocabulary, d] table.
///
/// Looking up row i is the same as multiplying the one-hot vector of i by the table, without
/// building the one-hot vector. Rows start as N(0, 1) samples.
public struct Embedding {
    public let table: Variable

    public init(vocabularySize: Int, dimension: Int, rng: inout SeededRandom) {
        table = Variable(Tensor.randomNormal([vocabularySize, dimension], rng: &rng))
    }

    /// An embedding with a given [vocabulary, d] table (the same layout as `torch.nn.Embedding.weight`).
    public init(table: Tensor) {
        require(table.rank == 2, "Embedding(table:): the table must be a matrix [vocabulary, dimension], got shape \(table.shape)")
        self.table = Variable(table)
    }

    /// The vectors of `ids`, with shape `shape + [d]` (default `[ids.count, d]`).
    public func callAsFunction(_ ids: [Int], shape: [Int]? = nil) -> Variable {
        table.gatherRows(ids, indexShape: shape)
    }

    public var parameters: [Variable] { [table] }

    /// The table, named `weight` as in PyTorch.
    public var namedParameters: [String: Variable] { ["weight": table] }
}

/// ReLU as a layer: max(0, x).
public struct ReLU: Layer {
    public init() {}
    public func callAsFunction(_ x: Variable) -> Variable { x.relu() }
    public var parameters: [Variable] { [] }
}

/// tanh as a layer.
public struct Tanh: Layer {
    public init() {}
    public func callAsFunction(_ x: Variable) -> Variable { x.tanh() }
    public var parameters: [Variable] { [] }
}

/// The logistic sigmoid as a layer.
public struct Sigmoid: Layer {
    public init() {}
    public func callAsFunction(_ x: Variable) -> Variable { x.sigmoid() }
    public var parameters: [Variable] { [] }
}

/// Layers applied in order: Sequential([a, b, c])(x) = c(b(a(x))).
///
/// ```swift
/// let encoder = Sequential([Linear(784, 128, rng: &rng), ReLU(), Linear(128, 32, rng: &rng)])
/// ```
public struct Sequential: Layer {
    public var layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    public func callAsFunction(_ x: Variable) -> Variable {
        layers.reduce(x) { input, layer in layer(input) }
    }

    public var parameters: [Variable] { layers.flatMap(\.parameters) }

    /// Each layer's names under its position, as in PyTorch: `0.weight`, `0.bias`, `2.weight`, …
    public var namedParameters: [String: Variable] {
        namespaced(layers.enumerated().map { ("\($0.offset)", $0.element.namedParameters) })
    }
}
