/// A tensor in a computation graph: chapter 1's `Value`, lifted from numbers to arrays.
///
/// Each operation on variables builds a new node holding its output tensor, its inputs and a
/// *backward rule*: a closure that, given ∂L/∂output (a tensor of the output's shape), adds
/// ∂L/∂input into each input's `grad`. For C = A·B the rule is
///
///     ∂L/∂A += ∂L/∂C · Bᵀ,    ∂L/∂B += Aᵀ · ∂L/∂C
///
/// ``backward()`` sorts the graph so every node comes after its inputs, seeds ∂L/∂L = 1 and runs
/// the rules from the output back to the leaves. As in chapter 1, gradients accumulate with +=,
/// so a variable used twice (a weight matrix at every time step of an RNN) receives the sum.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let W = Variable(Tensor.randomNormal([3, 2], rng: &rng))          // a parameter
/// let x = Variable.constant(Tensor([[1, 2, 3]]))                     // data: no gradient
/// let loss = x.matmul(W).tanh().sum()
/// loss.backward()
/// W.grad                                                             // ∂loss/∂W, shape [3, 2]
/// ```
///
/// Only variables that need a gradient record a graph: an operation whose inputs are all
/// constants returns a constant, so data and masks cost nothing in the backward pass.
///
/// As in chapter 1's `Value`, the hot stored properties skip Swift's run-time exclusivity checks
/// (`@exclusivity(unchecked)`); the engine never makes overlapping accesses to them.

import ScalarAutodiff

public final class Variable {
    /// The tensor computed in the forward pass. Optimizers change it in place.
    @exclusivity(unchecked) public var value: Tensor
    /// ∂L/∂value after ``backward(seed:)``, with the same shape as `value`; `nil` until a gradient
    /// arrives (read ``gradient`` for zeros instead of `nil`).
    @exclusivity(unchecked) public var grad: Tensor?
    /// Whether gradients flow to this variable: true for parameters and for every result of an
    /// operation on at least one such variable.
    public let requiresGrad: Bool
    /// The operation that made this node ("matmul", "+", …), or "" for a leaf.
    public let op: String
    /// The inputs of this node that need gradients.
    @exclusivity(unchecked) public private(set) var inputs: [Variable]
    /// Adds ∂L/∂input to each input's `grad`, given ∂L/∂(this node).
    @exclusivity(unchecked) var backwardRule: ((Tensor) -> Void)?

    /// Marks nodes during a topological sort; always false between sorts.
    @exclusivity(unchecked) var isVisited = false

    /// A leaf. Parameters need gradients (the default); use ``constant(_:)`` for data.
    public init(_ value: Tensor, requiresGrad: Bool = true) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.op = ""
        self.inputs = []
    }

    /// A leaf that never receives a gradient: inputs, targets, masks.
    public static func constant(_ value: Tensor) -> Variable {
        Variable(value, requiresGrad: false)
    }

    /// An operation node. If no input needs a gradient the node is a constant and the rule is
    /// dropped, so no graph is kept.
    public init(_ value: Tensor, op: String, inputs: [Variable], backward: @escaping (Tensor) -> Void) {
        self.value = value
        self.op = op
        let needed = inputs.filter(\.requiresGrad)
        self.requiresGrad = !needed.isEmpty
        self.inputs = needed
        self.backwardRule = needed.isEmpty ? nil : backward
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// `grad`, or zeros of the value's shape if no gradient has arrived.
    public var gradient: Tensor { grad ?? Tensor.zeros(value.shape) }

    /// Adds `g` to `grad`: the += of the chain rule. Does nothing for constants.
    public func accumulate(_ g: Tensor) {
        guard requiresGrad else { return }
        require(g.shape == value.shape,
                     "backward (\(op.isEmpty ? "leaf" : op)): gradient of shape \(g.shape) for a value of shape \(value.shape)")
        if grad == nil { grad = g } else { grad! += g }
    }

    // As in chapter 1, releasing a long chain (an RNN unrolled over many steps) one deinit inside
    // another could overflow the stack. Detach the inputs we hold the last reference to and
    // release them from an explicit list.
    deinit {
        var pending = inputs
        inputs = []
        backwardRule = nil
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.inputs)
                node.inputs = []
                node.backwardRule = nil
            }
        }
    }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        "Variable(\(op.isEmpty ? "leaf" : op), \(value)\(grad.map { ", grad: \($0)" } ?? ""))"
    }
}
