import Foundation

/// Ten colours that stay distinguishable side by side, for series and classes.
/// Class or series k gets `categoricalColours[k % 10]`.
public let categoricalColours: [String] = [
    "#1f5fa8", "#e8771e", "#2a9d4b", "#d0343a", "#7b57b8",
    "#8c5a3c", "#d45fa8", "#6b6b6b", "#b5a31c", "#1fa7bd",
]

/// The sequential colour scale of heatmaps and image-free figures: t = 0 is near-white,
/// t = 1 dark blue, with a mid blue between; t is clamped to [0, 1].
///
/// Between anchor colours c₀ (at 0), c₁ (at ½) and c₂ (at 1) each channel is interpolated
/// linearly, so equal steps in value are roughly equal steps in darkness.
///
/// ```swift
/// sequentialColour(0)     // "#f7f9fc"
/// sequentialColour(1)     // "#0b2a6b"
/// ```
public func sequentialColour(_ t: Double) -> String {
    let anchors: [(Double, Double, Double)] = [(247, 249, 252), (98, 150, 206), (11, 42, 107)]
    let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
    let scaled = clamped * Double(anchors.count - 1)
    let index = min(Int(scaled), anchors.count - 2)
    let w = scaled - Double(index)
    let (a, b) = (anchors[index], anchors[index + 1])
    return hexColour(a.0 + (b.0 - a.0) * w, a.1 + (b.1 - a.1) * w, a.2 + (b.2 - a.2) * w)
}

/// A grey for a pixel intensity: 0 is white paper, 1 is black ink; values are clamped to [0, 1].
public func grayColour(_ intensity: Double) -> String {
    let level = 255 * (1 - min(max(intensity, 0), 1))
    return hexColour(level, level, level)
}

/// `#rrggbb` from channel values 0...255 (rounded).
func hexColour(_ red: Double, _ green: Double, _ blue: Double) -> String {
    let channels = [red, green, blue].map { Int(min(max($0, 0), 255).rounded()) }
    return "#" + channels.map { String(format: "%02x", $0) }.joined()
}

/// A legend entry: a name and its colour, drawn as a short line (series) or a dot (classes).
struct LegendEntry {
    enum Marker { case line, dot }
    let name: String
    let colour: String
    let marker: Marker
}

/// The width of the legend box for these entries.
func legendWidth(_ entries: [LegendEntry]) -> Double {
    36 + (entries.map { estimatedWidth(of: $0.name) }.max() ?? 0)
}

/// Draws a legend box in the top-right corner, inside the frame or just to its right.
func drawLegend(on canvas: inout SVGCanvas, entries: [LegendEntry], frame: PlotFrame, outside: Bool = false) {
    guard !entries.isEmpty else { return }
    let rowHeight = 18.0
    let boxWidth = legendWidth(entries)
    let boxHeight = rowHeight * Double(entries.count) + 8
    let left = outside ? frame.right + 10 : frame.right - boxWidth - 8
    let top = outside ? frame.top : frame.top + 8
    canvas.rect(x: left, y: top, width: boxWidth, height: boxHeight, fill: "white", stroke: "#bbbbbb",
                className: "legend")
    for (index, entry) in entries.enumerated() {
        let y = top + 4 + rowHeight * (Double(index) + 0.5)
        switch entry.marker {
        case .line:
            canvas.line(x1: left + 6, y1: y, x2: left + 26, y2: y, stroke: entry.colour, strokeWidth: 2.5,
                        className: "legend-marker")
        case .dot:
            canvas.rect(x: left + 12, y: y - 4, width: 8, height: 8, fill: entry.colour, className: "legend-marker")
        }
        canvas.text(entry.name, x: left + 32, y: y + 4, size: 12, className: "legend-label")
    }
}
