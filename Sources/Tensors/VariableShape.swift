// Shape operations on variables. Their backward rules move the gradient back to where each number
// came from: reshape reshapes it back, a permutation applies the inverse permutation, a slice puts
// it into a zero tensor of the input's shape, a gather adds each row's gradient into its table row.

import ScalarAutodiff


extension Variable {
    /// The same numbers with a new shape (one dimension may be −1).
    public func reshaped(_ newShape: [Int]) -> Variable {
        Variable(value.reshaped(newShape), op: "reshape", inputs: [self]) { g in
            self.accumulate(g.reshaped(self.shape))
        }
    }

    /// The last two axes swapped.
    public func transposed() -> Variable {
        Variable(value.transposed(), op: "transpose", inputs: [self]) { g in self.accumulate(g.transposed()) }
    }

    /// The axes reordered: axis i of the result is axis `order[i]` of this variable.
    public func permuted(_ order: [Int]) -> Variable {
        var inverse = Array(repeating: 0, count: order.count)
        for (i, axis) in order.enumerated() where axis >= 0 && axis < order.count { inverse[axis] = i }
        return Variable(value.permuted(order), op: "permute", inputs: [self]) { g in
            self.accumulate(g.permuted(inverse))
        }
    }

    /// Variables joined along `axis`; each receives its own slice of the gradient.
    public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
        let out = Tensor.concatenate(parts.map(\.value), axis: axis)
        let a = axis < 0 ? axis + out.rank : axis
        return Variable(out, op: "concatenate", inputs: parts) { g in
            var start = 0
            for part in parts {
                let size = part.shape[a]
                if part.requiresGrad { part.accumulate(g.slice(axis: a, start..<(start + size))) }
                start += size
            }
        }
    }

    /// Variables of equal shape stacked along a new axis: n parts of shape [a, b] stacked at
    /// axis 1 give [a, n, b]. An RNN stacks its hidden states over time this way.
    public static func stack(_ parts: [Variable], axis: Int) -> Variable {
        require(!parts.isEmpty, "stack: no variables given")
        let shape = parts[0].shape
        require(parts.allSatisfy { $0.shape == shape }, "stack: shapes differ: \(parts.map(\.shape))")
        let a = axis < 0 ? axis + shape.count + 1 : axis
        require(a >= 0 && a <= shape.count, "stack: axis \(axis) is out of range for parts of shape \(shape)")
        var expanded = shape
        expanded.insert(1, at: a)
        return concatenate(parts.map { $0.reshaped(expanded) }, axis: a)
    }

    /// The same value as a constant: gradients stop here.
    public func detached() -> Variable { .constant(value) }

    /// The part of this variable with `axis` restricted to `range`.
    public func slice(axis: Int, _ range: Range<Int>) -> Variable {
        let a = value.normalise(axis: axis, op: "slice")
        return Variable(value.slice(axis: a, range), op: "slice", inputs: [self]) { g in
            // The gradient goes straight into the slice's place in `grad`, without building a
            // mostly-zero tensor of the input's shape and adding it (a GRU slices its gates six
            // times per step).
            let (outer, length, inner) = self.value.axisView(a)
            let width = range.count * inner
            let first = self.grad == nil
            if first { self.grad = Tensor.zeros(self.shape) }
            self.grad!.scalars.withUnsafeMutableBufferPointer { pd in
                g.scalars.withUnsafeBufferPointer { pg in
                    for o in 0..<outer {
                        let to = (o * length + range.lowerBound) * inner, from = o * width
                        if first {
                            for j in 0..<width { pd[to &+ j] = pg[from &+ j] }
                        } else {
                            for j in 0..<width { pd[to &+ j] += pg[from &+ j] }
                        }
                    }
                }
            }
        }
    }

    /// Rows of a table picked by index: an embedding lookup. Row `indices[i]` of the table
    /// receives the gradient of output row i; a row picked twice receives both.
    public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Variable {
        Variable(value.gatherRows(indices, indexShape: indexShape), op: "gather", inputs: [self]) { g in
            let d = self.shape[1]
            var dTable = Tensor.zeros(self.shape)
            for (i, row) in indices.enumerated() {
                for j in 0..<d { dTable.scalars[row * d + j] += g.scalars[i * d + j] }
            }
            self.accumulate(dTable)
        }
    }

    /// `value` wherever `mask` is nonzero. The filled positions are constants, so their gradient
    /// is 0; elsewhere the gradient passes through.
    public func maskedFill(_ mask: Tensor, with fill: Float) -> Variable {
        Variable(value.maskedFill(mask, with: fill), op: "maskedFill", inputs: [self]) { g in
            self.accumulate(g.maskedFill(mask, with: 0))
        }
    }
}
