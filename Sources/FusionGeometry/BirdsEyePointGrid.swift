/// The finite points of a cloud bucketed on a bird's-eye grid (square x–y cells), so that many
/// boxes or neighbourhoods can be asked about one sweep without a pass over all its points each:
/// a query visits only the cells under its rectangle.
///
/// The grid covers the points' extent, at most `reach` metres from the origin on each axis;
/// finite points beyond it (a stray return at 1e30 m) are kept aside and offered to every query.
/// Non-finite points are left out: they lie in no box.
public struct BirdsEyePointGrid: Sendable {
    /// Metres.
    public let cellSize: Double
    private let firstColumn: Int, firstRow: Int
    private let columns: Int, rows: Int
    /// Point indices grouped by cell (row-major); cell c holds `order[cellStarts[c]..<cellStarts[c + 1]]`.
    private let cellStarts: [Int32]
    private let order: [Int32]
    private let farPoints: [Int32]
    /// Metres from the origin the grid covers on each axis.
    private let reach: Double

    /// Buckets `cloud` (a counting sort: two passes, no per-cell allocation).
    /// - Parameters:
    ///   - cellSize: metres, > 0.
    ///   - reach: metres from the origin the grid covers on each axis, at most.
    public init(_ cloud: PointCloud, cellSize: Double = 2, reach: Double = 256) {
        precondition(cellSize > 0 && reach > 0, "a grid needs positive cell size and reach")
        self.cellSize = cellSize
        self.reach = reach
        let limit = Float(reach)
        var low = SIMD2<Float>(repeating: .infinity)
        var high = SIMD2<Float>(repeating: -.infinity)
        var cellOfPoint = [Int32](repeating: -1, count: cloud.count)
        var far: [Int32] = []
        var (firstColumn, firstRow, columns, rows) = (0, 0, 1, 1)
        var starts: [Int32] = []
        cloud.x.withUnsafeBufferPointer { xs in
            cloud.y.withUnsafeBufferPointer { ys in
                cloud.z.withUnsafeBufferPointer { zs in
                    for index in 0..<xs.count where abs(xs[index]) <= limit && abs(ys[index]) <= limit {
                        let point = SIMD2(xs[index], ys[index])
                        low = pointwiseMin(low, point)
                        high = pointwiseMax(high, point)
                    }
                    if low.x > high.x { (low, high) = (.zero, .zero) }
                    firstColumn = Int((Double(low.x) / cellSize).rounded(.down))
                    firstRow = Int((Double(low.y) / cellSize).rounded(.down))
                    columns = Int((Double(high.x) / cellSize).rounded(.down)) - firstColumn + 1
                    rows = Int((Double(high.y) / cellSize).rounded(.down)) - firstRow + 1
                    starts = [Int32](repeating: 0, count: columns * rows + 1)
                    for index in 0..<xs.count {
                        let x = xs[index]
                        let y = ys[index]
                        let z = zs[index]
                        guard x.isFinite, y.isFinite, z.isFinite else { continue }
                        guard abs(x) <= limit, abs(y) <= limit else {
                            far.append(Int32(index))
                            continue
                        }
                        let cell = Self.cell(
                            Double(x), Double(y), cellSize: cellSize, firstColumn: firstColumn, firstRow: firstRow,
                            columns: columns, rows: rows)
                        cellOfPoint[index] = Int32(cell)
                        starts[cell + 1] += 1
                    }
                }
            }
        }
        for cell in 0..<columns * rows { starts[cell + 1] += starts[cell] }
        var next = starts
        var order = [Int32](repeating: 0, count: Int(starts[columns * rows]))
        for index in 0..<cloud.count where cellOfPoint[index] >= 0 {
            let cell = Int(cellOfPoint[index])
            order[Int(next[cell])] = Int32(index)
            next[cell] += 1
        }
        (self.firstColumn, self.firstRow, self.columns, self.rows) = (firstColumn, firstRow, columns, rows)
        cellStarts = starts
        self.order = order
        farPoints = far
    }

    private static func cell(
        _ x: Double, _ y: Double, cellSize: Double, firstColumn: Int, firstRow: Int, columns: Int, rows: Int
    ) -> Int {
        let column = min(max(Int((x / cellSize).rounded(.down)) - firstColumn, 0), columns - 1)
        let row = min(max(Int((y / cellSize).rounded(.down)) - firstRow, 0), rows - 1)
        return row * columns + column
    }

    /// Calls `body` with the index of every point whose cell meets the rectangle
    /// `x in xRange, y in yRange` (metres; a superset of the points inside it), and of every point
    /// beyond the grid's reach.
    public func forEachPoint(x xRange: ClosedRange<Double>, y yRange: ClosedRange<Double>, _ body: (Int) -> Void) {
        for index in farPoints { body(Int(index)) }
        // Clamped to the grid's reach before becoming cell numbers (a range may be huge or infinite).
        let lowX = max(xRange.lowerBound, -reach)
        let highX = min(xRange.upperBound, reach)
        let lowY = max(yRange.lowerBound, -reach)
        let highY = min(yRange.upperBound, reach)
        guard lowX <= highX, lowY <= highY else { return }
        let lowColumn = Int((lowX / cellSize).rounded(.down)) - firstColumn
        let highColumn = Int((highX / cellSize).rounded(.down)) - firstColumn
        let lowRow = Int((lowY / cellSize).rounded(.down)) - firstRow
        let highRow = Int((highY / cellSize).rounded(.down)) - firstRow
        guard highColumn >= 0, lowColumn < columns, highRow >= 0, lowRow < rows else { return }
        order.withUnsafeBufferPointer { order in
            cellStarts.withUnsafeBufferPointer { starts in
                for row in max(lowRow, 0)...min(highRow, rows - 1) {
                    let rowStart = row * columns
                    // The cells of one row are contiguous in `order`.
                    let first = Int(starts[rowStart + max(lowColumn, 0)])
                    let last = Int(starts[rowStart + min(highColumn, columns - 1) + 1])
                    for position in first..<last { body(Int(order[position])) }
                }
            }
        }
    }
}

extension Cuboid {
    /// The x and y ranges its corners span (the axis-aligned rectangle around its footprint), nil
    /// when a corner is not finite.
    var boundsXY: (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        let corners = self.corners
        guard corners.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else { return nil }
        let xs = corners.map(\.x)
        let ys = corners.map(\.y)
        return (xs.min()!...xs.max()!, ys.min()!...ys.max()!)
    }
}

extension PointCloud {
    /// The number of points inside or on the surface of each box (same frame as the cloud): the
    /// same counts as `countPoints(inside:)` box by box, from one bucketing of the cloud (pass
    /// `grid` to share one); 0 for a box with a non-finite corner.
    /// - Complexity: O(n) to bucket, then O(points near each box).
    public func countPoints(inside boxes: [Cuboid], grid: BirdsEyePointGrid? = nil) -> [Int] {
        let grid = grid ?? BirdsEyePointGrid(self)
        return boxes.map { box in
            guard let bounds = box.boundsXY else { return 0 }
            let test = BoxTest(box)
            var total = 0
            grid.forEachPoint(x: bounds.x, y: bounds.y) { total &+= test.flag(x[$0], y[$0], z[$0]) }
            return total
        }
    }

    /// Whether each point lies inside or on the surface of any of `boxes` (boxes with a non-finite
    /// corner hold none).
    /// - Complexity: O(n) to bucket, then O(points near each box).
    public func insideAnyMask(of boxes: [Cuboid], grid: BirdsEyePointGrid? = nil) -> [Bool] {
        let grid = grid ?? BirdsEyePointGrid(self)
        var mask = [Bool](repeating: false, count: count)
        for box in boxes {
            guard let bounds = box.boundsXY else { continue }
            let test = BoxTest(box)
            grid.forEachPoint(x: bounds.x, y: bounds.y) { index in
                if test.flag(x[index], y[index], z[index]) != 0 { mask[index] = true }
            }
        }
        return mask
    }
}
