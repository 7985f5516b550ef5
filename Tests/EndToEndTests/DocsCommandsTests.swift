import Foundation
import XCTest

/// The commands the READMEs and Docs show are commands the binary has: every `ccelim SUB …` they
/// write names a subcommand of `ccelim --help` (or of `ccelim SUB --help`, for `bench bound`,
/// `checkpoint info`…), and every `--flag` after it appears in that subcommand's `--help`; a
/// `ccelim WORD` written as a command (in backticks, after a path, or starting a code line) whose
/// WORD is no subcommand is found too.
/// Docs/RESULTS.md is left out: it records what was run at the time, including diagnostic flags
/// that were later removed, with the commit named.
final class DocsCommandsTests: XCTestCase {
    /// Help texts by subcommand path, from the real binary.
    private var helps: [[String]: String] = [:]

    private func help(_ path: [String]) throws -> String {
        if let h = helps[path] { return h }
        let r = try runCCElim(path + ["--help"])
        XCTAssertEqual(r.status, 0, "ccelim \(path.joined(separator: " ")) --help: \(r.stderr)")
        helps[path] = r.all
        return r.all
    }

    /// The names listed under SUBCOMMANDS: in a help text.
    private func subcommands(_ path: [String]) throws -> Set<String> {
        let text = try help(path)
        guard let start = text.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: Set<String> = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            // A subcommand's line starts with two spaces and its name; wrapped help lines are
            // indented further.
            if line.hasPrefix("  ") && !line.hasPrefix("   ") {
                names.insert(String(line.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" }))
            }
        }
        return names
    }

    /// Every (subcommand path, flag) in `text` whose flag the subcommand's help does not mention,
    /// with the line number. A command runs from `ccelim ` to a backtick, a table bar (not an
    /// escaped one, `\|`) or the end of the line.
    func unknownFlags(in text: String) throws -> [(line: Int, command: String, flag: String)] {
        let top = try subcommands([])
        // `\|` inside a table's backticks is an escaped bar of the command (`--method bnb\|ilp`).
        let command = try NSRegularExpression(pattern: "ccelim ([a-z][a-z0-9-]*)((?: (?:\\\\\\||[^`|\\n])*)?)")
        let flag = try NSRegularExpression(pattern: "(?<![\\w-])--[a-z][a-z0-9-]*")
        var unknown: [(Int, String, String)] = []
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let ns = line as NSString
            for m in command.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                let first = ns.substring(with: m.range(at: 1))
                guard top.contains(first) else {
                    // Prose ("ccelim does…") unless it is written as a command: in backticks, after
                    // a path (.build/release/ccelim) or alone at the start of a code line.
                    let before = ns.substring(to: m.range.location)
                    if before.hasSuffix("`") || before.hasSuffix("/")
                        || (!before.isEmpty && before.allSatisfy { $0 == " " })
                    {
                        unknown.append((number + 1, first, "(no such subcommand)"))
                    }
                    continue
                }
                var path = [first]
                var rest = ns.substring(with: m.range(at: 2))
                let words = rest.split(separator: " ")
                // The second word's name part: `bench game\|policy …` is `bench game` (its
                // alternatives share the flags shown).
                let second = words.first.map { String($0.prefix { $0.isLetter || $0.isNumber || $0 == "-" }) }
                if let second, try subcommands(path).contains(second) {
                    path.append(second)
                    rest = words.dropFirst().joined(separator: " ")
                }
                let text = try help(path)
                let restNS = rest as NSString
                for f in flag.matches(in: rest, range: NSRange(location: 0, length: restNS.length)) {
                    let name = restNS.substring(with: f.range)
                    // The whole flag: --pre is not --preset.
                    let whole = try NSRegularExpression(
                        pattern: NSRegularExpression.escapedPattern(for: name) + "(?![a-z0-9-])")
                    if whole.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) == nil
                    {
                        unknown.append((number + 1, path.joined(separator: " "), name))
                    }
                }
            }
        }
        return unknown
    }

    func testEveryFlagTheDocsShowIsInItsCommandsHelp() throws {
        let docs = CLITests.root.appendingPathComponent("Docs")
        var files = ["README.md", "Ops/README.md"].map { CLITests.root.appendingPathComponent($0) }
        files += try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent != "RESULTS.md" }
            .sorted { $0.path < $1.path }
        var commands = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            commands += text.components(separatedBy: "ccelim ").count - 1
            for u in try unknownFlags(in: text) {
                XCTFail("\(file.lastPathComponent):\(u.line): `ccelim \(u.command)`: \(u.flag) is not in its --help")
            }
        }
        XCTAssertGreaterThan(commands, 100, "the docs show commands")
        XCTAssertGreaterThan(helps.count, 10, "and the check read their subcommands' help")
    }

    /// The check fails where it should: a flag no command has, on a command and on a nested one.
    func testAFlagNoCommandHasIsFound() throws {
        let text = """
            Run `ccelim bound RoeFlux_1d --seconds 5 --no-such-flag --second`.
            | `ccelim bench bound --equations 60 --sideways` | a table row |
            | `ccelim bound F [--method bnb\\|ilp] [--aslant]` | past an escaped bar |
            | `ccelim bench game\\|policy --json --warp` | alternatives of a nested command |
            ccelim does not end this prose with --anything.
                .build/release/ccelim bounds RoeFlux_1d
            """
        let found = try unknownFlags(in: text)
        XCTAssertEqual(
            found.map(\.flag),
            ["--no-such-flag", "--second", "--sideways", "--aslant", "--warp", "(no such subcommand)"])
        XCTAssertEqual(found.map(\.command), ["bound", "bound", "bench bound", "bound", "bench game", "bounds"])
        XCTAssertEqual(found.map(\.line), [1, 1, 2, 3, 4, 6])
    }
}
