import Foundation
import ScalarAutodiff

/// Escapes text for XML content and attribute values: `&`, `<`, `>`, `"` and `'` become
/// entities, and control characters that XML 1.0 forbids become U+FFFD.
///
/// Every label the plotting functions draw passes through here, so tokens such as `<eos>` are
/// safe to use as heatmap labels.
///
/// ```swift
/// escapeXML("<eos> & \"x\"")   // "&lt;eos&gt; &amp; &quot;x&quot;"
/// ```
public func escapeXML(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&apos;"
        case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20: escaped += "\u{FFFD}"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}

/// Writes an SVG document to a file, creating the folders on the way, and returns its URL.
///
/// ```swift
/// let url = try writeSVG(linePlot([Series("loss", y: [2.3, 1.1, 0.7])]), to: "figures/loss.svg")
/// print("wrote \(url.path)")
/// ```
@discardableResult
public func writeSVG(_ svg: String, to path: String) throws -> URL {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                            withIntermediateDirectories: true)
    try svg.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// A coordinate or size written with at most two decimals and no trailing zeros: 12, 12.5, 0.25.
func svgNumber(_ value: Double) -> String {
    require(value.isFinite, "Plotting: tried to write the non-finite coordinate \(value)")
    let hundredths = (value * 100).rounded()
    if hundredths.truncatingRemainder(dividingBy: 100) == 0 {
        return String(Int(hundredths / 100))
    }
    var text = String(format: "%.2f", hundredths / 100)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

/// How text lines up with its anchor point.
enum TextAnchor: String {
    case start, middle, end
}

/// A sheet of SVG elements of a fixed size; ``document`` wraps them in the `<svg>` element.
///
/// Each drawing method appends one element. A `className` becomes the element's `class`
/// attribute, which the tests use to count cells, points and series.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var elements: [String] = []
    /// Definitions (gradients) that go in `<defs>`.
    private var definitions: [String] = []

    init(width: Double, height: Double) {
        require(width > 0 && height > 0, "Plotting: figure size must be positive, got \(width)x\(height)")
        self.width = width
        self.height = height
    }

    /// Attributes written as ` name="value"`, skipping the ones whose value is nil.
    private func attributes(_ pairs: KeyValuePairs<String, String?>) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(escapeXML($0))\"" } }.joined()
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, className: String? = nil, tooltip: String? = nil) {
        let opening = "<rect" + attributes(["class": className, "x": svgNumber(x), "y": svgNumber(y),
                                            "width": svgNumber(width), "height": svgNumber(height),
                                            "fill": fill, "stroke": stroke])
        if let tooltip {
            elements.append(opening + "><title>\(escapeXML(tooltip))</title></rect>")
        } else {
            elements.append(opening + "/>")
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#333333",
                       strokeWidth: Double = 1, className: String? = nil) {
        elements.append("<line" + attributes(["class": className, "x1": svgNumber(x1), "y1": svgNumber(y1),
                                              "x2": svgNumber(x2), "y2": svgNumber(y2), "stroke": stroke,
                                              "stroke-width": svgNumber(strokeWidth)]) + "/>")
    }

    mutating func circle(cx: Double, cy: Double, radius: Double, fill: String, className: String? = nil) {
        elements.append("<circle" + attributes(["class": className, "cx": svgNumber(cx), "cy": svgNumber(cy),
                                                "r": svgNumber(radius), "fill": fill]) + "/>")
    }

    /// A path from a list of pieces, each a run of points joined by straight lines.
    mutating func polylines(_ pieces: [[(x: Double, y: Double)]], stroke: String, strokeWidth: Double = 1.5,
                            className: String? = nil, name: String? = nil) {
        let commands = pieces.filter { !$0.isEmpty }.map { piece in
            piece.enumerated().map { index, point in
                (index == 0 ? "M" : "L") + svgNumber(point.x) + " " + svgNumber(point.y)
            }.joined(separator: " ")
        }.joined(separator: " ")
        elements.append("<path" + attributes(["class": className, "data-name": name, "d": commands,
                                              "fill": "none", "stroke": stroke,
                                              "stroke-width": svgNumber(strokeWidth),
                                              "stroke-linejoin": "round"]) + "/>")
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: TextAnchor = .start,
                       size: Double = 12, rotation: Double? = nil, fill: String? = nil,
                       className: String? = nil) {
        let rotate = rotation.map { "rotate(\(svgNumber($0)) \(svgNumber(x)) \(svgNumber(y)))" }
        elements.append("<text" + attributes(["class": className, "x": svgNumber(x), "y": svgNumber(y),
                                              "font-size": svgNumber(size), "text-anchor": anchor.rawValue,
                                              "fill": fill, "transform": rotate])
                        + ">\(escapeXML(content))</text>")
    }

    /// A vertical gradient from `bottom` to `top` colours, referred to as `url(#id)`.
    mutating func verticalGradient(id: String, stops: [(offset: Double, colour: String)]) {
        let stopElements = stops.map {
            "<stop offset=\"\(svgNumber($0.offset * 100))%\" stop-color=\"\($0.colour)\"/>"
        }.joined()
        definitions.append("<linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\(stopElements)</linearGradient>")
    }

    /// Appends already-written SVG (used for groups of many small elements).
    mutating func raw(_ element: String) {
        elements.append(element)
    }

    /// The whole document: XML declaration, `<svg>` root, a white background and the elements.
    var document: String {
        var parts = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(svgNumber(width))\" "
                     + "height=\"\(svgNumber(height))\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" "
                     + "font-family=\"Helvetica, Arial, sans-serif\">"]
        if !definitions.isEmpty {
            parts.append("<defs>" + definitions.joined() + "</defs>")
        }
        parts.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        parts += elements
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }
}

/// A rough width of a label in pixels (the average glyph is about 0.6 of the font size).
func estimatedWidth(of text: String, size: Double = 12) -> Double {
    Double(text.count) * size * 0.6
}
