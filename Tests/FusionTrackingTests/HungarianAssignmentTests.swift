import FusionGeometry
import Testing

@testable import FusionTracking

/// The Hungarian solver against brute force: every partial matching of small random problems.
@Suite struct HungarianAssignmentTests {
    /// The least total of matched costs plus `gate / 2` per unmatched row and column, over every
    /// partial matching whose pairs are allowed (finite and within the gate).
    static func bruteForce(_ costs: [Double], rows: Int, columns: Int, gate: Double) -> Double {
        var best = Double.infinity
        var usedColumns = [Bool](repeating: false, count: columns)
        func search(_ row: Int, _ total: Double, _ matched: Int) {
            if row == rows {
                best = min(best, total + gate / 2 * Double(rows + columns - 2 * matched))
                return
            }
            search(row + 1, total, matched)
            for column in 0..<columns where !usedColumns[column] {
                let cost = costs[row * columns + column]
                guard cost.isFinite, cost <= gate else { continue }
                usedColumns[column] = true
                search(row + 1, total + cost, matched + 1)
                usedColumns[column] = false
            }
        }
        search(0, 0, 0)
        return best
    }

    static func total(_ pairs: [(row: Int, column: Int)], _ costs: [Double], rows: Int, columns: Int, gate: Double)
        -> Double
    {
        pairs.reduce(0) { $0 + costs[$1.row * columns + $1.column] } + gate / 2
            * Double(rows + columns - 2 * pairs.count)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func gatedAssignmentsAreOptimal(seed: UInt64) {
        var random = SeededRandomNumberGenerator(seed: seed)
        for _ in 0..<60 {
            let rows = Int(random.next() % 6)
            let columns = Int(random.next() % 6)
            // Negative costs like −IoU, some forbidden, gates like an IoU threshold.
            let costs = (0..<(rows * columns)).map { _ in
                random.nextUnitDouble() < 0.15 ? Double.infinity : -random.nextUnitDouble()
            }
            let gate = -random.nextDouble(in: 0..<0.6)
            let pairs = HungarianAssignment.solve(costs: costs, rows: rows, columns: columns, gate: gate)
            #expect(Set(pairs.map(\.row)).count == pairs.count && Set(pairs.map(\.column)).count == pairs.count)
            #expect(pairs.allSatisfy { costs[$0.row * columns + $0.column] <= gate })
            let expected = Self.bruteForce(costs, rows: rows, columns: columns, gate: gate)
            #expect(abs(Self.total(pairs, costs, rows: rows, columns: columns, gate: gate) - expected) < 1e-9)
        }
    }

    /// Without a gate, as many pairs as possible are made, at least total cost.
    @Test func ungatedAssignmentsMatchAllTheyCanAtLeastCost() {
        var random = SeededRandomNumberGenerator(seed: 11)
        for _ in 0..<200 {
            let rows = 1 + Int(random.next() % 5)
            let columns = 1 + Int(random.next() % 5)
            let costs = (0..<(rows * columns)).map { _ in random.nextDouble(in: 0..<10) }
            let pairs = HungarianAssignment.solve(costs: costs, rows: rows, columns: columns)
            #expect(pairs.count == min(rows, columns))
            // Brute force restricted to full matchings: a huge gate makes unmatched pairs ruinous.
            let bigGate = 1e6
            let expected =
                Self.bruteForce(costs, rows: rows, columns: columns, gate: bigGate) - bigGate / 2
                * Double(abs(rows - columns))
            #expect(abs(pairs.reduce(0) { $0 + costs[$1.row * columns + $1.column] } - expected) < 1e-6)
        }
    }

    @Test func emptyAndFullyForbiddenProblemsGiveNoPairs() {
        #expect(HungarianAssignment.solve(costs: [], rows: 0, columns: 3).isEmpty)
        #expect(HungarianAssignment.solve(costs: [.infinity, .nan], rows: 1, columns: 2).isEmpty)
        #expect(HungarianAssignment.solve(costs: [0.9, 0.8], rows: 2, columns: 1, gate: 0.5).isEmpty)
        let pairs = HungarianAssignment.solve(costs: [1, 2, 2, 1], rows: 2, columns: 2)
        #expect(pairs.map(\.row) == [0, 1] && pairs.map(\.column) == [0, 1])
    }
}
