import Foundation
import FusionGeometry

extension Prelabeler {
    /// Pre-labels several sweeps at once, each on its own (results in the order given): at most
    /// `maximumConcurrency` at a time (default: the active processor count).
    public func prelabel(frames: [PointCloud], maximumConcurrency: Int? = nil) -> [(proposals: [Proposal], ground: GroundSegmentation.Ground?)] {
        let results = FrameSlots<(proposals: [Proposal], ground: GroundSegmentation.Ground?)>(count: frames.count)
        let workers = max(1, min(maximumConcurrency ?? ProcessInfo.processInfo.activeProcessorCount, frames.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let frame = results.claim() {
                results.store(frame, prelabel(frames[frame]))
            }
        }
        return results.values.map { $0! }
    }
}

/// Results filled by parallel workers, each claiming the next unclaimed slot.
package final class FrameSlots<Value>: @unchecked Sendable {
    package private(set) var values: [Value?]
    private var next = 0, stored = 0
    private let lock = NSLock()

    package init(count: Int) { values = Array(repeating: nil, count: count) }

    /// The next slot to fill, or nil when all are taken.
    package func claim() -> Int? {
        lock.withLock {
            guard next < values.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Fills a slot; returns how many are filled.
    @discardableResult
    package func store(_ slot: Int, _ value: Value) -> Int {
        lock.withLock {
            values[slot] = value
            stored += 1
            return stored
        }
    }
}
