import Foundation
import HDF5

/// One of our HDF5 files opened for reading, after the checks every reader needs: it exists, is
/// not empty, is HDF5, carries our `format` and a `version` this build understands. Its typed
/// accessors turn a missing or mistyped attribute, group or dataset into a `.wrongSchema` error
/// that names the object, instead of HDF5's generic failure.
struct StoredFile {
    let path: String
    /// "checkpoint" or "episode log", for messages.
    let what: String
    let hdf5: HDF5File
    let version: Int64

    static func open(
        _ path: String, what: String, format: String, version supported: Int64, swmr: Bool
    ) throws -> StoredFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError(.missing, path, "no such \(what) file")
        }
        guard !isDirectory.boolValue else {
            throw CheckpointError(.notHDF5, path, "is a directory, not a \(what) file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if size == 0 {
            throw CheckpointError(
                .empty, path, "the \(what) file is empty (0 bytes): it was cut short before any data reached the disk")
        }
        let hdf5: HDF5File
        do {
            hdf5 = try HDF5File.open(path, mode: swmr ? .swmrRead : .readOnly)
        } catch let error as HDF5Error {
            throw CheckpointError.reading(path, error, what: what)
        }
        do {
            let probe = StoredFile(path: path, what: what, hdf5: hdf5, version: 0)
            let version = try probe.mapping { try probe.checkIdentity(format: format, supported: supported) }
            return StoredFile(path: path, what: what, hdf5: hdf5, version: version)
        } catch {
            try? hdf5.close()
            throw error
        }
    }

    /// Reads `format` and `version`; returns the version.
    private func checkIdentity(format: String, supported: Int64) throws -> Int64 {
        let a = hdf5.attributes
        guard try a.contains("format") else {
            throw CheckpointError(.foreign, path, "an HDF5 file without a 'format' attribute: not a ccelim \(what)")
        }
        let found: String
        do {
            found = try a.read("format", as: String.self)
        } catch let error as HDF5Error where error.kind == .typeMismatch || error.kind == .shapeMismatch {
            throw CheckpointError(
                .foreign, path, "its 'format' attribute is not a string: not a ccelim \(what)", cause: error)
        }
        guard found == format else {
            throw CheckpointError(.foreign, path, "its format is '\(found)', not '\(format)': not a ccelim \(what)")
        }
        guard try a.contains("version") else { throw schema("the root has no 'version' attribute") }
        let version = try int(hdf5.root, "version")
        guard version <= supported else {
            throw CheckpointError(
                .newerVersion, path,
                "written by a newer ccelim: \(what) version \(version), this build reads "
                    + "version \(supported) and older; upgrade ccelim to read it")
        }
        guard version >= 1 else { throw schema("version \(version) is not a valid \(what) version") }
        return version
    }

    /// Runs `body`, turning HDF5 failures into CheckpointErrors for this file.
    func mapping<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as HDF5Error {
            throw CheckpointError.reading(path, error, what: what)
        }
    }

    func schema(_ text: String) -> CheckpointError {
        CheckpointError(.wrongSchema, path, "does not follow the \(what) schema: \(text)")
    }

    // MARK: Typed access

    func group(_ parent: HDF5Group, _ name: String) throws -> HDF5Group {
        guard try parent.contains(name) else { throw schema("missing group \(parent.childPath(name))") }
        do {
            return try parent.openGroup(name)
        } catch let error as HDF5Error
            where error.kind == .library && !error.stack.joined().lowercased().contains("checksum")
        {
            throw CheckpointError(
                .wrongSchema, path, "does not follow the \(what) schema: \(parent.childPath(name)) is not a group",
                cause: error)
        }
    }

    func dataset(_ parent: HDF5Group, _ name: String) throws -> HDF5Dataset {
        guard try parent.contains(name) else { throw schema("missing dataset \(parent.childPath(name))") }
        do {
            return try parent.openDataset(name)
        } catch let error as HDF5Error
            where error.kind == .library && !error.stack.joined().lowercased().contains("checksum")
        {
            throw CheckpointError(
                .wrongSchema, path, "does not follow the \(what) schema: \(parent.childPath(name)) is not a dataset",
                cause: error)
        }
    }

    func int(_ owner: some AttributeOwner, _ name: String) throws -> Int64 {
        try attribute(owner, name, "an int64") { try $0.read(name, as: Int64.self) }
    }

    func int32(_ owner: some AttributeOwner, _ name: String) throws -> Int32 {
        try attribute(owner, name, "an int32") { try $0.read(name, as: Int32.self) }
    }

    func float(_ owner: some AttributeOwner, _ name: String) throws -> Float {
        try attribute(owner, name, "a float32") { try $0.read(name, as: Float.self) }
    }

    func double(_ owner: some AttributeOwner, _ name: String) throws -> Double {
        try attribute(owner, name, "a float64") { try $0.read(name, as: Double.self) }
    }

    func string(_ owner: some AttributeOwner, _ name: String) throws -> String {
        try attribute(owner, name, "a string") { try $0.read(name, as: String.self) }
    }

    /// A string attribute holding one item per line ("" holds none).
    func lines(_ owner: some AttributeOwner, _ name: String) throws -> [String] {
        let text = try string(owner, name)
        return text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func attribute<R>(
        _ owner: some AttributeOwner, _ name: String, _ type: String,
        _ read: (HDF5Attributes) throws -> R
    ) throws -> R {
        let label = "\(owner.name == "/" ? "" : owner.name)@\(name)"
        guard try owner.attributes.contains(name) else { throw schema("missing attribute \(label)") }
        do {
            return try read(owner.attributes)
        } catch let error as HDF5Error where error.kind == .typeMismatch || error.kind == .shapeMismatch {
            throw CheckpointError(
                .wrongSchema, path,
                "does not follow the \(what) schema: \(label) must be \(type) (\(error.detail ?? ""))", cause: error)
        }
    }
}

/// A group or dataset: both carry attributes and an absolute name.
protocol AttributeOwner {
    var attributes: HDF5Attributes { get }
    var name: String { get }
}

extension HDF5Group: AttributeOwner {
    func childPath(_ child: String) -> String { name == "/" ? "/" + child : name + "/" + child }
}

extension HDF5Dataset: AttributeOwner {}
