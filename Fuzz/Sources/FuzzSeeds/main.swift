import Foundation
import FuzzTargets
import FusionGeometry
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionQA

// Writes small seed inputs for every fuzz target into `<out>/<target>/`, cut from the real
// recordings in the shared scenes and from the project's own sample scene. Seeds stay small (a few
// dozen points, the first rows of a label file) so that the fuzzers run at tens of thousands of
// inputs a second; the readers' behaviour on whole files is covered by the tests.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: FuzzSeeds <shared scenes> <sample scene> <out>\n".utf8))
    exit(64)
}
let shared = arguments[1], sample = arguments[2], out = arguments[3]
let files = FileManager.default

func seed(_ target: ReaderFuzzTarget, _ name: String, _ data: Data) throws {
    let folder = "\(out)/\(target.rawValue)"
    try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try data.write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
}

func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

func firstLines(_ path: String, _ count: Int) throws -> Data {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return Data((text.split(separator: "\n", omittingEmptySubsequences: false).prefix(count).joined(separator: "\n") + "\n").utf8)
}

func pcdFiles(in folder: String) -> [String] {
    ((try? files.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".pcd") }.sorted().map { "\(folder)/\($0)" }
}

/// A real sweep cut to its first points, in all three encodings, plus the real header with the
/// first bytes of its own payload.
func pcdSeeds(_ path: String, cloud: PointCloud) throws {
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let cut = cloud.subset(0..<min(cloud.count, 24))
    try seed(.pcd, "\(name)-ascii.pcd", PCDWriter.data(for: cut, encoding: .ascii))
    try seed(.pcd, "\(name)-binary.pcd", PCDWriter.data(for: cut, encoding: .binary))
    try seed(.pcd, "\(name)-compressed.pcd", PCDWriter.data(for: cut, encoding: .binaryCompressed))
    let whole = try contents(path)
    if let dataLine = whole.range(of: Data("\nDATA ".utf8)), let end = whole[dataLine.upperBound...].firstIndex(of: 0x0A) {
        try seed(.pcd, "\(name)-original.pcd", whole[..<min(whole.endIndex, end + 1 + 512)])
    }
}

do {
    for path in pcdFiles(in: "\(shared)/pcl") + pcdFiles(in: "\(shared)/nuscenes-radar") + pcdFiles(in: "\(sample)/lidar").prefix(1) {
        try pcdSeeds(path, cloud: try PCDReader.read(contentsOf: path).cloud)
    }
    for path in pcdFiles(in: "\(shared)/sustechpoints-example/lidar").prefix(1) {
        try pcdSeeds(path, cloud: try SUSTechPOINTS.readLidar(contentsOf: path).cloud)
    }

    let kitti = "\(shared)/kitti-object"
    try seed(.kittiVelodyne, "000000.bin", contents("\(kitti)/velodyne/000000.bin").prefix(64 * 16))
    try RecordingSeeds.write(sweep: contents("\(kitti)/velodyne/000000.bin").prefix(64 * 16), seed: seed)
    for frame in ["000000", "000001", "000002"] {
        try seed(.kittiCalibration, "\(frame).txt", contents("\(kitti)/calib/\(frame).txt"))
        try seed(.kittiLabels, "\(frame).txt", contents("\(kitti)/label_2/\(frame).txt"))
    }
    let tracking = "\(shared)/kitti-tracking-val"
    try seed(.kittiTracking, "0001.txt", firstLines("\(tracking)/label_02/0001.txt", 30))
    try seed(.sequenceMap, "seqmap.val", contents("\(tracking)/seqmap.val"))
    let detections = CameraDetection.kitti(try KITTIObject.read(contentsOf: "\(kitti)/label_2/000000.txt"), camera: "image_2")
    try seed(.cameraDetections, "000000.json", JSONEncoder().encode(detections))

    let sustech = "\(shared)/sustechpoints-example"
    try seed(.sustechLabels, "000965.json", contents("\(sustech)/label/000965.json"))
    for camera in ((try? files.contentsOfDirectory(atPath: "\(sustech)/calib/camera")) ?? []).sorted() {
        try seed(.sustechCalibration, camera, contents("\(sustech)/calib/camera/\(camera)"))
    }

    try seed(.sceneManifest, "scene.json", contents("\(sample)/scene.json"))
    let scratch = NSTemporaryDirectory() + "fusionlabel-fuzz-seeds-\(getpid())"
    try files.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? files.removeItem(atPath: scratch) }
    for labels in ((try? files.contentsOfDirectory(atPath: "\(sample)/labels")) ?? []).sorted().prefix(1) {
        var document = try OpenLABELDocument.read(contentsOf: "\(sample)/labels/\(labels)")
        document.frames = document.frames.filter { $0.key < 2 }
        try document.write(to: "\(scratch)/labels.json")
        try seed(.openLABEL, "two-frames.json", contents("\(scratch)/labels.json"))
    }

    try seed(.ruleSet, "standard.json", JSONEncoder().encode(RuleSet.standard))
    try PriorModel.standard.write(to: "\(scratch)/priors.json")
    try seed(.priorModel, "standard.json", contents("\(scratch)/priors.json"))
    try seed(.annotationConfiguration, "defaults.json", AnnotationConfiguration().json())
    // The sample scene's QA report, cut to three findings so that it fits the fuzzer's 4 KiB.
    var report = try SceneQA.report(scene: sample)
    report.findings = Array(report.findings.prefix(3))
    try seed(.qaReport, "sample.json", JSONEncoder().encode(report))
    // A scorer of two rounds trained on two hand-made candidates: every part of the file, small.
    var examples: [ProposalScorer.Example] = []
    for (outcome, length) in [(ProposalScorer.Outcome.vehicle, Float(4.2)), (.background, 0.3)] {
        var features = ProposalFeatures(values: [Float](repeating: 0, count: ProposalFeature.allCases.count))
        features[.length] = length
        examples += Array(repeating: ProposalScorer.Example(features: features, outcome: outcome), count: 3)
    }
    var parameters = ProposalScorer.TrainingParameters()
    parameters.rounds = 2
    parameters.minimumLeafWeight = 0.1
    var scorer = ProposalScorer.train(examples, sets: [.init(name: "seed", sha256: ProposalScorer.hash(examples), examples: 6)],
                                      parameters: parameters)
    scorer.temperature = 1.5
    scorer.minimumObjectProbability = 0.4
    try seed(.proposalScorer, "two-rounds.json", JSONEncoder().encode(scorer))

    let log = try AuditLog(path: "\(scratch)/audit.log")
    let box = Cuboid(center: SIMD3(10, 2, 0.8), size: Size3(length: 4.2, width: 1.8, height: 1.5), yaw: 0.3)
    _ = try log.append(AuditEntry.Draft(actor: "ana", role: .annotator, labelID: "car-1", action: "create", after: box))
    _ = try log.append(AuditEntry.Draft(actor: "lee", role: .lead, labelID: "car-1", action: "approve", reason: "tight"))
    try log.flush()
    try seed(.auditLog, "two-entries.log", contents("\(scratch)/audit.log.head") + Data([0x1E]) + contents("\(scratch)/audit.log"))
} catch {
    FileHandle.standardError.write(Data("FuzzSeeds: \(error)\n".utf8))
    exit(1)
}
