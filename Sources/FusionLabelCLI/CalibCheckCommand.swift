import ArgumentParser
import Foundation
import FusionCalibration

struct CalibCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calib-check",
        abstract: "Score each camera's LiDAR extrinsic against its image and name the likely mistake.",
        discussion: """
            For every camera with an image: the extrinsic as given and as if it had been inverted,
            transposed (row/column-major) or written with OpenGL camera axes, scored by how well LiDAR
            depth edges meet image edges plus the LiDAR-intensity / image mutual information. With several
            cameras, pairs whose extrinsics fit each other's images better are reported as swapped.
            Exit status 2 when a mistake is suspected.
            """)

    @OptionGroup var input: FrameOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let frame = try input.load()
        let checker = CalibrationChecker()
        var cameraReports: [CameraReport] = []
        var checked: [(Camera, RGBImage)] = []
        for index in try input.cameraIndices(of: frame) {
            let camera = frame.rig.cameras[index]
            guard let image = frame.images[index] else {
                throw CommandFailure(
                    message: "camera \(camera.name) has no image in this frame: the check compares against the image")
            }
            let report: CalibrationReport
            do {
                let (matrix, outer) = frame.extrinsicMatrices[index]
                report = try checker.check(
                    matrix, chainedAfter: outer, camera: camera, points: frame.sweep, image: image)
            } catch { throw CommandFailure(error) }
            cameraReports.append(CameraReport(report))
            checked.append((camera, image))
        }
        var swaps: [[String]] = []
        if checked.count > 1 {
            do {
                swaps = try checker.swappedCameras(
                    cameras: checked.map(\.0), images: checked.map(\.1), points: frame.sweep
                )
                .map { [checked[$0.0].0.name, checked[$0.1].0.name] }
            } catch { throw CommandFailure(error) }
        }
        let summary = Summary(frame: frame.name, cameras: cameraReports, swappedCameras: swaps)
        if json {
            try printJSON(summary)
        } else {
            print(summary.text)
        }
        if cameraReports.contains(where: { $0.suspectedMistake != nil }) || !swaps.isEmpty { throw ExitCode(2) }
    }

    struct Summary: Encodable {
        var frame: String
        var cameras: [CameraReport]
        var swappedCameras: [[String]]

        var text: String {
            var lines = ["Calibration check, \(frame)"]
            for camera in cameras {
                let verdict =
                    camera.suspectedMistake.map { "looks \($0): the corrected reading scores better" }
                    ?? "plausible as given"
                lines.append("  \(camera.camera): score \(String(format: "%.3f", camera.score)), \(verdict)")
                for problem in camera.matrixProblems { lines.append("    matrix: \(problem)") }
                for candidate in camera.candidates {
                    lines.append(
                        String(
                            format:
                                "    %-12@ score %.3f  (edges %.3f vs background %.3f over %d edge points, MI %.3f bits, %.1f%% of points in view)",
                            candidate.reading as NSString, candidate.score.value, candidate.score.edgeAlignment,
                            candidate.score.backgroundAlignment, candidate.score.edgePointsInImage,
                            candidate.score.intensityInformation, 100 * candidate.score.pointsInImageShare))
                }
            }
            for pair in swappedCameras { lines.append("  cameras \(pair[0]) and \(pair[1]) look swapped") }
            return lines.joined(separator: "\n")
        }
    }

    struct CameraReport: Encodable {
        struct Candidate: Encodable {
            var reading: String
            var score: CalibrationScore
        }

        var camera: String
        var score: Double
        var suspectedMistake: CalibrationMistake?
        var matrixProblems: [String]
        var candidates: [Candidate]

        init(_ report: CalibrationReport) {
            camera = report.camera
            score = report.asGiven?.score.value ?? 0
            suspectedMistake = report.suspectedMistake
            matrixProblems = report.matrixProblems
            candidates = report.candidates.map {
                Candidate(reading: $0.mistake?.rawValue ?? "as given", score: $0.score)
            }
        }
    }
}
