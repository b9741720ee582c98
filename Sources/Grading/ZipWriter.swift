import Foundation

/// Writes a zip file with every entry stored (not compressed), made on Unix so that each
/// entry's mode (a file, an executable, a folder, a symbolic link) travels with it.
///
/// The layout (PKWARE APPNOTE, section 4.3): for each entry a local header and its bytes, then
/// the central directory (one header per entry, with the Unix mode in the high 16 bits of the
/// external attributes), then the end-of-central-directory record. ``ZipListing`` reads it back.
///
/// ```swift
/// let zip = ZipWriter.zip([.init(path: "run_autograder", contents: script, mode: 0o100755)])
/// ```
public enum ZipWriter {
    public struct Entry: Sendable {
        public let path: String
        public let contents: [UInt8]
        /// The Unix mode with its file type: 0o100644 a file, 0o100755 an executable,
        /// 0o040755 a folder, 0o120777 a symbolic link (whose contents are the target).
        public let mode: UInt32

        public init(path: String, contents: [UInt8], mode: UInt32 = 0o100644) {
            self.path = path
            self.contents = contents
            self.mode = mode
        }
    }

    public static func zip(_ entries: [Entry]) -> Data {
        var body: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.path.utf8)
            let data = entry.contents
            let crc = crc32(data)
            let offset = UInt32(body.count)
            // Version 1.0, no flags, stored, a fixed date (1 January 1980 + 1 day: 0x21).
            body += le32(0x0403_4b50) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0x21)
            body += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
            body += le16(UInt16(name.count)) + le16(0) + name + data
            directory += le32(0x0201_4b50) + le16(3 << 8 | 20) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0x21)
            directory += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
            directory += le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0)
            directory += le32(entry.mode << 16) + le32(offset) + name
        }
        let end = le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
            + le32(UInt32(directory.count)) + le32(UInt32(body.count)) + le16(0)
        return Data(body + directory + end)
    }

    /// The CRC-32 of the zip format (polynomial 0xEDB88320, reflected).
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8)
        }
        return ~crc
    }

    /// The CRC of each byte value, so that a byte costs one lookup rather than eight shifts.
    static let crcTable: [UInt32] = (0..<256).map { value in
        var crc = UInt32(value)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xffff)) + le16(UInt16(value >> 16)) }
}
