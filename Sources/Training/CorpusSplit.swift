import Foundation

/// The train / held-out split of Datasets/corpus (manifest.json, `split` per program): what every
/// command that trains on corpus programs reads, so held-out programs are never trained on.
public struct CorpusSplit: Sendable, Equatable {
    /// Train programs, in manifest order.
    public var train: [String]
    /// Held-out programs: refused as training data.
    public var heldOut: Set<String>

    public init(train: [String], heldOut: Set<String>) {
        self.train = train
        self.heldOut = heldOut
    }

    /// The split of a manifest's JSON text (`programs[].name`, `programs[].split`: train or heldout).
    public init(manifest data: Data, path: String = "manifest.json") throws {
        struct Manifest: Decodable {
            struct Program: Decodable {
                var name: String
                var split: String
            }
            var programs: [Program]
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw SoloTrainingError("\(path) is not a corpus manifest (programs[].name and .split): \(error)")
        }
        var train: [String] = []
        var heldOut = Set<String>()
        for program in manifest.programs {
            switch program.split {
            case "train": train.append(program.name)
            case "heldout": heldOut.insert(program.name)
            default:
                throw SoloTrainingError(
                    "\(path): program \(program.name) has split '\(program.split)'; use train or heldout")
            }
        }
        self.init(train: train, heldOut: heldOut)
    }

    /// Datasets/corpus/manifest.json below `datasets`.
    public static func read(datasets: String) throws -> CorpusSplit {
        let path = (datasets as NSString).appendingPathComponent("corpus/manifest.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SoloTrainingError(
                "cannot read \(path): training on the corpus needs its split (pass --datasets DIR with corpus/manifest.json)"
            )
        }
        return try CorpusSplit(manifest: data, path: path)
    }

    /// The jaxpr file of corpus program `name` below `datasets`.
    public static func jaxprPath(_ name: String, datasets: String) -> String {
        (datasets as NSString).appendingPathComponent("corpus/jaxpr/\(name).jaxpr")
    }

    /// Refuses training data that names a held-out program (by graph name: a corpus jaxpr's name is
    /// its file name).
    public func refuseHeldOut(_ names: [String]) throws {
        let refused = names.filter(heldOut.contains)
        guard refused.isEmpty else {
            throw SoloTrainingError(
                "\(refused.joined(separator: ", ")) \(refused.count == 1 ? "is a held-out program" : "are held-out programs") of Datasets/corpus (manifest split heldout): held-out programs are never trained on; train on the split's train programs (ccelim pretrain without --task)"
            )
        }
    }
}
