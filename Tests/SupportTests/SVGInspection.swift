import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed SVG document, with the classes of the elements around it.
struct SVGElement {
    let name: String
    let attributes: [String: String]
    /// The `class` attributes of its ancestors, outermost first.
    let ancestorClasses: [String]
    /// The text directly inside it, with entities decoded.
    var text: String = ""

    var className: String? { attributes["class"] }
}

/// Reads an SVG document with Foundation's XMLParser, so a document that is not well-formed
/// XML fails the test.
private final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [SVGElement] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let ancestors = open.compactMap { elements[$0].className }
        elements.append(SVGElement(name: elementName, attributes: attributeDict, ancestorClasses: ancestors))
        open.append(elements.count - 1)
    }

    /// The first closing tag that did not match the open element. XMLParser on Linux lets
    /// `<svg><g></svg>` through, so the nesting is checked here as well.
    var mismatch: String?
    var isBalanced: Bool { open.isEmpty && mismatch == nil }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard let current = open.popLast(), elements[current].name == elementName else {
            mismatch = mismatch ?? "</\(elementName)> does not close the open element"
            return
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }
}

struct MalformedSVG: Error, CustomStringConvertible {
    let description: String
}

/// Every element of the document in order, or an error saying why the XML is not well-formed.
func parseSVG(_ svg: String) throws -> [SVGElement] {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGCollector()
    parser.delegate = collector
    guard parser.parse() else {
        throw MalformedSVG(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    }
    guard collector.isBalanced else {
        throw MalformedSVG(description: "not well-formed XML: \(collector.mismatch ?? "an element is never closed")")
    }
    return collector.elements
}

extension [SVGElement] {
    /// The elements with this `class`.
    func withClass(_ name: String) -> [SVGElement] { filter { $0.className == name } }
    /// The texts of the elements with this `class`.
    func texts(ofClass name: String) -> [String] { withClass(name).map(\.text) }
}

/// The points of a path's `d` attribute, grouped into its M-started pieces.
func pathPieces(_ d: String) -> [[(x: Double, y: Double)]] {
    var pieces: [[(x: Double, y: Double)]] = []
    let tokens = d.split(separator: " ")
    var index = 0
    while index + 1 < tokens.count {
        let command = tokens[index].first!
        let x = Double(tokens[index].dropFirst())!
        let y = Double(tokens[index + 1])!
        if command == "M" { pieces.append([]) }
        pieces[pieces.count - 1].append((x, y))
        index += 2
    }
    return pieces
}
