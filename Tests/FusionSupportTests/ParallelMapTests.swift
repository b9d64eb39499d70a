import Foundation
import FusionSupport
import Testing

/// The one parallel loop: order, bounded concurrency, progress, and the failure rule.
struct ParallelMapTests {
    struct Failure: Error, Equatable { var index: Int }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0, started: [Int] = []
        private(set) var mostAtOnce = 0

        func begin(_ index: Int) {
            lock.withLock {
                running += 1
                started.append(index)
                mostAtOnce = max(mostAtOnce, running)
            }
        }

        func end() { lock.withLock { running -= 1 } }
        var startedIndices: [Int] { lock.withLock { started } }
    }

    @Test func resultsComeInIndexOrderWithinTheConcurrencyBound() {
        let counter = Counter()
        let finished = Counter()
        let values = parallelMap(count: 200, maximumConcurrency: 3, progress: { _ in finished.begin(0) }) { index in
            counter.begin(index)
            defer { counter.end() }
            // Uneven work, so that later indices often finish first.
            var sum = 0.0
            for step in 0..<((200 - index) * 200) { sum += Double(step).squareRoot() }
            return (index, sum > -1)
        }
        #expect(values.map(\.0) == Array(0..<200) && values.allSatisfy(\.1))
        #expect(counter.mostAtOnce <= 3 && counter.startedIndices.count == 200)
        #expect(finished.startedIndices.count == 200)
        #expect(parallelMap(count: 0) { $0 }.isEmpty)
    }

    /// After a failure no new index starts, and the lowest failing index's error is thrown, on one
    /// worker (deterministic: exactly the indices up to the failure ran) and on several.
    @Test func theFirstFailureStopsTheRun() {
        let counter = Counter()
        #expect(throws: Failure(index: 5)) {
            try parallelMap(count: 100, maximumConcurrency: 1) { (index: Int) throws(Failure) -> Int in
                counter.begin(index)
                if index == 5 || index == 7 { throw Failure(index: index) }
                return index
            }
        }
        #expect(counter.startedIndices == Array(0...5))
        let several = Counter()
        #expect(throws: Failure(index: 10)) {
            try parallelMap(count: 1000, maximumConcurrency: 4) { (index: Int) throws(Failure) -> Int in
                several.begin(index)
                if index >= 10 { throw Failure(index: index) }
                return index
            }
        }
        // Each of the four workers stops after at most one index past the first failure.
        #expect(several.startedIndices.count <= 10 + 4)
    }
}
