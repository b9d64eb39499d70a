import Foundation
import FusionCalibration
import FusionIO
import FusionRecording

/// The second pass of a bag import: sweeps and paired images written into a temporary folder, the
/// manifest last, then the folder renamed to its name.
enum BagImportWriter {
    private typealias Failure = BagImport.Failure

    static func write(_ plan: BagImportPlan, recording: Recording, to folder: String) throws(BagImport.Failure) -> Int {
        do {
            return try FileAccess.createFolderAtomically(at: folder) { temporary in
                try write(plan, recording: recording, into: temporary)
            }
        } catch {
            throw .wrapping(error, file: folder)
        }
    }

    /// Writes the scene into `temporary`; returns the points dropped for non-finite coordinates.
    private static func write(_ plan: BagImportPlan, recording: Recording, into temporary: String) throws -> Int {
        let manager = FileManager.default
        var droppedPoints = 0
        for directory in ["lidar"] + plan.manifest.cameras.map({ "images/\($0.name)" }) {
            try manager.createDirectory(atPath: temporary + "/" + directory, withIntermediateDirectories: true)
        }
        var positions: [String: Int] = [:]
        let topics = Set([plan.lidarTopic]).union(plan.framesOfImage.keys)
        var messages = recording.messages(on: topics)
        while let recorded = try messages.next() {
            let position = positions[recorded.topic, default: 0]
            positions[recorded.topic] = position + 1
            do {
                if recorded.topic == plan.lidarTopic {
                    let frame = plan.manifest.frames[plan.frameOfSweep[position]]
                    let message = try PointCloud2(recorded.message)
                    let cloud = try message.pointCloud()
                    droppedPoints += message.width * message.height - cloud.count
                    try PCDWriter.write(cloud, to: temporary + "/" + frame.lidar, encoding: .binary)
                } else if let frames = plan.framesOfImage[recorded.topic]?[position],
                    let camera = plan.cameraOfTopic[recorded.topic]
                {
                    let bytes = try imageFile(recorded)
                    for frame in frames {
                        try FileAccess.writeAtomically(
                            bytes, to: temporary + "/" + plan.manifest.frames[frame].images[camera]!)
                    }
                }
            } catch let error as MessageDecodingError {
                throw Failure.read(recorded.error(error))
            }
        }
        try FileAccess.writeAtomically(try plan.manifest.data(), to: temporary + "/" + SceneManifest.fileName)
        _ = try Scene.open(temporary)
        return droppedPoints
    }

    /// The file bytes of an image message: PNG for raw pixels (Bayer mosaics demosaiced), the
    /// recorded bytes for a compressed image.
    private static func imageFile(_ recorded: RecordedMessage) throws -> Data {
        let image =
            recorded.type == "sensor_msgs/Image"
            ? try RecordedImage(image: recorded.message) : try RecordedImage(compressedImage: recorded.message)
        let size = ImageSize(width: image.width, height: image.height)
        switch image.pixels {
        case .encoded(_, let bytes): return Data(bytes.bytes)
        case .rgb8(let pixels): return try PNGEncoding.encode(pixels, size: size, channels: 3)
        case .mono8(let pixels): return try PNGEncoding.encode(pixels, size: size, channels: 1)
        case .mono16(let pixels): return try PNGEncoding.encode(pixels, size: size, channels: 1)
        case .bayer8(let pattern, let mosaic):
            guard let pattern = Demosaicing.Pattern(rawValue: pattern) else {
                throw MessageDecodingError(message: "unknown Bayer pattern \(pattern)")
            }
            return try PNGEncoding.encode(
                try Demosaicing.rgb(fromMosaic: mosaic, size: size, pattern: pattern), size: size, channels: 3)
        }
    }
}
