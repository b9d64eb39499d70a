import Foundation
import FusionGeometry

/// Splits a cluster holding people who walk close together (clustering joins anyone nearer
/// than its tolerance): on a height map of the cluster, each head is a local top at least
/// `minimumHeadHeight` above the ground, two heads are two people when every path of cells
/// between them dips by `minimumDip` below the lower one (the saddle their shoulders make; no
/// path at all is a gap between them), and every return goes to its nearest head.
///
/// Only narrow, person-tall clusters near the sensor are tried (`maximumWidth`, `heights`,
/// `maximumRange`): a car's roof is one plateau, and a car is wider.
struct PedestrianSplitting: Sendable, Hashable, Encodable {
    /// Metres, the side of a height-map cell: half a head's width, so that a head and the
    /// shoulder of someone beside it fall in different cells (at 0.15 m one cell often held both,
    /// filling the saddle between two heads). Within `maximumRange` beams are closer than this.
    public var cell = 0.1
    var minimumHeadHeight = 1.3
    var minimumDip = 0.1
    /// Metres from the sensor: farther, heads are not resolved and a roof's two corners look alike.
    public var maximumRange = 20.0
    /// Heads closer than this (metres) are one person.
    var minimumSeparation = 0.45
    /// Clusters tried: footprint width at most this and height within these bounds, metres.
    public var maximumWidth = 1.2
    public var heights: ClosedRange<Double> = 1.0...2.3
    /// Each part keeps at least this many returns, or the cluster stays whole.
    var minimumPartSize = 10

    public init() {}

    /// The parts of a cluster (indices into `points`), or nil to keep it whole.
    /// - Parameters:
    ///   - points: the cluster's returns, sensor frame, metres.
    ///   - ground: the ground height under the cluster, metres.
    public func split(_ points: [SIMD3<Float>], ground: Double) -> [[Int]]? {
        guard points.count >= 2 * minimumPartSize else { return nil }
        var top = -Float.infinity
        var sum = SIMD2<Double>.zero
        for point in points {
            top = max(top, point.z)
            sum += SIMD2(Double(point.x), Double(point.y))
        }
        let middle = sum / Double(points.count)
        guard heights.contains(Double(top) - ground), (middle * middle).sum().squareRoot() <= maximumRange,
            let footprint = MinimumAreaRectangle().footprint(of: points.map { SIMD2(Double($0.x), Double($0.y)) }),
            footprint.width <= maximumWidth, footprint.length > minimumSeparation
        else { return nil }
        // The height map: per cell, the highest return.
        let inverse = 1 / cell
        func key(_ point: SIMD3<Float>) -> SIMD2<Int> {
            SIMD2(Int((Double(point.x) * inverse).rounded(.down)), Int((Double(point.y) * inverse).rounded(.down)))
        }
        var heightOf: [SIMD2<Int>: Float] = [:]
        for point in points { heightOf[key(point)] = max(heightOf[key(point)] ?? -.infinity, point.z) }
        // Heads: cells no lower than any cell within two cells, high enough; the highest first.
        let reach = minimumSeparation * inverse
        var heads: [(cell: SIMD2<Int>, height: Float)] = []
        for (cellKey, height) in heightOf.sorted(by: { ($0.value, $0.key.x, $0.key.y) > ($1.value, $1.key.x, $1.key.y) }
        )
        where Double(height) - ground >= minimumHeadHeight {
            let isTop = (-1...1).allSatisfy { dx in
                (-1...1).allSatisfy { dy in (heightOf[cellKey &+ SIMD2(dx, dy)] ?? -.infinity) <= height }
            }
            let isApart = heads.allSatisfy { head in
                let offset = SIMD2(Double(head.cell.x - cellKey.x), Double(head.cell.y - cellKey.y))
                return (offset * offset).sum().squareRoot() > reach
            }
            if isTop && isApart { heads.append((cellKey, height)) }
        }
        guard heads.count >= 2 else { return nil }
        // Keep heads that the height map joins to every higher head only below them by `minimumDip`.
        var separated = [heads[0]]
        for head in heads.dropFirst()
        where saddle(from: head.cell, toAnyOf: separated.map(\.cell), heightOf: heightOf) <= head.height
            - Float(minimumDip)
        {
            separated.append(head)
        }
        guard separated.count >= 2 else { return nil }
        var parts = [[Int]](repeating: [], count: separated.count)
        for (index, point) in points.enumerated() {
            let here = SIMD2(Double(point.x), Double(point.y))
            let nearest = separated.indices.min { a, b in
                distanceSquared(here, separated[a].cell) < distanceSquared(here, separated[b].cell)
            }!
            parts[nearest].append(index)
        }
        return parts.allSatisfy({ $0.count >= minimumPartSize }) ? parts : nil
    }

    private func distanceSquared(_ point: SIMD2<Double>, _ cellKey: SIMD2<Int>) -> Double {
        let center = (SIMD2(Double(cellKey.x), Double(cellKey.y)) + 0.5) * cell
        return ((point - center) * (point - center)).sum()
    }

    /// The highest level at which the height map joins `start` to any of `targets`: over the paths
    /// of 8-connected cells between them, the largest lowest cell (the saddle a person's shoulders
    /// make between two heads); −∞ when no path of cells joins them.
    private func saddle(from start: SIMD2<Int>, toAnyOf targets: [SIMD2<Int>], heightOf: [SIMD2<Int>: Float]) -> Float {
        // Widest-path search: the frontier's highest cell settles next, at the lowest level met on
        // the way to it; ties go to the lower cell key, so the search is deterministic.
        var frontier: [SIMD2<Int>: Float] = [start: heightOf[start] ?? -.infinity]
        var settled = Set<SIMD2<Int>>()
        while let (cell, level) = frontier.max(by: { ($0.value, $1.key.x, $1.key.y) < ($1.value, $0.key.x, $0.key.y) })
        {
            if targets.contains(cell) { return level }
            frontier[cell] = nil
            settled.insert(cell)
            for dx in -1...1 {
                for dy in -1...1 {
                    let neighbour = cell &+ SIMD2(dx, dy)
                    guard !settled.contains(neighbour), let height = heightOf[neighbour] else { continue }
                    frontier[neighbour] = max(frontier[neighbour] ?? -.infinity, min(level, height))
                }
            }
        }
        return -.infinity
    }
}
