import Foundation

/// The class list given with `book grade --roster FILE`, so that a student who submitted
/// nothing still gets a row (status `no submission`, every exercise 0).
///
/// The file is either one name per line, or a CSV whose header row has a column named `name`
/// or `student` (in any case): then that column is read. Blank lines, a UTF-8 byte order mark
/// and surrounding spaces are ignored. A name matches a submission whose name (the folder or
/// archive name, without `.zip`/`.tar.gz`) is the same, ignoring case and Unicode normal form
/// (macOS writes "José" in a folder name with a separate accent).
public struct Roster: Sendable, Equatable {
    public let names: [String]

    public init(names: [String]) {
        var seen = Set<String>()
        self.names = names.filter { seen.insert(Self.key($0)).inserted }
    }

    /// Reads the roster's text.
    public init(text: String) throws {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { throw GradingError("the roster is empty") }
        let columns = Self.fields(header).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let column = columns.firstIndex(where: { $0 == "name" || $0 == "student" }), columns.count > 1 {
            let names = lines.dropFirst().map { line -> String in
                let fields = Self.fields(line)
                return column < fields.count ? fields[column] : ""
            }
            self.init(names: names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        } else {
            self.init(names: lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.lowercased() != "name" && $0.lowercased() != "student" })
        }
    }

    /// The key two names are matched by: Unicode composed form, lower case.
    public static func key(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// The roster's names that no submission matches, in roster order.
    public func missing(from submitted: [String]) -> [String] {
        let keys = Set(submitted.map(Self.key))
        return names.filter { !keys.contains(Self.key($0)) }
    }

    /// The submissions that match no roster name.
    public func unknown(_ submitted: [String]) -> [String] {
        let keys = Set(names.map(Self.key))
        return submitted.filter { !keys.contains(Self.key($0)) }
    }

    /// `grades` in roster order, then the students not on the roster in their own order.
    public func ordered(_ grades: [StudentGrade]) -> [StudentGrade] {
        let position = Dictionary(names.enumerated().map { (Self.key($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        return grades.enumerated().sorted { a, b in
            (position[Self.key(a.element.student)] ?? names.count + a.offset) < (position[Self.key(b.element.student)] ?? names.count + b.offset)
        }.map(\.element)
    }

    /// One CSV line's fields (RFC 4180: quoted fields, doubled quotes).
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.append("\"") } else {
                            quoted = false
                            if next == "," { fields.append(field); field = "" } else { field.append(next) }
                        }
                    } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
