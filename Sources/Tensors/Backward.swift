/// The backward pass over a graph of ``Variable``s.

import ScalarAutodiff

extension Variable {
    /// Every node this variable depends on that needs a gradient, each once, inputs first.
    ///
    /// Depth-first search with an explicit stack, as in chapter 1, so graphs unrolled over
    /// thousands of time steps are fine.
    ///
    /// - Complexity: O(n) for n nodes.
    public func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var stack: [(node: Variable, inputsDone: Bool)] = [(self, false)]
        while let (node, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(node)
                continue
            }
            if node.isVisited { continue }
            node.isVisited = true
            stack.append((node, true))
            for input in node.inputs.reversed() where !input.isVisited {
                stack.append((input, false))
            }
        }
        for node in order { node.isVisited = false }
        return order
    }

    /// Fills in `grad` for every variable this one depends on: ∂self/∂node.
    ///
    /// `self` must be a scalar (a loss) unless `seed` gives ∂L/∂self. Gradients accumulate: call
    /// ``zeroGradients()`` (or an optimizer's `zeroGradients()`) before the next step.
    public func backward(seed: Tensor? = nil) {
        let start = seed ?? {
            require(value.count == 1,
                         "backward: called on a value of shape \(value.shape); pass seed: ∂L/∂value, or reduce it to a scalar loss first")
            return Tensor(repeating: 1, shape: value.shape)
        }()
        guard requiresGrad else { return }
        let order = topologicalOrder()
        accumulate(start)
        for node in order.reversed() {
            guard let rule = node.backwardRule, let g = node.grad else { continue }
            rule(g)
        }
    }

    /// Sets `grad = nil` on this variable and every node it depends on.
    public func zeroGradients() {
        for node in topologicalOrder() { node.grad = nil }
    }
}
