/// Where a label came from, kept with the label so that a hybrid dataset (real recordings plus
/// synthetic scenes) can always be split back.
///
/// In OpenLABEL it is three text attributes of each cuboid: `origin` (`real` or `synthetic`),
/// and for synthetic labels `generator` (name and version, e.g. `FusionSim 1`) and
/// `generator_seed` (the seed as decimal text: a UInt64 does not fit a JSON number exactly).
public enum LabelOrigin: Hashable, Sendable, Codable, CustomStringConvertible {
    case real
    case synthetic(generator: String, seed: UInt64)

    static let originKey = "origin", generatorKey = "generator", seedKey = "generator_seed"

    /// The origin recorded in `attributes`, nil when none is (labels from other tools), or when the
    /// record is incomplete.
    public init?(attributes: OpenLABELDocument.Attributes) {
        switch attributes.texts[Self.originKey] {
        case "real":
            self = .real
        case "synthetic":
            guard let generator = attributes.texts[Self.generatorKey],
                let seed = attributes.texts[Self.seedKey].flatMap({ UInt64($0) })
            else { return nil }
            self = .synthetic(generator: generator, seed: seed)
        default:
            return nil
        }
    }

    /// Records this origin in `attributes`, replacing any earlier record.
    public func record(in attributes: inout OpenLABELDocument.Attributes) {
        switch self {
        case .real:
            attributes.texts[Self.originKey] = "real"
            attributes.texts[Self.generatorKey] = nil
            attributes.texts[Self.seedKey] = nil
        case .synthetic(let generator, let seed):
            attributes.texts[Self.originKey] = "synthetic"
            attributes.texts[Self.generatorKey] = generator
            attributes.texts[Self.seedKey] = String(seed)
        }
    }

    public var isSynthetic: Bool {
        if case .synthetic = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .real: "real"
        case .synthetic(let generator, let seed): "synthetic (\(generator), seed \(seed))"
        }
    }
}

extension OpenLABELDocument {
    /// The document restricted to the cuboids whose recorded origin satisfies `isIncluded` (an
    /// unrecorded origin is passed as nil); objects left without cuboids are dropped, frames are kept.
    public func filtered(byOrigin isIncluded: (LabelOrigin?) -> Bool) -> OpenLABELDocument {
        var result = self
        var kept: Set<String> = []
        for (number, frame) in frames {
            var objects: [String: [CuboidLabel]] = [:]
            for (uid, labels) in frame.objects {
                let matching = labels.filter { isIncluded(LabelOrigin(attributes: $0.attributes)) }
                if !matching.isEmpty {
                    objects[uid] = matching
                    kept.insert(uid)
                }
            }
            result.frames[number]?.objects = objects
        }
        result.objects = objects.filter { kept.contains($0.key) }
        return result
    }

    /// Every cuboid without a recorded origin gets `origin`; recorded ones are left alone.
    mutating func recordOrigin(_ origin: LabelOrigin) {
        for (number, frame) in frames {
            for (uid, labels) in frame.objects {
                frames[number]!.objects[uid] = labels.map { label in
                    var label = label
                    if LabelOrigin(attributes: label.attributes) == nil { origin.record(in: &label.attributes) }
                    return label
                }
            }
        }
    }
}
