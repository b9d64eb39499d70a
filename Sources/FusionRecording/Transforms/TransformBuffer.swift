import FusionGeometry

/// Why a transform cannot be looked up: names the frames, and the times covered when time is the problem.
public struct TransformError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// The frame tree of a recording, from `/tf_static` and `/tf` (or odometry): each frame has one
/// parent, reached through a fixed transform or through samples in time, interpolated (slerp for the
/// rotation, linear for the translation) at the time asked for, as tf2 does. Like tf2 it does not
/// extrapolate: a time outside an edge's samples is an error naming the edge and its span. Times are
/// integer nanoseconds, as recorded: near 1.7e9 s a `Double` of seconds would blur them by 0.24 µs.
public struct TransformBuffer: Sendable {
    private struct Sample: Sendable {
        var time: Int64
        var parentFromChild: RigidTransform
    }

    private enum Edge: Sendable {
        case fixed(RigidTransform)
        /// Samples, sorted by time and unique once `finish()` has run.
        case sampled([Sample], sorted: Bool)
    }

    /// Each child's parent and how it is placed in it.
    private var edges: [String: (parent: String, edge: Edge)] = [:]

    public init() {}

    /// The frames the buffer knows.
    public var frames: Set<String> { Set(edges.keys).union(edges.values.map(\.parent)) }

    /// Adds a transform; `isStatic` for `/tf_static` (valid at every time).
    /// - Throws: `TransformError` when the child already has another parent (an ambiguous tree), or a
    ///   frame would be its own ancestor.
    public mutating func add(_ transform: RecordedTransform, isStatic: Bool) throws(TransformError) {
        let child = Self.normalised(transform.child)
        let parent = Self.normalised(transform.parent)
        guard child != parent, !child.isEmpty, !parent.isEmpty else {
            throw TransformError(
                message:
                    "a transform from \"\(transform.parent)\" to \"\(transform.child)\": a frame needs a distinct, named parent"
            )
        }
        if let existing = edges[child] {
            guard existing.parent == parent else {
                throw TransformError(
                    message:
                        "frame \"\(child)\" has two parents, \"\(existing.parent)\" and \"\(parent)\": the frame tree is ambiguous"
                )
            }
        } else if ancestors(of: parent).contains(child) {
            throw TransformError(
                message:
                    "\"\(parent)\" → \"\(child)\" closes a loop: \"\(child)\" is already an ancestor of \"\(parent)\"")
        }
        if isStatic {
            edges[child] = (parent, .fixed(transform.parentFromChild))
            return
        }
        let sample = Sample(time: transform.stampNanoseconds, parentFromChild: transform.parentFromChild)
        switch edges[child]?.edge {
        case .fixed:
            throw TransformError(message: "frame \"\(child)\" is placed both by /tf_static and by /tf")
        case .sampled(var samples, _):
            samples.append(sample)
            edges[child] = (parent, .sampled(samples, sorted: false))
        case nil:
            edges[child] = (parent, .sampled([sample], sorted: true))
        }
    }

    /// Sorts each sampled edge by time for lookups; call it once every transform is added (lookups
    /// before it refuse).
    /// - Throws: `TransformError` when an edge has two samples at one time that disagree.
    public mutating func finish() throws(TransformError) {
        for (child, entry) in edges {
            guard case .sampled(let samples, false) = entry.edge else { continue }
            var sorted: [Sample] = []
            for sample in samples.sorted(by: { $0.time < $1.time }) {
                if let last = sorted.last, last.time == sample.time {
                    guard last.parentFromChild == sample.parentFromChild else {
                        throw TransformError(
                            message:
                                "\"\(entry.parent)\" → \"\(child)\" has two different transforms at \(sample.time) ns")
                    }
                    continue
                }
                sorted.append(sample)
            }
            edges[child] = (entry.parent, .sampled(sorted, sorted: true))
        }
    }

    /// `targetFromSource` at `time` (nanoseconds since the epoch).
    /// - Throws: `TransformError` naming the frames when either is unknown, they are in different
    ///   trees, or an edge between them has no samples around `time`.
    public func transform(to target: String, from source: String, at time: Int64) throws(TransformError)
        -> RigidTransform
    {
        let target = Self.normalised(target)
        let source = Self.normalised(source)
        if target == source { return .identity }
        let known = frames
        for frame in [target, source] where !known.contains(frame) {
            throw TransformError(
                message: "no frame \"\(frame)\" in the transforms (known: \(known.sorted().joined(separator: ", ")))")
        }
        let sourceChain = [source] + ancestors(of: source)
        let targetChain = [target] + ancestors(of: target)
        guard let common = sourceChain.first(where: targetChain.contains) else {
            throw TransformError(
                message:
                    "frames \"\(source)\" and \"\(target)\" are not connected: their roots are \"\(sourceChain.last!)\" and \"\(targetChain.last!)\""
            )
        }
        let commonFromSource = try chain(from: source, upTo: common, at: time)
        let commonFromTarget = try chain(from: target, upTo: common, at: time)
        return commonFromTarget.inverse * commonFromSource
    }

    /// `ancestorFromFrame`: the edges from `frame` up to `ancestor`, composed.
    private func chain(from frame: String, upTo ancestor: String, at time: Int64) throws(TransformError)
        -> RigidTransform
    {
        var result = RigidTransform.identity
        var current = frame
        while current != ancestor {
            let entry = edges[current]!
            result = try parentFromChild(current, entry.parent, entry.edge, at: time) * result
            current = entry.parent
        }
        return result
    }

    private func parentFromChild(_ child: String, _ parent: String, _ edge: Edge, at time: Int64) throws(TransformError)
        -> RigidTransform
    {
        switch edge {
        case .fixed(let transform): return transform
        case .sampled(let samples, let sorted):
            precondition(sorted, "call finish() after adding transforms")
            // The last sample at or before `time`.
            var low = 0
            var high = samples.count
            while low < high {
                let middle = (low + high) / 2
                if samples[middle].time <= time { low = middle + 1 } else { high = middle }
            }
            let before = low - 1
            guard before >= 0, before < samples.count - 1 || samples[before].time == time else {
                throw TransformError(
                    message:
                        "\"\(parent)\" → \"\(child)\" is known from \(samples.first!.time) ns to \(samples.last!.time) ns, not at \(time) ns (no extrapolation)"
                )
            }
            let (a, b) = (samples[before], samples[min(before + 1, samples.count - 1)])
            if a.time == time { return a.parentFromChild }
            return a.parentFromChild.interpolated(
                to: b.parentFromChild, fraction: Double(time - a.time) / Double(b.time - a.time))
        }
    }

    private func ancestors(of frame: String) -> [String] {
        var result: [String] = []
        var current = frame
        while let parent = edges[current]?.parent {
            result.append(parent)
            current = parent
            if result.count > edges.count { break }  // unreachable: `add` refuses loops
        }
        return result
    }

    /// tf2 frame ids carry no leading slash; ROS 1 recordings often do.
    static func normalised(_ frame: String) -> String {
        frame.hasPrefix("/") ? String(frame.dropFirst()) : frame
    }
}
