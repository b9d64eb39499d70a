import Foundation
import FusionGeometry
import FusionSupport

/// Finds the ground of a LiDAR sweep (sensor frame, z up, the sensor above the road): a RANSAC
/// plane as the baseline, then a polar grid of bins around the sensor whose ground heights follow
/// slopes, crowns and kerbs that one plane cannot.
///
/// - Plane: seeded draws (`planeIterations`, `planeConfidence`) of three bins' lowest points, kept when the normal is
///   within `maximumTilt` of vertical, scored by the lowest points within `planeThreshold`; the
///   best is refitted by least squares on its inliers.
/// - Bins: `sectors` equal angles by rings (see `ringEdges`). Each sector is walked outwards
///   from the sensor: a bin's ground is its lowest point inside the window the last ground found
///   allows (the plane's slope, give or take `maximumSlope` per metre and `stepTolerance`), unless
///   it lies above the prediction with more of the bin's points standing on it than lying at its
///   height (a wall's or a truck's bottom edge). A bin with no ground keeps the predicted height
///   and does not move the walk on, so the window widens over the gap; once every sector is
///   walked, it takes the median ground seen around it (`neighbourSectors`, one ring).
/// - A point is ground when it lies no more than `groundThreshold` above its bin's ground.
public struct GroundSegmentation: Sendable, Hashable, Encodable {
    var sectors = 180
    /// Metres; beyond it the plane is the ground.
    public var maximumRange = 120.0
    /// A ring's radial length is `binLengthFraction` of its range, within these bounds, metres.
    var binLengths: ClosedRange<Double> = 0.5...4
    var binLengthFraction = 0.05
    /// Rise or fall per metre, beyond the plane's, allowed between two grounds found along a
    /// sector, over at most `maximumRun` metres (a gap behind a car must not let the walk climb
    /// onto the next car).
    var maximumSlope = 0.08
    var maximumRun = 3.0
    /// Metres allowed on top of the slope (kerbs, potholes, noise).
    var stepTolerance = 0.12
    /// Metres above the ground still called ground.
    var groundThreshold = 0.2
    /// How many sectors either side an unseen bin borrows its ground from.
    var neighbourSectors = 3
    /// At most this many draws; fewer once `planeConfidence` is reached.
    public var planeIterations = 200
    var planeConfidence = 0.99999
    /// Metres.
    public var planeThreshold = 0.15
    /// Radians.
    var maximumTilt = 15 * Double.pi / 180
    public var seed: UInt64 = 1

    public init() {}

    /// The outer edges of the rings, metres, increasing, the last at `maximumRange`.
    var ringEdges: [Double] {
        var edges: [Double] = []
        var range = 0.0
        while range < maximumRange {
            range = min(
                maximumRange, range + min(binLengths.upperBound, max(binLengths.lowerBound, binLengthFraction * range)))
            edges.append(range)
        }
        return edges
    }

    /// The ground of one sweep.
    public struct Ground: Sendable {
        /// `normal · p = offset` (unit normal, z component positive), metres.
        public var normal: SIMD3<Double>
        public var offset: Double
        /// Per point, whether it is ground.
        public var mask: [Bool]
        /// Per bin (sector-major), the ground height, metres.
        let binHeights: [Float]
        let grid: PolarGrid

        /// The plane's height at `(x, y)`, metres.
        func planeHeight(x: Double, y: Double) -> Double {
            (offset - normal.x * x - normal.y * y) / normal.z
        }

        /// The ground height under `(x, y)` (sensor frame, metres): its bin's, or the plane's
        /// beyond the last ring.
        public func height(x: Double, y: Double) -> Double {
            guard let bin = grid.bin(x: Float(x), y: Float(y)) else { return planeHeight(x: x, y: y) }
            return Double(binHeights[bin])
        }
    }

    /// - Returns: nil when the sweep has no plane near horizontal (fewer than three occupied bins,
    ///   or none of the draws tilted less than `maximumTilt`).
    public func ground(of cloud: PointCloud) -> Ground? {
        let grid = PolarGrid(sectors: sectors, ringEdges: ringEdges)
        // Points sorted by bin (a counting sort), so each bin's points are contiguous.
        let count = cloud.count
        var binOfPoint = [Int32](repeating: -1, count: count)
        var binStarts = [Int32](repeating: 0, count: grid.binCount + 1)
        for index in 0..<count {
            let x = cloud.x[index]
            let y = cloud.y[index]
            let z = cloud.z[index]
            guard x.isFinite, y.isFinite, z.isFinite, let bin = grid.bin(x: x, y: y) else { continue }
            binOfPoint[index] = Int32(bin)
            binStarts[bin + 1] += 1
        }
        for bin in 0..<grid.binCount { binStarts[bin + 1] += binStarts[bin] }
        var order = [Int32](repeating: 0, count: Int(binStarts[grid.binCount]))
        var next = binStarts
        for index in 0..<count where binOfPoint[index] >= 0 {
            let bin = Int(binOfPoint[index])
            order[Int(next[bin])] = Int32(index)
            next[bin] += 1
        }
        // The plane, from each occupied bin's lowest point.
        var lowest: [SIMD3<Double>] = []
        for bin in 0..<grid.binCount where binStarts[bin] < binStarts[bin + 1] {
            var low = Int(order[Int(binStarts[bin])])
            for slot in Int(binStarts[bin])..<Int(binStarts[bin + 1]) where cloud.z[Int(order[slot])] < cloud.z[low] {
                low = Int(order[slot])
            }
            lowest.append(SIMD3<Double>(cloud[low]))
        }
        guard let plane = dominantPlane(of: lowest) else { return nil }
        // Each sector walked outwards.
        let threshold = Float(groundThreshold)
        var heights = [Float](repeating: 0, count: grid.binCount)
        var isFound = [Bool](repeating: false, count: grid.binCount)
        let rings = grid.ringEdges.count
        for sector in 0..<sectors {
            let angle = (Double(sector) + 0.5) / Double(sectors) * 2 * .pi - .pi
            let direction = SIMD2(cos(angle), sin(angle))
            func planeHeight(at range: Double) -> Double {
                (plane.offset - plane.normal.x * direction.x * range - plane.normal.y * direction.y * range)
                    / plane.normal.z
            }
            // The walk starts on the plane at the first ring, where the plane is most reliable.
            var lastRange = grid.ringEdges[0] / 2
            var lastHeight = planeHeight(at: lastRange)
            for ring in 0..<rings {
                let bin = sector * rings + ring
                let range = ring == 0 ? grid.ringEdges[0] / 2 : (grid.ringEdges[ring - 1] + grid.ringEdges[ring]) / 2
                let run = range - lastRange
                let predicted = lastHeight + planeHeight(at: range) - planeHeight(at: lastRange)
                let allowance = stepTolerance + maximumSlope * min(run, maximumRun)
                var found = Float.infinity
                let low = Float(predicted - allowance)
                let high = Float(predicted + allowance)
                let points = Int(binStarts[bin])..<Int(binStarts[bin + 1])
                for slot in points {
                    let z = cloud.z[Int(order[slot])]
                    if z >= low && z <= high && z < found { found = z }
                }
                // Well above the prediction, the lowest point may be the bottom of a wall or a
                // vehicle's back: ground has fewer points standing above it than lying on it.
                if found > Float(predicted + stepTolerance) {
                    var lying = 0
                    var standing = 0
                    for slot in points {
                        let above = cloud.z[Int(order[slot])] - found
                        if above <= threshold { lying += 1 } else if above <= 2.5 { standing += 1 }
                    }
                    if standing >= lying { found = .infinity }
                }
                if found.isFinite {
                    heights[bin] = found
                    isFound[bin] = true
                    lastRange = range
                    lastHeight = Double(found)
                } else {
                    heights[bin] = Float(predicted)
                }
            }
        }
        fillUnseen(&heights, isFound: isFound, rings: rings)
        var mask = [Bool](repeating: false, count: count)
        for index in 0..<count {
            let bin = Int(binOfPoint[index])
            if bin >= 0 {
                mask[index] = cloud.z[index] - heights[bin] <= threshold
            } else if cloud.z[index].isFinite, cloud.x[index].isFinite, cloud.y[index].isFinite {
                let height =
                    (plane.offset - plane.normal.x * Double(cloud.x[index]) - plane.normal.y * Double(cloud.y[index]))
                    / plane.normal.z
                mask[index] = Double(cloud.z[index]) - height <= groundThreshold
            }
        }
        return Ground(normal: plane.normal, offset: plane.offset, mask: mask, binHeights: heights, grid: grid)
    }

    /// A bin whose ground was not seen takes the median of the grounds seen within
    /// `neighbourSectors` sectors and one ring of it (the sidewalk beside a pedestrian, the road
    /// beside a car), and keeps its prediction when none was seen.
    func fillUnseen(_ heights: inout [Float], isFound: [Bool], rings: Int) {
        let predicted = heights
        var seen: [Float] = []
        for sector in 0..<sectors {
            for ring in 0..<rings where !isFound[sector * rings + ring] {
                seen.removeAll(keepingCapacity: true)
                for step in -neighbourSectors...neighbourSectors {
                    let neighbour = (sector + step + sectors) % sectors
                    for nearRing in max(0, ring - 1)...min(rings - 1, ring + 1)
                    where isFound[neighbour * rings + nearRing] {
                        seen.append(predicted[neighbour * rings + nearRing])
                    }
                }
                guard !seen.isEmpty else { continue }
                seen.sort()
                heights[sector * rings + ring] = OrderStatistics.upperMedian(seen)
            }
        }
    }

    /// The RANSAC plane through most of `points`, refitted by least squares on its inliers.
    func dominantPlane(of points: [SIMD3<Double>]) -> (normal: SIMD3<Double>, offset: Double)? {
        guard points.count >= 3 else { return nil }
        var random = SeededRandomNumberGenerator(seed: seed)
        var best: (normal: SIMD3<Double>, offset: Double, inliers: Int)?
        // Adaptive stopping, as PCL's RANSAC: enough draws that one was all inliers with
        // probability `planeConfidence`, given the best inlier share so far.
        var needed = planeIterations
        var iteration = 0
        while iteration < needed {
            iteration += 1
            let a = points[Int(random.next() % UInt64(points.count))]
            let b = points[Int(random.next() % UInt64(points.count))]
            let c = points[Int(random.next() % UInt64(points.count))]
            var normal = (b - a).cross(c - a)
            guard normal.length > 1e-9 else { continue }
            normal /= normal.length
            if normal.z < 0 { normal = -normal }
            guard normal.z >= cos(maximumTilt) else { continue }
            let offset = normal.dot(a)
            var inliers = 0
            for point in points where abs(normal.dot(point) - offset) <= planeThreshold { inliers += 1 }
            if inliers > (best?.inliers ?? 0) {
                best = (normal, offset, inliers)
                let share = Double(inliers) / Double(points.count)
                let allInliers = share * share * share
                if allInliers >= 1 { break }
                needed = min(planeIterations, Int((log(1 - planeConfidence) / log(1 - allInliers)).rounded(.up)))
            }
        }
        guard let found = best else { return nil }
        return Self.leastSquaresPlane(points.filter { abs(found.normal.dot($0) - found.offset) <= planeThreshold })
            ?? (found.normal, found.offset)
    }

    /// The plane `z = a x + b y + c` through `points` by least squares (the ground is near
    /// horizontal, so vertical residuals are the right ones), as a unit normal and offset.
    static func leastSquaresPlane(_ points: [SIMD3<Double>]) -> (normal: SIMD3<Double>, offset: Double)? {
        guard points.count >= 3 else { return nil }
        let mean = points.reduce(SIMD3<Double>.zero, +) / Double(points.count)
        var xx = 0.0
        var xy = 0.0
        var xz = 0.0
        var yy = 0.0
        var yz = 0.0
        for p in points {
            let d = p - mean
            xx += d.x * d.x
            xy += d.x * d.y
            xz += d.x * d.z
            yy += d.y * d.y
            yz += d.y * d.z
        }
        let determinant = xx * yy - xy * xy
        guard abs(determinant) > 1e-12 else { return nil }
        let a = (xz * yy - yz * xy) / determinant
        let b = (yz * xx - xz * xy) / determinant
        var normal = SIMD3(-a, -b, 1)
        normal /= normal.length
        return (normal, normal.dot(mean))
    }
}

/// Bins around the sensor: `sectors` equal angles (sector 0 starts at −π) by rings with the given
/// outer edges; bins are numbered sector-major.
struct PolarGrid: Sendable {
    let sectors: Int
    let ringEdges: [Double]
    /// Per decimetre of range, its ring.
    private let ringOfDecimetre: [Int32]
    /// The sectors' edges as pseudo-angles (see `pseudoAngle`), increasing; between two edges (and
    /// before the first or after the last) the bearing is in one sector, `sectorBetweenEdges`.
    private let sectorEdges: [Float]
    private let sectorBetweenEdges: [Int32]
    /// Per step of pseudo-angle (`stepsPerUnit` per unit), how many edges lie below the step's
    /// start. A sector spans at least π / `sectors` in pseudo-angle, more than a step, so at most
    /// one more edge lies inside a step.
    private let edgesBelowStep: [Int32]
    private let stepsPerUnit: Float
    /// A bearing this near an edge (in pseudo-angle) takes its sector from `atan2`, as the edges
    /// are defined: the pseudo-angle's rounding must not move a point to the next sector.
    private static let edgeMargin: Float = 1e-5

    init(sectors: Int, ringEdges: [Double]) {
        self.sectors = sectors
        self.ringEdges = ringEdges
        let decimetres = Int(((ringEdges.last ?? 0) * 10).rounded(.up))
        var ring = 0
        ringOfDecimetre = (0..<decimetres).map { decimetre in
            // A decimetre straddling an edge goes to the ring holding its start; bin(x:y:) corrects.
            while ring < ringEdges.count - 1 && Double(decimetre) / 10 >= ringEdges[ring] { ring += 1 }
            return Int32(ring)
        }
        let edges = (0..<max(0, sectors)).map { edge in
            let bearing = Double(edge) / Double(sectors) * 2 * .pi - .pi
            let value = pseudoAngle(cos(bearing), sin(bearing)) ?? 0
            return value >= 4 ? 0 : value
        }.sorted()
        sectorEdges = edges.map(Float.init)
        // Each stretch between edges takes the sector of its middle bearing (half a sector from
        // either edge, where the definition's rounding cannot matter).
        let bounds = [0.0] + edges + [4.0]
        sectorBetweenEdges = (0...edges.count).map { stretch in
            let middle = direction(ofPseudoAngle: (bounds[stretch] + bounds[stretch + 1]) / 2)
            return Int32(Self.sectorByArcTangent(x: Float(middle.x), y: Float(middle.y), sectors: sectors))
        }
        let steps = 2 * max(1, sectors)
        stepsPerUnit = Float(steps)
        var below = 0
        edgesBelowStep = (0..<(4 * steps)).map { step in
            while below < edges.count && edges[below] < Double(step) / Double(steps) { below += 1 }
            return Int32(below)
        }
    }

    var binCount: Int { sectors * ringEdges.count }

    /// The bin under `(x, y)`, or nil beyond the last ring.
    func bin(x: Float, y: Float) -> Int? {
        let range = (x * x + y * y).squareRoot()
        // Checked as a float first: a range of 1e30 m (or an overflow to infinity) is no bin.
        guard range * 10 < Float(ringOfDecimetre.count) else { return nil }
        let decimetre = Int(range * 10)
        var ring = Int(ringOfDecimetre[decimetre])
        while Double(range) >= ringEdges[ring] {
            ring += 1
            if ring == ringEdges.count { return nil }
        }
        return sector(x: x, y: y) * ringEdges.count + ring
    }

    /// The sector of the bearing of `(x, y)`, `⌊(atan2(y, x) + π) / 2π × sectors⌋` in single
    /// precision, found from the pseudo-angle: `atan2` only within `edgeMargin` of an edge.
    @inline(__always)
    func sector(x: Float, y: Float) -> Int {
        guard let angle = pseudoAngle(x, y) else { return Self.sectorByArcTangent(x: x, y: y, sectors: sectors) }
        var stretch = Int(edgesBelowStep[min(edgesBelowStep.count - 1, Int(angle * stepsPerUnit))])
        if stretch < sectorEdges.count && angle >= sectorEdges[stretch] { stretch += 1 }
        let nearBelow = stretch > 0 && angle - sectorEdges[stretch - 1] < Self.edgeMargin
        let nearAbove = stretch < sectorEdges.count && sectorEdges[stretch] - angle < Self.edgeMargin
        return nearBelow || nearAbove
            ? Self.sectorByArcTangent(x: x, y: y, sectors: sectors) : Int(sectorBetweenEdges[stretch])
    }

    /// The sector of the bearing of `(x, y)` by its definition.
    static func sectorByArcTangent(x: Float, y: Float, sectors: Int) -> Int {
        min(sectors - 1, Int((atan2(y, x) + .pi) / (2 * .pi) * Float(sectors)))
    }
}
