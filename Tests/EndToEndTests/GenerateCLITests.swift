import Foundation
import XCTest

/// `ccelim generate`: presets write the same file for the same seed, sizes are exact, the file is a
/// graph the other commands read, and bad flags are one clear line.
final class GenerateCLITests: XCTestCase {
    let cli = CLIRunner()

    func testPresetsWriteDeterministicGraphsThatOtherCommandsRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for preset in ["rk4", "stencil2d", "mixed"] {
            let a = dir.appendingPathComponent("\(preset)-a.graph").path,
                b = dir.appendingPathComponent("\(preset)-b.graph").path
            for path in [a, b] {
                let r = try cli.run(["generate", "--preset", preset, "--equations", "300", "--seed", "7", "-o", path])
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertTrue(r.stdout.contains("300 vertices"), r.stdout)
                XCTAssertTrue(r.stdout.contains("markowitz"), r.stdout)
            }
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)), preset)
            let baselines = try cli.run(["baselines", "--json", a])
            XCTAssertEqual(baselines.status, 0, baselines.stderr)
            XCTAssertEqual(try cli.jsonObject(baselines.stdout)["vertices"] as? Int, 300)
        }
        // Large programs: written, sizes reported, baselines explicitly not computed.
        let big = dir.appendingPathComponent("big.graph").path
        let r = try cli.run(["generate", "--preset", "stencil1d", "--equations", "100000", "-o", big])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("100000 vertices") && r.stdout.contains("baselines not computed"), r.stdout)
    }

    func testBadPresetAndFlagsAreRefusedWithOneLine() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString).graph").path
        let unknown = try cli.run(["generate", "--preset", "spiral", "-o", out])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(
            unknown.stderr.contains("--preset 'spiral'") && unknown.stderr.contains("stencil2d"), unknown.stderr)
        let small = try cli.run(["generate", "--preset", "rk4", "--equations", "10", "-o", out])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.stderr.contains("--equations must be 120"), small.stderr)
        let inputs = try cli.run(["generate", "--preset", "blocks", "--inputs", "3", "-o", out])
        XCTAssertNotEqual(inputs.status, 0)
        XCTAssertTrue(inputs.stderr.contains("--preset scalar only"), inputs.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
