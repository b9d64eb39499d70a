import ArgumentParser
import Foundation
import FusionLabel
import FusionRecording

struct ImportBagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-bag",
        abstract: "Turn a ROS recording (MCAP file, rosbag2 folder or ROS 1 bag) into a scene folder.",
        discussion: """
            One frame per sweep on the LiDAR topic (sensor_msgs/PointCloud2), stamped with the sweep's own
            header stamp. Each camera (sensor_msgs/Image or CompressedImage, with its CameraInfo) gives
            every frame the image nearest in time, within --tolerance. Extrinsics come from /tf_static and
            /tf at the sweeps' stamps (camera from LiDAR; ego from LiDAR with --ego-frame), ego poses from
            --world-frame to --ego-frame at each sweep's stamp. Sweeps are written as binary PCD, raw
            images as PNG, compressed images as recorded. The folder appears only once complete.
            """)

    @Argument(help: "An .mcap file, a rosbag2 folder (metadata.yaml with .mcap or .db3 files) or a ROS 1 .bag file.")
    var bag: String

    @Option(help: "The LiDAR topic (sensor_msgs/PointCloud2).")
    var lidar: String

    @Option(name: .customLong("camera"), help: "IMAGE_TOPIC[:INFO_TOPIC], once per camera.")
    var cameras: [String] = []

    @Option(help: "Largest gap between a sweep and its image, milliseconds.")
    var tolerance: Double = 50

    @Option(help: "The vehicle frame (e.g. base_link): the LiDAR's mounting is looked up from it.")
    var egoFrame: String?

    @Option(help: "The world frame (e.g. odom or map): each frame's ego pose is looked up in it.")
    var worldFrame: String?

    @Option(help: "The scene folder to create (must not exist).")
    var out: String

    @Flag(help: "Print the import report as JSON.")
    var json = false

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else {
            throw ValidationError("--tolerance must be a non-negative number of milliseconds")
        }
        if worldFrame != nil && egoFrame == nil { throw ValidationError("--world-frame needs --ego-frame") }
    }

    func run() throws {
        let topics = cameras.map { argument in
            let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
            return BagImport.CameraTopics(image: parts[0], info: parts.count > 1 ? parts[1] : nil)
        }
        let options = BagImport.Options(
            lidarTopic: lidar, cameras: topics, tolerance: tolerance / 1000, egoFrame: egoFrame,
            worldFrame: worldFrame)
        let report: BagImport.Report
        do {
            report = try BagImport.run(try Recording.open(bag), options: options, to: out)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(report)
            return
        }
        print("\(out): \(report.frames) frames, cameras \(report.cameras.joined(separator: ", "))")
        for camera in report.cameras {
            let offsets = report.pairs.filter { $0.camera == camera }.map { abs($0.offsetMilliseconds) }
            print(
                String(
                    format: "  %@: %d paired (largest offset %.1f ms), %d without an image within %.0f ms", camera,
                    offsets.count,
                    offsets.max() ?? 0, report.unpaired[camera] ?? 0, tolerance))
        }
        if report.droppedPoints > 0 { print("  \(report.droppedPoints) points without finite coordinates dropped") }
        for note in report.notes { print("  note: \(note)") }
    }
}
