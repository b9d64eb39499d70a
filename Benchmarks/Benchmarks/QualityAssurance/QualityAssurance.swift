// Label quality assurance: inter-annotator agreement over 10,000 real labels, and the audit
// trail's append and verify rates. No PCL/OpenCV equivalent; the bars are absolute (agreement and
// checks over 10,000 labels in 50 ms; at least 20,000 appends per second).
// Run from Benchmarks/: `swift package benchmark --target QualityAssurance` (release, baseline x86-64).
import Benchmark
import Foundation
import FusionGeometry
import FusionIO
import FusionQA

enum Fixture {
    static let scenes =
        ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenes").path

    /// The first 10,000 labelled boxes of the KITTI tracking val split, by frame, and a copy moved
    /// by 10 cm, scaled by 2 % and turned by 1°.
    static let annotators: (first: [Int: [AnnotatedBox]], second: [Int: [AnnotatedBox]]) = {
        var first: [Int: [AnnotatedBox]] = [:]
        var count = 0
        var frameOffset = 0
        for name in ["0001", "0006", "0008", "0010", "0012", "0013", "0014", "0015", "0016", "0018", "0019"]
        where count < 10_000 {
            let rows =
                (try? KITTITrackedObject.read(contentsOf: scenes + "/kitti-tracking-val/label_02/\(name).txt")) ?? []
            for row in rows where !row.object.isDontCare && count < 10_000 {
                first[frameOffset + row.frame, default: []].append(
                    AnnotatedBox(
                        id: "\(name)-\(row.trackID)", objectClass: row.object.type,
                        box: row.object.box.cuboidInForwardLeftUpAxes))
                count += 1
            }
            frameOffset += 10_000
        }
        guard count == 10_000 else {
            fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder)")
        }
        let second = first.mapValues {
            $0.map { box -> AnnotatedBox in
                var copy = box
                copy.box.center.x += 0.1
                copy.box.size.length *= 1.02
                copy.box.rotation = UnitQuaternion(yaw: .pi / 180) * box.box.rotation
                return copy
            }
        }
        return (first, second)
    }()

    /// The same labels as rule-check input: tracks, 10 Hz frames, no sweeps.
    static let checkedFrames: [CheckedFrame] = annotators.first.sorted { $0.key < $1.key }.map { frame, boxes in
        CheckedFrame(
            index: frame, time: Double(frame) * 0.1,
            labels: boxes.map {
                CheckedLabel(id: "\(frame)/\($0.id)", trackID: $0.id, objectClass: $0.objectClass, box: $0.box)
            })
    }

    static let draft = AuditEntry.Draft(
        actor: "annotator-1", role: .annotator, labelID: "0001/car-3", action: "edit",
        before: Cuboid(center: SIMD3(10, 2, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: 0.1),
        after: Cuboid(center: SIMD3(10.2, 2, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: 0.1),
        reason: "tighter fit", guidelineVersion: "2026.1")
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(4), maxIterations: 200)

    Benchmark(
        "Agreement of two annotators over 10,000 KITTI labels",
        configuration: .init(setup: { blackHole(Fixture.annotators.first.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AnnotatorAgreement().compare(Fixture.annotators.first, Fixture.annotators.second).overall.matched)
        }
    }
    Benchmark(
        "Rule checks over 10,000 KITTI labels (per box, per frame, along tracks)",
        configuration: .init(setup: { blackHole(Fixture.checkedFrames.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RuleChecker().check(Fixture.checkedFrames).count)
        }
    }
    Benchmark(
        "Audit append, fsync every 1,000 entries (10,000 entries)",
        configuration: .init(maxIterations: 10)
    ) { benchmark in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID()).jsonl").path
        defer { for suffix in ["", ".head"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let log = try! AuditLog(path: path, durability: .batched(entries: 1_000))
        benchmark.startMeasurement()
        for _ in 0..<10_000 { try! log.append(Fixture.draft) }
        try! log.flush()
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Audit append, fsync every entry (200 entries)",
        configuration: .init(maxIterations: 20)
    ) { benchmark in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID()).jsonl").path
        defer { for suffix in ["", ".head"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let log = try! AuditLog(path: path, durability: .everyAppend)
        benchmark.startMeasurement()
        for _ in 0..<200 { try! log.append(Fixture.draft) }
        benchmark.stopMeasurement()
    }
}
