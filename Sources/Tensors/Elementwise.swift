import Foundation
import ScalarAutodiff

// Elementwise arithmetic on tensors. Binary operators broadcast (see Broadcasting.swift); every
// function of one tensor applies a scalar function to each element.

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "+") { $0 + $1 } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "-") { $0 - $1 } }
    public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "*") { $0 * $1 } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "/") { $0 / $1 } }

    public static func + (a: Tensor, b: Float) -> Tensor { a.map { $0 + b } }
    public static func - (a: Tensor, b: Float) -> Tensor { a.map { $0 - b } }
    public static func * (a: Tensor, b: Float) -> Tensor { a.map { $0 * b } }
    public static func / (a: Tensor, b: Float) -> Tensor { a.map { $0 / b } }
    public static func + (a: Float, b: Tensor) -> Tensor { b.map { a + $0 } }
    public static func - (a: Float, b: Tensor) -> Tensor { b.map { a - $0 } }
    public static func * (a: Float, b: Tensor) -> Tensor { b.map { a * $0 } }
    public static func / (a: Float, b: Tensor) -> Tensor { b.map { a / $0 } }

    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Adds `b` into `a` in place (same shape, or `b` broadcast to `a`'s shape).
    public static func += (a: inout Tensor, b: Tensor) {
        if a.shape == b.shape {
            a.scalars.withUnsafeMutableBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    for i in 0..<pa.count { pa[i] += pb[i] }
                }
            }
        } else {
            let sum = a + b
            require(sum.shape == a.shape, "+=: shape \(b.shape) cannot be added into shape \(a.shape) in place")
            a = sum
        }
    }

    /// A tensor of the same shape with `f` applied to every element.
    @inline(__always)
    public func map(_ f: (Float) -> Float) -> Tensor {
        let out = makeScalars(count) { po in
            scalars.withUnsafeBufferPointer { p in
                for i in 0..<po.count { po[i] = f(p[i]) }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// eˣ for every element (vectorised; see VectorMath.swift).
    public func exp() -> Tensor { Tensor(shape: shape, scalars: VectorMath.apply(scalars, VectorMath.exp)) }
    /// ln x for every element (−∞ at 0, NaN below).
    public func log() -> Tensor { map { Foundation.log($0) } }
    /// tanh x for every element (vectorised; see VectorMath.swift).
    public func tanh() -> Tensor { Tensor(shape: shape, scalars: VectorMath.apply(scalars, VectorMath.tanh)) }
    /// √x for every element.
    public func sqrt() -> Tensor { map { $0.squareRoot() } }
    /// xᵏ for every element, with a constant exponent.
    public func pow(_ k: Float) -> Tensor {
        if k == 2 { return map { $0 * $0 } }
        return map { Foundation.pow($0, k) }
    }
    /// max(0, x) for every element.
    public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }
    /// |x| for every element.
    public func abs() -> Tensor { map { Swift.abs($0) } }

    /// σ(x) = 1 / (1 + e⁻ˣ) for every element (vectorised; see VectorMath.swift). For very
    /// negative x, e⁻ˣ overflows to +∞ and σ is 1/∞ = 0, never NaN.
    public func sigmoid() -> Tensor { Tensor(shape: shape, scalars: VectorMath.apply(scalars, VectorMath.sigmoid)) }

    /// Chooses elementwise: `a` where `condition` is nonzero, `b` where it is zero. All three
    /// broadcast to a common shape.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = broadcastShape(broadcastShape(condition.shape, a.shape, op: "select"), b.shape, op: "select")
        let c = condition.broadcast(to: shape), x = a.broadcast(to: shape), y = b.broadcast(to: shape)
        return Tensor(shape: shape, scalars: (0..<c.count).map { c.scalars[$0] != 0 ? x.scalars[$0] : y.scalars[$0] })
    }

    /// This tensor repeated along its size-1 (or missing leading) axes to fill `shape`.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let checked = Tensor.broadcastShape(shape, target, op: "broadcast(to:)")
        require(checked == target, "broadcast(to:): shape \(shape) cannot be broadcast to \(target)")
        return Tensor.zip(Tensor.zeros(target), self, op: "broadcast(to:)") { _, b in b }
    }

    /// 1 where `a > b`, 0 elsewhere (broadcasting). Handy for masks.
    public static func greater(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, op: "greater") { $0 > $1 ? 1 : 0 } }
}
