// swift-tools-version:6.1
//
// FusionLabel's benchmarks, in their own package so that building the library never compiles
// package-benchmark's plugin. Run from this folder: `swift package benchmark` (see ../README.md).
import PackageDescription

let package = Package(
    name: "FusionLabelBenchmarks",
    traits: [.trait(name: "FusedMultiplyAdd", description: "Build FusionLabel with its FusedMultiplyAdd trait.")],
    dependencies: [
        // `--traits FusedMultiplyAdd` passes the trait on to FusionLabel (README, "Building for AVX2").
        .package(
            name: "FusionLabel", path: "..",
            traits: [.defaults, .trait(name: "FusedMultiplyAdd", condition: .when(traits: ["FusedMultiplyAdd"]))]),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"])
    ],
    targets: [
        .executableTarget(
            name: "ReadersAndGeometry",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionReference", package: "FusionLabel")
            ],
            path: "Benchmarks/ReadersAndGeometry",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Projection",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionCalibration", package: "FusionLabel"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionReference", package: "FusionLabel")
            ],
            path: "Benchmarks/Projection",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Simulation",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionCalibration", package: "FusionLabel"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionSim", package: "FusionLabel")
            ],
            path: "Benchmarks/Simulation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Tracking",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionTracking", package: "FusionLabel")
            ],
            path: "Benchmarks/Tracking",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Prelabel",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionPrelabel", package: "FusionLabel"),
                .product(name: "FusionReference", package: "FusionLabel")
            ],
            path: "Benchmarks/Prelabel",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "QualityAssurance",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionQA", package: "FusionLabel")
            ],
            path: "Benchmarks/QualityAssurance",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EndToEnd",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FusionCalibration", package: "FusionLabel"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionLabel", package: "FusionLabel"),
                .product(name: "FusionPrelabel", package: "FusionLabel"),
                .product(name: "FusionReference", package: "FusionLabel")
            ],
            path: "Benchmarks/EndToEnd",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
