import Testing

/// The reference values of `kitti-object/SOURCE.md` (computed there with independent numpy code).
public enum KITTIObjectReferences {
    public struct Reference: CustomTestStringConvertible, Sendable {
        public var frame: String
        public var type: String
        public var pointsInBox: Int
        /// Bounding rectangle of the 8 projected corners: left, top, right, bottom (pixels).
        public var projectedCorners: [Double]
        public var testDescription: String { "\(frame) \(type)" }
    }

    public static let all: [Reference] = [
        Reference(
            frame: "000000", type: "Pedestrian", pointsInBox: 376, projectedCorners: [710.4, 144.0, 820.3, 307.6]),
        Reference(frame: "000001", type: "Truck", pointsInBox: 70, projectedCorners: [599.8, 157.3, 629.8, 189.8]),
        Reference(frame: "000001", type: "Car", pointsInBox: 9, projectedCorners: [387.9, 181.5, 423.8, 203.3]),
        Reference(frame: "000001", type: "Cyclist", pointsInBox: 18, projectedCorners: [676.9, 164.2, 688.9, 194.1]),
        Reference(frame: "000002", type: "Misc", pointsInBox: 1351, projectedCorners: [806.2, 168.9, 995.8, 330.0]),
        Reference(frame: "000002", type: "Car", pointsInBox: 67, projectedCorners: [657.5, 189.8, 700.3, 223.7])
    ]
}
