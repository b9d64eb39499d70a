import Foundation
import FusionGeometry
import FusionSupport

extension Prelabeler {
    /// Pre-labels several sweeps at once, each on its own (results in the order given): at most
    /// `maximumConcurrency` at a time (default: the active processor count).
    public func prelabel(frames: [PointCloud], maximumConcurrency: Int? = nil) -> [(
        proposals: [Proposal], ground: GroundSegmentation.Ground?
    )] {
        parallelMap(count: frames.count, maximumConcurrency: maximumConcurrency) { prelabel(frames[$0]) }
    }
}
