import Tensors

// Reverse-mode automatic differentiation. Every operation on Variables computes its value
// and, beside it, records a closure that turns ∂L/∂output into contributions to ∂L/∂input
// for each of its inputs. `backward()` visits the recorded graph from the loss back to the
// parameters, calling each closure once, after every use of its output has been accounted
// for. A. Karpathy's micrograd (<https://github.com/karpathy/micrograd>) is the same idea
// on scalars; here every value is a Tensor.

// book: variable
/// A value in a computation graph: a tensor, the gradient of the loss with respect to it,
/// and how to pass a gradient on to the values it was computed from.
///
/// Leaves are made with `init(_:requiresGrad:)` (parameters with `requiresGrad: true`,
/// inputs and targets without); every operation on Variables returns a new Variable that
/// remembers its inputs (`parents`) and its backward closure, but only when some input
/// requires a gradient, so that a graph of constants costs nothing.
public final class Variable {
  /// The value; settable so that an optimiser can update a parameter in place.
  public var value: Tensor
  /// ∂L/∂value, accumulated by `backward()`; nil until a backward pass reaches it.
  public var grad: Tensor?
  /// Leaves: as given. Results of operations: true when any input requires a gradient.
  public let requiresGrad: Bool
  /// The Variables this one was computed from; empty for a leaf and after `backward()`.
  private(set) var parents: [Variable]
  /// Adds this Variable's share of ∂L/∂input into each parent's `grad`, given ∂L/∂self.
  private var pushGradient: ((Tensor) -> Void)?

  /// The shape of the value.
  public var shape: [Int] { value.shape }

  /// A leaf: a parameter (`requiresGrad: true`) or a constant.
  public init(_ value: Tensor, requiresGrad: Bool = false) {
    self.value = value
    self.requiresGrad = requiresGrad
    parents = []
  }

  /// The result of an operation on `parents`, whose backward closure receives ∂L/∂value
  /// and accumulates into the parents' gradients. The closure must not capture the result
  /// itself (it may capture its value tensor): the graph must stay free of cycles.
  init(_ value: Tensor, parents: [Variable], backward: @escaping (Tensor) -> Void) {
    self.value = value
    requiresGrad = parents.contains { $0.requiresGrad }
    // Without a parameter upstream there is nothing to differentiate: record nothing.
    self.parents = requiresGrad ? parents : []
    pushGradient = requiresGrad ? backward : nil
  }

  /// Frees a graph that was never differentiated without recursing once per node: the
  /// default release of a chain of Variables would nest one deinit per level and overflow
  /// the stack for a graph tens of thousands of operations deep.
  deinit {
    var pending = parents
    parents = []
    pushGradient = nil
    while var node = pending.popLast() {
      // Only a Variable nobody else holds is about to be freed; empty it here, iteratively.
      if isKnownUniquelyReferenced(&node) {
        pending.append(contentsOf: node.parents)
        node.parents = []
        node.pushGradient = nil
      }
    }
  }
}
// book: end

// MARK: - Accumulating gradients

extension Variable {
  // book: accumulate
  /// grad += alpha · g for a gradient `g` of this Variable's shape. The first contribution
  /// is kept as it is (tensors share storage until one of them writes, so nothing is
  /// copied); later ones are added in place.
  func accumulate(_ g: Tensor, scaledBy alpha: Float = 1) {
    check(
      g.shape == shape,
      "backward: a gradient of shape \(g.shape) reached a value of shape \(shape)")
    if grad == nil {
      grad = alpha == 1 ? g : g * alpha
    } else {
      grad!.add(g, scaledBy: alpha)
    }
  }

  /// Accumulates a gradient computed for the broadcast shape of an operation, summed over
  /// the axes along which this Variable was broadcast: a value read many times receives the
  /// sum of the gradients of all its reads.
  func accumulate(summing g: Tensor, scaledBy alpha: Float = 1) {
    accumulate(g.summed(toShape: shape), scaledBy: alpha)
  }
  // book: end

  /// Accumulates a gradient `g` whose shape broadcasts to this Variable's shape (the
  /// gradient of a reduction, to be read again at every reduced position).
  func accumulate(broadcasting g: Tensor) {
    if grad == nil {
      grad = g.shape == shape ? g : g.broadcast(to: shape)
    } else {
      grad! += g
    }
  }

  /// Calls `body` with the gradient to add into, created as zeros the first time: for
  /// kernels (GEMM, col2im) that add their result into memory at no extra cost.
  func addIntoGradient(_ body: (inout Tensor) -> Void) {
    if grad == nil { grad = Tensor.zeros(shape) }
    body(&grad!)
  }
}

// MARK: - The backward pass

extension Variable {
  // book: backward
  /// Backpropagation from this Variable, which must hold one value (the loss): seeds
  /// ∂L/∂self = 1, then calls every backward closure in reverse topological order, so that
  /// each Variable's gradient is complete (every use accounted for) before it is passed
  /// on. Accumulates into every reached `grad`, then releases the graph: closures and
  /// parents are dropped, so the intermediate values can be freed and memory stays flat
  /// from one step to the next. A second `backward()` on the same output reaches nothing.
  public func backward() {
    check(
      value.count == 1,
      "backward: the output has shape \(shape); differentiate a single value (sum or mean it)")
    backward(gradient: Tensor(shape: shape, repeating: 1))
  }

  /// Backpropagation from this Variable of any shape, given ∂L/∂self: what `backward()`
  /// does after seeding, for a loss that is a known linear function of this value.
  public func backward(gradient: Tensor) {
    check(
      gradient.shape == shape,
      "backward(gradient:): gradient \(gradient.shape) for a value of shape \(shape)")
    guard requiresGrad else { return }
    accumulate(gradient)
    for node in topologicalOrder().reversed() {
      if let push = node.pushGradient, let g = node.grad { push(g) }
      node.pushGradient = nil
      node.parents = []
    }
  }
  // book: end

  // book: topological-order
  /// The Variables this one depends on (requiring a gradient), each after all of its
  /// parents: a depth-first post-order, with an explicit stack so that a graph thousands of
  /// operations deep does not overflow the call stack.
  func topologicalOrder() -> [Variable] {
    // BEGIN SOLUTION topological-order: depth-first post-order with an explicit stack
    var order: [Variable] = []
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
    // Each entry is a node and the index of the next parent of it to visit.
    var stack: [(node: Variable, next: Int)] = [(self, 0)]
    while let (node, next) = stack.popLast() {
      if next < node.parents.count {
        stack.append((node, next + 1))
        let parent = node.parents[next]
        if parent.requiresGrad && visited.insert(ObjectIdentifier(parent)).inserted {
          stack.append((parent, 0))
        }
      } else {
        // Every parent is already in `order`.
        order.append(node)
      }
    }
    return order
    // END SOLUTION
  }
  // book: end

  /// Sets the gradient to zero before the next step, keeping its storage (no allocation in
  /// a training loop); a Variable never reached stays nil.
  public func zeroGrad() {
    if grad != nil { grad!.fill(with: 0) }
  }
}
