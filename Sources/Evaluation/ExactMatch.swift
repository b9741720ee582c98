// Exact match: the strictest sequence metric, the share of outputs equal to their reference.

import ScalarAutodiff


/// The fraction of hypotheses identical, token for token, to their reference.
public func exactMatch<Token: Equatable>(hypotheses: [[Token]], references: [[Token]]) -> Double {
    require(hypotheses.count == references.count,
                 "exactMatch: \(hypotheses.count) hypotheses but \(references.count) references")
    require(!hypotheses.isEmpty, "exactMatch: no sequences were given")
    let equal = zip(hypotheses, references).filter { $0 == $1 }.count
    return Double(equal) / Double(hypotheses.count)
}
