import ArgumentParser
import Foundation
import FusionCalibration
import FusionIO
import FusionLabel

struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Project a frame's LiDAR points or labelled boxes into its cameras.",
        discussion: """
            Points: one row per point that lands on the image: camera, index (in the sweep), u, v (pixels,
            (0, 0) = centre of the top-left pixel), depth (camera z, metres). Labels: per box and camera
            the 2D box (clipped at the near plane and to the image), truncation, visible fraction, the
            nuScenes visibility level and KITTI occlusion level.
            """)

    enum What: String, ExpressibleByArgument, CaseIterable { case points, labels }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var input: FrameOptions

    @Option(help: "What to project: \(What.allCases.map(\.rawValue).joined(separator: ", ")).")
    var what: What = .points

    @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .csv

    @Option(help: "Write here (atomically) instead of standard output.")
    var out: String?

    func run() throws {
        let frame = try input.load()
        let cameras = try input.cameraIndices(of: frame).map { frame.rig.cameras[$0] }
        let text = what == .points ? pointsText(frame, cameras) : labelsText(frame, cameras)
        if let out {
            do { try FileAccess.writeAtomically(Data(text.utf8), to: out) } catch { throw CommandFailure(error) }
        } else {
            print(text, terminator: "")
        }
    }

    private func pointsText(_ frame: SensorFrame, _ cameras: [Camera]) -> String {
        var rows: [PointRow] = []
        for camera in cameras {
            let projected = camera.project(frame.sweep)
            rows += projected.indicesInsideImage.map {
                PointRow(
                    camera: camera.name, index: $0, u: projected.u[$0], v: projected.v[$0], depth: projected.depth[$0])
            }
        }
        switch format {
        case .csv:
            return "camera,index,u,v,depth\n"
                + rows.map { "\($0.camera),\($0.index),\($0.u),\($0.v),\($0.depth)\n" }.joined()
        case .json:
            return Self.json(rows)
        }
    }

    private func labelsText(_ frame: SensorFrame, _ cameras: [Camera]) -> String {
        var rows: [LabelRow] = []
        for camera in cameras {
            let boxes = frame.labels.map(\.box)
            let visibility = camera.visibility(of: boxes, points: frame.sweep)
            for (label, seen) in zip(frame.labels, visibility) {
                let projected = camera.project(label.box)
                guard let rectangle = projected.boxInImage else { continue }
                rows.append(
                    LabelRow(
                        camera: camera.name, type: label.type, id: label.id, left: rectangle.left, top: rectangle.top,
                        right: rectangle.right, bottom: rectangle.bottom, truncation: projected.truncation,
                        visibleFraction: seen.visibleFraction, nuScenesVisibility: seen.nuScenesLevel,
                        kittiOccluded: seen.kittiOcclusion))
            }
        }
        switch format {
        case .csv:
            return
                "camera,type,id,left,top,right,bottom,truncation,visible_fraction,nuscenes_visibility,kitti_occluded\n"
                + rows.map { row in
                    let numbers = [row.left, row.top, row.right, row.bottom, row.truncation, row.visibleFraction].map {
                        String(format: "%.3f", $0)
                    }
                    return
                        ([row.camera, row.type, row.id ?? ""] + numbers + [
                            "\(row.nuScenesVisibility)", "\(row.kittiOccluded)"
                        ])
                        .joined(separator: ",") + "\n"
                }.joined()
        case .json:
            return Self.json(rows)
        }
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }

    private struct PointRow: Encodable {
        var camera: String
        var index: Int
        var u: Float, v: Float, depth: Float
    }

    private struct LabelRow: Encodable {
        var camera: String
        var type: String
        var id: String?
        var left: Double, top: Double, right: Double, bottom: Double
        var truncation: Double
        var visibleFraction: Double
        var nuScenesVisibility: Int
        var kittiOccluded: Int
    }
}
