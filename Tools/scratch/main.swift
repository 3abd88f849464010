// A scratch program for the book's "Try it" snippets: paste one below, then
// `swift run scratch` (or `swift run -c release scratch` for anything that fits a network).
// It can use every module of the first five chapters; keep what you learn, not this file.
import Audio
import Autograd
import NN
import Plot
import Random
import Spectral
import Tensors

// For example: the product of two random matrices, and its shape.
let a = Tensor.normal([3, 7], seed: 1)
let b = Tensor.normal([7, 5], seed: 2)
print("a · b has shape", matmul(a, b).shape)
