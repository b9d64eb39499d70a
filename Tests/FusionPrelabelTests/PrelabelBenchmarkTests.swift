import FusionGeometry
import FusionIO
import Testing

@testable import FusionPrelabel

/// The benchmark's protocol on hand-made frames whose figures are worked out by hand.
@Suite struct PrelabelBenchmarkTests {
    static func car(x: Double, y: Double = 0) -> Cuboid {
        Cuboid(center: SIMD3(x, y, 0.75), size: Size3(length: 4, width: 2, height: 1.5), yaw: 0)
    }

    static func person(x: Double, y: Double) -> Cuboid {
        Cuboid(center: SIMD3(x, y, 0.9), size: Size3(length: 0.8, width: 0.8, height: 1.8), yaw: 0)
    }

    @Test func perfectDetectionsScoreOne() {
        let labels = [
            PrelabelBenchmark.Label(category: .car, box: Self.car(x: 10), points: 200),
            .init(category: .pedestrian, box: Self.person(x: 5, y: 3), points: 50)
        ]
        let frame = PrelabelBenchmark.Frame(
            name: "a", labels: labels,
            detections: labels.map { .init(group: $0.category.group, score: 0.9, box: $0.box) })
        let report = PrelabelBenchmark().evaluate([frame])
        #expect(
            report.labels == 2 && report.proposals == 2 && report.proposalsPerLabel == 1 && report.flaggedProposals == 0
        )
        #expect(report.groups[.vehicle]?.recall == [1, 1] && report.groups[.vehicle]?.averagePrecision == [1, 1])
        #expect(report.groups[.pedestrian]?.averagePrecision == [1, 1])
        #expect(report.groups[.cyclist]?.labels == 0 && report.groups[.cyclist]?.averagePrecision == [nil, nil])
        #expect(report.groups[.vehicle]?.medianYawErrorDegrees == 0)
        #expect(report.ranges["0-20m"]?[.vehicle]?.labels == 1 && report.ranges["20-40m"]?[.vehicle]?.labels == 0)
    }

    /// Two cars; detections ranked: a false one (0.9), the first car (0.8), a box on a motorbike
    /// (ignored, 0.7), a box on a car with 5 returns (ignored, 0.6), the second car shifted 1 m
    /// (BEV IoU 3/5 = 0.6: found at 0.5, not at 0.7; 0.5). At 0.5 the precision is 1/2 at recall
    /// 1/2 and 2/3 at recall 1, so AP = 2/3 (every recall point reaches the later, higher
    /// precision). At 0.7: precision 1/2 at recall 1/2 and no more found: AP = 20 · 0.5 / 40.
    @Test func rankingIgnoredBoxesAndThresholds() throws {
        let labels = [
            PrelabelBenchmark.Label(category: .car, box: Self.car(x: 10), points: 200),
            .init(category: .car, box: Self.car(x: 30), points: 100),
            .init(category: .motorcycle, box: Self.car(x: 10, y: 8), points: 80),
            .init(category: .car, box: Self.car(x: 50), points: 5)
        ]
        let detections: [PrelabelBenchmark.Detection] = [
            .init(group: .vehicle, score: 0.9, box: Self.car(x: 10, y: -15)),
            .init(group: .vehicle, score: 0.8, box: Self.car(x: 10)),
            .init(group: .vehicle, score: 0.7, box: Self.car(x: 10, y: 8)),
            .init(group: .vehicle, score: 0.6, box: Self.car(x: 50)),
            .init(group: .vehicle, score: 0.5, box: Self.car(x: 31), isFlagged: true)
        ]
        let report = PrelabelBenchmark().evaluate([.init(name: "a", labels: labels, detections: detections)])
        let vehicle = try #require(report.groups[.vehicle])
        #expect(vehicle.labels == 2 && vehicle.found == [2, 1] && vehicle.detections == 5)
        #expect(abs(vehicle.averagePrecision[0]! - 2.0 / 3.0) < 1e-12)
        #expect(abs(vehicle.averagePrecision[1]! - 0.25) < 1e-12)
        #expect(report.proposalsPerLabel == 2.5 && report.flaggedProposals == 1)
    }

    @Test func staticObstaclesAreFalseAndOtherGroupsIgnored() throws {
        let labels = [
            PrelabelBenchmark.Label(category: .staticObstacle, box: Self.person(x: 5, y: 0), points: 90),
            .init(category: .bicycle, box: Self.person(x: 5, y: 5), points: 90),
            .init(category: .pedestrian, box: Self.person(x: 5, y: -5), points: 90)
        ]
        let detections: [PrelabelBenchmark.Detection] = [
            .init(group: .pedestrian, score: 0.9, box: Self.person(x: 5, y: 0)),
            .init(group: .pedestrian, score: 0.8, box: Self.person(x: 5, y: 5)),
            .init(group: .pedestrian, score: 0.7, box: Self.person(x: 5, y: -5))
        ]
        let pedestrian = try #require(
            PrelabelBenchmark().evaluate([.init(name: "a", labels: labels, detections: detections)]).groups[.pedestrian]
        )
        // The bollard's box is false (precision 1/2 at recall 1), the cyclist's ignored: AP = 0.5.
        #expect(pedestrian.averagePrecision[0] == 0.5 && pedestrian.recall[0] == 1)
    }
}
