#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
internal import CHDF5
internal import CHDF5Shims

/// One open HDF5 file. Groups, datasets and attributes opened from it keep it alive; `close()`
/// closes them too (HDF5's strong close degree), so a closed file is really closed on disk —
/// the checkpoint writer renames right after — and stale objects answer with `.closed`.
public final class HDF5File {
    public enum Mode: Sendable {
        case readOnly
        case readWrite
        /// Read a file another process is writing in SWMR mode; call `refresh()` on datasets
        /// to see rows appended since they were opened.
        case swmrRead
        /// Reopen a SWMR-capable file (created with `swmrCapable: true`) and write in SWMR mode
        /// straight away: existing datasets can be appended to, nothing new can be created.
        case swmrWrite
    }

    /// The path the file was opened with; every error names it.
    public let path: String
    let handle: HDF5Handle
    /// In SWMR write mode HDF5 1.10 still lets objects and attributes be created, but readers
    /// are not guaranteed to see them consistently (the SWMR docs rule it out), so we refuse.
    public private(set) var isSWMRWriter: Bool

    /// Opened (or created) for writing: closing it flushes first.
    let isWritable: Bool

    private init(path: String, id: hid_t, writable: Bool, swmrWriter: Bool = false) {
        self.path = path
        self.handle = HDF5Handle(id, .file)
        self.isWritable = writable
        self.isSWMRWriter = swmrWriter
    }

    deinit {
        try? close()
    }

    /// Creates `path`, replacing any existing file. `swmrCapable` writes the newest file format
    /// (libver bounds latest/latest), which SWMR requires and HDF5 < 1.10 cannot read.
    public static func create(_ path: String, swmrCapable: Bool = false) throws -> HDF5File {
        let fapl = try fileAccessList(path: path, latestFormat: swmrCapable)
        defer { fapl.dispose() }
        let id = try check(
            H5Fcreate(path, ccelim_h5f_acc_trunc(), ccelim_h5p_default(), fapl.id), "create file", path: path)
        return HDF5File(path: path, id: id, writable: true)
    }

    /// Opens an existing file. An empty file or one of another format throws `.notHDF5File`.
    public static func open(_ path: String, mode: Mode = .readOnly) throws -> HDF5File {
        let flags: UInt32
        switch mode {
        case .readOnly: flags = ccelim_h5f_acc_rdonly()
        case .readWrite: flags = ccelim_h5f_acc_rdwr()
        case .swmrRead: flags = ccelim_h5f_acc_rdonly() | ccelim_h5f_acc_swmr_read()
        case .swmrWrite: flags = ccelim_h5f_acc_rdwr() | ccelim_h5f_acc_swmr_write()
        }
        // HDF5 opens an empty file read-write without complaint and writes a fresh superblock
        // into it, so a checkpoint cut short by a crash would come back as a valid, empty file.
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size == 0 {
            throw HDF5Error(.notHDF5File, "open file", path: path, detail: "the file is empty")
        }
        // A damaged superblock is refused here, in microseconds; HDF5's SWMR open would retry it
        // for minutes. A file without the signature is refused here too.
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            try HDF5Superblock.check(path)
        }
        let fapl = try fileAccessList(path: path, latestFormat: false)
        defer { fapl.dispose() }
        if mode == .swmrRead {
            try check(
                H5Pset_metadata_read_attempts(fapl.id, UInt32(swmrMetadataReadAttempts)), "set metadata read attempts",
                path: path)
        }
        do {
            return HDF5File(
                path: path, id: try check(H5Fopen(path, flags, fapl.id), "open file", path: path),
                writable: mode == .readWrite || mode == .swmrWrite, swmrWriter: mode == .swmrWrite)
        } catch let error as HDF5Error where error.systemError == EWOULDBLOCK && error.stack.joined().contains("lock") {
            // flock(LOCK_NB) refused: say who, instead of "resource temporarily unavailable".
            throw HDF5Error(
                .library, "open file", path: path,
                detail: "another process holds a lock on it (a writer, or a reader that did not open it in SWMR mode)",
                stack: error.stack)
        }
    }

    /// How often an SWMR reader re-reads metadata whose checksum fails (the writer may be midway
    /// through writing it). HDF5 sleeps between attempts, each sleep longer than the last: on a
    /// damaged file its default of 100 attempts ran past 300 s, while 20 took 7 ms (measured
    /// with HDF5 1.10.8). 24 leaves a writer ample time to finish one piece of metadata.
    static let swmrMetadataReadAttempts = 24

    private static func fileAccessList(path: String, latestFormat: Bool) throws -> HDF5Handle {
        let fapl = HDF5Handle(
            try check(H5Pcreate(ccelim_h5p_file_access()), "create file access list", path: path), .propertyList)
        try check(H5Pset_fclose_degree(fapl.id, H5F_CLOSE_STRONG), "set file close degree", path: path)
        // HDF5 ≥ 1.10.7 locks files with flock(LOCK_NB): a file locked by another process fails
        // at once (never waits). Where the file system has no flock (some NFS), go on unlocked
        // rather than refuse to open.
        try check(H5Pset_file_locking(fapl.id, true, true), "set file locking", path: path)
        if latestFormat {
            let latest = ccelim_h5f_libver_latest()
            try check(H5Pset_libver_bounds(fapl.id, latest, latest), "set library version bounds", path: path)
        }
        return fapl
    }

    /// The root group; use it to create and open groups and datasets.
    public var root: HDF5Group { HDF5Group(file: self, handle: nil, name: "/") }

    /// Attributes on the root group (HDF5 has no file-level attributes of its own).
    public var attributes: HDF5Attributes { root.attributes }

    /// The file id, or `.closed` if close() already ran.
    func validID(_ operation: String) throws -> hid_t {
        if handle.isAbandoned {
            throw HDF5Error(
                .closed, operation, path: path,
                detail: "closing the file failed earlier (data could not be written), so it was given up")
        }
        guard handle.isOpen else {
            throw HDF5Error(.closed, operation, path: path, detail: "the file was already closed")
        }
        return handle.id
    }

    /// Throws for structural changes (new groups, datasets, attributes) once SWMR writing started.
    func refuseStructuralChange(_ operation: String, object: String?) throws {
        if isSWMRWriter {
            throw HDF5Error(
                .invalidArgument, operation, path: path, object: object,
                detail: "an SWMR writer may only append to existing datasets; create everything before startSWMRWrite()"
            )
        }
    }

    /// Writes all buffered data and metadata to the file (what an SWMR reader then sees).
    public func flush() throws {
        defer { withExtendedLifetime(self) {} }
        let id = try validID("flush file")
        try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "flush file", path: path)
    }

    /// Switches a file opened read-write (or just created with `swmrCapable`) into SWMR write
    /// mode. Create every dataset first: SWMR writers may only append to existing ones.
    public func startSWMRWrite() throws {
        defer { withExtendedLifetime(self) {} }
        do {
            let id = try validID("start SWMR write")
            try check(H5Fstart_swmr_write(id), "start SWMR write", path: path)
            isSWMRWriter = true
        } catch let error as HDF5Error where error.kind == .library {
            throw HDF5Error(
                .library, "start SWMR write", path: path,
                detail:
                    "the file must be writable, in the latest format (create it with swmrCapable: true), and not already in SWMR write mode",
                stack: error.stack)
        }
    }

    /// Flushes and closes the file and every object still open in it. Idempotent.
    ///
    /// A writable file is flushed first, as its own step: if that fails (a full disk, an I/O
    /// error), the file is abandoned instead of closed, because H5Fclose would fail the same way
    /// and a failed H5Fclose leaves HDF5 holding freed memory (HDF5Library). An abandoned file
    /// keeps what was flushed before on disk; nothing in it can be used again.
    public func close() throws {
        guard handle.isOpen else { return }
        defer { withExtendedLifetime(self) {} }
        if isWritable {
            do {
                try check(H5Fflush(handle.id, H5F_SCOPE_GLOBAL), "flush file before closing it", path: path)
            } catch {
                handle.abandon()
                throw error
            }
        }
        try handle.close(path: path)
    }

    /// Ids open in this file (the file itself included); for leak checks.
    func openObjectCount() throws -> Int {
        defer { withExtendedLifetime(self) {} }
        let types = ccelim_h5f_obj_all() | ccelim_h5f_obj_local()
        let id = try validID("count open objects")
        return Int(try check(H5Fget_obj_count(id, types), "count open objects", path: path))
    }

    /// Ids open across every healthy file in the process; zero when nothing leaked. (HDF5's own
    /// all-files count would walk the ids of abandoned files, whose memory HDF5 already freed.)
    static func openObjectCountInAllFiles() -> Int {
        let types = ccelim_h5f_obj_all() | ccelim_h5f_obj_local()
        return HDF5Library.openFiles.reduce(0) { sum, id in sum + Int(silenced { H5Fget_obj_count(id, types) }) }
    }
}
