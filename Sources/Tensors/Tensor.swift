import ScalarAutodiff

/// An n-dimensional array of `Float`s: a flat list of numbers and a shape that says how to read it.
///
/// The numbers are stored contiguously in row-major order: the last index moves fastest. For a
/// tensor of shape [d₀, d₁, …, dₙ₋₁] the element at index (i₀, i₁, …, iₙ₋₁) lives at offset
///
///     offset = Σₖ iₖ · strideₖ,   strideₖ = dₖ₊₁ · dₖ₊₂ ⋯ dₙ₋₁
///
/// so a [2, 3] matrix keeps its rows one after the other: [a₀₀ a₀₁ a₀₂ a₁₀ a₁₁ a₁₂].
///
/// `Tensor` is a value type. Its storage is a Swift array, which is copy-on-write: copying a
/// tensor is free, and the numbers are copied only when one of the copies is changed.
///
/// ```swift
/// let x = Tensor([[1, 2, 3], [4, 5, 6]])     // shape [2, 3]
/// let y = x + Tensor([10, 20, 30])           // broadcasting: [[11, 22, 33], [14, 25, 36]]
/// let s = y.sum(axis: 1)                     // [66, 75]
/// ```
///
/// A tensor is only numbers. To differentiate through operations on tensors, wrap them in a
/// ``Variable``.
public struct Tensor: Equatable, Sendable {
    /// The size of each dimension. A scalar has shape [].
    public private(set) var shape: [Int]
    /// The elements in row-major order. You may change elements in place, but not their number:
    /// `scalars.count == shape.reduce(1, *)` always.
    public var scalars: [Float]

    /// A tensor with the given shape and elements in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor: shape \(shape) has a negative dimension")
        require(shape.reduce(1, *) == scalars.count,
                     "Tensor: shape \(shape) holds \(shape.reduce(1, *)) elements, but \(scalars.count) were given")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// A scalar (rank-0) tensor.
    public init(_ value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// A vector (rank 1).
    public init(_ vector: [Float]) {
        self.init(shape: [vector.count], scalars: vector)
    }

    /// A matrix (rank 2) from its rows, which must all have the same length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        require(rows.allSatisfy { $0.count == columns }, "Tensor: matrix rows have different lengths")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// Zeros of the given shape.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// Ones of the given shape.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// Samples from N(mean, standardDeviation²), drawn in row-major order from `rng`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    rng: inout SeededRandom) -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in mean + standardDeviation * Float(rng.normal()) }
        return Tensor(shape: shape, scalars: values)
    }

    /// Samples from the uniform distribution on [low, high), drawn in row-major order from `rng`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     rng: inout SeededRandom) -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in low + (high - low) * rng.uniformFloat() }
        return Tensor(shape: shape, scalars: values)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The value of a tensor with exactly one element.
    public var scalar: Float {
        require(scalars.count == 1, "Tensor.scalar: shape \(shape) has \(scalars.count) elements, not 1")
        return scalars[0]
    }

    /// Row-major strides: how far apart in `scalars` consecutive indices along each axis are.
    public var strides: [Int] { Tensor.strides(of: shape) }

    /// Row-major strides of a shape.
    public static func strides(of shape: [Int]) -> [Int] {
        var result = Array(repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = running
            running *= shape[axis]
        }
        return result
    }

    /// The element at a full index, one coordinate per axis.
    public subscript(index: Int...) -> Float {
        get { scalars[offset(of: index)] }
        set { scalars[offset(of: index)] = newValue }
    }

    func offset(of index: [Int]) -> Int {
        require(index.count == shape.count, "Tensor subscript: index \(index) for shape \(shape)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            require(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) is out of bounds for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return offset
    }

    /// An axis counted from the end when negative (−1 is the last axis), checked against the rank.
    func normalise(axis: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        require(a >= 0 && a < rank, "\(op): axis \(axis) is out of range for shape \(shape)")
        return a
    }

    /// The same elements read with a new shape of the same size. One dimension may be −1, meaning
    /// "whatever size makes the counts agree".
    ///
    /// ```swift
    /// Tensor.zeros([2, 3, 4]).reshaped([6, -1]).shape   // [6, 4]
    /// ```
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var result = self
        result.shape = Tensor.resolve(newShape, count: count, from: shape)
        return result
    }

    static func resolve(_ newShape: [Int], count: Int, from shape: [Int]) -> [Int] {
        let unknown = newShape.filter { $0 == -1 }.count
        require(unknown <= 1 && newShape.allSatisfy { $0 >= -1 },
                     "reshape: cannot reshape \(shape) to \(newShape): at most one dimension may be -1 and none may be negative")
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if unknown == 1 {
            require(known > 0 && count % known == 0,
                         "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape): \(count) is not a multiple of \(known)")
            return newShape.map { $0 == -1 ? count / known : $0 }
        }
        require(known == count,
                     "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape) (\(known) elements)")
        return newShape
    }

    /// True when every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// True when two tensors have the same shape and every pair of elements differs by at most
    /// `tolerance`.
    public func isClose(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
        shape == other.shape && Swift.zip(scalars, other.scalars).allSatisfy { Swift.abs($0 - $1) <= tolerance }
    }
}

/// A new array of `count` Floats that `fill` must set, every one of them. It skips zeroing memory
/// that is about to be overwritten anyway, which mattered for large outputs.
@inline(__always)
func makeScalars(_ count: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
        fill(buffer)
        initialised = count
    }
}

extension Tensor: CustomStringConvertible {
    /// Shape and elements, nested by rows: `Tensor([2, 2]: [[1.0, 2.0], [3.0, 4.0]])`.
    public var description: String {
        func render(_ axis: Int, _ start: Int) -> String {
            if axis == rank { return "\(scalars[start])" }
            let step = strides[axis]
            let parts = (0..<shape[axis]).map { render(axis + 1, start + $0 * step) }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        if count > 1_000 { return "Tensor(\(shape): \(count) elements)" }
        return "Tensor(\(shape): \(render(0, 0)))"
    }
}
