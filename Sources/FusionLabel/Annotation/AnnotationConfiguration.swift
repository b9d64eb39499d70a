import Foundation
import FusionIO

/// What `SceneAnnotator` can be told, with the defaults a scene gets when it is told nothing. Read
/// from JSON (`read(contentsOf:)`): every key is optional, a key it does not know is an error (a
/// misspelt option must not be ignored silently). `fusionlabel annotate --print-config` prints the
/// defaults.
public struct AnnotationConfiguration: Codable, Sendable, Equatable {
    /// Frames in flight at once, in the pre-labelling pass and in the projection pass; nil: one
    /// per processor. Memory grows with it, not with the scene's length.
    public var maximumConcurrency: Int?
    /// A prior model (JSON, as `PriorModel.write(to:)` saves it, e.g. after `learn-priors`) instead of
    /// the built-in one; a relative path is taken from the configuration file's folder.
    public var priors: String?
    /// A guideline rule set (JSON, `RuleSet`) instead of `RuleSet.standard`; relative as `priors`.
    public var rules: String?
    /// A track must have a proposal matched in at least this many frames; shorter ones are a
    /// detector's flicker and are dropped (or kept untracked, see `keepUntracked`).
    public var minimumTrackHits: Int
    /// Frames a track may go without a matched proposal before it ends; the smoother fills them.
    public var maximumMisses: Int
    /// Track fragments at most this many frames apart are joined when their motion agrees.
    public var stitchGap: Int
    /// Proposals that join no track are kept as one-frame objects flagged `untracked` instead of
    /// being dropped.
    public var keepUntracked: Bool
    /// Bird's-eye IoU at which a track's box in a frame takes that frame's proposal (for the class
    /// vote, the proposal's flags and its provenance).
    public var proposalMatchIoU: Double
    /// A track whose confidence is below this is flagged `classUncertain`.
    public var uncertainConfidence: Double
    /// Pixels between the rays that measure how much of a box a camera sees.
    public var visibilitySampleSpacing: Double
    /// Each track's box is refitted to the returns of all its frames, gathered in the object's
    /// own frame (`TrackRefinement`): one size and centre from the whole track, not one view.
    public var refinesTracks: Bool

    public init() {
        maximumConcurrency = nil
        priors = nil
        rules = nil
        minimumTrackHits = 3
        maximumMisses = 4
        stitchGap = 10
        keepUntracked = false
        proposalMatchIoU = 0.1
        uncertainConfidence = 0.5
        visibilitySampleSpacing = 4
        refinesTracks = true
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maximumConcurrency, priors, rules, minimumTrackHits, maximumMisses, stitchGap, keepUntracked,
            proposalMatchIoU,
            uncertainConfidence, visibilitySampleSpacing, refinesTracks
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).sorted().first(where: {
            !known.contains($0)
        }) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [AnyKey(stringValue: unknown)],
                    debugDescription: "unknown option '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))"))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let standard = Self()
        maximumConcurrency = try container.decodeIfPresent(Int.self, forKey: .maximumConcurrency)
        priors = try container.decodeIfPresent(String.self, forKey: .priors)
        rules = try container.decodeIfPresent(String.self, forKey: .rules)
        minimumTrackHits =
            try container.decodeIfPresent(Int.self, forKey: .minimumTrackHits) ?? standard.minimumTrackHits
        maximumMisses = try container.decodeIfPresent(Int.self, forKey: .maximumMisses) ?? standard.maximumMisses
        stitchGap = try container.decodeIfPresent(Int.self, forKey: .stitchGap) ?? standard.stitchGap
        keepUntracked = try container.decodeIfPresent(Bool.self, forKey: .keepUntracked) ?? standard.keepUntracked
        refinesTracks = try container.decodeIfPresent(Bool.self, forKey: .refinesTracks) ?? standard.refinesTracks
        proposalMatchIoU =
            try container.decodeIfPresent(Double.self, forKey: .proposalMatchIoU) ?? standard.proposalMatchIoU
        uncertainConfidence =
            try container.decodeIfPresent(Double.self, forKey: .uncertainConfidence) ?? standard.uncertainConfidence
        visibilitySampleSpacing =
            try container.decodeIfPresent(Double.self, forKey: .visibilitySampleSpacing)
            ?? standard.visibilitySampleSpacing
    }

    /// Every key, `null` for the optional ones not set (so `--print-config` lists them all).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let maximumConcurrency {
            try container.encode(maximumConcurrency, forKey: .maximumConcurrency)
        } else {
            try container.encodeNil(forKey: .maximumConcurrency)
        }
        if let priors {
            try container.encode(priors, forKey: .priors)
        } else {
            try container.encodeNil(forKey: .priors)
        }
        if let rules { try container.encode(rules, forKey: .rules) } else { try container.encodeNil(forKey: .rules) }
        try container.encode(minimumTrackHits, forKey: .minimumTrackHits)
        try container.encode(maximumMisses, forKey: .maximumMisses)
        try container.encode(stitchGap, forKey: .stitchGap)
        try container.encode(keepUntracked, forKey: .keepUntracked)
        try container.encode(refinesTracks, forKey: .refinesTracks)
        try container.encode(proposalMatchIoU, forKey: .proposalMatchIoU)
        try container.encode(uncertainConfidence, forKey: .uncertainConfidence)
        try container.encode(visibilitySampleSpacing, forKey: .visibilitySampleSpacing)
    }

    /// Reads a configuration file and resolves its relative `priors` and `rules` paths against
    /// the file's folder.
    /// - Throws: `ReadError` naming the key for malformed JSON, an unknown key or a value out of range.
    public static func read(contentsOf path: String) throws(ReadError) -> AnnotationConfiguration {
        var configuration = try parse(try FileAccess.contents(of: path), file: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolved(_ file: String?) -> String? { file.map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 } }
        configuration.priors = resolved(configuration.priors)
        configuration.rules = resolved(configuration.rules)
        return configuration
    }

    /// Decodes a configuration from JSON bytes (paths left as written); `file` names them in errors.
    /// - Throws: `ReadError` naming the key for malformed JSON, an unknown key or a value out of range.
    public static func parse(_ data: Data, file: String = "<memory>") throws(ReadError) -> AnnotationConfiguration {
        let configuration = try JSONFile.decode(AnnotationConfiguration.self, from: data, file: file)
        try configuration.validate(file: file)
        return configuration
    }

    /// Checks the values are usable.
    /// - Throws: `ReadError` naming the first key out of range.
    public func validate(file: String = "<configuration>") throws(ReadError) {
        func check(_ ok: Bool, _ key: CodingKeys, _ expected: String) throws(ReadError) {
            if !ok { throw ReadError(file: file, location: .jsonPath(key.rawValue), message: "expected \(expected)") }
        }
        try check((maximumConcurrency ?? 1) >= 1, .maximumConcurrency, "at least 1")
        try check(minimumTrackHits >= 1, .minimumTrackHits, "at least 1")
        try check(maximumMisses >= 0, .maximumMisses, "0 or more")
        try check(stitchGap >= 0, .stitchGap, "0 or more")
        try check(proposalMatchIoU > 0 && proposalMatchIoU <= 1, .proposalMatchIoU, "a number in (0, 1]")
        try check(uncertainConfidence >= 0 && uncertainConfidence <= 1, .uncertainConfidence, "a number in [0, 1]")
        try check(
            visibilitySampleSpacing >= 1 && visibilitySampleSpacing <= 256, .visibilitySampleSpacing, "1 to 256 pixels")
    }

    /// The configuration as pretty, key-sorted JSON (the defaults when nothing was changed).
    public func json() throws(WriteError) -> Data {
        try JSONFile.encode(self, file: "<configuration>")
    }
}
