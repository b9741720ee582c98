import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The safetensors reader and writer: a file written by Python's safetensors package, the exact
/// bytes of the format, round trips through memory and files, and the messages for broken files.
@Suite("Chapter 2: safetensors files")
struct Chapter2SafetensorsTests {
    @Test("A file saved by Python's safetensors package reads back with every type, shape and value")
    func readsPythonFile() throws {
        let (tensors, metadata) = try Safetensors.decode(SafetensorsFixture.bytes)
        #expect(metadata == SafetensorsFixture.metadata)
        #expect(Set(tensors.keys) == Set(SafetensorsFixture.tensors.keys))
        for (name, expected) in SafetensorsFixture.tensors {
            let got = tensors[name]
            #expect(got?.shape == expected.shape, "\(name) (\(expected.dtype)): shape \(String(describing: got?.shape)), expected \(expected.shape)")
            #expect(got?.scalars == expected.values, "\(name) (\(expected.dtype)): values \(String(describing: got?.scalars)), expected \(expected.values)")
        }
    }

    @Test("The writer produces byte for byte the file Python's safetensors package writes")
    func writesPythonBytes() {
        let tensors = SafetensorsFixture.float32Tensors.mapValues { Tensor(shape: $0.shape, scalars: $0.values) }
        let bytes = Safetensors.encode(tensors)
        #expect(bytes == SafetensorsFixture.float32Bytes,
                "the header should read \(String(decoding: SafetensorsFixture.float32Bytes[8..<min(200, SafetensorsFixture.float32Bytes.count)], as: UTF8.self)), got \(String(decoding: bytes[8..<min(200, bytes.count)], as: UTF8.self))")
    }

    @Test("The layout: an 8-byte little-endian length, a JSON header padded to 8, then little-endian floats")
    func layout() {
        let bytes = Safetensors.encode(["w": Tensor([1, -2])])
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#   // 54 bytes, padded to 56
        #expect(Array(bytes[0..<8]) == [56, 0, 0, 0, 0, 0, 0, 0], "the header length 56, little-endian")
        #expect(String(decoding: bytes[8..<64], as: UTF8.self) == header + "  ")
        #expect(Array(bytes[64...]) == [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0], "1.0 and −2.0 as little-endian float32")
    }

    @Test("Round trips keep names, shapes and every bit: scalars, empty tensors, NaN, ∞, −0, awkward names")
    func roundTrip() throws {
        var rng = SeededRandom(seed: 8)
        let tensors: [String: Tensor] = [
            "encoder.0.weight": Tensor.randomNormal([3, 5], rng: &rng),
            "scalar": Tensor(3.25),
            "empty": Tensor.zeros([2, 0, 3]),
            "edges": Tensor([.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]),
            "quote \" and \\ and ñ": Tensor([1]),
        ]
        let metadata = ["note": "line one\nline \"two\""]
        let (back, backMetadata) = try Safetensors.decode(Safetensors.encode(tensors, metadata: metadata))
        #expect(backMetadata == metadata)
        #expect(Set(back.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            #expect(back[name]?.shape == tensor.shape, "\(name)")
            #expect(back[name]?.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name): every bit must survive")
        }
    }

    @Test("A model saved to a file and loaded into a fresh model computes the same outputs")
    func modelThroughFile() throws {
        var rng = SeededRandom(seed: 9)
        let trained = Sequential([Linear(4, 6, rng: &rng), GELU(), Linear(6, 2, rng: &rng)])
        let fresh = Sequential([Linear(4, 6, rng: &rng), GELU(), Linear(6, 2, rng: &rng)])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chapter2-safetensors-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try Safetensors.write(trained.stateDict, to: url, metadata: ["format": "pt"])
        try fresh.loadStateDict(Safetensors.read(from: url))
        let x = Variable.constant(Tensor.randomNormal([3, 4], rng: &rng))
        #expect(fresh(x).value == trained(x).value)
        #expect(try Safetensors.readWithMetadata(from: url).metadata == ["format": "pt"])
    }

    @Test("Broken files are refused with a message that says what is wrong")
    func brokenFiles() {
        func reason(_ bytes: [UInt8]) -> String {
            do {
                _ = try Safetensors.decode(bytes)
                return "no error"
            } catch let error as SafetensorsError {
                return error.description
            } catch {
                return "\(error)"
            }
        }
        func file(_ header: String, data: [UInt8] = []) -> [UInt8] {
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + data
        }
        #expect(reason([1, 2, 3]).contains("must start with an 8-byte header length"))
        #expect(reason([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).contains("more than the limit"))
        #expect(reason([100, 0, 0, 0, 0, 0, 0, 0, 0x7b]).contains("the header should be 100 bytes"))
        #expect(reason(file("[1, 2]")).contains("not a JSON object"))
        #expect(reason(file(#"{"x":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0])).contains("F8_E4M3, which the book does not read"))
        #expect(reason(file(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)))
            .contains("of shape [3] and type F32 needs 12 bytes, but data_offsets [0, 8] give 8"))
        #expect(reason(file(#"{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: Array(repeating: 0, count: 8)))
            .contains("outside the 8 bytes of data"))
        #expect(reason(file(#"{"x":{"dtype":"F32","shape":[2]}}"#)).contains("needs a dtype, a shape and two data_offsets"))
        #expect(throws: SafetensorsError.self) { try Safetensors.read(from: URL(fileURLWithPath: "/nonexistent/model.safetensors")) }
    }
}
