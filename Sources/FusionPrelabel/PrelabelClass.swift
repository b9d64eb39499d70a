/// The classes pre-labelling proposes.
public enum PrelabelClass: String, CaseIterable, Codable, Sendable, Comparable, CodingKeyRepresentable {
    case car
    /// Vans, pick-ups and trucks.
    case vanTruck = "van_truck"
    case bus, pedestrian, cyclist
    /// A road user the size priors cannot place (a trailer, a motorbike, a pram).
    case other

    /// The class of a dataset's label name: KITTI (Car, Van, Truck, Pedestrian, Person_sitting,
    /// Cyclist, Tram, Misc) and SUSTech POINTS (Car, Van, Bus, Truck, Pedestrian, Rider, ...).
    /// Nil for KITTI's DontCare.
    public init?(labelName: String) {
        switch labelName.lowercased() {
        case "dontcare": return nil
        case "car": self = .car
        case "van", "truck", "pickup": self = .vanTruck
        case "bus": self = .bus
        case "pedestrian", "person_sitting", "person": self = .pedestrian
        case "cyclist", "rider": self = .cyclist
        default: self = .other
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
