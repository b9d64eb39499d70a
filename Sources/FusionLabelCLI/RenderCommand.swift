import ArgumentParser
import Foundation
import FusionCalibration

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw LiDAR points and labelled boxes over each camera image, and a bird's-eye view, as PNGs.",
        discussion: """
            Writes <out>/<frame>-<camera>.png (points coloured by depth, box wireframes with class and id;
            a dark canvas where the frame has no image) and <out>/<frame>-bev.png. Files are written atomically.
            """)

    @OptionGroup var input: FrameOptions

    @Flag(help: "Render every frame of the folder instead of one.")
    var allFrames = false

    @Option(help: "Output folder (created if needed).")
    var out: String

    func run() throws {
        let ids = try allFrames ? input.frameIDs() : [input.frame ?? input.frameIDs().first ?? "0"]
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch { throw CommandFailure(message: "cannot create \(out): \(error.localizedDescription)") }
        let progress = ProgressLine(total: ids.count, label: "render")
        for (position, id) in ids.enumerated() {
            let frame = try input.load(frame: id)
            let boxes = frame.labels.map { label in
                LabeledBox(
                    box: label.box, caption: label.id.map { "\(label.type) \($0)" } ?? label.type,
                    color: LabeledBox.color(forClass: label.type))
            }
            for index in try input.cameraIndices(of: frame) {
                let camera = frame.rig.cameras[index]
                try write(
                    camera.render(frame.sweep, boxes: boxes, over: frame.images[index]),
                    name: "\(id)-\(camera.name).png")
            }
            try write(BirdsEyeView().render(frame.sweep, boxes: boxes), name: "\(id)-bev.png")
            progress.update(position + 1)
        }
    }

    private func write(_ image: RGBImage, name: String) throws {
        do { try image.writePNG(to: out + "/" + name) } catch { throw CommandFailure(error) }
    }
}

/// "render 3/20" progress: a bar redrawn in place on a terminal, one line per step otherwise.
struct ProgressLine {
    let total: Int
    let label: String
    let isTerminal = isatty(STDERR_FILENO) != 0

    func update(_ done: Int) {
        update(done, of: total, stage: nil)
    }

    /// Progress of one stage of a longer job ("annotate: project 3/20").
    func update(_ done: Int, of total: Int, stage: String?) {
        let name = stage.map { "\(label): \($0)" } ?? label
        if isTerminal {
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
            FileHandle.standardError.write(
                Data(("\r\u{1B}[K\(bar) \(name) \(done)/\(total)" + (done == total ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data("\(name) \(done)/\(total)\n".utf8))
        }
    }
}
