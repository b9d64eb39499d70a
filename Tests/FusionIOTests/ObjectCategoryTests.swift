import FusionIO
import Testing

/// The one taxonomy: every dataset's names for the same thing meet in one category.
@Suite struct ObjectCategoryTests {
    @Test(arguments: [
        // KITTI
        ("Car", ObjectCategory.car), ("Van", .van), ("Truck", .truck), ("Pedestrian", .pedestrian),
        ("Person_sitting", .personSitting),
        ("Cyclist", .bicycle), ("Tram", .tram), ("Misc", .misc),
        // SUSTech POINTS
        ("Rider", .bicycle), ("Motor", .motorcycle), ("Bus", .bus), ("BicycleGroup", .bicycle),
        // nuScenes, including leaves the table does not list
        ("vehicle.car", .car), ("human.pedestrian.adult", .pedestrian),
        ("human.pedestrian.wheelchair", .personalMobility),
        ("vehicle.bus.bendy", .bus), ("movable_object.trafficcone", .staticObstacle), ("vehicle.bicycle", .bicycle),
        ("human.pedestrian.some_new_kind", .pedestrian),
        // Argoverse 2
        ("REGULAR_VEHICLE", .car), ("BOX_TRUCK", .truck), ("BICYCLIST", .rider), ("BICYCLE", .bicycle),
        ("BOLLARD", .staticObstacle),
        ("STROLLER", .personalMobility), ("VEHICULAR_TRAILER", .trailer), ("CONSTRUCTION_CONE", .staticObstacle),
        // PandaSet
        ("Pickup_Truck", .van), ("Pedestrian_with_Object", .pedestrian), ("Other_Vehicle_-_Pedicab", .otherVehicle),
        ("Medium-sized_Truck", .truck), ("Tram_/_Subway", .tram), ("Temporary_Construction_Barriers", .staticObstacle),
        ("Animals_-_Other", .animal), ("Towed_Object", .trailer),
        // Waymo
        ("TYPE_VEHICLE", .car), ("TYPE_CYCLIST", .bicycle), ("Sign", .staticObstacle),
        // Unknown names are misc, not a crash or a guess.
        ("Zeppelin", .misc)
    ])
    func datasetNames(name: String, category: ObjectCategory) {
        #expect(ObjectCategory(datasetName: name) == category, "\(name)")
    }

    @Test func dontCareIsNoObject() {
        #expect(ObjectCategory(datasetName: "DontCare") == nil)
        #expect(ObjectCategory(datasetName: "dont_care") == nil)
    }

    @Test func groupsAreTheBenchmarksThree() {
        #expect(ObjectCategory.allCases.filter { $0.group == .vehicle } == [.car, .van, .truck, .bus, .trailer])
        #expect(ObjectCategory.allCases.filter { $0.group == .pedestrian } == [.pedestrian])
        #expect(ObjectCategory.allCases.filter { $0.group == .cyclist } == [.bicycle])
        #expect(ObjectCategory.allCases.filter { !$0.isRoadUser } == [.staticObstacle])
    }
}
