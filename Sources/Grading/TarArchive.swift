import Foundation

/// A tar archive as it is read: its entries, and the data of those that may be unpacked.
///
/// The grader reads tar itself, rather than running `tar -x`, so that it decides what gets
/// written: after ``ArchiveValidation`` has accepted every entry, ``extract(_:to:)`` writes
/// regular files and folders only. The format (POSIX ustar, with the GNU and pax long-name
/// extensions): 512-byte headers, each followed by the entry's data padded to 512 bytes;
/// name at offset 0 (100 bytes), size at 124 (12 bytes, octal), checksum at 148, type at
/// 156 (`0` file, `5` folder, `1`/`2` links), a link's target at 157 (100 bytes), and for
/// ustar a name prefix at 345 (155 bytes). A GNU `L` (`K`) entry or a pax `x` entry's `path=`
/// (`linkpath=`) record gives the next entry's full name (link target).
public struct TarArchive {
    public private(set) var entries: [ArchiveEntry] = []
    /// The data of the entries kept, by index.
    private var data: [Int: [UInt8]] = [:]

    /// Reads a whole tar file held in memory, keeping every entry's data.
    public init(bytes: [UInt8]) throws {
        var offset = 0
        try self.init(keep: { _ in true }, read: { count in
            let end = min(bytes.count, offset + count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }, skip: { count in
            guard offset + count <= bytes.count else { throw GradingError("a truncated tar file") }
            offset += count
        })
    }

    /// Reads a `.tar.gz` as `gzip -dc` decompresses it, never holding more than the data of the
    /// entries that ``ArchiveValidation/mayUnpack(_:)`` accepts (at most
    /// ``ArchiveValidation/maxBytes``), and never reading past
    /// ``ArchiveValidation/maxArchiveBytes`` of tar.
    public static func readGzip(_ url: URL) throws -> TarArchive {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        gzip.standardError = FileHandle.nullDevice
        gzip.standardInput = FileHandle.nullDevice
        try gzip.run()
        let output = pipe.fileHandleForReading
        var streamed = 0
        var buffer: [UInt8] = []
        var kept = 0
        do {
            let archive = try TarArchive(keep: { entry in
                guard ArchiveValidation.mayUnpack(entry) else { return false }
                kept += entry.size
                if kept > ArchiveValidation.maxBytes {
                    throw GradingError("its files outside hidden folders unpack to more than \(ArchiveValidation.maxBytes / 1024 / 1024) MB")
                }
                return true
            }, read: { count in
                while buffer.count < count, let chunk = try output.read(upToCount: max(65_536, count - buffer.count)), !chunk.isEmpty {
                    buffer += chunk
                    streamed += chunk.count
                    if streamed > ArchiveValidation.maxArchiveBytes {
                        throw GradingError("it decompresses to more than \(ArchiveValidation.maxArchiveBytes / 1024 / 1024 / 1024) GB")
                    }
                }
                let taken = Array(buffer.prefix(count))
                buffer.removeFirst(taken.count)
                return taken
            }, skip: { count in
                // Data that is not kept is read and dropped, never copied.
                var left = count - min(count, buffer.count)
                buffer.removeFirst(min(count, buffer.count))
                while left > 0 {
                    guard let chunk = try output.read(upToCount: min(left, 1 << 20)), !chunk.isEmpty else {
                        throw GradingError("a truncated tar file")
                    }
                    left -= chunk.count
                    streamed += chunk.count
                    if streamed > ArchiveValidation.maxArchiveBytes {
                        throw GradingError("it decompresses to more than \(ArchiveValidation.maxArchiveBytes / 1024 / 1024 / 1024) GB")
                    }
                }
            })
            // Read to the end, so that gzip checks the whole stream's CRC.
            while let chunk = try output.read(upToCount: 1 << 20), !chunk.isEmpty {
                streamed += chunk.count
                if streamed > ArchiveValidation.maxArchiveBytes { throw GradingError("it decompresses to more than 4 GB") }
            }
            gzip.waitUntilExit()
            guard gzip.terminationStatus == 0 else { throw GradingError("gzip could not decompress it (a damaged or not a gzip file)") }
            return archive
        } catch {
            if gzip.isRunning { gzip.terminate() }
            gzip.waitUntilExit()
            if gzip.terminationStatus != 0 && streamed == 0 {
                throw GradingError("gzip could not decompress it (a damaged or not a gzip file)")
            }
            throw error
        }
    }

    /// Reads headers and data through `read(n)`, which returns `n` bytes, or fewer at the end,
    /// and passes over data not kept with `skip(n)`.
    init(keep: (ArchiveEntry) throws -> Bool, read: (Int) throws -> [UInt8], skip: (Int) throws -> Void) throws {
        var nextName: String?
        var nextLink: String?
        while true {
            let header = try read(512)
            if header.count < 512 || header.allSatisfy({ $0 == 0 }) { break }
            guard Self.checksumMatches(header) else {
                throw GradingError("a damaged tar file (bad header checksum in entry \(entries.count + 1))")
            }
            guard let size = Self.octal(header[124..<136]) else {
                throw GradingError("a tar file with an entry size the grader does not read")
            }
            let padded = (size + 511) / 512 * 512
            let type = header[156]
            if [UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x")].contains(type) {
                guard size <= 1 << 20 else { throw GradingError("a tar file with an extended header of \(size) bytes") }
                let body = try read(padded)
                guard body.count == padded else { throw GradingError("a truncated tar file") }
                let data = Array(body.prefix(size))
                switch type {
                case UInt8(ascii: "L"): nextName = Self.cString(data[...])
                case UInt8(ascii: "K"): nextLink = Self.cString(data[...])
                default:
                    if let path = Self.paxRecord("path", data) { nextName = path }
                    if let link = Self.paxRecord("linkpath", data) { nextLink = link }
                }
                continue
            }
            var name = Self.cString(header[0..<100])
            if Array(header[257..<262]) == Array("ustar".utf8) {
                let prefix = Self.cString(header[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            if let long = nextName { name = long }
            var link = nextLink ?? Self.cString(header[157..<257])
            nextName = nil
            nextLink = nil
            let kind: ArchiveEntry.Kind? = switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): .file
            case UInt8(ascii: "5"): .directory
            case UInt8(ascii: "1"), UInt8(ascii: "2"): .link
            case UInt8(ascii: "g"): nil
            default: .other
            }
            // A hard link names its target from the archive's top; make it relative to the
            // link's own folder, as a symbolic link's is.
            if type == UInt8(ascii: "1") {
                link = String(repeating: "../", count: max(0, ArchiveValidation.components(name).count - 1)) + link
            }
            if let kind {
                let entry = ArchiveEntry(path: name, kind: kind, size: kind == .file ? size : 0, linkTarget: kind == .link ? link : nil)
                entries.append(entry)
                if entries.count > ArchiveValidation.maxListedEntries {
                    throw GradingError("it has more than \(ArchiveValidation.maxListedEntries) entries")
                }
                if kind == .file, try keep(entry) {
                    let body = try read(padded)
                    guard body.count == padded else { throw GradingError("a truncated tar file") }
                    data[entries.count - 1] = Array(body.prefix(size))
                    continue
                }
            }
            try skip(padded)
        }
    }

    /// Writes the files and folders the plan chose under `folder`. The plan must come from
    /// ``ArchiveValidation/plan(_:)`` for ``entries``.
    public func extract(_ plan: ArchiveValidation.Plan, to folder: URL) throws {
        for index in plan.unpack {
            try Submission.write(entries[index], data: data[index] ?? [], into: folder)
        }
    }

    /// Checks the archive and writes what it may unpack under `folder`.
    public func extract(to folder: URL) throws {
        try extract(try ArchiveValidation.plan(entries), to: folder)
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

    /// A record of a pax extended header (`path`, `linkpath`): lines `LENGTH KEY=VALUE\n`.
    static func paxRecord(_ key: String, _ data: [UInt8]) -> String? {
        var rest = data[...]
        while let space = rest.firstIndex(of: 32), let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)),
              length > 0, rest.startIndex + length <= rest.endIndex {
            let record = String(decoding: rest[(space + 1)..<(rest.startIndex + length - 1)], as: UTF8.self)
            if record.hasPrefix(key + "=") { return String(record.dropFirst(key.count + 1)) }
            rest = rest[(rest.startIndex + length)...]
        }
        return nil
    }
}
