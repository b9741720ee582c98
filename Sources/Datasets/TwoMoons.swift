import Foundation
import ScalarAutodiff

/// A labelled point in the plane, for the toy classification problems of the early chapters.
public struct LabelledPoint: Sendable {
    public let x: Double
    public let y: Double
    /// +1 or −1.
    public let label: Double
}

/// Two interleaving half circles ("two moons"), a classic data set that no straight line
/// separates.
///
/// The upper moon is the arc (cos θ, sin θ) for θ in [0, π], labelled −1; the lower moon is
/// (1 − cos θ, 0.5 − sin θ), labelled +1. Each point gets Gaussian noise of the given standard
/// deviation in both coordinates. Half the points go to each moon, alternating.
///
/// - Parameters:
///   - count: the number of points.
///   - noise: the standard deviation of the noise added to each coordinate.
///   - seed: the seed; the same seed gives the same points everywhere.
public func twoMoons(count: Int, noise: Double = 0.1, seed: UInt64 = 1) -> [LabelledPoint] {
    require(count > 0, "twoMoons: count must be positive, got \(count)")
    require(noise >= 0, "twoMoons: noise must be non-negative, got \(noise)")
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { i in
        let upper = i % 2 == 0
        let theta = Double.pi * rng.uniform()
        let x = upper ? cos(theta) : 1 - cos(theta)
        let y = upper ? sin(theta) : 0.5 - sin(theta)
        return LabelledPoint(
            x: x + noise * rng.normal(),
            y: y + noise * rng.normal(),
            label: upper ? -1 : 1
        )
    }
}
