import Crypto
import Foundation
import FusionGeometry
import FusionSupport

/// Where a pre-label comes from: enough to reproduce it bit for bit, or to tell that two were made
/// differently.
public struct PrelabelProvenance: Hashable, Sendable, Codable {
    /// The stages and their models, e.g. "ground: polar-grid walk over a RANSAC plane; ...".
    public var algorithm: String
    public var engineVersion: String
    /// SHA-256 (hex) of every parameter and the prior model, in a fixed order.
    public var parameterHash: String
    /// SHA-256 (hex) of the input file's bytes.
    public var inputHash: String

    public init(
        algorithm: String, engineVersion: String = FusionLabelVersion.current, parameterHash: String, inputHash: String
    ) {
        self.algorithm = algorithm
        self.engineVersion = engineVersion
        self.parameterHash = parameterHash
        self.inputHash = inputHash
    }

    /// What the provenance of every frame of a run shares: the algorithm and the parameter hash.
    /// Hashing the parameters encodes the scorer's trees (about 10 ms), so a run makes its stamp
    /// once and stamps each frame with it.
    public struct Stamp: Sendable, Equatable {
        public var algorithm: String
        public var parameterHash: String

        /// The provenance of pre-labels made from the file holding `inputBytes`.
        public func provenance(inputBytes: Data) -> PrelabelProvenance {
            PrelabelProvenance(
                algorithm: algorithm, parameterHash: parameterHash, inputHash: PrelabelProvenance.sha256(inputBytes))
        }
    }

    /// SHA-256 of `data`, lower-case hex.
    public static func sha256(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

extension Prelabeler {
    /// The stages as configured.
    public var algorithm: String {
        "ground: polar-grid walk over a RANSAC plane; clusters: Euclidean at \(clustering.tolerance) m; "
            + "footprint: \(fitter.estimator); classes: size priors (version \(priors.version)), "
            + "cars ruled out where the sweep saw through their completed box; "
            + "objects the sweep could not see under kept up to \(hiddenClearance) m above the ground"
            + (scorer.map {
                "; scorer: \($0.trees.count) rounds of boosted trees (version \($0.version)), objects from probability \(minimumObjectProbability)"
            } ?? "")
    }

    /// SHA-256 (hex) of the pre-labeller's canonical encoding: every stored property (ground,
    /// clustering, fitting, people splitting, the limits, the prior model and the scorer), as JSON
    /// with sorted keys. The encoding is synthesized, so a parameter added to any of them is in
    /// the hash without anyone listing it.
    public var parameterHash: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Non-finite numbers are written as strings, so encoding plain numbers cannot fail.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return PrelabelProvenance.sha256(try encoder.encode(self))
        } catch {
            preconditionFailure("the pre-labeller's parameters could not be encoded: \(error)")
        }
    }

    /// The algorithm and parameter hash, to stamp every frame of a run with.
    public var provenanceStamp: PrelabelProvenance.Stamp {
        PrelabelProvenance.Stamp(algorithm: algorithm, parameterHash: parameterHash)
    }

    /// The provenance of pre-labels made from the file holding `inputBytes` (for many frames, make
    /// `provenanceStamp` once and use its `provenance(inputBytes:)`).
    public func provenance(inputBytes: Data) -> PrelabelProvenance {
        provenanceStamp.provenance(inputBytes: inputBytes)
    }
}
