/// A calibration this library cannot use: a camera matrix that is not a pinhole K, a projection
/// matrix that does not factor as K [I | t], a transform chain with a gap.
public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    /// Which calibration (a camera name, a file, an OpenLABEL stream).
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
