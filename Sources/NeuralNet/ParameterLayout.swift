// Where each named parameter tensor lives inside one flat buffer.
//
// Every network registers its tensors here in a fixed order; the parameters, their gradients and
// Adam's two moments are then four flat buffers of `count` numbers with this same layout, so the
// optimizer, gradient clipping, checkpointing and weight broadcast are each one loop over one buffer.

public struct ParameterLayout: Equatable, Sendable {
    /// One named tensor: `count` numbers starting at `offset`, row-major with `shape`.
    public struct Tensor: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    /// The tensors in registration order, which is also their order in the buffer.
    public private(set) var tensors: [Tensor] = []
    /// Total number of scalars: the length of each flat buffer.
    public private(set) var count = 0
    private var indexByName: [String: Int] = [:]

    public init() {}

    /// Appends a tensor at the end of the buffer and returns it (its offset is what kernels use).
    @discardableResult
    public mutating func add(_ name: String, shape: [Int]) throws -> Tensor {
        guard indexByName[name] == nil else { throw NeuralNetError.duplicateParameterName(name) }
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw NeuralNetError.invalidShape(name: name, shape: shape)
        }
        let tensor = Tensor(name: name, shape: shape, offset: count)
        indexByName[name] = tensors.count
        tensors.append(tensor)
        count += tensor.count
        return tensor
    }

    /// The tensor registered under `name`, or nil.
    public subscript(name: String) -> Tensor? {
        indexByName[name].map { tensors[$0] }
    }
}
