import FusionGeometry

/// Euclidean clustering: the connected components of the graph joining points closer than
/// `tolerance`, as PCL's `EuclideanClusterExtraction` computes them (the same clusters: a pair is
/// joined when its squared distance, computed in single precision as PCL does, is below
/// `tolerance²`), found on a grid instead of a kd-tree query per point: cells of side just under
/// `tolerance / √3` are connected inside by construction, and two neighbouring cells join as soon
/// as one pair of their points is close enough (a union–find over cells).
///
/// Clusters with fewer than `sizes.lowerBound` or more than `sizes.upperBound` points are dropped
/// whole, as PCL drops them. Clusters are numbered largest first (ties by their lowest point index).
public struct EuclideanClustering: Sendable, Hashable, Encodable {
    /// Metres.
    public var tolerance: Double
    /// Accepted cluster sizes, in points.
    public var sizes: ClosedRange<Int>

    public init(tolerance: Double, sizes: ClosedRange<Int> = 1...Int.max) {
        precondition(tolerance > 0, "the clustering tolerance must be positive")
        self.tolerance = tolerance
        self.sizes = sizes
    }

    /// Per point of `cloud` (only those where `included` is true, or all), its cluster number, or
    /// -1 when it is in no accepted cluster; and the number of clusters.
    /// - Complexity: O(n log n) for the sort, then per pair of neighbouring cells in different
    ///   components a search that stops at the first close pair.
    public func labels(of cloud: PointCloud, included: [Bool]? = nil) -> (labels: [Int32], clusterCount: Int) {
        let count = cloud.count
        var labels = [Int32](repeating: -1, count: count)
        guard count > 0 else { return (labels, 0) }
        // Cells a little smaller than tolerance/√3: any two points of one cell are closer than the
        // tolerance, so a cell is connected inside without a single distance test.
        let side = tolerance / 3.0.squareRoot() * (1 - 1e-5)
        let inverse = 1 / side
        let squaredTolerance = Float(tolerance * tolerance)
        // Points sorted by cell key, so each cell's points are contiguous. A key packs the cell's
        // x, y, z (21 bits each, offset to be non-negative) into one integer.
        var keyed: [(key: Int64, index: Int32)] = []
        keyed.reserveCapacity(count)
        for index in 0..<count where included?[index] ?? true {
            let x = cloud.x[index]
            let y = cloud.y[index]
            let z = cloud.z[index]
            guard x.isFinite, y.isFinite, z.isFinite else { continue }
            let scaled = SIMD3(Double(x), Double(y), Double(z)) * inverse
            // Cells beyond ±2^20 (hundreds of kilometres at street tolerances) are not a sensor's
            // points; checked before the conversion, which a coordinate of 1e30 m would overflow.
            guard pointwiseMax(scaled, -scaled).max() < Double(1 << 20) else { continue }
            let rounded = scaled.rounded(.down)
            keyed.append((Self.pack(SIMD3(Int64(rounded.x), Int64(rounded.y), Int64(rounded.z))), Int32(index)))
        }
        Self.sortByCell(&keyed)
        let cells = OccupiedCells(sortedByCell: keyed, cloud: cloud)
        let table = cells.columnTable()
        var components = UnionFind(count: cells.count)
        components.withParents { parents in
            cells.joinNeighbours(columns: table, squaredTolerance: squaredTolerance, parents: parents)
        }
        let cellRanges = (0..<cells.count).map { Int(cells.starts[$0])..<Int(cells.ends[$0]) }
        // Component sizes and lowest point indices, kept at each component's root cell; then the
        // accepted ones numbered largest first (ties: lowest point index first).
        let roots = (0..<Int32(cells.count)).map { components.root($0) }
        var sizeAtRoot = [Int](repeating: 0, count: cells.count)
        var firstAtRoot = [Int32](repeating: .max, count: cells.count)
        for (cell, range) in cellRanges.enumerated() {
            let component = Int(roots[cell])
            sizeAtRoot[component] += range.count
            for entry in keyed[range] { firstAtRoot[component] = min(firstAtRoot[component], entry.index) }
        }
        let accepted = roots.indices.filter { roots[$0] == Int32($0) && sizes.contains(sizeAtRoot[$0]) }
            .sorted { (sizeAtRoot[$0], -firstAtRoot[$0]) > (sizeAtRoot[$1], -firstAtRoot[$1]) }
        var number = [Int32](repeating: -1, count: cells.count)
        for (position, component) in accepted.enumerated() { number[component] = Int32(position) }
        for (cell, range) in cellRanges.enumerated() {
            let label = number[Int(roots[cell])]
            guard label >= 0 else { continue }
            for entry in keyed[range] { labels[Int(entry.index)] = label }
        }
        return (labels, accepted.count)
    }

    /// Sorts points by cell key, and points of one cell by index. The keys' x, y and z, counted
    /// from their smallest, are renumbered densely in the same order (x, then y, then z); when the
    /// cells span fewer than 2³² of those numbers (any sweep's do) a radix sort orders them, else a
    /// comparison sort. `keyed` comes in index order, so a stable sort keeps indices increasing.
    static func sortByCell(_ keyed: inout [(key: Int64, index: Int32)]) {
        guard !keyed.isEmpty else { return }
        let fieldMask = zMask
        var low = SIMD3<Int64>(repeating: .max)
        var high = SIMD3<Int64>(repeating: .min)
        for entry in keyed {
            let fields = SIMD3(entry.key >> 42, (entry.key >> 21) & fieldMask, entry.key & fieldMask)
            low = pointwiseMin(low, fields)
            high = pointwiseMax(high, fields)
        }
        let spans = high &- low &+ 1
        // Each span is at most 2²¹, so the first product cannot overflow; the second is checked.
        let columns = spans.x * spans.y
        let (cells, overflow) = columns.multipliedReportingOverflow(by: spans.z)
        guard !overflow, cells <= Int64(UInt32.max) else {
            keyed.sort { ($0.key, $0.index) < ($1.key, $1.index) }
            return
        }
        let dense = keyed.map { entry in
            let fields = SIMD3(entry.key >> 42, (entry.key >> 21) & fieldMask, entry.key & fieldMask) &- low
            return UInt32(truncatingIfNeeded: (fields.x * spans.y + fields.y) * spans.z + fields.z)
        }
        let unsorted = keyed
        keyed = stableOrder(byKeys: dense).map { unsorted[Int($0)] }
    }

    static func pack(_ cell: SIMD3<Int64>) -> Int64 {
        ((cell.x + (1 << 20)) << 42) | ((cell.y + (1 << 20)) << 21) | (cell.z + (1 << 20))
    }

    /// Per axis, the larger of `a`, `b` and 0: the gap between a point or box and a box.
    @inline(__always)
    static func positivePart(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(max(a.x, b.x, 0), max(a.y, b.y, 0), max(a.z, b.z, 0))
    }

    static let zMask: Int64 = (1 << 21) - 1

    /// The key of a cell's column (its x and y, z cleared).
    static func column(of key: Int64) -> Int64 { key & ~zMask }

    /// The neighbouring columns that can hold a point within the tolerance, with the range of
    /// z offsets to look at in each: up to two cells away, but not where the cells' nearest
    /// corners are a tolerance or more apart (a gap of √3 cell sides), and only the half of the
    /// neighbours after the cell in key order.
    static let forwardColumns: [(offset: Int64, dz: ClosedRange<Int64>)] = {
        var columns: [(Int64, ClosedRange<Int64>)] = []
        for dx: Int64 in -2...2 {
            for dy: Int64 in -2...2 where (dx, dy) >= (0, 0) {
                let gaps = max(abs(dx) - 1, 0) * max(abs(dx) - 1, 0) + max(abs(dy) - 1, 0) * max(abs(dy) - 1, 0)
                let reach: Int64 = gaps + 1 < 3 ? 2 : (gaps < 3 ? 1 : -1)
                guard reach >= 0 else { continue }
                columns.append(((dx << 42) + (dy << 21), (dx, dy) == (0, 0) ? 1...reach : -reach...reach))
            }
        }
        return columns
    }()
}

/// Union–find over cells, the smaller index as the root.
struct UnionFind {
    private var parent: [Int32]

    init(count: Int) { parent = (0..<Int32(count)).map { $0 } }

    mutating func root(_ cell: Int32) -> Int32 {
        var node = cell
        while parent[Int(node)] != node {
            parent[Int(node)] = parent[Int(parent[Int(node)])]
            node = parent[Int(node)]
        }
        return node
    }

    mutating func withParents(_ body: (UnsafeMutableBufferPointer<Int32>) -> Void) {
        parent.withUnsafeMutableBufferPointer { body($0) }
    }
}
