#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// A run folder has one writer: an exclusive `flock` on `DIR/lock`, held for the life of the
/// process (the kernel drops it when the process ends, however it ends), with the holder's host
/// and pid written in the file so a second writer can say who holds it.
public final class RunFolderLock {
    public static let fileName = "lock"
    public let path: String
    private let fd: Int32

    /// Takes the lock at once or throws naming its holder; never waits.
    public init(directory: String) throws(RunFolderError) {
        path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunFolderError(path, "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let cause = errno
            let holder = Self.holder(fd: fd)
            close(fd)
            guard cause == EWOULDBLOCK else {
                throw RunFolderError(path, "cannot lock: \(String(cString: strerror(cause)))")
            }
            throw RunFolderError(
                path,
                "the run folder is in use by \(holder ?? "another process"); stop that run or choose another run folder"
            )
        }
        self.fd = fd
        let text = "host \(ProcessInfo.processInfo.hostName) pid \(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        _ = fsync(fd)
    }

    /// For a child process that writes the folder under its parent's lock (`ccelim train` holds
    /// it for the whole run and starts the learner): succeeds only if the lock is held now and
    /// its file names this process's parent (pid and host). The child dies with its parent
    /// (PR_SET_PDEATHSIG), so there is no moment when the folder is written without the lock
    /// held; a process that is not the holder's child is refused like any second writer.
    public static func verifyHeldByParent(directory: String) throws(RunFolderError) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RunFolderError(
                path,
                "the parent's lock is missing: \(String(cString: strerror(errno))); run without --run-folder-locked-by-parent"
            )
        }
        defer { close(fd) }
        let parent = "host \(ProcessInfo.processInfo.hostName) pid \(getppid())"
        let holder = Self.holder(fd: fd)
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            throw RunFolderError(
                path, "nobody holds the lock (expected \(parent)); run without --run-folder-locked-by-parent")
        }
        guard holder == parent else {
            throw RunFolderError(
                path,
                "the run folder is in use by \(holder ?? "another process"), not by this process's parent (\(parent)); stop that run or choose another run folder"
            )
        }
    }

    deinit {
        // Unlocks too; the file stays (removing it would race a waiting writer's open).
        close(fd)
    }

    private static func holder(fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
