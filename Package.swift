// swift-tools-version:6.0
// ccelim: learned cross-country elimination orders for Jacobians, trained as a cluster.
// Layout: one system-library target per C library (C…), exactly one Swift module wrapping each,
// pure cores (Elimination, NeuralNet, PPO, …), libraries for the commands' work (TaskFiles, Benchmarks,
// Reports) and the `ccelim` executable as the thin shell. Ops/check-imports keeps dependencies = imports.
import PackageDescription

let package = Package(
    name: "ccelim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ccelim", targets: ["ccelim"])
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
        .systemLibrary(name: "CCbc", path: "Sources/CCbc", pkgConfig: "cbc"),
        .target(name: "CHDF5Shims", dependencies: ["CHDF5"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "CHDF5Shims"]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "CProcessShims"),

        // MARK: Pure cores
        .target(name: "Checkpoint", dependencies: ["AlphaZero", "HDF5", "PPO", "NeuralNet", "Checksum"]),
        .target(name: "Wire", dependencies: ["Checksum", "Console"]),
        .target(name: "PPO", dependencies: ["Elimination", "NeuralNet", "Randomness"]),
        .target(
            name: "Cluster",
            dependencies: [
                "AlphaZero", "PPO", "Wire", "Elimination", "Console", .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        // Optimised in debug builds too, as NeuralNet: the search and the update's loops run
        // tens of times slower unoptimised, which made debug end-to-end cluster runs time out.
        .target(
            name: "AlphaZero", dependencies: ["PPO", "Elimination", "NeuralNet", "Randomness", "Search"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Always optimised, debug builds included: its SIMD kernels (FastExp, VectorKernels) run
        // about 100× slower unoptimised, which made debug end-to-end runs time out.
        .target(
            name: "NeuralNet", dependencies: ["CBLAS", "Randomness"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Elimination", dependencies: ["Randomness", "Console"]),
        .target(name: "Randomness"),
        .target(name: "Checksum"),
        .target(name: "Console"),
        .target(name: "Search", dependencies: ["Console", "Elimination", "Randomness"]),
        .target(name: "Bounds", dependencies: ["CCbc", "Console", "Elimination", "Search"]),
        .target(name: "Jacobian", dependencies: ["Elimination", "Console"]),
        .target(
            name: "Training",
            dependencies: ["AlphaZero", "PPO", "Checkpoint", "Console", "Elimination", "Optimize", "Search", "Wire"]),
        .target(name: "Codegen", dependencies: ["Jacobian", "Elimination", "Console"]),

        // MARK: Shells (sockets, threads, signals) around the pure cores
        .target(
            name: "ClusterShell",
            dependencies: [
                "AlphaZero", "Cluster", "Wire", "ZeroMQ", "PPO", "Elimination", "NeuralNet", "Randomness",
                "CProcessShims", "Checkpoint", "Console", "TaskFiles", "Training",
            ]),

        // MARK: What the executable's commands do, testable without the binary (files, benchmarks, reports)
        .target(name: "TaskFiles", dependencies: ["Console", "Elimination", "Jacobian", "Randomness"]),
        .target(name: "Optimize", dependencies: ["Checkpoint", "Console", "Elimination", "PPO", "Search"]),
        .target(name: "Reports", dependencies: ["AlphaZero", "Checkpoint", "Console", "Elimination", "PPO"]),
        .target(
            name: "Benchmarks",
            dependencies: [
                "AlphaZero", "Bounds", "Checkpoint", "Cluster", "ClusterShell", "Console", "Elimination", "Jacobian",
                "NeuralNet",
                "PPO", "Randomness", "Search", "Training",
                "Wire", "ZeroMQ",
            ]),

        // MARK: The executable
        .executableTarget(
            name: "ccelim",
            dependencies: [
                "Benchmarks",
                "Codegen",
                "Console",
                "Elimination",
                "Reports",
                "TaskFiles",
                "Search",
                "Optimize",
                "Bounds",
                "Jacobian",
                "PPO",
                "NeuralNet",
                "Checkpoint",
                "Cluster",
                "ClusterShell",
                "Training",
                "Wire",
                "ZeroMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .target(name: "TestFixtures", dependencies: ["PPO", "Elimination", "NeuralNet"], path: "Tests/TestFixtures"),
        .testTarget(
            name: "CheckpointTests",
            dependencies: [
                "AlphaZero", "Checkpoint", "TestFixtures", "Randomness", "Checksum", "Elimination", "HDF5", "NeuralNet",
                "PPO",
            ]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "Randomness", "Checksum"]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "Wire", "Randomness"]),
        .testTarget(name: "ClusterShellTests", dependencies: ["Cluster", "ClusterShell", "Wire", "ZeroMQ"]),
        .testTarget(name: "PPOTests", dependencies: ["PPO", "TestFixtures", "Elimination", "NeuralNet"]),
        .testTarget(
            name: "ClusterTests",
            dependencies: ["AlphaZero", "Cluster", "Wire", "PPO", "Checksum", "Elimination", "TestFixtures"]),
        .testTarget(
            name: "AlphaZeroTests",
            dependencies: ["AlphaZero", "PPO", "NeuralNet", "Search", "Elimination", "Randomness", "TestFixtures"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Randomness"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum"]),
        .testTarget(name: "EliminationTests", dependencies: ["Elimination", "Randomness", "Console"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Elimination", "Randomness", "TestFixtures"]),
        .testTarget(
            name: "CodegenTests",
            dependencies: ["Codegen", "Jacobian", "Elimination", "TaskFiles", "Console", "TestFixtures"]),
        .testTarget(
            name: "OptimizeTests",
            dependencies: ["Optimize", "Checkpoint", "Elimination", "PPO", "Search", "TestFixtures"]),
        .testTarget(
            name: "BoundsTests",
            dependencies: ["Bounds", "Search", "Elimination", "Randomness", "Benchmarks", "TestFixtures"]),
        .testTarget(
            name: "JacobianTests", dependencies: ["Jacobian", "Console", "Elimination", "Randomness", "TestFixtures"]),
        .testTarget(
            name: "BenchmarksTests",
            dependencies: ["Benchmarks", "Console", "Elimination", "Jacobian", "PPO", "TestFixtures", "Wire"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["AlphaZero", "Reports", "Console", "Elimination", "PPO", "TestFixtures"]),
        .testTarget(name: "TaskFilesTests", dependencies: ["TaskFiles", "Elimination", "TestFixtures"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ccelim", "ZeroMQ", "Wire", "TestFixtures"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "AlphaZero", "Training", "Checkpoint", "Console", "Elimination", "Optimize", "PPO", "Search",
                "TestFixtures",
            ]),
    ],
    swiftLanguageModes: [.v5]
)
