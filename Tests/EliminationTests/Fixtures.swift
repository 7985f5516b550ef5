import Foundation
import XCTest
@testable import Elimination

/// Paths and readers for the project's Datasets and the reference fixtures (Tests/Fixtures).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let datasets = root.appendingPathComponent("Datasets")
    static let reference = root.appendingPathComponent("Tests/Fixtures/reference")

    /// The error reading `text` as a graph file gives; a test failure (and nil) when it is read.
    static func graphFileRefusal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ImportError? {
        do {
            _ = try GraphFile.read(text, path: "x.graph")
            XCTFail("accepted a bad graph file", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    static let taskNames = [
        "RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion",
        "BlackScholes_Jacobian", "Perceptron", "Encoder", "f", "g",
    ]

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: reference.appendingPathComponent(relative))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// A task as the project ships it: Datasets/NAME.graph.
    static func dataset(_ name: String) throws -> ComputationalGraph {
        let url = datasets.appendingPathComponent("\(name).graph")
        return try GraphFile.read(try text(url), path: url.path)
    }

    static func jaxpr(_ name: String) throws -> String {
        try text(datasets.appendingPathComponent("jaxpr/\(name).jaxpr"))
    }

    static func tasks() throws -> [String: [String: Any]] {
        try json("tasks.json")["tasks"] as! [String: [String: Any]]
    }

    static func microCases() throws -> [[String: Any]] {
        try json("micro_cases.json")["cases"] as! [[String: Any]]
    }
}

extension [String: Any] {
    func ints(_ key: String) -> [Int] { (self[key] as! [Any]).map { ($0 as! NSNumber).intValue } }
    func int(_ key: String) -> Int { (self[key] as! NSNumber).intValue }
}
