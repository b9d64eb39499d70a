import FusionIO

/// The classes pre-labelling proposes.
public enum PrelabelClass: String, CaseIterable, Codable, Sendable, Comparable, CodingKeyRepresentable {
    case car
    /// Vans, pick-ups and trucks.
    case vanTruck = "van_truck"
    case bus, pedestrian, cyclist
    /// A road user the size priors cannot place (a trailer, a motorbike, a pram).
    case other

    /// The class of a dataset's label name (any name `ObjectCategory(datasetName:)` knows). Nil
    /// for KITTI's DontCare.
    public init?(labelName: String) {
        guard let category = ObjectCategory(datasetName: labelName) else { return nil }
        self.init(category)
    }

    /// The class pre-labelling proposes for objects of a category: vans and trucks share one,
    /// a bicycle (with its rider) is a cyclist, and road users the size priors cannot place
    /// (motorbikes, trailers, prams, riders drawn apart from their bicycles) and static obstacles
    /// are `.other`.
    public init(_ category: ObjectCategory) {
        switch category {
        case .car: self = .car
        case .van, .truck: self = .vanTruck
        case .bus: self = .bus
        case .pedestrian, .personSitting: self = .pedestrian
        case .bicycle: self = .cyclist
        case .trailer, .tram, .otherVehicle, .rider, .motorcycle, .personalMobility, .animal, .staticObstacle, .misc:
            self = .other
        }
    }

    /// The benchmark group of the class (nil for `.other`).
    public var group: ObjectCategory.Group? {
        switch self {
        case .car, .vanTruck, .bus: .vehicle
        case .pedestrian: .pedestrian
        case .cyclist: .cyclist
        case .other: nil
        }
    }

    /// The name written in OpenLABEL files (the names FusionQA and the KITTI and SUSTech
    /// readers understand).
    public var openLABELName: String {
        switch self {
        case .car: "Car"
        case .vanTruck: "Van"
        case .bus: "Bus"
        case .pedestrian: "Pedestrian"
        case .cyclist: "Cyclist"
        case .other: "Misc"
        }
    }

    /// KITTI's name for the class (vans and trucks are written as Van).
    public var kittiName: String {
        switch self {
        case .car: "Car"
        case .vanTruck: "Van"
        case .bus: "Truck"
        case .pedestrian: "Pedestrian"
        case .cyclist: "Cyclist"
        case .other: "Misc"
        }
    }

    public static func < (lhs: PrelabelClass, rhs: PrelabelClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
