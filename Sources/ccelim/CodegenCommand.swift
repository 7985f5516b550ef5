import ArgumentParser
import Codegen
import Elimination
import Foundation
import Jacobian
import TaskFiles

/// `ccelim codegen PROGRAM --order ORDER --target jax|c -o PATH`: writes the program's outputs and
/// exact Jacobian, accumulated in the given elimination order, as code that runs outside ccelim —
/// the same tape `ccelim jacobian` interprets, so the same structure and multiplications.
struct CodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codegen",
        abstract: "Generate JAX or C code computing the outputs and exact Jacobian in a given elimination order.",
        discussion: """
            --target jax -o FILE.py: a module with f(*inputs) and jacobian(*inputs) -> (outputs, blocks), \
            blocks[i][j] as jax.jacrev(f, argnums=j)(*inputs)[i]; imports only jax and jax.numpy. \
            --target c -o DIR: DIR/NAME.c and DIR/NAME.h (batched float and double entry points, documented in the \
            header); --driver adds DIR/NAME_main.c, which reads a `ccelim jacobian --inputs` file and prints \
            the outputs and Jacobian as `ccelim jacobian --json` does. Build: cc -O2 DIR/*.c -lm. \
            Files are written only when the whole program was generated (temporary file, then rename). \
            --constants FILE: the values of a program's closed-over constants (as `ccelim jacobian --constants`), \
            written into the generated code. \
            See Docs/CODEGEN.md.
            """
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var program: String
    @Option(
        help:
            "fwd, rev, markowitz, best, comma-separated vertex ids, or a file holding an order (the JSON of `optimize --json` and other commands; as in `ccelim jacobian`)."
    ) var order =
        "best"
    @Option(help: "jax or c.") var target: String
    @Option(name: .shortAndLong, help: "jax: the .py file; c: the directory (created if missing).") var output: String
    @Flag(help: "c: also write NAME_main.c, a command-line driver.") var driver = false
    @Option(help: "The identifier for file and function names (default: from the program's name).") var name: String?
    @Option(help: "JSON file of the closed-over constants' values (as `ccelim jacobian --constants`).") var constants:
        String?
    @OptionGroup var graphOptions: GraphOptions

    func validate() throws {
        guard CodegenLayout.Target(rawValue: target) != nil else {
            throw ValidationError("--target must be jax or c, not '\(target)'")
        }
        if driver && target != "c" { throw ValidationError("--driver applies to --target c only") }
    }

    func run() throws {
        let graph = try GraphSource.load(program, datasets: graphOptions.datasets)
        let choice = try OrderChoice.resolve(
            order, graph: graph, spec: GameSpec(graph: graph), datasets: graphOptions.datasets)
        let language = CodegenLayout.Target(rawValue: target)!
        let constantValues = try JacobianConstants.load(constants, graph: graph)
        let compiled = try jacobianCall { () throws(JacobianError) in
            try CodegenLayout.compile(graph, order: choice.order, constants: constantValues, for: language)
        }
        let command =
            "codegen \(program) --order \(order) --target \(target)" + (driver ? " --driver" : "")
            + (name.map { " --name \($0)" } ?? "") + (constants.map { " --constants \($0)" } ?? "")
        let layout = try codegenCall { () throws(CodegenError) in
            try CodegenLayout(
                compiled: compiled, name: name,
                provenance: CodegenLayout.provenance(
                    program: program, orderName: choice.name, orderSource: choice.source, compiled: compiled,
                    command: command))
        }
        // Everything is generated before anything is written: a refusal leaves no file.
        let files: [(path: String, text: String)]
        switch language {
        case .jax:
            files = [(output, JaxEmitter.module(layout))]
        case .c:
            let sources = CEmitter.files(layout, driver: driver)
            try createDirectory(output)
            files = sources.map { ("\(output)/\($0.name)", $0.text) }
        }
        for file in files { try writeAtomically(file.text, to: file.path) }
        print(
            "\(graph.name): order \(choice.name) (\(choice.source)), \(compiled.multiplications) multiplications per sample; wrote \(files.map(\.path).joined(separator: ", "))"
        )
    }

    private func createDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError("-o \(path): exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError("-o \(path): cannot create the directory: \(error.localizedDescription)")
        }
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader sees the
/// old file or the whole new one, never a part.
func writeAtomically(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CLIError("cannot write \(path): \(error.localizedDescription)")
    }
}

/// Runs a Codegen call, turning its typed error into a user-facing one.
func codegenCall<T>(_ body: () throws(CodegenError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CLIError(error.description)
    }
}
