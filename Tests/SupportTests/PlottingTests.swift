import Foundation
import Testing
import Plotting

@Suite("Plotting: axes and escaping")
struct PlottingAxesTests {
    @Test("ticks fall on round steps that cover the data")
    func ticks() {
        let unit = niceTicks(from: 0, to: 0.93)
        #expect(unit.count == 6)
        #expect(zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(niceTicks(from: 3, to: 97) == [0, 20, 40, 60, 80, 100])
        #expect(niceTicks(from: -2.5, to: 2.5) == [-3, -2, -1, 0, 1, 2, 3])
        // A single value is widened rather than giving a zero-width axis.
        let single = niceTicks(from: 5, to: 5)
        #expect(single.first! < 5 && single.last! > 5)
    }

    @Test("XML special characters in labels are escaped")
    func escaping() throws {
        #expect(escapeXML("<eos> & \"x\" 'y'") == "&lt;eos&gt; &amp; &quot;x&quot; &apos;y&apos;")
        #expect(escapeXML("a\u{1}b") == "a\u{FFFD}b")
        let title = "loss <train> & \"test\""
        let svg = linePlot([Series("<pad> & co", y: [1.0, 2.0])], title: title)
        #expect(svg.contains("loss &lt;train&gt; &amp; &quot;test&quot;"))
        let elements = try parseSVG(svg)
        #expect(elements.texts(ofClass: "title") == [title])
        #expect(elements.texts(ofClass: "legend-label") == ["<pad> & co"])
        #expect(elements.withClass("series").first?.attributes["data-name"] == "<pad> & co")
    }

    @Test("writeSVG creates the folders and writes the document")
    func writing() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("plotting-test-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = scatterPlot(x: [0.0, 1], y: [1.0, 0], classes: [0, 1])
        let url = try writeSVG(svg, to: folder.appendingPathComponent("a/b/scatter.svg").path)
        #expect(try String(contentsOf: url, encoding: .utf8) == svg)
    }
}

@Suite("Plotting: line plots")
struct LinePlotTests {
    @Test("one path per series, one legend entry per series, and well-formed XML")
    func seriesAndLegend() throws {
        let svg = linePlot([Series("train", y: [3.0, 2, 1.5, 1.2]), Series("test", y: [3.2, 2.4, 2.0, 1.9])],
                           title: "Loss", xLabel: "epoch", yLabel: "MSE")
        let elements = try parseSVG(svg)
        #expect(elements.first?.name == "svg")
        let series = elements.withClass("series")
        #expect(series.map(\.name) == ["path", "path"])
        #expect(series.map { $0.attributes["data-name"] } == ["train", "test"])
        #expect(series.map { pathPieces($0.attributes["d"]!).first!.count } == [4, 4])
        #expect(elements.texts(ofClass: "legend-label") == ["train", "test"])
        #expect(elements.texts(ofClass: "axis-label") == ["epoch", "MSE"])
        // Different colours for the two series.
        #expect(series[0].attributes["stroke"] != series[1].attributes["stroke"])
    }

    @Test("legendOutside puts the legend right of the plot frame, so no line runs under it")
    func legendOutside() throws {
        let series = [Series("a", y: [100.0, 100, 100]), Series("b", y: [50.0, 60, 100])]
        for outside in [false, true] {
            let elements = try parseSVG(linePlot(series, legendOutside: outside))
            let frameRight = elements.withClass("frame").map { Double($0.attributes["x"]!)! + Double($0.attributes["width"]!)! }[0]
            let legendLeft = Double(elements.withClass("legend")[0].attributes["x"]!)!
            #expect((legendLeft > frameRight) == outside, "outside = \(outside): legend at x = \(legendLeft), frame ends at \(frameRight)")
            #expect(elements.texts(ofClass: "legend-label") == ["a", "b"])
        }
    }

    @Test("equal steps in y are equal steps on screen, and larger y is higher up")
    func linearPositions() throws {
        let svg = linePlot([Series("s", x: [0.0, 1, 2], y: [0.0, 1, 2])])
        let points = pathPieces(try parseSVG(svg).withClass("series")[0].attributes["d"]!)[0]
        #expect(points.count == 3)
        #expect(abs((points[1].y - points[0].y) - (points[2].y - points[1].y)) < 0.02)
        #expect(points[0].y > points[1].y)
        #expect(abs((points[1].x - points[0].x) - (points[2].x - points[1].x)) < 0.02)
    }

    @Test("NaN points are skipped and break the line into pieces")
    func nanBreaksTheLine() throws {
        let svg = linePlot([Series("loss", y: [4.0, 3, .nan, 2, 1, .infinity])])
        let pieces = pathPieces(try parseSVG(svg).withClass("series")[0].attributes["d"]!)
        #expect(pieces.map(\.count) == [2, 2])
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test("a logarithmic y axis has power-of-ten ticks, equal spacing per decade, and skips y ≤ 0")
    func logarithmicY() throws {
        let svg = linePlot([Series("loss", y: [100.0, 10, 1, 0.1, 0])], logY: true)
        let elements = try parseSVG(svg)
        let labels = elements.texts(ofClass: "tick-label")
        for expected in ["0.1", "1", "10", "100"] { #expect(labels.contains(expected)) }
        let points = pathPieces(elements.withClass("series")[0].attributes["d"]!).joined().map(\.y)
        #expect(points.count == 4)
        let gaps = zip(points.dropFirst(), points).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) < 0.02 && $0 > 0 })
    }

    @Test("no series, or x and y of different lengths, stop with a message")
    func badInput() async {
        await #expect(processExitsWith: .failure) { _ = linePlot([]) }
        await #expect(processExitsWith: .failure) { _ = Series("s", x: [1.0, 2], y: [1.0]) }
    }
}

@Suite("Plotting: scatter plots")
struct ScatterPlotTests {
    @Test("one circle per drawable point, coloured by class, with a legend of class names")
    func pointsAndLegend() throws {
        let svg = scatterPlot(x: [0.0, 1, 2, .nan, 4], y: [1.0, 0, 2, 3, -1], classes: [0, 1, 0, 2, 2],
                              classNames: ["zero", "one", "two"], title: "latent space")
        let elements = try parseSVG(svg)
        let points = elements.withClass("point")
        #expect(points.count == 4)
        #expect(points.allSatisfy { $0.name == "circle" })
        #expect(points.map { $0.attributes["fill"]! } ==
                [categoricalColours[0], categoricalColours[1], categoricalColours[0], categoricalColours[2]])
        #expect(elements.texts(ofClass: "legend-label") == ["zero", "one", "two"])
        // Without names, classes are numbered.
        let unnamed = try parseSVG(scatterPlot(x: [0.0, 1], y: [0.0, 1], classes: [7, 3]))
        #expect(unnamed.texts(ofClass: "legend-label") == ["3", "7"])
    }

    @Test("mismatched lengths stop with a message")
    func badInput() async {
        await #expect(processExitsWith: .failure) { _ = scatterPlot(x: [0.0, 1], y: [0.0], classes: [0, 0]) }
    }
}

@Suite("Plotting: heatmaps")
struct HeatmapTests {
    @Test("one rect per cell, labels escaped, colours from the scale")
    func cellsAndLabels() throws {
        let alphas: [[Float]] = [[0.9, 0.05, 0.05, 0.0], [0.1, 0.8, 0.1, 0.0], [0.0, 0.1, 0.2, 0.7]]
        let svg = heatmap(alphas, rowLabels: ["je", "suis", "<eos>"], columnLabels: ["I", "am", "a", "<eos>"],
                          title: "attention", range: 0...1, showValues: true)
        #expect(svg.contains("&lt;eos&gt;") && !svg.contains("<eos>"))
        let elements = try parseSVG(svg)
        let cells = elements.withClass("cell")
        #expect(cells.count == 12)
        #expect(cells.allSatisfy { $0.name == "rect" })
        #expect(cells[0].attributes["fill"] == sequentialColour(0.9))
        #expect(elements.filter { $0.name == "title" }.first?.text == "je, I: 0.9")
        #expect(cells[3].attributes["fill"] == sequentialColour(0))
        #expect(elements.texts(ofClass: "row-label") == ["je", "suis", "<eos>"])
        #expect(elements.texts(ofClass: "column-label") == ["I", "am", "a", "<eos>"])
        #expect(elements.texts(ofClass: "value").prefix(2) == ["0.90", "0.05"])
        #expect(elements.texts(ofClass: "scale-label") == ["0", "0.5", "1"])
        // Cells are laid out row by row, left to right.
        #expect(Double(cells[1].attributes["x"]!)! > Double(cells[0].attributes["x"]!)!)
        #expect(Double(cells[4].attributes["y"]!)! > Double(cells[0].attributes["y"]!)!)
    }

    @Test("without a range the colours span the smallest to the largest value; NaN cells are grey")
    func automaticRangeAndNaN() throws {
        let elements = try parseSVG(heatmap([[2.0, 4.0], [.nan, 3.0]]))
        let fills = elements.withClass("cell").map { $0.attributes["fill"]! }
        #expect(fills == [sequentialColour(0), sequentialColour(1), "#9e9e9e", sequentialColour(0.5)])
    }

    @Test("a ragged matrix or wrong number of labels stops with a message")
    func badInput() async {
        let ragged = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = heatmap([[1.0, 2.0], [3.0]])
        }
        let message = String(decoding: ragged?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("heatmap: row 1 has 1 values but row 0 has 2"))
        await #expect(processExitsWith: .failure) { _ = heatmap([[1.0, 2.0]], rowLabels: ["a", "b"]) }
    }
}

@Suite("Plotting: image grids")
struct ImageGridTests {
    @Test("one group per image, one rect per pixel, 0 white and 1 black")
    func rowsOfImages() throws {
        let ramp: [Float] = (0..<16).map { Float($0) / 15 }
        let originals = [ramp, ramp, ramp]
        let reconstructions = [ramp.map { 1 - $0 }, ramp, [Float](repeating: .nan, count: 16)]
        let svg = imageGrid(rows: [originals, reconstructions], side: 4, rowLabels: ["input", "output"],
                            title: "reconstructions")
        let elements = try parseSVG(svg)
        #expect(elements.withClass("image").count == 6)
        #expect(elements.withClass("image-border").count == 6)
        let pixels = elements.filter { $0.name == "rect" && $0.ancestorClasses.last == "image" }
        #expect(pixels.count == 6 * 16)
        #expect(pixels[0].attributes["fill"] == "#ffffff")
        #expect(pixels[15].attributes["fill"] == "#000000")
        #expect(pixels[5].attributes["fill"] == grayColour(5.0 / 15))
        #expect(pixels[5].attributes["x"] == "1" && pixels[5].attributes["y"] == "1")
        #expect(pixels[3 * 16].attributes["fill"] == "#000000")
        #expect(pixels[5 * 16].attributes["fill"] == "#ff0000")
        #expect(elements.texts(ofClass: "row-label") == ["input", "output"])
    }

    @Test("a flat list is laid out in rows of the given width")
    func columns() throws {
        let images = [[Float]](repeating: [Float](repeating: 0.5, count: 4), count: 10)
        let elements = try parseSVG(imageGrid(images, side: 2, columns: 4))
        let groups = elements.withClass("image")
        #expect(groups.count == 10)
        let rowPositions = Set(elements.withClass("image-border").map { $0.attributes["y"]! })
        #expect(rowPositions.count == 3)
    }

    @Test("an image of the wrong size stops with a message")
    func badInput() async {
        await #expect(processExitsWith: .failure) { _ = imageGrid(rows: [[[0, 1, 0]]], side: 2) }
    }
}

@Suite("Plotting: the XML check itself")
struct SVGInspectionTests {
    @Test("the parser used by these tests rejects XML that is not well-formed")
    func rejectsMalformedXML() throws {
        #expect(throws: MalformedSVG.self) { try parseSVG("<svg><text>a < b</text></svg>") }
        #expect(throws: MalformedSVG.self) { try parseSVG("<svg><g></svg>") }
        #expect(throws: MalformedSVG.self) { try parseSVG("<svg><g>") }
        #expect(throws: MalformedSVG.self) { try parseSVG("<svg><text>a & b</text></svg>") }
        #expect(try parseSVG("<svg><text>a &lt; b</text></svg>").map(\.text) == ["", "a < b"])
    }
}
