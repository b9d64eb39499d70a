// The FusionLabel module: scenes and frames, and the pipelines over a whole scene. Import the
// modules whose types you use next to it (FusionGeometry, FusionIO, FusionPrelabel, ...): each
// file says what it depends on.
