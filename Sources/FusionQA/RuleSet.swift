import Foundation
import FusionIO

/// The labelling guideline in machine form: the limits the rule checks enforce, with the
/// guideline's version (every finding and review decision records it, so labels can be checked
/// again when the guideline changes). Read from and written to JSON; missing keys take the defaults.
public struct RuleSet: Codable, Sendable, Equatable {
    /// A class's allowed box sizes, metres.
    public struct SizeRange: Codable, Sendable, Equatable {
        public var length: ClosedRange<Double>
        public var width: ClosedRange<Double>
        public var height: ClosedRange<Double>

        public init(length: ClosedRange<Double>, width: ClosedRange<Double>, height: ClosedRange<Double>) {
            self.length = length
            self.width = width
            self.height = height
        }
    }

    /// Motion limits of a class.
    public struct MotionLimits: Codable, Sendable, Equatable {
        /// Radians per second.
        public var yawRate: Double
        /// Metres per second squared.
        public var acceleration: Double
        /// Metres per second: faster between two frames is a teleport (a wrong association).
        public var speed: Double

        public init(yawRate: Double, acceleration: Double, speed: Double) {
            self.yawRate = yawRate
            self.acceleration = acceleration
            self.speed = speed
        }
    }

    public var guidelineVersion: String
    var sizeRanges: [String: SizeRange]
    /// Least LiDAR returns a labelled box must hold, per class (others: `defaultMinimumPoints`).
    public var minimumPoints: [String: Int]
    public var defaultMinimumPoints: Int
    /// Largest distance between a box's bottom and the ground under it, metres.
    var groundTolerance: Double
    /// Two boxes overlapping by more than this 3D IoU are an error.
    var maximumOverlap: Double
    /// Boxes beyond this horizontal range from the sensor, metres.
    public var maximumRange: Double
    /// Largest relative change of a size within one track (0.05: ±5 %).
    var sizeConstancy: Double
    var motionLimits: [String: MotionLimits]
    /// A projected box and its 2D box must overlap by at least this IoU.
    var minimumProjectionIoU: Double

    /// KITTI-like limits (guideline `fusionlabel-default-1`).
    public static let standard = RuleSet(
        guidelineVersion: "fusionlabel-default-1",
        sizeRanges: [
            "Car": SizeRange(length: 2.5...6.0, width: 1.3...2.3, height: 1.1...2.2),
            "Van": SizeRange(length: 3.5...7.0, width: 1.5...2.6, height: 1.6...3.2),
            "Truck": SizeRange(length: 4.5...20.0, width: 1.8...3.2, height: 2.0...4.5),
            "Pedestrian": SizeRange(length: 0.2...1.5, width: 0.2...1.4, height: 0.9...2.3),
            "Cyclist": SizeRange(length: 1.0...2.6, width: 0.3...1.3, height: 1.0...2.2)
        ],
        minimumPoints: ["Pedestrian": 3, "Cyclist": 3], defaultMinimumPoints: 5, groundTolerance: 0.35,
        maximumOverlap: 0.1,
        maximumRange: 100, sizeConstancy: 0.05,
        motionLimits: [
            "Car": MotionLimits(yawRate: 1.5, acceleration: 12, speed: 60),
            "Van": MotionLimits(yawRate: 1.2, acceleration: 10, speed: 50),
            "Truck": MotionLimits(yawRate: 1.0, acceleration: 8, speed: 40),
            "Pedestrian": MotionLimits(yawRate: 6, acceleration: 8, speed: 12),
            "Cyclist": MotionLimits(yawRate: 3, acceleration: 8, speed: 25)
        ],
        minimumProjectionIoU: 0.5)

    public init(
        guidelineVersion: String, sizeRanges: [String: SizeRange], minimumPoints: [String: Int],
        defaultMinimumPoints: Int,
        groundTolerance: Double, maximumOverlap: Double, maximumRange: Double, sizeConstancy: Double,
        motionLimits: [String: MotionLimits], minimumProjectionIoU: Double
    ) {
        self.guidelineVersion = guidelineVersion
        self.sizeRanges = sizeRanges
        self.minimumPoints = minimumPoints
        self.defaultMinimumPoints = defaultMinimumPoints
        self.groundTolerance = groundTolerance
        self.maximumOverlap = maximumOverlap
        self.maximumRange = maximumRange
        self.sizeConstancy = sizeConstancy
        self.motionLimits = motionLimits
        self.minimumProjectionIoU = minimumProjectionIoU
    }

    /// Reads a rule set; keys it does not give keep the `standard` values.
    /// - Throws: `ReadError` for unreadable or malformed JSON, or a rule set without a guideline version.
    public static func read(contentsOf path: String) throws(ReadError) -> RuleSet {
        try parse(try FileAccess.contents(of: path), file: path)
    }

    /// Decodes a rule set from JSON bytes; `file` names them in errors.
    /// - Throws: `ReadError` for malformed JSON, or a rule set without a guideline version.
    public static func parse(_ data: Data, file path: String = "<memory>") throws(ReadError) -> RuleSet {
        do {
            return try JSONDecoder().decode(RuleSet.self, from: data)
        } catch {
            throw ReadError(
                file: path, location: .file,
                message: "not a rule set (it needs at least \"guidelineVersion\"): \(error)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case guidelineVersion, sizeRanges, minimumPoints, defaultMinimumPoints, groundTolerance, maximumOverlap,
            maximumRange,
            sizeConstancy, motionLimits, minimumProjectionIoU
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let standard = Self.standard
        guidelineVersion = try container.decode(String.self, forKey: .guidelineVersion)
        sizeRanges = try container.decodeIfPresent([String: SizeRange].self, forKey: .sizeRanges) ?? standard.sizeRanges
        minimumPoints =
            try container.decodeIfPresent([String: Int].self, forKey: .minimumPoints) ?? standard.minimumPoints
        defaultMinimumPoints =
            try container.decodeIfPresent(Int.self, forKey: .defaultMinimumPoints) ?? standard.defaultMinimumPoints
        groundTolerance =
            try container.decodeIfPresent(Double.self, forKey: .groundTolerance) ?? standard.groundTolerance
        maximumOverlap = try container.decodeIfPresent(Double.self, forKey: .maximumOverlap) ?? standard.maximumOverlap
        maximumRange = try container.decodeIfPresent(Double.self, forKey: .maximumRange) ?? standard.maximumRange
        sizeConstancy = try container.decodeIfPresent(Double.self, forKey: .sizeConstancy) ?? standard.sizeConstancy
        motionLimits =
            try container.decodeIfPresent([String: MotionLimits].self, forKey: .motionLimits) ?? standard.motionLimits
        minimumProjectionIoU =
            try container.decodeIfPresent(Double.self, forKey: .minimumProjectionIoU) ?? standard.minimumProjectionIoU
    }
}
