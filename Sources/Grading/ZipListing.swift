import Foundation

/// Reads a zip file's central directory (its table of contents) into ``ArchiveEntry`` values,
/// without unpacking anything, so the entries can be checked first.
///
/// The layout (PKWARE APPNOTE, section 4.3): the file ends with an "end of central directory"
/// record (signature `PK\u{5}\u{6}`) that gives the number of entries and the offset of the
/// central directory; each central directory header (`PK\u{1}\u{2}`) gives an entry's sizes, its
/// "external attributes" (the Unix mode in the high 16 bits, so S_IFLNK marks a symbolic link)
/// and its name.
public enum ZipListing {
    public static func entries(of data: Data) throws -> [ArchiveEntry] {
        let bytes = [UInt8](data)
        guard let end = endRecord(bytes) else {
            throw GradingError("not a zip file (no end-of-central-directory record)")
        }
        let count = Int(le16(bytes, end + 10))
        let offset = Int(le32(bytes, end + 16))
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            throw GradingError("a ZIP64 archive, which the grader does not read; zip the folder again without ZIP64")
        }
        var entries: [ArchiveEntry] = []
        var position = offset
        for _ in 0..<count {
            guard position + 46 <= bytes.count, le32(bytes, position) == 0x0201_4b50 else {
                throw GradingError("a damaged zip file (bad central directory)")
            }
            let madeBy = le16(bytes, position + 4) >> 8
            let size = le32(bytes, position + 24)
            let nameLength = Int(le16(bytes, position + 28))
            let extraLength = Int(le16(bytes, position + 30))
            let commentLength = Int(le16(bytes, position + 32))
            let external = le32(bytes, position + 38)
            guard position + 46 + nameLength <= bytes.count else {
                throw GradingError("a damaged zip file (a name runs past the end)")
            }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            if size == 0xFFFF_FFFF {
                throw GradingError("a ZIP64 archive, which the grader does not read; zip the folder again without ZIP64")
            }
            entries.append(ArchiveEntry(path: name, kind: kind(name: name, madeBy: madeBy, external: external), size: Int(size)))
            position += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The entry's kind from its Unix mode when the archive was made on Unix (host 3), else from
    /// the trailing slash that marks a folder.
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
        return name.hasSuffix("/") ? .directory : .file
    }

    /// The offset of the end-of-central-directory record: the last `PK\u{5}\u{6}` within the
    /// final 22 + 65,535 bytes (the record plus the longest comment).
    static func endRecord(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 65_535)
        var position = bytes.count - 22
        while position >= lowest {
            if le32(bytes, position) == 0x0605_4b50 { return position }
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
}
