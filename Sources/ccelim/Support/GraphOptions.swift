import ArgumentParser

/// Options shared by every command that names a graph.
struct GraphOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The Datasets folder (default: ./Datasets, $CCELIM_DATASETS, or the one above the executable).")
    var datasets: String?
}
