// SplitMix64 lives in the Randomness module; re-exported so `import Elimination` or
// `import NeuralNet` keeps giving it, as the same type from both.
@_exported import Randomness
