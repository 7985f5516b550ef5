import Console
import Foundation

/// Finds Datasets/: `--datasets DIR`, else $CCELIM_DATASETS, else ./Datasets, else the Datasets/
/// folder above the executable (so `.build/release/ccelim`, or a link to it on $PATH, works from
/// anywhere).
public enum Datasets {
    public static func directory(_ explicit: String?) throws -> String {
        let fm = FileManager.default
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["CCELIM_DATASETS"], !env.isEmpty { return env }
        if fm.fileExists(atPath: "Datasets/RoeFlux_1d.graph") { return "Datasets" }
        var dir = RunningExecutable.url.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("Datasets")
            if fm.fileExists(atPath: candidate.appendingPathComponent("RoeFlux_1d.graph").path) {
                return candidate.path
            }
            dir.deleteLastPathComponent()
        }
        throw TaskFileError(
            "cannot find the Datasets folder: run from the project root, pass --datasets DIR or set CCELIM_DATASETS")
    }

    /// Task names in the order of the paper's table (then any other graph files, sorted).
    public static let paperOrder = [
        "RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion",
        "BlackScholes_Jacobian", "Perceptron", "Encoder", "f", "g",
    ]

    public static func taskNames(in directory: String) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        let names = files.filter { $0.hasSuffix(".graph") }.map { String($0.dropLast(6)) }
        let known = paperOrder.filter(names.contains)
        return known + names.filter { !paperOrder.contains($0) }.sorted()
    }
}
