import ScalarAutodiff
import Tensors

// Coverage (See, Liu and Manning 2017): remember where the decoder has already looked, and
// penalise looking there again, so a summary or translation does not repeat itself.

/// The coverage vector before step t: the sum of the attention of all earlier steps,
///
///     coverageₜ = Σ_{t' < t} α_{t'}        (coverage₀ = 0)
///
/// `pastWeights` are α₀ … αₜ₋₁, each [B, T]; `shape` is used when there are none yet.
public func coverageVector(pastWeights: [Variable], shape: [Int]) -> Variable {
    require(pastWeights.allSatisfy { $0.shape == shape },
                 "coverageVector: past attention shapes \(pastWeights.map(\.shape)) are not all \(shape)")
    return pastWeights.reduce(Variable.constant(Tensor.zeros(shape))) { $0 + $1 }
}

/// The coverage loss of one step, summed over positions and averaged over the batch:
///
///     covlossₜ = Σⱼ min(αₜⱼ, coverageₜⱼ)
///
/// It is at most 1 (the weights sum to 1) and is 0 when step t looks only where nothing has
/// looked yet. min(a, b) = a − relu(a − b), so the gradient flows to whichever is smaller.
/// Worked example: coverage [0.7, 0.2, 0.1] and α = [0.5, 0.3, 0.2] give 0.5 + 0.2 + 0.1 = 0.8.
public func coverageLoss(weights: Variable, coverage: Variable) -> Variable {
    require(weights.shape == coverage.shape && weights.shape.count == 2,
                 "coverageLoss: attention \(weights.shape) and coverage \(coverage.shape) must both be [B, T]")
    let minimum = weights - (weights - coverage).relu()
    return minimum.sum() / Float(weights.shape[0])
}

/// The total coverage loss of a sequence of attention distributions α₀ … α_{n−1} (each [B, T]):
/// Σₜ covlossₜ, with coverageₜ = Σ_{t' < t} α_{t'}.
public func coverageLoss(sequence weights: [Variable]) -> Variable {
    require(!weights.isEmpty, "coverageLoss: no attention steps")
    var total = Variable.constant(Tensor(0))
    for t in 0..<weights.count {
        let coverage = coverageVector(pastWeights: Array(weights[..<t]), shape: weights[0].shape)
        total = total + coverageLoss(weights: weights[t], coverage: coverage)
    }
    return total
}
