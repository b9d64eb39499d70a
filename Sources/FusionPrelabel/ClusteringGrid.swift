import FusionGeometry

/// The occupied cells of `EuclideanClustering`'s grid in key order, with their points'
/// coordinates gathered in the same order (each cell's points contiguous), in buffers this object
/// owns: the join loop reads them directly, without a closure per array.
final class OccupiedCells {
    /// Packed cell keys (`EuclideanClustering.pack`), increasing.
    let keys: UnsafeMutableBufferPointer<Int64>
    /// Per cell, its points' positions in the gathered coordinates: `starts[c]..<ends[c]`.
    let starts: UnsafeMutableBufferPointer<Int32>
    let ends: UnsafeMutableBufferPointer<Int32>
    /// Per cell, the bounding box of its points: most cell pairs are settled by their boxes alone.
    let lows: UnsafeMutableBufferPointer<SIMD3<Float>>
    let highs: UnsafeMutableBufferPointer<SIMD3<Float>>
    /// The points' coordinates in cell order, metres.
    let xs: UnsafeMutableBufferPointer<Float>
    let ys: UnsafeMutableBufferPointer<Float>
    let zs: UnsafeMutableBufferPointer<Float>

    var count: Int { keys.count }

    /// - Parameter keyed: points of `cloud` (by index) with their cell keys, sorted by key.
    init(sortedByCell keyed: [(key: Int64, index: Int32)], cloud: PointCloud) {
        var cellCount = 0
        for position in keyed.indices where position == 0 || keyed[position - 1].key != keyed[position].key {
            cellCount += 1
        }
        keys = .allocate(capacity: cellCount)
        starts = .allocate(capacity: cellCount)
        ends = .allocate(capacity: cellCount)
        lows = .allocate(capacity: cellCount)
        highs = .allocate(capacity: cellCount)
        xs = .allocate(capacity: keyed.count)
        ys = .allocate(capacity: keyed.count)
        zs = .allocate(capacity: keyed.count)
        var cell = 0
        var start = 0
        while start < keyed.count {
            var end = start
            var low = SIMD3<Float>(repeating: .infinity)
            var high = -low
            while end < keyed.count && keyed[end].key == keyed[start].key {
                let index = Int(keyed[end].index)
                let point = SIMD3(cloud.x[index], cloud.y[index], cloud.z[index])
                xs[end] = point.x
                ys[end] = point.y
                zs[end] = point.z
                low = pointwiseMin(low, point)
                high = pointwiseMax(high, point)
                end += 1
            }
            keys[cell] = keyed[start].key
            starts[cell] = Int32(start)
            ends[cell] = Int32(end)
            lows[cell] = low
            highs[cell] = high
            cell += 1
            start = end
        }
    }

    deinit {
        keys.deallocate()
        starts.deallocate()
        ends.deallocate()
        lows.deallocate()
        highs.deallocate()
        xs.deallocate()
        ys.deallocate()
        zs.deallocate()
    }

    /// Each column's first cell (cells sorted by key share x and y in runs, z increasing), by
    /// column key.
    func columnTable() -> CellTable {
        var columnKeys: [Int64] = []
        var columnStarts: [Int32] = []
        for cell in 0..<count
        where cell == 0 || EuclideanClustering.column(of: keys[cell - 1]) != EuclideanClustering.column(of: keys[cell])
        {
            columnKeys.append(EuclideanClustering.column(of: keys[cell]))
            columnStarts.append(Int32(cell))
        }
        return CellTable(keys: columnKeys, values: columnStarts)
    }

    /// Joins neighbouring cells (`EuclideanClustering.forwardColumns`) that hold a pair of points
    /// closer than the tolerance, in the union–find `parents` (the smaller index as the root).
    /// This loop runs about sixty times per cell.
    func joinNeighbours(columns table: CellTable, squaredTolerance: Float, parents: UnsafeMutableBufferPointer<Int32>) {
        func root(_ cell: Int32) -> Int32 {
            var node = cell
            while parents[Int(node)] != node {
                parents[Int(node)] = parents[Int(parents[Int(node)])]
                node = parents[Int(node)]
            }
            return node
        }
        let zMask = EuclideanClustering.zMask
        for cell in 0..<count {
            let key = keys[cell]
            let z = key & zMask
            for neighbour in EuclideanClustering.forwardColumns {
                let columnKey = EuclideanClustering.column(of: key) &+ neighbour.offset
                var other = table.value(of: columnKey)
                guard other >= 0 else { continue }
                while Int(other) < count, EuclideanClustering.column(of: keys[Int(other)]) == columnKey,
                    (keys[Int(other)] & zMask) < z &+ neighbour.dz.lowerBound
                {
                    other += 1
                }
                while Int(other) < count, EuclideanClustering.column(of: keys[Int(other)]) == columnKey,
                    (keys[Int(other)] & zMask) <= z &+ neighbour.dz.upperBound
                {
                    defer { other += 1 }
                    let a = root(Int32(cell))
                    let b = root(other)
                    if a != b && holdClosePair(cell, Int(other), squaredTolerance: squaredTolerance) {
                        parents[Int(max(a, b))] = min(a, b)
                    }
                }
            }
        }
    }

    /// Whether a point of `cell` and a point of `other` are closer than the tolerance; the first
    /// such pair ends the search.
    @inline(__always)
    func holdClosePair(_ cell: Int, _ other: Int, squaredTolerance: Float) -> Bool {
        let low = lows[cell]
        let high = highs[cell]
        let otherLow = lows[other]
        let otherHigh = highs[other]
        // Boxes a tolerance or more apart hold no close pair.
        let gap = EuclideanClustering.positivePart(otherLow - high, low - otherHigh)
        if (gap * gap).sum() >= squaredTolerance { return false }
        for first in Int(starts[cell])..<Int(ends[cell]) {
            let point = SIMD3(xs[first], ys[first], zs[first])
            // A point a tolerance or more from the other cell's box meets none of its points.
            let outside = EuclideanClustering.positivePart(otherLow - point, point - otherHigh)
            guard (outside * outside).sum() < squaredTolerance else { continue }
            for second in Int(starts[other])..<Int(ends[other]) {
                let dx = xs[second] - point.x
                let dy = ys[second] - point.y
                let dz = zs[second] - point.z
                if dx * dx + dy * dy + dz * dz < squaredTolerance { return true }
            }
        }
        return false
    }
}

/// Values by packed key: open addressing with a multiplicative hash (a general-purpose
/// dictionary hashes each key with SipHash, which costs more than the whole distance search).
final class CellTable {
    private let keys: UnsafeMutableBufferPointer<Int64>
    private let values: UnsafeMutableBufferPointer<Int32>
    private let mask: Int
    /// 64 − log2(capacity): Fibonacci hashing keeps the top bits of the product.
    private let shift: UInt64
    private static let empty = Int64.min

    init(keys tableKeys: [Int64], values tableValues: [Int32]) {
        var capacity = 16
        while capacity < 2 * tableKeys.count { capacity <<= 1 }
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: Self.empty)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: -1)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for (key, value) in zip(tableKeys, tableValues) {
            var slot = slot(of: key)
            while keys[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    private func slot(of key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value of `key`, or -1.
    @inline(__always)
    func value(of key: Int64) -> Int32 {
        var slot = slot(of: key)
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == Self.empty { return -1 }
            slot = (slot + 1) & mask
        }
    }
}
