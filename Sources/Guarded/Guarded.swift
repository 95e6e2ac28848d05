// Guarded: one small type for a value shared between threads and tasks, behind Swift 6's Mutex.
// It replaces the hand-written lock boxes (stop flags, progress boxes) the modules had each
// written for themselves.

import Synchronization

/// A value behind a mutex, shareable across threads and tasks (a reference, so escaping closures
/// and dispatch blocks can capture it).
public final class Guarded<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    /// A copy of the current value.
    public var value: Value { mutex.withLock { $0 } }

    /// Replaces the value.
    public func set(_ value: Value) { mutex.withLock { $0 = value } }

    /// Reads or changes the value under the lock; keep `body` short and never block in it.
    @discardableResult
    public func withLock<T: Sendable>(_ body: (inout Value) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&$0) }
    }
}

extension Guarded where Value == Bool {
    /// A flag that starts unset.
    public convenience init() { self.init(false) }
    public var isSet: Bool { value }
    public func set() { set(true) }
}
