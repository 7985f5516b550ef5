import Foundation

/// The generalist policy that ships with ccelim (Datasets/policies/, README there): found like the
/// Datasets folder, so `ccelim optimize` works from anywhere in a checkout.
public enum ShippedPolicy {
    /// Path below the Datasets folder.
    public static let relativePath = "policies/generalist.h5"

    /// The shipped checkpoint in `datasets`, if that folder has one.
    public static func path(inDatasets datasets: String) -> String? {
        let path = (datasets as NSString).appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
