/// Timed poses of a moving body (`worldFromEgo` over a drive), interpolated between samples.
public struct PoseTrajectory: Hashable, Sendable {
    public struct Sample: Hashable, Sendable {
        /// Seconds, on the same clock as the sensor timestamps.
        public var time: Double
        public var pose: RigidTransform

        public init(time: Double, pose: RigidTransform) {
            self.time = time
            self.pose = pose
        }
    }

    /// Samples in strictly increasing time.
    public let samples: [Sample]

    /// A trajectory from samples in any order.
    /// - Returns: nil when there are none, or two samples share a time, or a time is not finite.
    public init?(_ samples: [Sample]) {
        let sorted = samples.sorted { $0.time < $1.time }
        guard !sorted.isEmpty, sorted.allSatisfy({ $0.time.isFinite }),
            zip(sorted, sorted.dropFirst()).allSatisfy({ $0.time < $1.time })
        else { return nil }
        self.samples = sorted
    }

    /// The times covered.
    public var timeRange: ClosedRange<Double> { samples.first!.time...samples.last!.time }

    /// The pose at `time`: slerp and linear interpolation between the samples around it. Outside the
    /// samples the pose is extrapolated at the velocity of the nearest pair, up to `extrapolationLimit`
    /// seconds; beyond that (or with a single sample, at any other time) it is nil.
    /// - Complexity: O(log n).
    public func pose(at time: Double, extrapolationLimit: Double = 0.2) -> RigidTransform? {
        guard time.isFinite else { return nil }
        if samples.count == 1 { return time == samples[0].time ? samples[0].pose : nil }
        guard time >= timeRange.lowerBound - extrapolationLimit, time <= timeRange.upperBound + extrapolationLimit
        else { return nil }
        // The last sample at or before `time` (clamped to a valid pair).
        var low = 0
        var high = samples.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if samples[middle].time <= time { low = middle } else { high = middle }
        }
        let (a, b) = (samples[low], samples[high])
        return a.pose.interpolated(to: b.pose, fraction: (time - a.time) / (b.time - a.time))
    }
}
