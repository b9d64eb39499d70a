import Foundation
import FusionGeometry
import FusionIO

/// The classes sim-to-real validation compares, with the names datasets use for them.
public enum ComparedClass: String, CaseIterable, Codable, Sendable, Comparable {
    case car, van, truck, bus, pedestrian, cyclist, other

    /// The class of a dataset's label name (any name `ObjectCategory(datasetName:)` knows). Nil
    /// for KITTI's DontCare.
    public init?(labelName: String) {
        guard let category = ObjectCategory(datasetName: labelName) else { return nil }
        switch category {
        case .car: self = .car
        case .van: self = .van
        case .truck: self = .truck
        case .bus: self = .bus
        case .pedestrian, .personSitting: self = .pedestrian
        case .bicycle: self = .cyclist
        case .trailer, .tram, .otherVehicle, .rider, .motorcycle, .personalMobility, .animal, .staticObstacle, .misc:
            self = .other
        }
    }

    public static func < (lhs: ComparedClass, rhs: ComparedClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What sim-to-real validation compares, per labelled box.
public enum BoxFeature: String, CaseIterable, Codable, Sendable, Comparable {
    /// Metres.
    case length, width, height
    /// `ln(points · range²)`: the number of returns in the box with the 1/r² fall-off of a spinning
    /// LiDAR taken out, so boxes at different ranges compare.
    case pointDensity
    /// Mean intensity of the returns in the box, on a 0...1 scale (datasets that report 0...255 are
    /// divided by 255).
    case meanIntensity
    /// KITTI's occlusion level: 0 fully visible, 1 partly, 2 largely occluded.
    case occlusionLevel
    /// Share of the box outside the image, 0...1 (KITTI's `truncated`).
    case truncation
    /// Angle between the box's length axis and the sensor's forward axis, folded to 0...π/2 radians
    /// (0: parallel to the ego vehicle, π/2: crossing).
    case heading

    /// Whether the feature belongs to the object rather than to one observation of it (box
    /// sizes): such features count each object once, however many frames show it.
    public var isPerObject: Bool {
        switch self {
        case .length, .width, .height: true
        default: false
        }
    }

    public var unit: String {
        switch self {
        case .length, .width, .height: "m"
        case .heading: "rad"
        case .pointDensity, .meanIntensity, .occlusionLevel, .truncation: ""
        }
    }

    public static func < (lhs: BoxFeature, rhs: BoxFeature) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One labelled box reduced to the features validation compares. Features a dataset does not
/// have (no LiDAR, no occlusion field) are nil.
public struct BoxSample: Sendable, Codable, Equatable {
    /// Where the box comes from: file or scene, frame and object id.
    public var source: String
    /// The object across frames (dataset, sequence and track id), nil when the dataset has no
    /// track identities (each box is then its own object).
    public var object: String?
    public var objectClass: ComparedClass
    /// Real or synthetic, when the dataset records it (what splits a hybrid dataset).
    public var origin: LabelOrigin?
    /// Horizontal distance of the box centre from the sensor, metres.
    public var range: Double
    /// Returns inside the box.
    public var points: Int?
    public var values: [BoxFeature: Double]

    public init(
        source: String, object: String? = nil, objectClass: ComparedClass, origin: LabelOrigin? = nil, range: Double,
        points: Int? = nil, values: [BoxFeature: Double]
    ) {
        self.source = source
        self.object = object
        self.origin = origin
        self.objectClass = objectClass
        self.range = range
        self.points = points
        self.values = values
    }

    /// Features of a box in a sensor frame (x forward, y left, z up; the sensor at the origin).
    /// - Parameters:
    ///   - points: returns inside the box, when the dataset has a sweep; with `range` it gives
    ///     `pointDensity` (only when at least one point fell in the box: an empty box carries no
    ///     density, and its log would be −∞).
    ///   - meanIntensity: on a 0...1 scale.
    public init(
        source: String, object: String? = nil, objectClass: ComparedClass, origin: LabelOrigin? = nil, box: Cuboid,
        points: Int? = nil, meanIntensity: Double? = nil, occlusionLevel: Int? = nil, truncation: Double? = nil
    ) {
        let range = (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot()
        var values: [BoxFeature: Double] = [.length: box.size.length, .width: box.size.width, .height: box.size.height]
        let axis = box.rotation.act(on: SIMD3(1, 0, 0))
        values[.heading] = atan2(abs(axis.y), abs(axis.x))
        if let points, points > 0 { values[.pointDensity] = log(Double(points) * max(range, 1) * max(range, 1)) }
        values[.meanIntensity] = meanIntensity
        values[.occlusionLevel] = occlusionLevel.map(Double.init)
        values[.truncation] = truncation
        self.init(
            source: source, object: object, objectClass: objectClass, origin: origin, range: range, points: points,
            values: values)
    }

    /// KITTI's occlusion level for a synthetic box's hidden share (0...1): under 10% hidden is
    /// fully visible, under 50% partly occluded, more is largely occluded.
    public static func occlusionLevel(hiddenShare: Double) -> Int {
        hiddenShare < 0.1 ? 0 : (hiddenShare < 0.5 ? 1 : 2)
    }
}
