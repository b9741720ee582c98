import Foundation

/// Reading and writing safetensors files, the weight format of PyTorch and HuggingFace.
///
/// A safetensors file is three parts:
///
///     8 bytes    N, the length of the header, an unsigned 64-bit integer, little-endian
///     N bytes    the header: a JSON object, UTF-8, padded with spaces
///     the rest   the data: every tensor's elements, row-major and little-endian, back to back
///
/// The header maps each tensor's name to its element type, its shape and where its bytes are,
/// as offsets from the start of the data part; an optional `__metadata__` entry holds strings:
///
///     {"__metadata__":{"format":"pt"},
///      "0.bias":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},
///      "0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[12,36]}}
///
/// The book writes `F32`, the type of its tensors. It reads `F32`, `F64`, `F16`, `BF16`, the
/// signed and unsigned integers and `BOOL`, converting each to `Float` (an integer beyond ±2²⁴,
/// or a `F64` value, is rounded to the nearest `Float`).
///
/// ```swift
/// try Safetensors.write(model.stateDict, to: URL(fileURLWithPath: "model.safetensors"))
/// try model.loadStateDict(Safetensors.read(from: URL(fileURLWithPath: "model.safetensors")))
/// ```
///
/// Names are written in sorted order, so the same tensors always give the same bytes. The book's
/// own layouts are written as they are: a `Linear` weight is [in, out], PyTorch's is [out, in].
public enum Safetensors {
    /// The element types of the format, with their sizes in bytes.
    static let elementSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
        "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1,
    ]

    /// The largest header the reader accepts (the reference implementation's limit).
    static let maximumHeaderLength = 100_000_000

    /// The bytes of a safetensors file holding `tensors` as F32, and `metadata` if not empty.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        let names = tensors.keys.sorted()
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + 4 * tensor.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        // Pad with spaces so the data starts at a multiple of 8 bytes, as the reference writer does.
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        for name in names {
            for x in tensors[name]!.scalars {
                withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// The tensors and metadata of a safetensors file's bytes.
    ///
    /// - Throws: ``SafetensorsError`` naming what is wrong: a short file, a header that is not
    ///   JSON, an unknown element type, or a tensor whose bytes do not match its shape or lie
    ///   outside the data.
    public static func decode(_ bytes: [UInt8]) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw SafetensorsError("the file has \(bytes.count) bytes; it must start with an 8-byte header length")
        }
        let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(maximumHeaderLength) else {
            throw SafetensorsError("the header length is \(length) bytes, more than the limit of \(maximumHeaderLength): this is not a safetensors file")
        }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= bytes.count else {
            throw SafetensorsError("the header should be \(length) bytes, but the file has only \(bytes.count - 8) after the length")
        }
        let headerBytes = Array(bytes[8..<headerEnd])
        guard headerBytes.first == UInt8(ascii: "{"),
              let json = try? JSONSerialization.jsonObject(with: Data(headerBytes)),
              let header = json as? [String: Any] else {
            throw SafetensorsError("the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let entry = header["__metadata__"] {
            guard let pairs = entry as? [String: Any], pairs.values.allSatisfy({ $0 is String }) else {
                throw SafetensorsError("__metadata__ must map strings to strings")
            }
            metadata = pairs.mapValues { $0 as! String }
        }
        let dataCount = bytes.count - headerEnd
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = integers(fields["shape"]), let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw SafetensorsError("tensor \"\(name)\" needs a dtype, a shape and two data_offsets")
            }
            guard let size = elementSizes[dtype] else {
                throw SafetensorsError("tensor \"\(name)\" has the element type \(dtype), which the book does not read (it reads \(elementSizes.keys.sorted().joined(separator: ", ")))")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw SafetensorsError("tensor \"\(name)\" has a negative dimension in \(shape)") }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataCount else {
                throw SafetensorsError("tensor \"\(name)\" has data_offsets [\(begin), \(end)] outside the \(dataCount) bytes of data")
            }
            let count = shape.reduce(1, *)
            guard end - begin == count * size else {
                throw SafetensorsError("tensor \"\(name)\" of shape \(shape) and type \(dtype) needs \(count * size) bytes, but data_offsets [\(begin), \(end)] give \(end - begin)")
            }
            let scalars = bytes.withUnsafeBytes { raw in
                convert(UnsafeRawBufferPointer(rebasing: raw[(headerEnd + begin)..<(headerEnd + end)]), dtype: dtype, count: count)
            }
            tensors[name] = Tensor(shape: shape, scalars: scalars)
        }
        return (tensors, metadata)
    }

    /// Writes `tensors` (and `metadata`) to a safetensors file, replacing any file there.
    public static func write(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = [:]) throws {
        do {
            try Data(encode(tensors, metadata: metadata)).write(to: url, options: .atomic)
        } catch {
            throw SafetensorsError("could not write \(url.path): \(error.localizedDescription)")
        }
    }

    /// The tensors of a safetensors file.
    public static func read(from url: URL) throws -> [String: Tensor] {
        try readWithMetadata(from: url).tensors
    }

    /// The tensors and the `__metadata__` strings of a safetensors file.
    public static func readWithMetadata(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SafetensorsError("could not read \(url.path): \(error.localizedDescription)")
        }
        do { return try decode([UInt8](data)) } catch let error as SafetensorsError {
            throw SafetensorsError("\(url.path): \(error.reason)")
        }
    }

    /// A JSON array of non-negative integers, or nil.
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            guard let number = element as? NSNumber, let exact = Int(exactly: number.doubleValue) else { return nil }
            result.append(exact)
        }
        return result
    }

    /// A string as a JSON string literal, with quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `count` little-endian elements of type `dtype` as Floats.
    static func convert(_ raw: UnsafeRawBufferPointer, dtype: String, count: Int) -> [Float] {
        func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
        }
        func each(_ f: (Int) -> Float) -> [Float] { (0..<count).map(f) }
        switch dtype {
        case "F32": return each { Float(bitPattern: load(UInt32.self, $0)) }
        case "F64": return each { Float(Double(bitPattern: load(UInt64.self, $0))) }
        case "F16": return each { halfToFloat(load(UInt16.self, $0)) }
        case "BF16": return each { Float(bitPattern: UInt32(load(UInt16.self, $0)) << 16) }
        case "I64": return each { Float(load(Int64.self, $0)) }
        case "I32": return each { Float(load(Int32.self, $0)) }
        case "I16": return each { Float(load(Int16.self, $0)) }
        case "I8": return each { Float(load(Int8.self, $0)) }
        case "U64": return each { Float(load(UInt64.self, $0)) }
        case "U32": return each { Float(load(UInt32.self, $0)) }
        case "U16": return each { Float(load(UInt16.self, $0)) }
        default: return each { Float(load(UInt8.self, $0)) }   // U8 and BOOL
        }
    }

    /// An IEEE half-precision number (1 sign bit, 5 exponent bits, 10 fraction bits) as a Float.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F), fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24                       // zero and subnormals: f·2⁻²⁴
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}

/// Why a safetensors file could not be read or written.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "safetensors: \(reason)" }
}
