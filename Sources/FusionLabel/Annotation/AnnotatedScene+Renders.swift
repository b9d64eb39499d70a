import Foundation
import FusionCalibration
import FusionIO

extension AnnotatedScene {
    /// The boxes of frame `position` as renders draw them: class colour, caption "<class> <uid>",
    /// and a "!" after the caption when the label is flagged.
    func labeledBoxes(frameAt position: Int) -> [LabeledBox] {
        frames[position].objects.map { object in
            let name = AnnotationChecks.className(object.kind)
            return LabeledBox(
                box: object.cuboid, caption: "\(name) \(object.uid)" + (object.needsReview ? " !" : ""),
                color: LabeledBox.color(forClass: name))
        }
    }

    /// The file names `writeRenders` gives frame `position`: one per camera, then the bird's-eye view.
    func renderNames(frameAt position: Int) -> [String] {
        let frame = String(format: "%06d", frames[position].index)
        return cameras.map { "\(frame)-\($0).png" } + ["\(frame)-bev.png"]
    }

    /// Draws every frame's labels over each camera image (LiDAR points coloured by depth, box
    /// wireframes with captions) and a bird's-eye view, and writes them as PNGs into `folder`
    /// (named by `renderNames(frameAt:)`, written atomically). Frames are read again from the
    /// scene folder, at most `maximumConcurrency` at once.
    /// - Throws: `ReadError` for unreadable scene files, `WriteError` for unwritable renders,
    ///   `CancellationError` when cancelled.
    public func writeRenders(
        to folder: String, maximumConcurrency: Int? = nil,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let scene = try Scene.open(self.folder)
        let frames = scene.manifest.frames
        let concurrency = maximumConcurrency ?? ProcessInfo.processInfo.activeProcessorCount
        _ = try await SceneAnnotator.forEachFrame(self.frames.count, concurrency: concurrency, progress: progress) {
            position in
            guard let frame = frames.first(where: { $0.index == self.frames[position].index }) else { return }
            let sweep = try scene.lidarSweep(of: frame)
            let boxes = labeledBoxes(frameAt: position)
            let names = renderNames(frameAt: position)
            for (cameraIndex, camera) in rig.cameras.enumerated() {
                let image = try frame.images[camera.name].map { relative throws(ReadError) in
                    try RGBImage.read(contentsOf: try scene.resolve(relative))
                }
                try camera.render(sweep, boxes: boxes, over: image).writePNG(to: folder + "/" + names[cameraIndex])
            }
            try BirdsEyeView().render(sweep, boxes: boxes).writePNG(to: folder + "/" + names.last!)
        }
    }
}
