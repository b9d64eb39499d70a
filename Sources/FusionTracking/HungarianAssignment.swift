/// Minimum-cost assignment between two sets (tracks and detections), with a gate: a pair costing
/// more than the gate is never made, and leaving a row or a column unassigned costs half the gate
/// each, so a pair is made exactly when it beats leaving both alone.
///
/// Solved exactly by the Hungarian method (shortest augmenting paths with potentials, as in
/// Jonker–Volgenant) on the square problem padded with "unassigned" rows and columns.
public enum HungarianAssignment {
    /// The assignment of least total cost.
    /// - Parameters:
    ///   - costs: row-major, `rows × columns`; non-finite entries are forbidden pairs.
    ///   - gate: the largest cost a made pair may have.
    /// - Returns: the pairs, by row.
    /// - Complexity: O(rows · columns) to split the problem into groups that share no allowed
    ///   pair, then O(k³) for each group of k rows and columns (a scene's objects mostly compete
    ///   only with their neighbours).
    public static func solve(costs: [Double], rows: Int, columns: Int, gate: Double = .infinity) -> [(
        row: Int, column: Int
    )] {
        precondition(costs.count == rows * columns, "costs must hold rows × columns values")
        guard rows > 0, columns > 0 else { return [] }
        // Groups of rows and columns joined by allowed pairs (union–find over rows, then columns):
        // no pair crosses two groups, so each is solved alone, and rows and columns with no
        // allowed pair stay unassigned whatever the rest does.
        func isAllowed(_ cost: Double) -> Bool { cost.isFinite && cost <= gate }
        var parent = Array(0..<(rows + columns))
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        var hasPair = [Bool](repeating: false, count: rows + columns)
        for row in 0..<rows {
            for column in 0..<columns where isAllowed(costs[row * columns + column]) {
                hasPair[row] = true
                hasPair[rows + column] = true
                let (a, b) = (root(row), root(rows + column))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var groups: [Int: (rows: [Int], columns: [Int])] = [:]
        for node in 0..<(rows + columns) where hasPair[node] {
            if node < rows {
                groups[root(node), default: ([], [])].rows.append(node)
            } else {
                groups[root(node), default: ([], [])].columns.append(node - rows)
            }
        }
        var pairs: [(row: Int, column: Int)] = []
        for key in groups.keys.sorted() {
            let group = groups[key]!
            let reduced = group.rows.flatMap { row in group.columns.map { costs[row * columns + $0] } }
            pairs += solveDense(costs: reduced, rows: group.rows.count, columns: group.columns.count, gate: gate)
                .map { (group.rows[$0.row], group.columns[$0.column]) }
        }
        return pairs.sorted { $0.row < $1.row }
    }

    /// `solve` on a problem where every row and column has an allowed pair.
    static func solveDense(costs: [Double], rows: Int, columns: Int, gate: Double) -> [(row: Int, column: Int)] {
        // Forbidden and gated pairs get a cost no optimal assignment would choose.
        let allowed = costs.filter { $0.isFinite && $0 <= gate }
        guard !allowed.isEmpty else { return [] }
        let unassigned = gate.isFinite ? gate / 2 : (allowed.map(abs).max()! + 1) * Double(rows + columns)
        let forbidden = (allowed.map(abs).max()! + 2 * unassigned + 1) * Double(rows + columns + 1)
        // Square problem of size n = rows + columns:
        //   [ costs        | unassigned on the diagonal ]
        //   [ unassigned on the diagonal | 0            ]
        let n = rows + columns
        var matrix = [Double](repeating: forbidden, count: n * n)
        for row in 0..<rows {
            for column in 0..<columns {
                let cost = costs[row * columns + column]
                if cost.isFinite && cost <= gate { matrix[row * n + column] = cost }
            }
            matrix[row * n + columns + row] = unassigned
        }
        for column in 0..<columns {
            matrix[(rows + column) * n + column] = unassigned
            for dummy in 0..<rows { matrix[(rows + column) * n + columns + dummy] = 0 }
        }
        let columnOfRow = minimumCostPerfectAssignment(matrix, size: n)
        var pairs: [(row: Int, column: Int)] = []
        for row in 0..<rows where columnOfRow[row] < columns && matrix[row * n + columnOfRow[row]] < forbidden {
            pairs.append((row, columnOfRow[row]))
        }
        return pairs
    }

    /// Shortest augmenting paths with row and column potentials on a square matrix; returns the
    /// column of each row.
    static func minimumCostPerfectAssignment(_ cost: [Double], size n: Int) -> [Int] {
        // 1-based, with row 0 / column 0 as the virtual start, as in the classic formulation.
        var rowPotential = [Double](repeating: 0, count: n + 1)
        var columnPotential = rowPotential
        var rowOfColumn = [Int](repeating: 0, count: n + 1)
        var previousColumn = rowOfColumn
        var slack = [Double](repeating: 0, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        for row in 1...n {
            rowOfColumn[0] = row
            var column0 = 0
            for index in 0...n {
                slack[index] = .infinity
                used[index] = false
            }
            repeat {
                used[column0] = true
                let row0 = rowOfColumn[column0]
                var delta = Double.infinity
                var column1 = 0
                for column in 1...n where !used[column] {
                    let reduced = cost[(row0 - 1) * n + column - 1] - rowPotential[row0] - columnPotential[column]
                    if reduced < slack[column] {
                        slack[column] = reduced
                        previousColumn[column] = column0
                    }
                    if slack[column] < delta {
                        delta = slack[column]
                        column1 = column
                    }
                }
                for column in 0...n {
                    if used[column] {
                        rowPotential[rowOfColumn[column]] += delta
                        columnPotential[column] -= delta
                    } else {
                        slack[column] -= delta
                    }
                }
                column0 = column1
            } while rowOfColumn[column0] != 0
            repeat {
                let column1 = previousColumn[column0]
                rowOfColumn[column0] = rowOfColumn[column1]
                column0 = column1
            } while column0 != 0
        }
        var columnOfRow = [Int](repeating: 0, count: n)
        for column in 1...n where rowOfColumn[column] > 0 { columnOfRow[rowOfColumn[column] - 1] = column - 1 }
        return columnOfRow
    }
}
