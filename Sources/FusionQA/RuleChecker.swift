import Foundation
import FusionGeometry
import FusionIO
import FusionSupport

/// A labelled box as the rule checks see it.
public struct CheckedLabel: Sendable, Equatable {
    public var id: String
    /// Track identity across frames, when labels are tracked.
    public var trackID: String?
    public var objectClass: String
    /// Sensor frame (x forward, y left, z up; the sensor at the origin).
    public var box: Cuboid
    /// LiDAR returns in the box, when a sweep is known.
    public var points: Int?
    /// Height of the ground under the box (sensor frame z), when known.
    public var groundHeight: Double?
    /// The box's projection into a camera and the 2D box drawn there, when both exist.
    public var projected: PixelRectangle?
    var drawn2D: PixelRectangle?
    /// When the box was observed and the sensor pose then, when they differ from the frame's
    /// (a spinning LiDAR sees each object at its own moment).
    public var time: Double?
    public var worldFromSensor: RigidTransform?

    public init(
        id: String, trackID: String? = nil, objectClass: String, box: Cuboid, points: Int? = nil,
        groundHeight: Double? = nil,
        projected: PixelRectangle? = nil, drawn2D: PixelRectangle? = nil, time: Double? = nil,
        worldFromSensor: RigidTransform? = nil
    ) {
        self.id = id
        self.trackID = trackID
        self.objectClass = objectClass
        self.box = box
        self.points = points
        self.groundHeight = groundHeight
        self.projected = projected
        self.drawn2D = drawn2D
        self.time = time
        self.worldFromSensor = worldFromSensor
    }
}

/// The labels of one frame.
public struct CheckedFrame: Sendable {
    public var index: Int
    /// Seconds.
    public var time: Double
    /// Sensor pose, for motion in the world; nil to measure motion in the sensor frame.
    public var worldFromSensor: RigidTransform?
    public var labels: [CheckedLabel]

    public init(index: Int, time: Double, worldFromSensor: RigidTransform? = nil, labels: [CheckedLabel]) {
        self.index = index
        self.time = time
        self.worldFromSensor = worldFromSensor
        self.labels = labels
    }
}

/// A rule a label breaks.
public struct Finding: Codable, Sendable, Equatable {
    public enum Severity: String, Codable, Sendable, Comparable {
        case info, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            [Severity.info, .warning, .error].firstIndex(of: lhs)! < [Severity.info, .warning, .error].firstIndex(
                of: rhs)!
        }
    }

    /// The guideline rules a label can break; the raw value is the id reports and files carry.
    public enum Rule: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
        /// A size outside the class's limits.
        case sizeRange = "size.range"
        /// Fewer LiDAR returns than the guideline wants.
        case pointsMinimum = "points.minimum"
        /// The bottom off the ground.
        case groundBottom = "ground.bottom"
        /// Two boxes of a frame overlapping.
        case overlap
        /// Farther from the sensor than the guideline labels.
        case rangeMaximum = "range.maximum"
        /// Along a track: a size change, a turn, an acceleration or a jump no road user makes.
        case trackSize = "track.size", trackYawRate = "track.yawRate", trackAcceleration = "track.acceleration"
        case trackTeleport = "track.teleport"
        /// One track id on two objects, or on two classes.
        case trackIDReuse = "track.idReuse"
        /// A projection that disagrees with the 2D box drawn in the image.
        case projectionMismatch = "projection.mismatch"
    }

    public var rule: Rule
    public var severity: Severity
    public var frame: Int
    public var labelID: String
    public var message: String
    /// The guideline version the check used.
    public var guidelineVersion: String
}

/// Checks labels against a `RuleSet`: per box, between boxes of a frame, along tracks, and
/// against 2D boxes.
public struct RuleChecker: Sendable {
    public var rules: RuleSet

    public init(rules: RuleSet = .standard) {
        self.rules = rules
    }

    public func check(_ frames: [CheckedFrame]) -> [Finding] {
        var findings: [Finding] = []
        func report(
            _ rule: Finding.Rule, _ severity: Finding.Severity, _ frame: Int, _ label: CheckedLabel, _ message: String
        ) {
            findings.append(
                Finding(
                    rule: rule, severity: severity, frame: frame, labelID: label.id, message: message,
                    guidelineVersion: rules.guidelineVersion))
        }
        for frame in frames {
            for label in frame.labels {
                checkBox(label) { report($0, $1, frame.index, label, $2) }
            }
            // Overlapping boxes (each pair once).
            for (index, label) in frame.labels.enumerated() {
                for other in frame.labels[(index + 1)...] where label.box.footprintMayMeet(other.box) {
                    let overlap = label.box.iou3D(with: other.box)
                    if overlap > rules.maximumOverlap {
                        report(
                            .overlap, .error, frame.index, label,
                            String(format: "overlaps %@ by 3D IoU %.2f", other.id, overlap))
                    }
                }
            }
            // The same track twice in one frame.
            let tracked = Dictionary(grouping: frame.labels.filter { $0.trackID != nil }, by: { $0.trackID! })
            for (trackID, labels) in tracked where labels.count > 1 {
                report(
                    .trackIDReuse, .error, frame.index, labels[1],
                    "track \(trackID) is also \(labels[0].id) in this frame")
            }
        }
        findings += checkTracks(frames)
        return findings
    }

    private func checkBox(_ label: CheckedLabel, _ report: (Finding.Rule, Finding.Severity, String) -> Void) {
        let size = label.box.size
        if let range = rules.sizeRanges[label.objectClass] {
            for (name, value, limits) in [
                ("length", size.length, range.length), ("width", size.width, range.width),
                ("height", size.height, range.height)
            ]
            where !limits.contains(value) {
                report(
                    .sizeRange, .error,
                    String(
                        format: "%@ %.2f m outside %.2f…%.2f m for a %@", name, value, limits.lowerBound,
                        limits.upperBound,
                        label.objectClass))
            }
        }
        if let points = label.points, points < (rules.minimumPoints[label.objectClass] ?? rules.defaultMinimumPoints) {
            report(
                .pointsMinimum, .warning,
                "\(points) LiDAR returns; the guideline wants at least \(rules.minimumPoints[label.objectClass] ?? rules.defaultMinimumPoints)"
            )
        }
        if let ground = label.groundHeight {
            let bottom = label.box.center.z - size.height / 2
            if abs(bottom - ground) > rules.groundTolerance {
                report(
                    .groundBottom, .warning,
                    String(
                        format: "bottom %.2f m %@ the ground", abs(bottom - ground), bottom > ground ? "above" : "below"
                    ))
            }
        }
        let range = (label.box.center.x * label.box.center.x + label.box.center.y * label.box.center.y).squareRoot()
        if range > rules.maximumRange {
            report(
                .rangeMaximum, .warning,
                String(format: "%.1f m from the sensor, beyond its %.0f m", range, rules.maximumRange))
        }
        if let projected = label.projected, let drawn = label.drawn2D {
            let intersection = projected.intersection(drawn).map { $0.width * $0.height } ?? 0
            let union = projected.width * projected.height + drawn.width * drawn.height - intersection
            let iou = union > 0 ? intersection / union : 0
            if iou < rules.minimumProjectionIoU {
                report(
                    .projectionMismatch, .warning, String(format: "its projection overlaps the 2D box by IoU %.2f", iou)
                )
            }
        }
    }

    /// Size constancy, yaw rate, acceleration and teleports (motion on the ground plane) and class
    /// changes along each track.
    private func checkTracks(_ frames: [CheckedFrame]) -> [Finding] {
        struct Sample {
            var frame: Int
            var time: Double
            var label: CheckedLabel
            var box: Cuboid
        }
        var tracks: [String: [Sample]] = [:]
        for frame in frames.sorted(by: { $0.index < $1.index }) {
            for label in frame.labels {
                guard let trackID = label.trackID else { continue }
                let box =
                    (label.worldFromSensor ?? frame.worldFromSensor).map { label.box.transformed(by: $0) } ?? label.box
                tracks[trackID, default: []].append(
                    Sample(frame: frame.index, time: label.time ?? frame.time, label: label, box: box))
            }
        }
        var findings: [Finding] = []
        func report(_ rule: Finding.Rule, _ severity: Finding.Severity, _ sample: Sample, _ message: String) {
            findings.append(
                Finding(
                    rule: rule, severity: severity, frame: sample.frame, labelID: sample.label.id, message: message,
                    guidelineVersion: rules.guidelineVersion))
        }
        for (trackID, samples) in tracks.sorted(by: { $0.key < $1.key }) where samples.count > 1 {
            let first = samples[0]
            func median(_ values: [Double]) -> Double { OrderStatistics.upperMedian(values.sorted()) }
            let reference = Size3(
                length: median(samples.map(\.box.size.length)), width: median(samples.map(\.box.size.width)),
                height: median(samples.map(\.box.size.height)))
            var previousVelocity: SIMD3<Double>?
            for (index, sample) in samples.enumerated() {
                if sample.label.objectClass != first.label.objectClass {
                    report(
                        .trackIDReuse, .error, sample,
                        "track \(trackID) was a \(first.label.objectClass) and is now a \(sample.label.objectClass)")
                }
                let change = max(
                    abs(sample.box.size.length / reference.length - 1),
                    abs(sample.box.size.width / reference.width - 1),
                    abs(sample.box.size.height / reference.height - 1))
                if change > rules.sizeConstancy {
                    report(
                        .trackSize, .warning, sample,
                        String(format: "size differs by %.0f%% from the track's median", 100 * change))
                }
                guard index > 0 else { continue }
                let previous = samples[index - 1]
                let elapsed = sample.time - previous.time
                guard elapsed > 0, let limits = rules.motionLimits[sample.label.objectClass] else { continue }
                // Motion on the ground plane: a height error of the pose (a pitch of a few
                // thousandths of a radian is tens of centimetres at 100 m) is not the object moving.
                let step = sample.box.center - previous.box.center
                let velocity = SIMD3(step.x, step.y, 0) / elapsed
                if velocity.length > limits.speed {
                    report(
                        .trackTeleport, .error, sample,
                        String(
                            format: "moved %.1f m in %.2f s (%.0f m/s)", velocity.length * elapsed,
                            elapsed, velocity.length))
                    previousVelocity = nil
                    continue
                }
                // Heading is compared modulo π: a box flipped back to front is one object.
                let turn = abs(remainder(sample.box.yaw - previous.box.yaw, .pi))
                if turn / elapsed > limits.yawRate {
                    report(.trackYawRate, .warning, sample, String(format: "turns at %.1f rad/s", turn / elapsed))
                }
                if let previousVelocity {
                    let acceleration = (velocity - previousVelocity).length / elapsed
                    if acceleration > limits.acceleration {
                        report(
                            .trackAcceleration, .warning, sample,
                            String(format: "accelerates at %.1f m/s²", acceleration))
                    }
                }
                previousVelocity = velocity
            }
        }
        return findings
    }

}
