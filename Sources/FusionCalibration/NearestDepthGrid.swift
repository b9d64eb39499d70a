/// The nearest depth of projected points per square cell of an image (+∞ where none landed).
struct NearestDepthGrid {
    let cellSize: Int
    let columns: Int
    let rows: Int
    private(set) var depths: [Float]

    /// - Parameter including: which points (by index) count; all by default.
    init(_ projected: ProjectedPoints, imageSize: ImageSize, cellSize: Int, including: (Int) -> Bool = { _ in true }) {
        precondition(cellSize > 0)
        self.cellSize = cellSize
        columns = (imageSize.width + cellSize - 1) / cellSize
        rows = (imageSize.height + cellSize - 1) / cellSize
        depths = [Float](repeating: .infinity, count: columns * rows)
        for index in projected.indicesInsideImage where including(index) {
            let cell = self.cell(u: projected.u[index], v: projected.v[index])
            depths[cell] = min(depths[cell], projected.depth[index])
        }
    }

    /// Gives every empty cell the nearest depth of its 8 neighbours (LiDAR rings are often several
    /// pixels apart in an image, leaving empty rows of cells between them).
    mutating func closeGaps() {
        let filled = depths
        for row in 0..<rows {
            for column in 0..<columns where filled[row * columns + column] == .infinity {
                var nearest = Float.infinity
                for neighbourRow in max(0, row - 1)...min(rows - 1, row + 1) {
                    for neighbourColumn in max(0, column - 1)...min(columns - 1, column + 1) {
                        nearest = min(nearest, filled[neighbourRow * columns + neighbourColumn])
                    }
                }
                depths[row * columns + column] = nearest
            }
        }
    }

    func cell(u: Float, v: Float) -> Int {
        let column = min(columns - 1, max(0, Int((u + 0.5) / Float(cellSize))))
        let row = min(rows - 1, max(0, Int((v + 0.5) / Float(cellSize))))
        return row * columns + column
    }

    func depth(u: Float, v: Float) -> Float { depths[cell(u: u, v: v)] }
}
