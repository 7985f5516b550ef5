#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import HDF5

/// The atomic-replace recipe: write a temporary file in the destination's directory, close it,
/// fsync it, rename it over the destination, fsync the directory. HDF5's close flushes its
/// buffers to the kernel but never fsyncs, and without the directory fsync a power cut can
/// forget the rename; with both, the destination is always either the old file or the new one.
enum DurableFile {
    /// A temporary name beside `destination` (same directory, so rename never crosses file
    /// systems), hidden and marked with our pid so concurrent writers never collide.
    static func temporaryPath(for destination: String) -> String {
        let url = URL(fileURLWithPath: destination)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    }

    static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }

    /// Runs `write` on a temporary path, then makes the result `destination` atomically and
    /// durably. On failure the temporary file is removed and `destination` is untouched.
    static func replace(_ destination: String, write: (String) throws -> Void) throws {
        let temporary = temporaryPath(for: destination)
        do {
            try write(temporary)
            try sync(temporary)
            try rename(temporary, to: destination)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// rename(2) then fsync of the directory that holds both names.
    static func rename(_ source: String, to destination: String) throws {
        guard Glibc.rename(source, destination) == 0 else {
            throw failure(destination, "could not rename \(source) to it")
        }
        try syncDirectory(of: destination)
    }

    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "could not open it to fsync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(path, "fsync failed") }
    }

    static func syncDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(directory, "could not open the directory to fsync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(directory, "fsync of the directory failed") }
    }

    /// Captures errno at once (before any other call can change it).
    static func failure(_ path: String, _ what: String) -> CheckpointError {
        let reason = HDF5Error.systemErrorText(errno)
        return CheckpointError(.writeFailed, path, "\(what): \(reason)")
    }
}
