import Foundation

/// The engine's one parallel loop: `transform` applied to `0..<count` on at most
/// `maximumConcurrency` threads (default: the active processor count), results in index order.
///
/// Workers claim indices in increasing order. The failure rule is the same everywhere: once an
/// index fails, no further index is started (those already running finish), and the error of the
/// lowest failing index is thrown, so a run that fails reports the same error however its work
/// was scheduled. `progress` hears how many indices have finished (failed ones included) after
/// each one, from the worker that finished it.
///
/// - Complexity: `count` calls of `transform`, plus one lock per index.
public func parallelMap<Value, Failure: Error>(
    count: Int, maximumConcurrency: Int? = nil, progress: @Sendable (Int) -> Void = { _ in },
    _ transform: @Sendable (Int) throws(Failure) -> Value
) throws(Failure) -> [Value] {
    guard count > 0 else { return [] }
    let slots = ParallelSlots<Value, Failure>(count: count)
    let workers = max(1, min(maximumConcurrency ?? ProcessInfo.processInfo.activeProcessorCount, count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = slots.claim() {
            let result: Result<Value, Failure>
            do throws(Failure) {
                result = .success(try transform(index))
            } catch {
                result = .failure(error)
            }
            let finished = slots.store(index, result)
            progress(finished)
        }
    }
    return try slots.values()
}

/// Results filled by `parallelMap`'s workers, each claiming the next unclaimed index.
private final class ParallelSlots<Value, Failure: Error>: @unchecked Sendable {
    private var results: [Result<Value, Failure>?]
    private var next = 0, finished = 0
    private var hasFailed = false
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    /// The next index to compute, or nil when all are taken or one has failed.
    func claim() -> Int? {
        lock.withLock {
            guard next < results.count, !hasFailed else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Stores an index's result; returns how many are finished.
    func store(_ index: Int, _ result: Result<Value, Failure>) -> Int {
        lock.withLock {
            results[index] = result
            if case .failure = result { hasFailed = true }
            finished += 1
            return finished
        }
    }

    /// Every value in index order, or the error of the lowest failing index.
    func values() throws(Failure) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(results.count)
        for result in results {
            // Indices are claimed in order and stop only after a failure, so a failure comes first.
            guard let result else { preconditionFailure("an index was left unclaimed without a failure before it") }
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            }
        }
        return values
    }
}
