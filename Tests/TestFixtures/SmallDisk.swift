import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tmpfs of a few hundred kilobytes mounted at a fresh directory, for tests that need a real
/// ENOSPC ("no space left on device"). Mounting needs root (CI runs as root); elsewhere `mount`
/// returns nil and the test skips, saying why. `fill(leaving:)` takes the space away with a filler
/// file and `free()` gives it back, so one run can hit a full disk and then go on.
public final class SmallDisk {
    public let path: String
    private var filler: String { path + "/filler" }

    public static let skipReason = "needs root to mount a small tmpfs for a real ENOSPC (CI runs as root)"

    private init(path: String) { self.path = path }

    public static func mount(kilobytes: Int) throws -> SmallDisk? {
        guard geteuid() == 0 else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-small-disk-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]) == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        return SmallDisk(path: path)
    }

    /// Writes a filler file until fewer than `bytes` remain free.
    public func fill(leaving bytes: Int = 0) throws {
        let fd = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let block = [UInt8](repeating: 0xab, count: 4096)
        while freeBytes > bytes {
            let n = min(block.count, max(1, freeBytes - bytes))
            if write(fd, block, n) <= 0 { break }
        }
    }

    public func free() {
        unlink(filler)
    }

    public var freeBytes: Int {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return 0 }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }

    /// Lazily (`umount -l`): a test process may still hold a file here open on purpose (an HDF5
    /// file abandoned after a failed flush is never closed), which would make a plain umount fail
    /// with EBUSY and leave the mount behind; the kernel frees it when the last descriptor closes.
    public func unmount() {
        _ = try? Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
