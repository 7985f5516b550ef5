#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import PPO

/// A run directory's checkpoints: `checkpoint.h5` (the newest) and numbered
/// `checkpoint-000123.h5` files (by update), of which the newest `keep` stay. Each numbered file
/// is written atomically first; `checkpoint.h5` then becomes a hard link to it (atomically, by
/// rename), so the newest checkpoint costs one write, and a crash at any moment leaves
/// `checkpoint.h5` either the previous checkpoint or the new one. One writer per directory.
public struct CheckpointDirectory {
    public static let latestName = "checkpoint.h5"
    public let path: String
    /// Numbered checkpoints kept (at least 1).
    public let keep: Int

    public init(path: String, keep: Int = 3) {
        self.path = path
        self.keep = max(keep, 1)
    }

    public var latestPath: String { file(Self.latestName) }

    public func numberedPath(update: Int) -> String {
        let digits = String(update)
        return file("checkpoint-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".h5")
    }

    private func file(_ name: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(name).path
    }

    /// Writes `snapshot` as `checkpoint-<updates>.h5` and `checkpoint.h5`, then deletes numbered
    /// files beyond the newest `keep`. Returns the numbered path.
    @discardableResult
    public func save(_ snapshot: TrainerSnapshot, codeVersion: String = "unknown") throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError(
                .writeFailed, path, "could not create the run directory: \(error.localizedDescription)")
        }
        let numbered = numberedPath(update: snapshot.updates)
        try CheckpointFile.write(snapshot, to: numbered, codeVersion: codeVersion)
        let link = DurableFile.temporaryPath(for: latestPath)
        unlink(link)
        if Glibc.link(numbered, link) == 0 {
            try DurableFile.rename(link, to: latestPath)
        } else {
            // No hard links here (some network or FAT file systems): write a second copy.
            try CheckpointFile.write(snapshot, to: latestPath, codeVersion: codeVersion)
        }
        try prune()
        return numbered
    }

    /// Numbered checkpoints on disk, oldest first.
    public func numbered() -> [(update: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("checkpoint-"), name.hasSuffix(".h5"),
                let update = Int(name.dropFirst("checkpoint-".count).dropLast(".h5".count))
            else { return nil }
            return (update, file(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest numbered checkpoint that reads back intact, skipping `excluding` (the file
    /// that already failed), with the reasons the newer ones were refused.
    public func newestIntact(
        excluding: String? = nil
    ) -> (path: String, snapshot: TrainerSnapshot, refused: [CheckpointError])? {
        var refused: [CheckpointError] = []
        let skip = excluding.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        for (_, candidate) in numbered().reversed()
        where URL(fileURLWithPath: candidate).standardizedFileURL.path != skip {
            do {
                return (candidate, try CheckpointFile.read(candidate), refused)
            } catch let error as CheckpointError {
                refused.append(error)
            } catch {
                refused.append(CheckpointError(.unreadable, candidate, "\(error)"))
            }
        }
        return nil
    }

    /// Deletes numbered checkpoints beyond the newest `keep`, and temporary files that a killed
    /// writer left behind (safe: one writer per directory, and ours are all renamed by now).
    func prune() throws {
        for (_, old) in numbered().dropLast(keep) {
            unlink(old)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where DurableFile.isTemporary(name) && name.hasPrefix(".checkpoint") {
            unlink(file(name))
        }
        try DurableFile.syncDirectory(of: latestPath)
    }
}
