/// Optional per-point values of a `PointCloud`. Each present array has one value per point.
public struct PointAttributes: Equatable, Sendable {
    /// Return strength as the sensor reports it (KITTI: 0...1, SUSTech and many PCD writers: 0...255).
    public var intensity: [Float]?
    /// Laser ring (beam) index, 0 at the first beam the sensor lists.
    public var ring: [UInt16]?
    /// Per-point timestamp in seconds, in the time base of the source (absolute or from sweep start).
    public var time: [Double]?
    /// Colour, for example from a camera or a coloured scanner.
    public var color: [PointColor]?
    /// Any other scalar field a file carried (normals, curvature, radar `rcs`, `vx` ...), by name.
    /// Fields with several elements are stored as `name.0`, `name.1`, ...
    public var scalars: [String: [Float]]

    public init(
        intensity: [Float]? = nil, ring: [UInt16]? = nil, time: [Double]? = nil,
        color: [PointColor]? = nil, scalars: [String: [Float]] = [:]
    ) {
        self.intensity = intensity
        self.ring = ring
        self.time = time
        self.color = color
        self.scalars = scalars
    }

    /// Whether every present attribute has `count` values.
    func allCounts(equal count: Int) -> Bool {
        (intensity?.count ?? count) == count && (ring?.count ?? count) == count
            && (time?.count ?? count) == count && (color?.count ?? count) == count
            && scalars.values.allSatisfy { $0.count == count }
    }

    /// The names of the attributes present, in a fixed order (named ones first, then scalars sorted).
    public var names: [String] {
        var result: [String] = []
        if intensity != nil { result.append("intensity") }
        if ring != nil { result.append("ring") }
        if time != nil { result.append("time") }
        if color != nil { result.append("color") }
        return result + scalars.keys.sorted()
    }

    /// The values at `indices`, in that order.
    public func subset(_ indices: some Collection<Int>) -> PointAttributes {
        PointAttributes(
            intensity: intensity.map { values in indices.map { values[$0] } },
            ring: ring.map { values in indices.map { values[$0] } },
            time: time.map { values in indices.map { values[$0] } },
            color: color.map { values in indices.map { values[$0] } },
            scalars: scalars.mapValues { values in indices.map { values[$0] } })
    }
}
