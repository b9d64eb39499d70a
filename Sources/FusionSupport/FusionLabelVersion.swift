/// The engine's version, as the CLI reports it and provenance records it.
public enum FusionLabelVersion {
    public static let current = "0.1.0"
}
