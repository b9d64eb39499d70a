#pragma once
// Only CFusionNative includes the real headers; this target carries the pkg-config flags.
