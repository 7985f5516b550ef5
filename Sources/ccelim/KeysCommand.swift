import ArgumentParser
import ClusterShell
import Foundation
import ZeroMQ

/// `ccelim keys generate -o FILE`: a CURVE key pair for the coordinator or a worker.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "CURVE key pairs for a secured cluster.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract:
                "Write a new key pair (Z85 text, mode 600) and print its public key (for allow-lists and server_public_key)."
        )

        @Option(name: .shortAndLong, help: "The key file to write (refuses to overwrite).") var output: String

        func run() throws {
            guard CurveKeyPair.isAvailable else { throw CLIError("this libzmq was built without CURVE") }
            guard !FileManager.default.fileExists(atPath: output) else {
                throw CLIError("\(output) exists; remove it first (rotating keys means updating every allow-list too)")
            }
            let pair = try CurveKeyPair.generate()
            guard
                FileManager.default.createFile(
                    atPath: output, contents: Data(KeyFile.text(pair).utf8),
                    attributes: [.posixPermissions: 0o600])
            else {
                throw CLIError("cannot write \(output)")
            }
            print(pair.publicKey)
        }
    }
}
