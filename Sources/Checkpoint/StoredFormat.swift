import HDF5

/// Which of our formats a file holds, read from its `format` attribute, or nil if none of ours.
public enum StoredFormat: String, Sendable {
    case checkpoint = "ccelim-checkpoint"
    case episodeLog = "ccelim-episodes"

    /// Opens as an SWMR reader first (a live log refuses plain readers), then plainly.
    public static func of(_ path: String) -> StoredFormat? {
        for mode in [HDF5File.Mode.swmrRead, .readOnly] {
            guard let file = try? HDF5File.open(path, mode: mode) else { continue }
            defer { try? file.close() }
            return (try? file.attributes.read("format", as: String.self)).flatMap(StoredFormat.init(rawValue:))
        }
        return nil
    }
}
