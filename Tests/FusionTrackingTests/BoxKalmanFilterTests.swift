import Foundation
import FusionGeometry
import Testing

@testable import FusionTracking

@Suite struct BoxKalmanFilterTests {
    /// The textbook filter with explicit F, Q, H, R and a Gauss–Jordan inverse, for comparison.
    struct DenseFilter {
        var x: [Double]
        var p: [[Double]]
        static let n = 10, m = 7

        static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
            a.map { row in
                (0..<b[0].count).map { column in zip(row, b.map { $0[column] }).reduce(0) { $0 + $1.0 * $1.1 } }
            }
        }
        static func transpose(_ a: [[Double]]) -> [[Double]] { (0..<a[0].count).map { column in a.map { $0[column] } } }
        static func add(_ a: [[Double]], _ b: [[Double]], _ sign: Double = 1) -> [[Double]] {
            zip(a, b).map { zip($0, $1).map { $0 + sign * $1 } }
        }
        static func identity(_ n: Int) -> [[Double]] { (0..<n).map { row in (0..<n).map { $0 == row ? 1 : 0 } } }
        static func inverse(_ a: [[Double]]) -> [[Double]] {
            let n = a.count
            var augmented = zip(a, identity(n)).map { $0 + $1 }
            for pivot in 0..<n {
                let best = (pivot..<n).max { abs(augmented[$0][pivot]) < abs(augmented[$1][pivot]) }!
                augmented.swapAt(pivot, best)
                let scale = augmented[pivot][pivot]
                augmented[pivot] = augmented[pivot].map { $0 / scale }
                for row in 0..<n where row != pivot {
                    let factor = augmented[row][pivot]
                    augmented[row] = zip(augmented[row], augmented[pivot]).map { $0 - factor * $1 }
                }
            }
            return augmented.map { Array($0[n...]) }
        }

        static var f: [[Double]] {
            var f = identity(n)
            for axis in 0..<3 { f[axis][7 + axis] = 1 }
            return f
        }
        static var h: [[Double]] { (0..<m).map { row in (0..<n).map { $0 == row ? 1 : 0 } } }

        mutating func predict() {
            x = Self.multiply(Self.f, x.map { [$0] }).map { $0[0] }
            let q = (0..<Self.n).map { row in (0..<Self.n).map { $0 == row ? (row < 7 ? 1.0 : 0.01) : 0 } }
            p = Self.add(Self.multiply(Self.multiply(Self.f, p), Self.transpose(Self.f)), q)
        }

        mutating func update(_ z: [Double]) {
            let s = Self.add(Self.multiply(Self.multiply(Self.h, p), Self.transpose(Self.h)), Self.identity(Self.m))
            let k = Self.multiply(Self.multiply(p, Self.transpose(Self.h)), Self.inverse(s))
            let innovation = (0..<Self.m).map { z[$0] - x[$0] }
            x = (0..<Self.n).map { row in x[row] + (0..<Self.m).reduce(0) { $0 + k[row][$1] * innovation[$1] } }
            p = Self.multiply(Self.add(Self.identity(Self.n), Self.multiply(k, Self.h), -1), p)
        }
    }

    @Test func matchesTheTextbookFilter() {
        var random = SeededRandomNumberGenerator(seed: 4)
        let start = Cuboid(center: SIMD3(10, 2, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: 0.3)
        var filter = BoxKalmanFilter(box: start)
        var dense = DenseFilter(
            x: filter.state, p: (0..<10).map { row in (0..<10).map { filter.covariance[row * 10 + $0] } })
        for step in 1...25 {
            filter.predict()
            dense.predict()
            let measured = Cuboid(
                center: SIMD3(10 + 0.8 * Double(step), 2 + 0.1 * Double(step), 0.8) + SIMD3(
                    random.nextGaussian(), random.nextGaussian(), 0) * 0.1,
                size: Size3(length: 4 + 0.05 * random.nextGaussian(), width: 1.8, height: 1.5),
                yaw: 0.3 + 0.01 * random.nextGaussian())
            filter.update(with: measured)
            dense.update([
                measured.center.x, measured.center.y, measured.center.z, measured.yaw,
                measured.size.length, measured.size.width, measured.size.height
            ])
            for index in 0..<10 {
                #expect(abs(filter.state[index] - dense.x[index]) < 1e-9, "state \(index) at step \(step)")
            }
            for row in 0..<10 {
                for column in 0..<10 {
                    #expect(abs(filter.covariance[row * 10 + column] - dense.p[row][column]) < 1e-6)
                }
            }
        }
        // It has learnt the motion: 0.8 and 0.1 metres per step.
        #expect(abs(filter.velocity.x - 0.8) < 0.05 && abs(filter.velocity.y - 0.1) < 0.05)
    }

    /// The block smoother against the textbook Rauch–Tung–Striebel recursion on full matrices,
    /// over a track recorded by the tracker, gaps included.
    @Test func smoothingMatchesTheTextbookRecursion() throws {
        var random = SeededRandomNumberGenerator(seed: 6)
        var tracker = OnlineTracker(configuration: OnlineTracker.Configuration(), recordsHistory: true)
        for frame in 0..<20 where !(8...9).contains(frame) {
            let center =
                SIMD3(5 + 0.9 * Double(frame), 0.05 * Double(frame * frame) / 10, 0.8) + SIMD3(
                    random.nextGaussian(), random.nextGaussian(), 0) * 0.2
            _ = tracker.update(
                frame: frame,
                detections: [
                    Detection(
                        box: Cuboid(
                            center: center, size: Size3(length: 4, width: 1.8, height: 1.5),
                            yaw: 0.1 + 0.02 * random.nextGaussian()), score: 0.9, objectClass: "Car")
                ])
        }
        let history = try #require(tracker.history?[1])
        let last = history.filtered.count - 1
        let smoothed = OfflineTracker.smoothed(history, through: last)
        var expected = history.filtered.map(\.state)
        for k in stride(from: last - 1, through: 0, by: -1) {
            var f = DenseFilter.identity(10)
            for axis in 0..<3 { f[axis][7 + axis] = Double(history.steps[k + 1]) }
            let filtered = history.filtered[k].covariance
            let predicted = history.predicted[k + 1].covariance
            let pf = (0..<10).map { row in (0..<10).map { filtered[row * 10 + $0] } }
            let pp = (0..<10).map { row in (0..<10).map { predicted[row * 10 + $0] } }
            let gain = DenseFilter.multiply(DenseFilter.multiply(pf, DenseFilter.transpose(f)), DenseFilter.inverse(pp))
            var difference = (0..<10).map { expected[k + 1][$0] - history.predicted[k + 1].state[$0] }
            difference[3] = BoxKalmanFilter.wrapped(difference[3])
            expected[k] = (0..<10).map { row in
                expected[k][row] + (0..<10).reduce(0) { $0 + gain[row][$1] * difference[$1] }
            }
        }
        #expect(history.steps.contains(3), "the gap is predicted through in one step of three")
        for k in 0...last {
            for index in 0..<10 {
                #expect(abs(smoothed[k].state[index] - expected[k][index]) < 1e-7, "step \(k), state \(index)")
            }
        }
    }

    /// A box measured back to front (yaw + π) does not pull the heading round.
    @Test func aFlippedMeasurementKeepsTheHeading() {
        let box = Cuboid(center: SIMD3(5, 0, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: 3.1)
        var filter = BoxKalmanFilter(box: box)
        for _ in 0..<5 {
            filter.predict()
            var flipped = box
            flipped.rotation = UnitQuaternion(yaw: 3.1 + .pi)
            filter.update(with: flipped)
            filter.update(with: box)
        }
        #expect(abs(BoxKalmanFilter.wrapped(filter.box.yaw - 3.1)) < 1e-6)
        #expect(abs(BoxKalmanFilter.alignedYaw(-3.1, to: 3.1) - (2 * .pi - 3.1)) < 1e-12)
        #expect(abs(BoxKalmanFilter.alignedYaw(0.2 + .pi, to: 0.1) - 0.2) < 1e-12)
    }
}
