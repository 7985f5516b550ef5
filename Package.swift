// swift-tools-version:6.0
// ccelim: learned cross-country elimination orders for Jacobians, trained as a cluster.
// Layout: one system-library target per C library (C…), exactly one Swift module wrapping each,
// pure cores (Elimination, NeuralNet, PPO, …) and the `ccelim` executable as the thin shell.
import PackageDescription

let package = Package(
    name: "ccelim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ccelim", targets: ["ccelim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: C libraries (Debian packages, installed by Ops/install-deps)
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", pkgConfig: "libzmq"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial"),
        .target(name: "CHDF5Shims", dependencies: ["CHDF5"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "CHDF5Shims"]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "CProcessShims"),

        // MARK: Pure cores
        .target(name: "Checkpoint", dependencies: ["HDF5", "PPO"]),
        .target(name: "Wire"),
        .target(name: "PPO", dependencies: ["Elimination", "NeuralNet"]),
        .target(name: "Cluster", dependencies: ["PPO", "Wire", "Elimination", "NeuralNet", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "NeuralNet", dependencies: ["CBLAS", "Randomness"]),
        .target(name: "Elimination", dependencies: ["Randomness"]),
        .target(name: "Randomness"),
        .target(name: "Console"),
        .target(name: "Search", dependencies: ["Elimination"]),
        .target(name: "Jacobian", dependencies: ["Elimination"]),

        // MARK: Shells (sockets, threads, signals) around the pure cores
        .target(name: "ClusterShell", dependencies: ["Cluster", "Wire", "ZeroMQ", "PPO", "Elimination", "NeuralNet", "Checkpoint", "CProcessShims"]),

        // MARK: The executable
        .executableTarget(
            name: "ccelim",
            dependencies: [
                "Console",
                "Elimination",
                "Search",
                "Jacobian",
                "PPO",
                "NeuralNet",
                "Checkpoint",
                "Cluster",
                "ClusterShell",
                "Wire",
                "ZeroMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .target(name: "TestFixtures", dependencies: ["PPO", "Elimination", "NeuralNet"], path: "Tests/TestFixtures"),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "TestFixtures", "Randomness"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "Randomness"]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "Wire", "Randomness"]),
        .testTarget(name: "PPOTests", dependencies: ["PPO", "TestFixtures"]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "Wire", "PPO"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"]),
        .testTarget(name: "EliminationTests", dependencies: ["Elimination"]),
        .testTarget(name: "SearchTests", dependencies: ["Search"]),
        .testTarget(name: "JacobianTests", dependencies: ["Jacobian"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ccelim", "ZeroMQ", "Wire", "TestFixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
