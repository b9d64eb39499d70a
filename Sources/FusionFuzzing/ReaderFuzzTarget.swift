import Foundation
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionQA
import FusionRecording

/// Every reader of untrusted bytes, one case per input format: what the fuzzers in `Fuzz/` drive
/// and what the corpus replay test runs. `consume` parses the bytes the way the engine reads a file
/// and drops the result or the error; a fuzzer looks for crashes, sanitizer reports, outsized
/// allocations and slow runs, never for a particular answer.
public enum ReaderFuzzTarget: String, CaseIterable, Sendable {
    /// PCD in its three encodings, `binary_compressed` through the LZF decoder.
    case pcd
    /// KITTI velodyne `.bin` sweeps (four little-endian floats per point).
    case kittiVelodyne = "kitti-velodyne"
    /// KITTI object calibration (`P0`…`P3`, `R0_rect`, `Tr_velo_to_cam`).
    case kittiCalibration = "kitti-calib"
    /// KITTI object label rows, with or without a score.
    case kittiLabels = "kitti-label"
    /// KITTI tracking label rows (also the tracking issue's detection files).
    case kittiTracking = "kitti-tracking"
    /// KITTI tracking sequence maps.
    case sequenceMap = "sequence-map"
    /// SUSTech POINTS label JSON.
    case sustechLabels = "sustech-label"
    /// SUSTech POINTS camera calibration JSON.
    case sustechCalibration = "sustech-calib"
    /// ASAM OpenLABEL JSON.
    case openLABEL = "openlabel"
    /// A FusionLabel scene manifest (`scene.json`).
    case sceneManifest = "scene-manifest"
    /// An audit log and its head record: the bytes before the first 0x1E (record separator) are
    /// the head record, the rest the log; without a separator there is no head record.
    case auditLog = "audit-log"
    /// A QA rule set (configuration).
    case ruleSet = "rule-set"
    /// A pre-label prior model (configuration the feedback loop writes).
    case priorModel = "prior-model"
    /// 2D camera detections JSON for frustum lifting.
    case cameraDetections = "camera-detections"
    /// The configuration of `fusionlabel annotate` (`SceneAnnotator`).
    case annotationConfiguration = "annotation-config"
    /// A QA report (`qa-report.json`), as `review-page` reads its findings.
    case qaReport = "qa-report"
    /// A proposal scorer model (`train-scorer`, `learn-priors --scorer`), parsed and, when it is
    /// accepted, run on a candidate (its trees are walked).
    case proposalScorer = "proposal-scorer"
    /// An MCAP file: its summary, then every message streamed, decoded by its channel's schema and
    /// read as the sensor message its type names.
    case mcap
    /// One ROS 2 message: a ros2msg definition of `fuzz/Root`, a 0x1E separator, a CDR payload;
    /// decoded, then read as each sensor message.
    case rosMessage = "ros-message"
    /// A ROS 1 bag (format 2.0): every message streamed, decoded by its connection's definition and
    /// read as the sensor message its type names.
    case ros1Bag = "ros1-bag"

    /// Parses `data` as this format and drops the outcome.
    public func consume(_ data: Data) {
        switch self {
        case .pcd: _ = try? PCDReader.read(data)
        case .kittiVelodyne: _ = try? KITTIVelodyne.read(data)
        case .kittiCalibration: if let text = Self.text(data) { _ = try? KITTICalibration.parse(text) }
        case .kittiLabels: if let text = Self.text(data) { _ = try? KITTIObject.parse(text) }
        case .kittiTracking: if let text = Self.text(data) { _ = try? KITTITrackedObject.parse(text) }
        case .sequenceMap: if let text = Self.text(data) { _ = try? KITTITrackingRun.parseSequenceMap(text) }
        case .sustechLabels: _ = try? SUSTechPOINTS.parseLabels(data)
        case .sustechCalibration: _ = try? SUSTechPOINTS.parseCameraCalibration(data)
        case .openLABEL: _ = try? OpenLABELDocument.parse(data)
        case .sceneManifest: _ = try? SceneManifest.parse(data)
        case .auditLog:
            if let separator = data.firstIndex(of: 0x1E) {
                _ = AuditVerification.verify(log: data[(separator + 1)...], head: data[..<separator])
            } else {
                _ = AuditVerification.verify(log: data, head: nil)
            }
        case .ruleSet: _ = try? RuleSet.parse(data)
        case .priorModel: _ = try? PriorModel.parse(data)
        case .cameraDetections: _ = try? CameraDetection.parse(data)
        case .annotationConfiguration: _ = try? AnnotationConfiguration.parse(data)
        case .qaReport: _ = try? QAReport.parse(data)
        case .mcap: RecordingFuzzing.consumeMCAP(data)
        case .rosMessage: RecordingFuzzing.consumeMessage(data)
        case .ros1Bag: RecordingFuzzing.consumeROS1Bag(data)
        case .proposalScorer:
            if let scorer = try? ProposalScorer.parse(data) {
                _ = scorer.probabilities(
                    ProposalFeatures(values: [Float](repeating: 1, count: ProposalFeature.allCases.count)))
            }
        }
    }

    /// Text files are read as UTF-8, as `FileAccess.text` reads them; other bytes are refused there.
    private static func text(_ data: Data) -> String? {
        String(data: data, encoding: .utf8)
    }
}
