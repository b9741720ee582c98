/// A scalar in a computation graph: a number that remembers how it was made.
///
/// Every arithmetic operation on values builds a new node that records its inputs (at most two)
/// and the *local derivative* of the output with respect to each input, evaluated at the forward
/// values. For `d = a * b` the node remembers `∂d/∂a = b` and `∂d/∂b = a`. The backward pass
/// (``backward()``) then applies the chain rule, node by node, from the output to the leaves:
///
///     input.grad += (∂node/∂input) · node.grad
///
/// The `+=` is what makes a value used twice receive the sum of both contributions.
///
/// ```swift
/// let a = Value(2), b = Value(-3), c = Value(10), f = Value(-2)
/// let L = (a * b + c) * f     // L.data == -8
/// L.backward()                // a.grad == 6, b.grad == -4
/// ```
///
/// `Value` is a class because a graph shares nodes: `a` above is the same object inside `L`.
///
/// The stored properties the forward and backward passes touch millions of times are marked
/// `@exclusivity(unchecked)`: Swift would otherwise check at run time, on every access, that no
/// two accesses to a class's property overlap, which made the backward pass about twice as slow.
/// The engine never holds two overlapping accesses to them (the compiler still checks what it can
/// see statically).
public final class Value {
    /// The number computed in the forward pass.
    @exclusivity(unchecked) public var data: Double
    /// ∂(output)/∂(this value), filled in by ``backward()``. Starts at 0.
    @exclusivity(unchecked) public var grad: Double = 0
    /// A label for printing graphs ("a", "w1", ...). Optional.
    public var label: String

    /// The operation that made this node ("+", "*", "tanh", ...), or "" for a leaf.
    public let op: String
    /// The first input and the local derivative ∂self/∂lhs.
    @exclusivity(unchecked) public private(set) var lhs: Value?
    public let lhsDerivative: Double
    /// The second input (binary operations only) and ∂self/∂rhs.
    @exclusivity(unchecked) public private(set) var rhs: Value?
    public let rhsDerivative: Double

    /// Marks nodes during a topological sort; always false between sorts.
    @exclusivity(unchecked) var isVisited = false

    /// A leaf: a number with no inputs (an input to the model, or a parameter).
    public init(_ data: Double, label: String = "") {
        self.data = data
        self.label = label
        self.op = ""
        self.lhs = nil
        self.lhsDerivative = 0
        self.rhs = nil
        self.rhsDerivative = 0
    }

    /// An operation node with one input: `data = g(input)`, `derivative = g'(input)`.
    public init(_ data: Double, op: String, input: Value, derivative: Double) {
        self.data = data
        self.label = ""
        self.op = op
        self.lhs = input
        self.lhsDerivative = derivative
        self.rhs = nil
        self.rhsDerivative = 0
    }

    /// An operation node with two inputs and the partial derivative with respect to each.
    public init(_ data: Double, op: String, lhs: Value, _ lhsDerivative: Double, rhs: Value, _ rhsDerivative: Double) {
        self.data = data
        self.label = ""
        self.op = op
        self.lhs = lhs
        self.lhsDerivative = lhsDerivative
        self.rhs = rhs
        self.rhsDerivative = rhsDerivative
    }

    /// The inputs of this node, in order.
    public var inputs: [Value] {
        [lhs, rhs].compactMap { $0 }
    }

    // Releasing a long chain of nodes one `deinit` inside another would overflow the stack for
    // deep graphs (100,000 nodes). Instead, detach the inputs we hold the last reference to and
    // release them from an explicit list, so the depth of recursion stays at one.
    deinit {
        var pending: [Value] = []
        if let node = lhs { pending.append(node); lhs = nil }
        if let node = rhs { pending.append(node); rhs = nil }
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                if let next = node.lhs { pending.append(next); node.lhs = nil }
                if let next = node.rhs { pending.append(next); node.rhs = nil }
            }
        }
    }
}

extension Value: CustomStringConvertible {
    public var description: String {
        let name = label.isEmpty ? "" : "\(label) = "
        return "Value(\(name)\(data), grad: \(grad))"
    }
}
