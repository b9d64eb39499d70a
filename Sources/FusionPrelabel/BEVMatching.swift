import FusionGeometry

/// One-to-one matching of labels to proposals by bird's-eye-view IoU, greedily from the highest
/// IoU (ties: the lower label, then the lower proposal index), as detection benchmarks match.
public enum BEVMatching {
    /// For each label its matched proposal (nil when none reaches `minimumIoU`), and for each
    /// proposal whether a label took it. Labels where `takesPart` is false neither match nor take.
    public static func match(
        labels: [Cuboid], proposals: [Cuboid], minimumIoU: Double,
        takesPart: (Int) -> Bool = { _ in true }
    ) -> (labelMatch: [Int?], proposalTaken: [Bool]) {
        var pairs: [(iou: Double, label: Int, proposal: Int)] = []
        for (labelIndex, label) in labels.enumerated() where takesPart(labelIndex) {
            for (proposalIndex, proposal) in proposals.enumerated() where label.footprintMayMeet(proposal) {
                let iou = label.bevIoU(with: proposal)
                if iou >= minimumIoU { pairs.append((iou, labelIndex, proposalIndex)) }
            }
        }
        pairs.sort { ($0.iou, $1.label, $1.proposal) > ($1.iou, $0.label, $0.proposal) }
        var labelMatch = [Int?](repeating: nil, count: labels.count)
        var proposalTaken = [Bool](repeating: false, count: proposals.count)
        for pair in pairs where labelMatch[pair.label] == nil && !proposalTaken[pair.proposal] {
            labelMatch[pair.label] = pair.proposal
            proposalTaken[pair.proposal] = true
        }
        return (labelMatch, proposalTaken)
    }
}
