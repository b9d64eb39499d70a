/// The engine's one object taxonomy: what a labelled box is, whatever dataset named it.
///
/// Every module that reads a dataset's class names goes through `ObjectCategory(datasetName:)`,
/// so "pickup" and "bicycle" mean the same thing to pre-labelling, QA, tracking and the simulator.
/// Categories are fine-grained enough to keep what datasets distinguish; `group` folds them into
/// the three groups detection benchmarks score (vehicle, pedestrian, cyclist).
///
/// Conventions that differ between datasets, and how they are folded:
/// - A bicycle is one box with its rider in KITTI (`Cyclist`), SUSTech POINTS (`Rider`),
///   nuScenes and PandaSet (`Bicycle`); Argoverse 2 draws the bicycle and the person riding it as
///   two boxes (`BICYCLE`, `BICYCLIST`). The bicycle is `.bicycle` (group cyclist) everywhere; AV2's
///   rider box is `.rider`, a road user in no group (a box on it is neither found nor false).
///   Parked bicycles are labelled by nuScenes, AV2 and PandaSet but not by KITTI.
/// - Motorbikes and scooters (`.motorcycle`, `.personalMobility`) and people sitting, prams and
///   animals are road users in no group: benchmarks neither ask for them nor count a box on them
///   as false, as KITTI's evaluation treats `Van` for `Car`.
/// - Signs, cones, bollards, barriers and bins (`.staticObstacle`) are no road users: a
///   pre-label on one is a false positive.
public enum ObjectCategory: String, CaseIterable, Codable, Sendable, Comparable, CodingKeyRepresentable {
    case car
    /// Vans, minivans and pick-ups.
    case van
    /// Box trucks, semis, tractor units, construction and other heavy vehicles.
    case truck
    /// City, school and articulated buses.
    case bus
    /// Trailers and towed objects.
    case trailer
    /// Trams and trains.
    case tram
    /// Emergency vehicles, pedicabs and other vehicles no other category holds.
    case otherVehicle = "other_vehicle"
    case pedestrian
    /// KITTI's `Person_sitting`.
    case personSitting = "person_sitting"
    /// A bicycle, with its rider when the dataset draws them as one box.
    case bicycle
    /// The person on a bicycle or motorbike, drawn apart from it (Argoverse 2).
    case rider
    /// Motorbikes and mopeds, with or without their riders.
    case motorcycle
    /// Scooters, wheelchairs, prams and other personal mobility devices.
    case personalMobility = "personal_mobility"
    case animal
    /// Signs, cones, bollards, barriers, bins: things no road user.
    case staticObstacle = "static_obstacle"
    /// A labelled road user that is none of the above (KITTI's `Misc`).
    case misc

    /// The groups that detection benchmarks score.
    public enum Group: String, CaseIterable, Codable, Sendable, Comparable, CodingKeyRepresentable {
        case vehicle, pedestrian, cyclist

        public static func < (lhs: Group, rhs: Group) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The benchmark group, or nil for categories no benchmark scores.
    public var group: Group? {
        switch self {
        case .car, .van, .truck, .bus, .trailer: .vehicle
        case .pedestrian: .pedestrian
        case .bicycle: .cyclist
        case .tram, .otherVehicle, .personSitting, .rider, .motorcycle, .personalMobility, .animal, .staticObstacle,
            .misc:
            nil
        }
    }

    /// Whether the category moves among traffic (every category but `.staticObstacle`): a box on a
    /// road user outside every group is not counted against a pre-labeller.
    public var isRoadUser: Bool { self != .staticObstacle }

    /// The category of a dataset's class name, or nil for names that mark a region rather than an
    /// object (KITTI's `DontCare`). Case and the separators `_`, `-`, ` `, `.` and `/` do not
    /// matter; a name no table knows is `.misc`.
    ///
    /// Tables: KITTI (`Car`, `Van`, `Truck`, `Pedestrian`, `Person_sitting`, `Cyclist`, `Tram`,
    /// `Misc`), SUSTech POINTS (`Rider`, `Motor`, `Bicycle`, `BicycleGroup`, ...), nuScenes
    /// (`vehicle.car`, `human.pedestrian.adult`, `movable_object.barrier`, ...), Argoverse 2
    /// (`REGULAR_VEHICLE`, `BOX_TRUCK`, `BICYCLIST`, `BOLLARD`, ...), PandaSet (`Pickup_Truck`,
    /// `Pedestrian_with_Object`, `Other_Vehicle_-_Pedicab`, ...), Waymo (`TYPE_VEHICLE`, `Sign`,
    /// ...) and FusionSim's (KITTI's names).
    public init?(datasetName: String) {
        let key = Self.normalised(datasetName)
        if key == "dontcare" { return nil }
        self = Self.table[key] ?? Self.prefixTable.first { key.hasPrefix($0.prefix) }?.category ?? .misc
    }

    /// Lower case, with the separators datasets use between words removed.
    static func normalised(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !"_- ./".unicodeScalars.contains($0) }.map(Character.init))
    }

    /// Dataset names (normalised) and their categories.
    static let table: [String: ObjectCategory] = {
        let names: [(ObjectCategory, [String])] = [
            (.car, ["car", "vehiclecar", "regularvehicle", "typevehicle", "vehicle", "sedan", "suv"]),
            (.van, ["van", "pickup", "pickuptruck", "minivan"]),
            (
                .truck,
                [
                    "truck", "boxtruck", "truckcab", "largevehicle", "mediumsizedtruck", "semitruck",
                    "vehicleconstruction",
                    "vehicletruck", "othervehicleconstructionvehicle", "constructionvehicle", "trucks"
                ]
            ),
            (.bus, ["bus", "schoolbus", "articulatedbus", "vehiclebusbendy", "vehiclebusrigid", "bendybus"]),
            (.trailer, ["trailer", "vehiculartrailer", "vehicletrailer", "towedobject"]),
            (.tram, ["tram", "tramsubway", "train", "railedvehicle"]),
            (
                .otherVehicle,
                [
                    "emergencyvehicle", "othervehiclepedicab", "othervehicleuncommon", "vehicleemergencyambulance",
                    "vehicleemergencypolice", "pedicab", "tricycle"
                ]
            ),
            (
                .pedestrian,
                [
                    "pedestrian", "person", "pedestrianwithobject", "humanpedestrianadult", "humanpedestrianchild",
                    "humanpedestrianconstructionworker", "humanpedestrianpoliceofficer", "typepedestrian",
                    "officialsignaler",
                    "child", "humanpedestrian"
                ]
            ),
            (.personSitting, ["personsitting"]),
            (.bicycle, ["cyclist", "rider", "bicycle", "bicyclegroup", "vehiclebicycle", "typecyclist", "bike"]),
            (.rider, ["bicyclist", "motorcyclist", "wheeledrider"]),
            (.motorcycle, ["motorcycle", "motor", "motorbike", "vehiclemotorcycle", "moped"]),
            (
                .personalMobility,
                [
                    "motorizedscooter", "personalmobilitydevice", "scooter", "wheelchair", "stroller",
                    "humanpedestrianpersonalmobility", "humanpedestrianwheelchair", "humanpedestrianstroller",
                    "wheeleddevice", "pram", "babycart"
                ]
            ),
            (.animal, ["animal", "animalsother", "dog", "animals", "bird"]),
            (
                .staticObstacle,
                [
                    "bollard", "sign", "signs", "constructionsigns", "stopsign", "constructioncone", "cones", "cone",
                    "trafficcone", "pylons", "pylon", "roadbarriers", "temporaryconstructionbarriers", "barrier",
                    "barrel", "constructionbarrel", "messageboardtrailer", "mobilepedestriancrossingsign",
                    "mobilepedestriansign", "trafficlighttrailer", "rollingcontainers", "trashcan",
                    "movableobjectbarrier", "movableobjecttrafficcone", "movableobjectpushablepullable",
                    "movableobjectdebris", "staticobjectbicyclerack", "typesign", "pole", "trafficlight"
                ]
            ),
            (.misc, ["misc", "unknown", "typeunknown", "other"])
        ]
        var table: [String: ObjectCategory] = [:]
        for (category, list) in names {
            for name in list { table[name] = category }
        }
        return table
    }()

    /// Hierarchical names (nuScenes) whose leaves the table does not list, by their stem.
    static let prefixTable: [(prefix: String, category: ObjectCategory)] = [
        ("humanpedestrian", .pedestrian), ("vehiclebus", .bus), ("vehicleemergency", .otherVehicle),
        ("movableobject", .staticObstacle), ("staticobject", .staticObstacle), ("animal", .animal)
    ]

    public static func < (lhs: ObjectCategory, rhs: ObjectCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
