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

#if os(Linux)
@Suite("Grading: limits on the processes that run student code")
struct GradingLimitTests {
    let folder = URL(fileURLWithPath: "/")
    let limits = ResourceLimits(memoryMB: 512, fileMB: 1, processes: 20, cpuSeconds: 7)
    var child: ChildLimits {
        ChildLimits(limits, enforcement: limits.enforcement(runningIn: URL(fileURLWithPath: NSTemporaryDirectory())))
    }

    @Test("Memory, file size and CPU time are set in the child before the program starts; root runs it as nobody")
    func limitsSet() throws {
        let result = try ChildProcess.run(["sh", "-c", "ulimit -v; ulimit -f; ulimit -t; id -u"], in: folder, timeout: 30, limits: child)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.prefix(3) == ["524288", "2048", "7"], "address space in KB, file size in 512-byte blocks, CPU seconds: \(result.output)")
        if getuid() == 0 {
            #expect(lines.last == "65534", "a grader running as root runs student code as nobody: \(result.output)")
        }
    }

    @Test("A file written without end stops at the size limit")
    func endlessFile() throws {
        let script = "f=$(mktemp); head -c 5000000 /dev/zero > \"$f\"; echo \"status $?\"; wc -c < \"$f\"; rm -f \"$f\""
        let result = try ChildProcess.run(["sh", "-c", script], in: folder, timeout: 30, limits: child)
        #expect(result.output.contains("status 153"), "head ends with SIGXFSZ (128 + 25): \(result.output)")
        #expect(result.output.contains("1048576"), "the file stops at 1 MB: \(result.output)")
    }

    @Test("A loop that starts processes hits the process limit, and what it started is stopped with it")
    func processLoop() throws {
        let enforcement = limits.enforcement(runningIn: URL(fileURLWithPath: NSTemporaryDirectory()))
        try #require(enforcement.processLimit, "\(enforcement.notes)")
        let script = "i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done; echo looped"
        let result = try ChildProcess.run(["sh", "-c", script], in: folder, timeout: 30, limits: child)
        #expect(result.output.contains("fork"), "some of the 60 could not start: \(result.output)")
        #expect(result.leftBehind >= 10 && result.leftBehind <= 20, "the sleeps still running were counted, then killed: \(result.leftBehind)")
    }

    @Test("Without network when the machine allows it, and the grader says which")
    func network() throws {
        let enforcement = limits.enforcement(runningIn: URL(fileURLWithPath: NSTemporaryDirectory()))
        let result = try ChildProcess.run(["cat", "/proc/net/dev"], in: folder, timeout: 30, limits: child)
        let interfaces = result.output.split(separator: "\n").dropFirst(2).map { $0.split(separator: ":")[0].trimmingCharacters(in: .whitespaces) }
        if enforcement.networkOff {
            #expect(interfaces == ["lo"], "only a loopback device: \(result.output)")
        } else {
            #expect(enforcement.notes.contains { $0.contains("can use the network") })
        }
    }
}
#endif
