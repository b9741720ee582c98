/// Mean hinge loss for labels yᵢ ∈ {−1, +1} and scores sᵢ:
///
///     L = (1/N) Σᵢ max(0, 1 − yᵢ·sᵢ)
///
/// Zero once every point is on the right side of the boundary with a margin of at least 1.
public func hingeLoss(scores: [Value], labels: [Double]) -> Value {
    require(scores.count == labels.count, "hingeLoss: \(scores.count) scores but \(labels.count) labels")
    require(!scores.isEmpty, "hingeLoss: no scores")
    let margins = zip(scores, labels).map { s, y in (1 - y * s).relu() }
    return sum(margins) / Double(scores.count)
}

/// Mean squared error between predictions and targets: `L = (1/N) Σᵢ (ŷᵢ − yᵢ)²`.
public func meanSquaredError(predictions: [Value], targets: [Double]) -> Value {
    require(predictions.count == targets.count,
                 "meanSquaredError: \(predictions.count) predictions but \(targets.count) targets")
    require(!predictions.isEmpty, "meanSquaredError: no predictions")
    let squares = zip(predictions, targets).map { p, t in (p - t).power(2) }
    return sum(squares) / Double(predictions.count)
}
