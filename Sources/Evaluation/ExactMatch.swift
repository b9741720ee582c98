// Exact match: the strictest sequence metric, the share of outputs equal to their reference.

/// The fraction of hypotheses identical, token for token, to their reference.
public func exactMatch<Token: Equatable>(hypotheses: [[Token]], references: [[Token]]) -> Double {
    precondition(hypotheses.count == references.count,
                 "exactMatch: \(hypotheses.count) hypotheses but \(references.count) references")
    precondition(!hypotheses.isEmpty, "exactMatch: no sequences were given")
    let equal = zip(hypotheses, references).filter { $0 == $1 }.count
    return Double(equal) / Double(hypotheses.count)
}
