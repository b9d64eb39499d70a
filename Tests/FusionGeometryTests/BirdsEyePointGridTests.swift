import Testing

@testable import FusionGeometry

/// Many boxes against one bucketed sweep give exactly what one pass per box gives.
@Suite struct BirdsEyePointGridTests {
    /// 60,000 points up to 90 m away, some on box surfaces, plus a few hostile ones: NaN,
    /// infinite, and finite but absurdly far (beyond the grid's reach).
    static func cloud() -> PointCloud {
        var random = SeededRandomNumberGenerator(seed: 21)
        var x: [Float] = []
        var y: [Float] = []
        var z: [Float] = []
        for _ in 0..<60_000 {
            x.append(Float.random(in: -90...90, using: &random))
            y.append(Float.random(in: -90...90, using: &random))
            z.append(Float.random(in: -3...4, using: &random))
        }
        x += [.nan, .infinity, 1e30, 300, 5.0, -1e30]
        y += [0, 0, 0, 2.0, .nan, 1e30]
        z += [0, 0, 0, 0.5, 0, 0]
        return PointCloud(x: x, y: y, z: z)
    }

    static func boxes() -> [Cuboid] {
        var random = SeededRandomNumberGenerator(seed: 22)
        var boxes = (0..<150).map { _ in
            Cuboid(
                center: SIMD3(
                    Double.random(in: -85...85, using: &random), Double.random(in: -85...85, using: &random),
                    Double.random(in: -1...1, using: &random)),
                size: Size3(
                    length: Double.random(in: 0.3...15, using: &random),
                    width: Double.random(in: 0.3...4, using: &random),
                    height: Double.random(in: 0.5...4, using: &random)),
                rotation: UnitQuaternion(yaw: Double.random(in: -4...4, using: &random))
                    * UnitQuaternion(axis: SIMD3(1, 0, 0), angle: Double.random(in: -0.3...0.3, using: &random)))
        }
        // Straddling a cell edge, beyond the grid, covering everything, and degenerate.
        boxes.append(Cuboid(center: SIMD3(2, 2, 0), size: Size3(length: 0.01, width: 8, height: 8), yaw: 0))
        boxes.append(Cuboid(center: SIMD3(300, 2, 0.5), size: Size3(length: 1, width: 1, height: 1), yaw: 0))
        boxes.append(Cuboid(center: .zero, size: Size3(length: 1e6, width: 1e6, height: 100), yaw: 0.2))
        boxes.append(Cuboid(center: SIMD3(.nan, 0, 0), size: Size3(length: 1, width: 1, height: 1), yaw: 0))
        return boxes
    }

    @Test(arguments: [0.5, 2.0, 7.0]) func countsAndMaskMatchOnePassPerBox(cellSize: Double) {
        let cloud = Self.cloud()
        let boxes = Self.boxes()
        let grid = BirdsEyePointGrid(cloud, cellSize: cellSize, reach: 256)
        let counted = cloud.countPoints(inside: boxes, grid: grid)
        #expect(counted == boxes.map { cloud.countPoints(inside: $0) })
        #expect(counted.reduce(0, +) > 1000)
        var mask = [Bool](repeating: false, count: cloud.count)
        for box in boxes {
            for (index, inside) in cloud.insideMask(of: box).enumerated() where inside { mask[index] = true }
        }
        #expect(cloud.insideAnyMask(of: boxes, grid: grid) == mask)
    }

    @Test func queriesVisitEveryPointNearTheRectangleOnce() {
        let cloud = Self.cloud()
        let grid = BirdsEyePointGrid(cloud, cellSize: 3)
        var visited: [Int] = []
        grid.forEachPoint(x: -10...12.5, y: 4...30) { visited.append($0) }
        #expect(Set(visited).count == visited.count)
        let expected = (0..<cloud.count).filter { index in
            let x = cloud.x[index]
            let y = cloud.y[index]
            return x >= -10 && x <= 12.5 && y >= 4 && y <= 30 && cloud.z[index].isFinite
        }
        #expect(Set(expected).isSubset(of: Set(visited)))
        // Beyond the reach (and the far points) only the far points come back; infinite ranges are fine.
        var far: [Int] = []
        grid.forEachPoint(x: 1e9...2e9, y: 0...1) { far.append($0) }
        #expect(far.count == 3)  // 1e30, 300 (beyond reach 256) and -1e30
        var all = 0
        grid.forEachPoint(x: -Double.infinity...Double.infinity, y: -Double.infinity...Double.infinity) { _ in all += 1
        }
        #expect(all == cloud.count - 3)  // every finite point: the NaN, infinity and the NaN-y point are left out
    }

    @Test func emptyCloudsAndBoxLists() {
        let empty = PointCloud(x: [], y: [], z: [])
        #expect(empty.countPoints(inside: Self.boxes()).allSatisfy { $0 == 0 })
        #expect(Self.cloud().countPoints(inside: []).isEmpty)
        #expect(empty.insideAnyMask(of: Self.boxes()).isEmpty)
    }
}
