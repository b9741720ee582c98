import Foundation

/// A tar archive read into memory: its entries and where each one's data lies.
///
/// The grader reads tar itself, rather than running `tar -x`, so that it decides what gets
/// written: after ``ArchiveValidation`` has accepted every entry, ``extract(to:)`` writes
/// regular files and folders only. The format (POSIX ustar, with the GNU and pax long-name
/// extensions): 512-byte headers, each followed by the entry's data padded to 512 bytes;
/// name at offset 0 (100 bytes), size at 124 (12 bytes, octal), checksum at 148, type at
/// 156 (`0` file, `5` folder, `1`/`2` links), and for ustar a name prefix at 345 (155 bytes).
/// A GNU `L` entry or a pax `x` entry's `path=` record gives the next entry's full name.
public struct TarArchive {
    public private(set) var entries: [ArchiveEntry] = []
    private var dataRanges: [Range<Int>] = []
    private let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        var offset = 0
        var nextName: String?
        while offset + 512 <= bytes.count {
            let header = Array(bytes[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) { break }
            guard Self.checksumMatches(header) else {
                throw GradingError("a damaged tar file (bad header checksum at byte \(offset))")
            }
            guard let size = Self.octal(header[124..<136]) else {
                throw GradingError("a tar file with an entry size the grader does not read")
            }
            let start = offset + 512
            guard start + size <= bytes.count else { throw GradingError("a truncated tar file") }
            offset = start + (size + 511) / 512 * 512
            let data = Array(bytes[start..<(start + size)])
            let type = header[156]
            switch type {
            case UInt8(ascii: "L"):
                nextName = Self.cString(data[...])
                continue
            case UInt8(ascii: "x"):
                if let path = Self.paxPath(data) { nextName = path }
                continue
            case UInt8(ascii: "g"), UInt8(ascii: "K"):
                continue
            default:
                break
            }
            var name = Self.cString(header[0..<100])
            if Array(header[257..<262]) == Array("ustar".utf8) {
                let prefix = Self.cString(header[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            if let long = nextName { name = long }
            nextName = nil
            let kind: ArchiveEntry.Kind = switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): .file
            case UInt8(ascii: "5"): .directory
            case UInt8(ascii: "1"), UInt8(ascii: "2"): .link
            default: .other
            }
            entries.append(ArchiveEntry(path: name, kind: kind, size: size))
            dataRanges.append(start..<(start + size))
        }
    }

    /// Writes the archive's files and folders under `folder`. Call only after
    /// ``ArchiveValidation/problem(with:)`` returned nil for ``entries``.
    public func extract(to folder: URL) throws {
        precondition(ArchiveValidation.problem(with: entries) == nil, "extract(to:) needs a validated archive")
        let manager = FileManager.default
        for (entry, range) in zip(entries, dataRanges) {
            let components = entry.path.split(separator: "/").filter { $0 != "." }.map(String.init)
            guard !components.isEmpty else { continue }
            let target = components.reduce(folder) { $0.appendingPathComponent($1) }
            switch entry.kind {
            case .directory:
                try manager.createDirectory(at: target, withIntermediateDirectories: true)
            case .file:
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes[range]).write(to: target)
            case .link, .other:
                continue
            }
        }
    }

    static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = octal(header[148..<156]) else { return false }
        var sum = 0
        for (index, byte) in header.enumerated() {
            sum += (148..<156).contains(index) ? 32 : Int(byte)
        }
        return sum == stored
    }

    /// An octal number field: digits, ended by a space or NUL. Nil for anything else (including
    /// the base-256 form used for sizes past 8 GB, which no submission needs).
    static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        let digits = field.drop { $0 == 32 || $0 == 0 }.prefix { $0 != 0 && $0 != 32 }
        if digits.isEmpty { return 0 }
        return Int(String(decoding: digits, as: UTF8.self), radix: 8)
    }

    static func cString(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The `path` record of a pax extended header: lines `LENGTH path=VALUE\n`.
    static func paxPath(_ data: [UInt8]) -> String? {
        var rest = data[...]
        while let space = rest.firstIndex(of: 32), let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)),
              length > 0, rest.startIndex + length <= rest.endIndex {
            let record = String(decoding: rest[(space + 1)..<(rest.startIndex + length - 1)], as: UTF8.self)
            if record.hasPrefix("path=") { return String(record.dropFirst(5)) }
            rest = rest[(rest.startIndex + length)...]
        }
        return nil
    }
}
