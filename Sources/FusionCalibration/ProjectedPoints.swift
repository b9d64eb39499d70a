/// What projection found out about one point.
public struct ProjectionFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Camera z is beyond the camera's near plane.
    static let inFront = ProjectionFlags(rawValue: 1)
    /// In front, inside the lens model's valid field of view, and on the image (see `ImageSize.contains`).
    public static let insideImage = ProjectionFlags(rawValue: 2)
    /// The point had a NaN or infinite coordinate (or one so large, beyond 1e37 m, that its camera
    /// position overflows `Float`); it is not inside the image.
    public static let nonFinite = ProjectionFlags(rawValue: 4)
}

/// A cloud projected into one camera, one entry per point in the cloud's order (structure of arrays).
///
/// `u` (right) and `v` (down) are pixels with (0, 0) the centre of the top-left pixel; `depth` is the
/// point's camera z in metres (distance along the optical axis, not range). Pixels of points that are
/// not `.insideImage` are whatever the lens formula gives: check the flags before using them.
public struct ProjectedPoints: Sendable {
    public internal(set) var u: [Float] = []
    public internal(set) var v: [Float] = []
    public internal(set) var depth: [Float] = []
    /// `ProjectionFlags` raw values, one per point.
    public internal(set) var flags: [UInt8] = []

    /// An empty result, to pass to `Camera.project(_:into:)` and reuse across frames.
    public init() {}

    public var count: Int { u.count }

    public func flags(at index: Int) -> ProjectionFlags { ProjectionFlags(rawValue: flags[index]) }

    /// How many points had a NaN or infinite coordinate (skipped).
    public var nonFiniteCount: Int { count(of: .nonFinite) }
    /// How many points lie in front of the camera.
    var inFrontCount: Int { count(of: .inFront) }
    /// How many points land on the image.
    public var insideImageCount: Int { count(of: .insideImage) }

    /// The indices of the points that land on the image, ascending.
    public var indicesInsideImage: [Int] {
        flags.indices.filter { flags[$0] & ProjectionFlags.insideImage.rawValue != 0 }
    }

    /// The pixel of point `index` (meaningful when it is `.insideImage`).
    public func pixel(at index: Int) -> SIMD2<Float> { SIMD2(u[index], v[index]) }

    private func count(of flag: ProjectionFlags) -> Int {
        var total = 0
        for value in flags { total &+= Int((value & flag.rawValue) != 0 ? 1 : 0) }
        return total
    }

    /// Sizes the columns for `count` points, keeping their storage when it is large enough.
    mutating func prepare(count: Int) {
        guard self.count != count else { return }
        for keyPath in [\ProjectedPoints.u, \.v, \.depth] {
            self[keyPath: keyPath].removeAll(keepingCapacity: true)
            self[keyPath: keyPath].append(contentsOf: repeatElement(0, count: count))
        }
        flags.removeAll(keepingCapacity: true)
        flags.append(contentsOf: repeatElement(0, count: count))
    }
}
