import Checkpoint
import Console
import Foundation
import PPO

/// Where a resumed run's state comes from: the file `--resume` names, or — only with
/// `--resume-fallback`, and said out loud — the newest intact numbered checkpoint beside it.
public enum ResumeSource {
    public static func load(
        _ path: String, fallback: Bool, log: Log
    ) throws -> (path: String, snapshot: TrainerSnapshot) {
        do {
            return (path, try CheckpointFile.read(path))
        } catch let error as CheckpointError {
            guard fallback else {
                let hint =
                    error.kind == .missing
                    ? "" : "; --resume-fallback resumes from the newest intact numbered checkpoint beside it instead"
                throw SoloTrainingError("cannot resume: checkpoint \(error)\(hint)")
            }
            let directory = CheckpointDirectory(path: URL(fileURLWithPath: path).deletingLastPathComponent().path)
            guard let found = directory.newestIntact(excluding: path) else {
                throw SoloTrainingError(
                    "cannot resume: checkpoint \(error); and no intact numbered checkpoint (checkpoint-NNNNNN.h5) in \(directory.path)"
                )
            }
            log.line("train: checkpoint \(error)")
            for skipped in found.refused { log.line("train: skipping checkpoint \(skipped)") }
            log.line(
                "train: falling back to \(found.path) (update \(found.snapshot.updates)), the newest intact checkpoint in \(directory.path)"
            )
            return (found.path, found.snapshot)
        }
    }
}
