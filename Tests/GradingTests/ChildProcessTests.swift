import Foundation
import Grading
import Testing

@Suite("Grading: child processes are stopped on time and their output is capped")
struct GradingChildProcessTests {
    let folder = URL(fileURLWithPath: "/")

    @Test("Exit status and output come back")
    func exitStatus() throws {
        let result = try ChildProcess.run(["sh", "-c", "echo hello; echo oops >&2; exit 3"], in: folder, timeout: 60)
        #expect(result.termination == .exited(3))
        #expect(result.output == "hello\noops\n")
    }

    @Test("An endless loop is stopped, and so is the process it started in the background")
    func timeout() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("grading-orphan-\(UUID().uuidString)")
        // The background child would create the marker after 3 s, long after the timeout.
        let script = "(sleep 3; touch '\(marker.path)') & while :; do :; done"
        let result = try ChildProcess.run(["sh", "-c", script], in: folder, timeout: 1)
        #expect(result.termination == .timedOut)
        Thread.sleep(forTimeInterval: 3.5)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the whole process group should have been killed")
    }

    @Test("A flood of output is read to the end but only the first bytes are kept")
    func outputCap() throws {
        let result = try ChildProcess.run(["sh", "-c", "yes | head -c 5000000"], in: folder,
                                          timeout: 60, captureLimit: 1000)
        #expect(result.termination == .exited(0))
        #expect(result.bytes.count == 1000)
        #expect(result.droppedBytes == 5_000_000 - 1000)
    }

    @Test("A trap is reported as a signal")
    func signal() throws {
        let result = try ChildProcess.run(["sh", "-c", "kill -ILL $$"], in: folder, timeout: 60)
        #expect(result.termination == .signalled(4))
    }
}
