import Foundation
import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionQA

@Suite struct ReviewBoardTests {
    /// One rule for the view flags, at its edges: occluded from half hidden on, as KITTI's level 2
    /// ("largely occluded") begins; truncated only beyond half cut off.
    @Test func viewFlagsFollowTheOcclusionLevelsAtTheirEdges() {
        #expect(AmbiguityFlag.viewFlags(hiddenShare: 0.5, truncation: 0.5) == [.occluded])
        #expect(BoxSample.occlusionLevel(hiddenShare: 0.5) == 2)
        #expect(AmbiguityFlag.viewFlags(hiddenShare: 0.5.nextDown, truncation: 0.5.nextUp) == [.truncated])
        #expect(AmbiguityFlag.viewFlags(hiddenShare: nil, truncation: nil).isEmpty)
        #expect(AmbiguityFlag.viewFlags(hiddenShare: 1, truncation: 1) == [.occluded, .truncated])
    }

    static func label(_ index: Int) -> ReviewBoard.Label {
        let box = Cuboid(center: SIMD3(Double(index), 0, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: 0)
        let confidence: Double = index == 3 ? 0.2 : 0.9
        let points = index == 4 ? 5 : 200
        return ReviewBoard.Label(
            id: "car-\(index)", scene: index < 5 ? "a" : "b", objectClass: index % 2 == 0 ? "Car" : "Pedestrian",
            box: box, confidence: confidence, points: points)
    }

    static func board(count: Int = 10) -> ReviewBoard {
        ReviewBoard(labels: (0..<count).map(label), guidelineVersion: "2026.1")
    }

    @Test func labelsMoveThroughTheThreeLayers() throws {
        var board = Self.board()
        try board.apply(ReviewAction(labelID: "car-0", kind: .annotate, actor: "ann", role: .annotator))
        try board.apply(ReviewAction(labelID: "car-0", kind: .leadAccept, actor: "lead", role: .lead))
        try board.apply(ReviewAction(labelID: "car-0", kind: .validate, actor: "val", role: .validator))
        #expect(board.labels["car-0"]?.state == .validated)
    }

    @Test(arguments: [
        (ReviewAction(labelID: "car-1", kind: .validate, actor: "val", role: .validator), "only lead-reviewed"),
        (ReviewAction(labelID: "car-1", kind: .leadAccept, actor: "ann", role: .annotator), "only leads"),
        (ReviewAction(labelID: "car-1", kind: .reject, actor: "lead", role: .lead), "needs a reason"),
        (ReviewAction(labelID: "nope", kind: .annotate, actor: "ann", role: .annotator), "no such label")
    ])
    func actionsAgainstTheRulesAreRefused(action: ReviewAction, message: String) throws {
        var board = Self.board()
        try board.apply(ReviewAction(labelID: "car-1", kind: .annotate, actor: "ann", role: .annotator))
        #expect(throws: ReviewError.self) { try board.apply(action) }
        do { try board.apply(action) } catch let error as ReviewError {
            #expect(error.message.contains(message), "\(error)")
        }
    }

    /// Nobody validates a label they annotated or edited (here the validator is also an annotator).
    @Test func theAnnotatorCannotValidate() throws {
        var board = Self.board()
        try board.apply(ReviewAction(labelID: "car-2", kind: .annotate, actor: "sam", role: .annotator))
        try board.apply(ReviewAction(labelID: "car-2", kind: .leadAccept, actor: "lead", role: .lead))
        #expect(throws: ReviewError.self) {
            try board.apply(ReviewAction(labelID: "car-2", kind: .validate, actor: "sam", role: .validator))
        }
    }

    /// A rejection sends the label back with its reason, and counts against first-pass accuracy;
    /// every accepted action is in the audit log, which verifies.
    @Test func rejectionsReturnToAnnotationAndEverythingIsAudited() throws {
        let path = TemporaryFiles.file("review", suffix: ".jsonl")
        defer { for suffix in ["", ".head"] { TemporaryFiles.remove(path + suffix) } }
        let log = try AuditLog(path: path)
        var board = Self.board()
        for index in 0..<4 {
            try board.apply(
                ReviewAction(
                    labelID: "car-\(index)", kind: .annotate, actor: index < 2 ? "ann-1" : "ann-2", role: .annotator),
                log: log)
            try board.apply(
                ReviewAction(labelID: "car-\(index)", kind: .leadAccept, actor: "lead", role: .lead), log: log)
        }
        try board.apply(
            ReviewAction(labelID: "car-1", kind: .reject, actor: "val", role: .validator, reason: "box too long"),
            log: log)
        #expect(board.labels["car-1"]?.state == .rejected)
        let moved = Cuboid(center: SIMD3(1, 0.1, 0.8), size: Size3(length: 3.8, width: 1.8, height: 1.5), yaw: 0)
        try board.apply(
            ReviewAction(labelID: "car-1", kind: .edit, actor: "ann-1", role: .annotator, box: moved), log: log)
        try board.apply(ReviewAction(labelID: "car-1", kind: .leadAccept, actor: "lead", role: .lead), log: log)
        let byAnnotator = board.firstPassAccuracy { $0.annotator ?? "-" }
        #expect(byAnnotator == ["ann-1": 0.5, "ann-2": 1])
        let result = try AuditVerification.verify(logAt: path)
        #expect(result.isIntact && result.entries == 11)
        let edit = try JSONDecoder().decode(
            AuditEntry.self, from: Data(String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[9].utf8))
        #expect(
            edit.action == "edit" && edit.after?.size[0] == 3.8 && edit.before?.size[0] == 4
                && edit.guidelineVersion == "2026.1")
    }

    /// Flagged, then low-confidence, then sparse, then recently edited labels come first; the rest
    /// is a seeded random share.
    @Test func spotChecksTakeRiskFirst() throws {
        var board = Self.board(count: 40)
        for index in 0..<40 {
            try board.apply(ReviewAction(labelID: "car-\(index)", kind: .annotate, actor: "ann", role: .annotator))
        }
        try board.apply(ReviewAction(labelID: "car-7", kind: .flag, actor: "ann", role: .annotator, flag: .occluded))
        let sample = board.spotCheck(share: 0.25, seed: 3, recentEdits: 2)
        #expect(sample.count == 10)
        #expect(Array(sample.prefix(5)) == ["car-7", "car-3", "car-4", "car-39", "car-38"])
        #expect(board.spotCheck(share: 0.25, seed: 3, recentEdits: 2) == sample)
        #expect(board.spotCheck(share: 0.25, seed: 4, recentEdits: 2) != sample)
    }
}
