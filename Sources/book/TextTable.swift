/// Prints a table for the terminal, each column padded to its widest entry, with a rule under
/// the header:
///
///     decoder  best sequence  log P
///     ───────  ─────────────  ─────
///     greedy   The cat sat    -2.60
func printTable(_ header: [String], _ rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }
    print(line(header))
    print(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
    for row in rows { print(line(row)) }
}
