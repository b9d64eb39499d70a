import Foundation
import FusionGeometry

/// Where a label is in review.
public enum ReviewState: String, Codable, Sendable, CaseIterable {
    /// Proposed by the engine; nobody has looked at it.
    case prelabeled
    /// An annotator has drawn or checked it.
    case annotated
    /// Sent back by a lead or validator, with a reason; the annotator must look again.
    case rejected
    /// A lead has checked it (in a spot check or fully).
    case leadReviewed
    /// An independent validator has accepted it: done.
    case validated
}

/// Why a label deserves a second look. A flag is a request, never a silent guess.
public enum AmbiguityFlag: String, Codable, Sendable, CaseIterable {
    case sparse, occluded, truncated, classUncertain, annotatorsDisagree, ruleFinding

    /// The view flags of a label, the one rule every QA path applies: `occluded` from half hidden
    /// on (KITTI's "largely occluded", `BoxSample.occlusionLevel` 2), `truncated` beyond half cut
    /// off by the image border.
    /// - Parameters:
    ///   - hiddenShare: the share of the label hidden in the camera that sees most of it (0...1), nil when unknown.
    ///   - truncation: the smallest share of its projection outside an image (0...1), nil when unknown.
    public static func viewFlags(hiddenShare: Double?, truncation: Double?) -> Set<AmbiguityFlag> {
        var flags: Set<AmbiguityFlag> = []
        if let hiddenShare, BoxSample.occlusionLevel(hiddenShare: hiddenShare) == 2 { flags.insert(.occluded) }
        if let truncation, truncation > 0.5 { flags.insert(.truncated) }
        return flags
    }
}

/// A review action on one label.
public struct ReviewAction: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// Annotator: first pass over a pre-label, or the pass after a rejection.
        case annotate
        /// Annotator: changes the box (or class) of a label.
        case edit
        /// Lead: accepts an annotated label.
        case leadAccept
        /// Validator: accepts a lead-reviewed label.
        case validate
        /// Lead or validator: sends a label back to annotation (a reason is required).
        case reject
        /// Anyone: asks for a second look.
        case flag
    }

    public var labelID: String
    public var kind: Kind
    public var actor: String
    public var role: AuditEntry.Role
    /// The new box, for `annotate` or `edit` that change it.
    public var box: AuditEntry.RecordedBox?
    public var objectClass: String?
    public var reason: String?
    public var flag: AmbiguityFlag?

    public init(
        labelID: String, kind: Kind, actor: String, role: AuditEntry.Role, box: Cuboid? = nil,
        objectClass: String? = nil,
        reason: String? = nil, flag: AmbiguityFlag? = nil
    ) {
        self.labelID = labelID
        self.kind = kind
        self.actor = actor
        self.role = role
        self.box = box.map(AuditEntry.RecordedBox.init)
        self.objectClass = objectClass
        self.reason = reason
        self.flag = flag
    }
}

/// Why an action was refused.
public struct ReviewError: Error, Equatable, Sendable, CustomStringConvertible {
    public var labelID: String
    public var message: String
    public var description: String { "label \(labelID): \(message)" }
}

/// The labels of a batch under review: each label's state, box, class, flags and history, and the
/// rules of the three review layers (annotator, lead spot check, independent validation).
///
/// Rules: annotators annotate and edit; leads accept annotated labels; validators accept
/// lead-reviewed ones; leads and validators reject with a reason, which sends the label back to
/// annotation. Nobody validates a label they annotated or edited. Every accepted action is written
/// to the audit log when there is one, with the guideline version in force.
public struct ReviewBoard: Codable, Sendable {
    public struct Label: Codable, Sendable, Equatable {
        public var id: String
        public var scene: String
        public var objectClass: String
        public var box: AuditEntry.RecordedBox
        public var state: ReviewState = .prelabeled
        /// The engine's confidence in the pre-label, 0...1.
        public var confidence: Double
        /// LiDAR returns in the box.
        public var points: Int
        public var flags: Set<AmbiguityFlag> = []
        /// Who annotated or edited it.
        var editors: Set<String> = []
        /// The annotator of the first pass.
        public var annotator: String?
        /// Whether it was corrected after its first annotation: rejected, or edited by someone else.
        var wasChangedAfterAnnotation = false
        /// Order of its last annotation or edit, for "recently edited".
        var lastEdit = 0

        public init(id: String, scene: String, objectClass: String, box: Cuboid, confidence: Double, points: Int) {
            self.id = id
            self.scene = scene
            self.objectClass = objectClass
            self.box = AuditEntry.RecordedBox(box)
            self.confidence = confidence
            self.points = points
        }
    }

    public private(set) var labels: [String: Label] = [:]
    public var guidelineVersion: String
    private var clock = 0

    public init(labels: [Label], guidelineVersion: String) {
        self.labels = Dictionary(uniqueKeysWithValues: labels.map { ($0.id, $0) })
        self.guidelineVersion = guidelineVersion
    }

    /// Applies `action`, or refuses it with the rule it breaks; the log, when given, receives the
    /// accepted action with the box before and after.
    public mutating func apply(_ action: ReviewAction, log: AuditLog? = nil) throws {
        guard var label = labels[action.labelID] else {
            throw ReviewError(labelID: action.labelID, message: "no such label")
        }
        func refuse(_ message: String) -> ReviewError { ReviewError(labelID: label.id, message: message) }
        let before = label.box
        switch action.kind {
        case .annotate, .edit:
            guard action.role == .annotator else { throw refuse("only annotators \(action.kind.rawValue) labels") }
            guard [.prelabeled, .annotated, .rejected].contains(label.state) else {
                throw refuse(
                    "a \(label.state.rawValue) label is not open for annotation; a lead or validator must reject it first"
                )
            }
            // A correction: after a rejection, or by someone other than the first annotator.
            if label.state == .rejected || (label.annotator != nil && label.annotator != action.actor) {
                label.wasChangedAfterAnnotation = true
            }
            if label.annotator == nil { label.annotator = action.actor }
            label.editors.insert(action.actor)
            if let box = action.box { label.box = box }
            if let objectClass = action.objectClass { label.objectClass = objectClass }
            label.state = .annotated
            clock += 1
            label.lastEdit = clock
        case .leadAccept:
            guard action.role == .lead else { throw refuse("only leads accept annotated labels") }
            guard label.state == .annotated else {
                throw refuse("only annotated labels can be lead-reviewed (it is \(label.state.rawValue))")
            }
            label.state = .leadReviewed
        case .validate:
            guard action.role == .validator else { throw refuse("only validators validate") }
            guard label.state == .leadReviewed else {
                throw refuse("only lead-reviewed labels can be validated (it is \(label.state.rawValue))")
            }
            guard !label.editors.contains(action.actor) else {
                throw refuse("\(action.actor) annotated or edited this label and cannot validate it")
            }
            label.state = .validated
        case .reject:
            guard action.role == .lead || action.role == .validator else {
                throw refuse("only leads and validators reject")
            }
            guard let reason = action.reason, !reason.isEmpty else { throw refuse("a rejection needs a reason") }
            guard label.state != .prelabeled else {
                throw refuse("a pre-label is not yet annotated; there is nothing to reject")
            }
            label.state = .rejected
            label.wasChangedAfterAnnotation = true
        case .flag:
            guard let flag = action.flag else { throw refuse("a flag action needs a flag") }
            label.flags.insert(flag)
        }
        if let log {
            var draft = AuditEntry.Draft(
                actor: action.actor, role: action.role, labelID: label.id, action: action.kind.rawValue,
                reason: action.reason ?? action.flag?.rawValue, guidelineVersion: guidelineVersion)
            if before != label.box {
                draft.before = before
                draft.after = label.box
            }
            try log.append(draft)
        }
        labels[label.id] = label
    }

    /// The labels a lead should spot-check: `share` of all labels, risk first (flagged,
    /// low-confidence, sparse, recently edited, in that order; within a group the least confident,
    /// then the most recent first), then a seeded random choice of the rest. Only annotated labels
    /// are candidates.
    public func spotCheck(
        share: Double, seed: UInt64, lowConfidence: Double = 0.5, sparsePoints: Int = 20,
        recentEdits: Int = 20
    ) -> [String] {
        let candidates = labels.values.filter { $0.state == .annotated }.sorted { $0.id < $1.id }
        let wanted = Int((share * Double(candidates.count)).rounded(.up))
        let recentCutoff = clock - recentEdits
        func risk(_ label: Label) -> Int? {
            if !label.flags.isEmpty { return 0 }
            if label.confidence < lowConfidence { return 1 }
            if label.points < sparsePoints { return 2 }
            if label.lastEdit > recentCutoff { return 3 }
            return nil
        }
        let risky = candidates.compactMap { label in risk(label).map { (label, $0) } }
            .sorted {
                ($0.1, $0.0.confidence, -$0.0.lastEdit, $0.0.id) < ($1.1, $1.0.confidence, -$1.0.lastEdit, $1.0.id)
            }.map(\.0.id)
        var rest = candidates.filter { risk($0) == nil }.map(\.id)
        var random = SeededRandomNumberGenerator(seed: seed)
        for index in rest.indices.reversed() where index > 0 {
            rest.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        return Array((risky + rest).prefix(wanted))
    }

    /// First-pass accuracy: the share of accepted labels (lead-reviewed or validated) that were
    /// never corrected after their first annotation, by a key of the label (its annotator, class or scene).
    public func firstPassAccuracy(by key: (Label) -> String) -> [String: Double] {
        var accepted: [String: (clean: Int, total: Int)] = [:]
        for label in labels.values where label.state == .leadReviewed || label.state == .validated {
            accepted[key(label), default: (0, 0)].total += 1
            if !label.wasChangedAfterAnnotation { accepted[key(label)]!.clean += 1 }
        }
        return accepted.mapValues { Double($0.clean) / Double($0.total) }
    }
}
