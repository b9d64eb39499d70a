import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionQA

@Suite struct RuleCheckerTests {
    static func car(
        _ id: String, track: String? = nil, x: Double, y: Double = 0, yaw: Double = 0, length: Double = 4.2,
        points: Int? = 100,
        ground: Double? = -0.75, type: String = "Car"
    ) -> CheckedLabel {
        CheckedLabel(
            id: id, trackID: track, objectClass: type,
            box: Cuboid(center: SIMD3(x, y, 0), size: Size3(length: length, width: 1.8, height: 1.5), yaw: yaw),
            points: points, groundHeight: ground)
    }

    /// Each rule fires on the label made to break it, and nowhere else.
    @Test func eachRuleFindsItsCase() throws {
        let frames = [
            CheckedFrame(
                index: 0, time: 0,
                labels: [
                    Self.car("long", x: 10, length: 7.5),  // size.range
                    Self.car("sparse", x: 20, y: 10, points: 2),  // points.minimum
                    Self.car("floating", x: 30, y: 10, ground: -1.6),  // ground.bottom
                    Self.car("a", x: 40, y: -10), Self.car("b", x: 40.5, y: -10),  // overlap
                    Self.car("far", x: 120, y: 10),  // range.maximum
                    Self.car("t1", track: "7", x: 50, y: 20),
                    Self.car("u1", track: "8", x: 60, y: 20),
                    Self.car("w1", track: "9", x: 70, y: 20)
                ]),
            CheckedFrame(
                index: 1, time: 0.1,
                labels: [
                    Self.car("t2", track: "7", x: 51, y: 20, length: 4.6),  // track.size (+9.5 % on the median)
                    Self.car("u2", track: "8", x: 75, y: 20),  // track.teleport (150 m/s)
                    Self.car("w2", track: "9", x: 70.5, y: 20, yaw: 0.4),  // track.yawRate (4 rad/s)
                    Self.car("v2", track: "9", x: 90, y: 30, type: "Car")  // track.idReuse (twice in a frame)
                ])
        ]
        var drawn = Self.car("proj", x: 15, y: -20)
        drawn.projected = PixelRectangle(left: 100, top: 100, right: 200, bottom: 200)
        drawn.drawn2D = PixelRectangle(left: 180, top: 100, right: 280, bottom: 200)  // projection.mismatch (IoU 0.11)
        let findings = RuleChecker().check(
            frames + [CheckedFrame(index: 2, time: 0.2, labels: [drawn, Self.car("t3", track: "7", x: 52, y: 20)])])
        let byRule = Dictionary(grouping: findings, by: \.rule.rawValue).mapValues { Set($0.map(\.labelID)) }
        #expect(byRule["size.range"] == ["long"])
        #expect(byRule["points.minimum"] == ["sparse"])
        #expect(byRule["ground.bottom"] == ["floating"])
        #expect(byRule["overlap"] == ["a"])
        #expect(byRule["range.maximum"] == ["far"])
        #expect(byRule["track.size"] == ["t2"])
        #expect(byRule["track.teleport"] == ["u2"])
        #expect(byRule["track.yawRate"] == ["w2"])
        #expect(byRule["track.idReuse"] == ["v2"])
        #expect(byRule["projection.mismatch"] == ["proj"])
        #expect(findings.allSatisfy { $0.guidelineVersion == RuleSet.standard.guidelineVersion })
    }

    /// A rule file overrides what it names and keeps the rest of the standard set.
    @Test func ruleFilesOverrideTheStandard() throws {
        let path = TemporaryFiles.file("rules", suffix: ".json")
        defer { TemporaryFiles.remove(path) }
        try Data("{\"guidelineVersion\": \"team-3\", \"maximumRange\": 50, \"defaultMinimumPoints\": 1}".utf8).write(
            to: URL(fileURLWithPath: path))
        let rules = try RuleSet.read(contentsOf: path)
        #expect(
            rules.guidelineVersion == "team-3" && rules.maximumRange == 50
                && rules.sizeRanges == RuleSet.standard.sizeRanges)
        let findings = RuleChecker(rules: rules).check([
            CheckedFrame(index: 0, time: 0, labels: [Self.car("c", x: 60, y: 0, points: 2)])
        ])
        #expect(findings.map(\.rule) == [.rangeMaximum] && findings[0].guidelineVersion == "team-3")
        try Data("{\"maximumRange\": 50}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ReadError.self) { try RuleSet.read(contentsOf: path) }
    }
}
