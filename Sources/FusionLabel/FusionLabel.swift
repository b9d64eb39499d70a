// The FusionLabel umbrella: one import for the whole engine.
@_exported import FusionCalibration
@_exported import FusionGeometry
@_exported import FusionIO
@_exported import FusionPrelabel
@_exported import FusionQA
@_exported import FusionSim
@_exported import FusionTracking
