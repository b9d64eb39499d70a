import Crypto
import Foundation
import FusionGeometry

/// One action in a label's life, as the audit trail records it.
public struct AuditEntry: Codable, Equatable, Sendable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        case annotator, lead, validator, system
    }

    /// A box as recorded: centre (metres), sizes along its own axes, and rotation as a unit
    /// quaternion `[w, x, y, z]`, in the frame the label uses.
    public struct RecordedBox: Codable, Equatable, Sendable {
        public var center: [Double]
        public var size: [Double]
        public var rotation: [Double]

        public init(_ cuboid: Cuboid) {
            center = [cuboid.center.x, cuboid.center.y, cuboid.center.z]
            size = [cuboid.size.length, cuboid.size.width, cuboid.size.height]
            rotation = [cuboid.rotation.w, cuboid.rotation.x, cuboid.rotation.y, cuboid.rotation.z]
        }
    }

    /// Position in the log, from 0.
    public var sequence: Int
    /// UTC, ISO 8601 with milliseconds.
    public var time: String
    public var actor: String
    public var role: Role
    public var labelID: String
    /// What was done: `prelabel`, `annotate`, `edit`, `accept`, `reject`, `validate`, `flag`, ...
    public var action: String
    public var before: RecordedBox?
    public var after: RecordedBox?
    public var reason: String?
    /// The labelling guideline version the action was taken under.
    public var guidelineVersion: String?
    /// SHA-256 (hex) of the previous entry's line; 64 zeros for the first entry.
    var previousHash: String

    /// What a caller supplies; the log adds sequence, time and the previous hash.
    public struct Draft: Codable, Equatable, Sendable {
        public var actor: String
        public var role: Role
        public var labelID: String
        public var action: String
        public var before: RecordedBox?
        public var after: RecordedBox?
        public var reason: String?
        public var guidelineVersion: String?

        public init(
            actor: String, role: Role, labelID: String, action: String, before: Cuboid? = nil, after: Cuboid? = nil,
            reason: String? = nil, guidelineVersion: String? = nil
        ) {
            self.actor = actor
            self.role = role
            self.labelID = labelID
            self.action = action
            self.before = before.map(RecordedBox.init)
            self.after = after.map(RecordedBox.init)
            self.reason = reason
            self.guidelineVersion = guidelineVersion
        }
    }

    static let firstPreviousHash = String(repeating: "0", count: 64)

    /// The entry as its log line: compact JSON with sorted keys (no newline). The same entry
    /// always gives the same bytes, so a line's hash identifies it.
    func line() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// SHA-256 of `bytes`, lowercase hex: how the log names a line (pass the line without its newline).
    public static func hash(_ bytes: some DataProtocol) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
