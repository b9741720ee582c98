/// The backward pass: reverse-mode automatic differentiation over a graph of ``Value``s.
extension Value {
    /// Every node this value depends on, each once, inputs before the nodes that use them.
    ///
    /// A depth-first search with an explicit stack (no recursion, so a graph 100,000 nodes deep
    /// is fine). A node is appended only after all of its inputs, which is the order the
    /// backward pass walks in reverse.
    ///
    /// - Complexity: O(n) for n nodes.
    public func topologicalOrder() -> [Value] {
        var order: [Value] = []
        // Each entry is a node and whether its inputs have been pushed already.
        var stack: [(node: Value, inputsDone: Bool)] = [(self, false)]
        while let (node, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(node)
                continue
            }
            if node.isVisited { continue }
            node.isVisited = true
            stack.append((node, true))
            if let rhs = node.rhs, !rhs.isVisited { stack.append((rhs, false)) }
            if let lhs = node.lhs, !lhs.isVisited { stack.append((lhs, false)) }
        }
        for node in order { node.isVisited = false }
        return order
    }

    /// Fills in `grad` for this value and every node it depends on: ∂self/∂node.
    ///
    /// Seeds `self.grad = 1` (∂L/∂L), then visits nodes from the output back to the leaves,
    /// pushing each node's gradient to its inputs by the chain rule:
    ///
    ///     input.grad += (∂node/∂input) · node.grad
    ///
    /// Gradients *accumulate*: call ``zeroGradients()`` before a second backward pass over the
    /// same graph, or the old gradients are added to the new.
    public func backward() {
        let order = topologicalOrder()
        grad = 1
        for node in order.reversed() {
            if let lhs = node.lhs { lhs.grad += node.lhsDerivative * node.grad }
            if let rhs = node.rhs { rhs.grad += node.rhsDerivative * node.grad }
        }
    }

    /// Sets `grad = 0` on this value and every node it depends on.
    public func zeroGradients() {
        for node in topologicalOrder() { node.grad = 0 }
    }
}
