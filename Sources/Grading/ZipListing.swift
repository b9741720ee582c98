import Foundation

/// Reads a zip file's central directory (its table of contents) into ``ArchiveEntry`` values,
/// without unpacking anything, so the entries can be checked first; then reads the data of the
/// entries chosen to be unpacked, and only those.
///
/// The layout (PKWARE APPNOTE, section 4.3): the file ends with an "end of central directory"
/// record (signature `PK\u{5}\u{6}`) that gives the number of entries and the offset of the
/// central directory; each central directory header (`PK\u{1}\u{2}`) gives an entry's
/// compression method, CRC-32, sizes, its "external attributes" (the Unix mode in the high 16
/// bits, so S_IFLNK marks a symbolic link), the offset of its local header and its name. Each
/// local header (`PK\u{3}\u{4}`) is followed by the entry's data, stored (method 0) or deflated
/// (method 8). ZIP64 archives (more than 65,535 entries, or 4 GB) keep the true counts, sizes and
/// offsets in a ZIP64 end record and in extra fields, which are read too.
public enum ZipListing {
    /// One central directory header: the entry, and where and how its data is kept.
    public struct Item: Sendable {
        public let entry: ArchiveEntry
        let method: UInt16
        let flags: UInt16
        let crc: UInt32
        let compressedSize: Int
        let localHeader: Int
    }

    /// The entries of a zip file held in memory.
    public static func entries(of data: Data) throws -> [ArchiveEntry] {
        try items(in: ArchiveBytes(data)).map(\.entry)
    }

    /// The central directory, with each symbolic link's target read from its data.
    public static func items(in source: ArchiveBytes) throws -> [Item] {
        guard let end = try endRecord(source) else {
            throw GradingError("not a zip file (no end-of-central-directory record)")
        }
        let record = try source.read(at: end, count: 22)
        var count = Int(le16(record, 10))
        var directorySize = Int(le32(record, 12))
        var offset = Int(le32(record, 16))
        var directoryEnd = end
        if count == 0xFFFF || offset == 0xFFFF_FFFF || directorySize == 0xFFFF_FFFF {
            // ZIP64 (APPNOTE 4.3.14-15): a locator just before the record gives the offset of
            // the ZIP64 end record, which holds the true count, size and offset.
            guard end >= 20 else { throw GradingError("a damaged zip file (no ZIP64 locator)") }
            let locator = try source.read(at: end - 20, count: 20)
            guard le32(locator, 0) == 0x0706_4b50, let at = le64(locator, 8), at + 56 <= end - 20 else {
                throw GradingError("a damaged zip file (no ZIP64 locator)")
            }
            let zip64 = try source.read(at: at, count: 56)
            guard le32(zip64, 0) == 0x0606_4b50, let total = le64(zip64, 32), let size = le64(zip64, 40), let start = le64(zip64, 48) else {
                throw GradingError("a damaged zip file (bad ZIP64 end record)")
            }
            (count, directorySize, offset, directoryEnd) = (total, size, start, at)
        }
        guard count <= ArchiveValidation.maxListedEntries else {
            throw GradingError("it has \(count) entries (the limit is \(ArchiveValidation.maxListedEntries))")
        }
        guard offset + directorySize <= directoryEnd else { throw GradingError("a damaged zip file (bad central directory)") }
        let bytes = try source.read(at: offset, count: directorySize)
        var items: [Item] = []
        var position = 0
        for _ in 0..<count {
            guard position + 46 <= bytes.count, le32(bytes, position) == 0x0201_4b50 else {
                throw GradingError("a damaged zip file (bad central directory)")
            }
            let madeBy = le16(bytes, position + 4) >> 8
            let flags = le16(bytes, position + 8)
            let method = le16(bytes, position + 10)
            let crc = le32(bytes, position + 16)
            let compressed = le32(bytes, position + 20)
            let size = le32(bytes, position + 24)
            let nameLength = Int(le16(bytes, position + 28))
            let extraLength = Int(le16(bytes, position + 30))
            let commentLength = Int(le16(bytes, position + 32))
            let external = le32(bytes, position + 38)
            let local = le32(bytes, position + 42)
            guard position + 46 + nameLength <= bytes.count else {
                throw GradingError("a damaged zip file (a name runs past the end)")
            }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            let extra = Array(bytes[min(bytes.count, position + 46 + nameLength)..<min(bytes.count, position + 46 + nameLength + extraLength)])
            guard let sizes = zip64Sizes(extra, size: size, compressed: compressed, local: local) else {
                throw GradingError("a damaged zip file (bad ZIP64 sizes for \(ArchiveValidation.quoted(name)))")
            }
            items.append(Item(entry: ArchiveEntry(path: name, kind: kind(name: name, madeBy: madeBy, external: external), size: sizes.size),
                              method: method, flags: flags, crc: crc, compressedSize: sizes.compressed, localHeader: sizes.local))
            position += 46 + nameLength + extraLength + commentLength
        }
        // A link's target is its data: read it for the links that are not skipped, so the
        // checks can tell a link inside the archive from one that leads out.
        let links = items.indices.filter { items[$0].entry.kind == .link && !items[$0].entry.components.contains(where: ArchiveValidation.isSkippedName) }
        if !links.isEmpty {
            let targets = try data(of: links.map { items[$0] }, in: source, limit: 64 * 1024)
            for (index, target) in zip(links, targets) {
                let entry = items[index].entry
                items[index] = Item(entry: ArchiveEntry(path: entry.path, kind: .link, size: entry.size,
                                                        linkTarget: String(decoding: target, as: UTF8.self)),
                                    method: items[index].method, flags: items[index].flags, crc: items[index].crc,
                                    compressedSize: items[index].compressedSize, localHeader: items[index].localHeader)
            }
        }
        return items
    }

    /// The unpacked data of `items`, each checked against its CRC-32.
    ///
    /// Stored entries are copied. Deflated entries are each wrapped as a gzip member (a 10-byte
    /// header, the same deflate stream, then the CRC-32 and size the central directory gives),
    /// and all of them go through one `gzip -dc`, which checks every member's CRC and size; its
    /// output is then cut at the known sizes.
    public static func data(of items: [Item], in source: ArchiveBytes, limit: Int = ArchiveValidation.maxBytes) throws -> [[UInt8]] {
        var result = [[UInt8]](repeating: [], count: items.count)
        var deflated: [Int] = []
        var members: [UInt8] = []
        var expected = 0
        for (index, item) in items.enumerated() {
            let name = ArchiveValidation.quoted(item.entry.path)
            if item.flags & 1 != 0 { throw GradingError("entry \(name) is encrypted; zip the folder again without a password") }
            guard item.entry.size <= limit, item.compressedSize <= ArchiveValidation.maxArchiveBytes else {
                throw GradingError("entry \(name) is too large")
            }
            let header = try source.read(at: item.localHeader, count: 30)
            guard le32(header, 0) == 0x0403_4b50 else { throw GradingError("a damaged zip file (bad local header for \(name))") }
            let start = item.localHeader + 30 + Int(le16(header, 26)) + Int(le16(header, 28))
            let raw = try source.read(at: start, count: item.compressedSize)
            switch item.method {
            case 0:
                guard raw.count == item.entry.size, ZipWriter.crc32(raw) == item.crc else {
                    throw GradingError("a damaged zip file (entry \(name) does not match its checksum)")
                }
                result[index] = raw
            case 8:
                members += [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff] + raw + ZipWriter.le32(item.crc) + ZipWriter.le32(UInt32(item.entry.size))
                deflated.append(index)
                expected += item.entry.size
            default:
                throw GradingError("entry \(name) is compressed with method \(item.method), which the grader does not read; zip the folder again with the usual settings (deflate)")
            }
        }
        guard !deflated.isEmpty else { return result }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("book-grade-\(getpid())-\(UUID().uuidString.prefix(8)).gz")
        try Data(members).write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try ChildProcess.run(["gzip", "-dc", scratch.path], in: scratch.deletingLastPathComponent(), timeout: 300,
                                       captureLimit: expected + 1)
        guard run.succeeded, run.droppedBytes == 0, run.bytes.count == expected else {
            throw GradingError("a damaged zip file (a compressed entry does not unpack to its size and checksum)")
        }
        var position = 0
        for index in deflated {
            result[index] = Array(run.bytes[position..<(position + items[index].entry.size)])
            position += items[index].entry.size
        }
        return result
    }

    /// An entry's sizes and local header offset: each field that reads 0xFFFFFFFF is in the
    /// ZIP64 extra field (id 1), as 8 bytes, in the order size, compressed size, offset.
    static func zip64Sizes(_ extra: [UInt8], size: UInt32, compressed: UInt32, local: UInt32) -> (size: Int, compressed: Int, local: Int)? {
        var values = [Int(size), Int(compressed), Int(local)]
        let wide = [size, compressed, local].map { $0 == 0xFFFF_FFFF }
        guard wide.contains(true) else { return (values[0], values[1], values[2]) }
        var position = 0
        while position + 4 <= extra.count {
            let id = le16(extra, position), length = Int(le16(extra, position + 2))
            if id == 1 {
                var field = position + 4
                for index in 0..<3 where wide[index] {
                    guard field + 8 <= position + 4 + length, field + 8 <= extra.count, let value = le64(extra, field) else { return nil }
                    values[index] = value
                    field += 8
                }
                return (values[0], values[1], values[2])
            }
            position += 4 + length
        }
        return nil
    }

    /// The entry's kind from its Unix mode when the archive was made on Unix (host 3), else from
    /// the trailing slash (or backslash) that marks a folder.
    static func kind(name: String, madeBy: UInt16, external: UInt32) -> ArchiveEntry.Kind {
        let mode = external >> 16
        if madeBy == 3, mode != 0 {
            switch mode & 0o170000 {
            case 0o100000: return .file
            case 0o040000: return .directory
            case 0o120000: return .link
            default: return .other
            }
        }
        return name.hasSuffix("/") || name.hasSuffix("\\") ? .directory : .file
    }

    /// The offset of the end-of-central-directory record: the last `PK\u{5}\u{6}` within the
    /// final 22 + 65,535 bytes (the record plus the longest comment).
    static func endRecord(_ source: ArchiveBytes) throws -> Int? {
        guard source.size >= 22 else { return nil }
        let lowest = max(0, source.size - 22 - 65_535)
        let tail = try source.read(at: lowest, count: source.size - lowest)
        var position = tail.count - 22
        while position >= 0 {
            if le32(tail, position) == 0x0605_4b50 { return lowest + position }
            position -= 1
        }
        return nil
    }

    static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16
    }

    /// An 8-byte field, or nil when it does not fit an `Int`.
    static func le64(_ bytes: [UInt8], _ at: Int) -> Int? {
        Int(exactly: UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32)
    }
}

/// An archive's bytes, read where they are needed: from a file on disk, never loaded whole (a
/// zipped clone with its build folder can be hundreds of megabytes), or from memory.
public final class ArchiveBytes {
    public let size: Int
    private let handle: FileHandle?
    private let memory: Data?

    public init(_ data: Data) {
        size = data.count
        memory = data
        handle = nil
    }

    public init(file url: URL) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw GradingError("the file could not be read") }
        self.handle = handle
        size = Int(try handle.seekToEnd())
        memory = nil
    }

    deinit { try? handle?.close() }

    /// Exactly `count` bytes from `offset`, or an error saying the archive is cut short.
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= size else { throw GradingError("a truncated archive") }
        if let memory { return [UInt8](memory[(memory.startIndex + offset)..<(memory.startIndex + offset + count)]) }
        try handle!.seek(toOffset: UInt64(offset))
        let data = try handle!.read(upToCount: count) ?? Data()
        guard data.count == count else { throw GradingError("a truncated archive") }
        return [UInt8](data)
    }
}
