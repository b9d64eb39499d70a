// The plain-C face of FusionLabel's native bridge to OpenCV, and the status and error slot shared by
// every native shim (CFusionNativePCL and CFusionNativeIO include this header).
//
// Rules (see DESIGN.md, "The C shim pattern"):
// - every symbol is prefixed `fusion_native_`; no C++ type crosses this header;
// - buffers are caller-owned, flat, with explicit counts; points are x y z triples of doubles or
//   16-byte x y z pad records of floats (the layout of pcl::PointXYZ); images are row-major,
//   interleaved 8-bit RGB (3 bytes per pixel, no row padding) or 8-bit grey;
// - the few outputs whose size only the native side knows (decoded and encoded images) come back in
//   memory from malloc that the caller releases with `fusion_native_free`;
// - every function returns a `fusion_native_status`; C++ exceptions never unwind into the caller.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a native call. Swift turns anything but OK into an error in one place (`checked`).
typedef enum fusion_native_status {
    FUSION_NATIVE_OK = 0,
    /// An argument is outside what the function accepts (a negative size, an unknown model).
    FUSION_NATIVE_INVALID_ARGUMENT = 1,
    /// The caller's output buffer is smaller than the result.
    FUSION_NATIVE_BUFFER_TOO_SMALL = 2,
    /// A file could not be read or parsed by the native library.
    FUSION_NATIVE_IO_ERROR = 3,
    /// The native library threw a C++ exception; the message is in `fusion_native_last_error`.
    FUSION_NATIVE_EXCEPTION = 4,
} fusion_native_status;

/// The message of the last failure on the calling thread (empty if none). Valid until the next
/// native call on the same thread.
const char *_Nonnull fusion_native_last_error(void);

/// Releases memory the shim allocated for the caller.
void fusion_native_free(void *_Nullable memory);

// MARK: - Image files (FusionCalibration: camera images in, renders out)

/// Decodes an image file's bytes (PNG, JPEG, and what else `cv::imdecode` reads) to 8-bit RGB.
/// Native because: OpenCV's codecs (libpng, libjpeg-turbo) are the ones every tool in the field uses.
/// - max_pixels: refuse (INVALID_ARGUMENT) an image whose header claims more pixels than this.
/// - on success `*rgb` holds width × height × 3 bytes; release it with `fusion_native_free`.
fusion_native_status fusion_native_image_decode(const uint8_t *_Nonnull bytes, size_t count,
                                                size_t max_pixels, uint8_t *_Nullable *_Nonnull rgb,
                                                int32_t *_Nonnull width, int32_t *_Nonnull height);

/// Encodes an image as PNG in memory (the caller writes the file atomically).
/// Native because: OpenCV's PNG encoder (libpng, zlib).
/// - pixels: width × height × channels samples; channels 1 (grey) or 3 (RGB); `bytes_per_sample`
///   1 (8-bit) or 2 (16-bit, native byte order, as KITTI depth maps use).
/// - on success `*png` holds `*png_count` bytes; release it with `fusion_native_free`.
fusion_native_status fusion_native_image_encode_png(const void *_Nonnull pixels, int32_t width,
                                                    int32_t height, int32_t channels,
                                                    int32_t bytes_per_sample,
                                                    uint8_t *_Nullable *_Nonnull png,
                                                    size_t *_Nonnull png_count);

/// Demosaics an 8-bit Bayer mosaic (as ROS `bayer_rggb8` and friends record it) to 8-bit RGB.
/// Native because: OpenCV's edge-aware demosaicing (`cv::cvtColor`, COLOR_Bayer*2RGB_EA).
/// - pattern: the colours of the top-left 2 × 2 block as ROS names them, 0 rggb, 1 bggr, 2 gbrg, 3 grbg.
/// - rgb: width × height × 3 bytes, allocated by the caller.
fusion_native_status fusion_native_demosaic(const uint8_t *_Nonnull mosaic, int32_t width, int32_t height,
                                            int32_t pattern, uint8_t *_Nonnull rgb);

// MARK: - Image edges (calibration checks)

/// Distance in pixels from every pixel to the nearest Canny edge of an RGB image.
/// Native because: `cv::Canny` and `cv::distanceTransform` are the standard edge and distance tools.
/// The image is converted to grey and smoothed with a 5×5 Gaussian first.
/// - low_threshold, high_threshold: Canny's hysteresis thresholds (on the 0-255 grey scale).
/// - distances: width × height floats, written (row-major); 0 on an edge.
/// - `*edge_count` receives the number of edge pixels (distances are meaningless when it is 0).
fusion_native_status fusion_native_cv_edge_distance(const uint8_t *_Nonnull rgb, int32_t width,
                                                    int32_t height, double low_threshold,
                                                    double high_threshold, float *_Nonnull distances,
                                                    size_t *_Nonnull edge_count);

// MARK: - Pose from 2D-3D correspondences (extrinsic refinement)

/// `cv::solvePnPRansac` with the iterative solver, refined on the inliers.
/// Native because: OpenCV's PnP with RANSAC is the reference solver of the field.
/// - object_points: `count` x y z triples (doubles) in the source (LiDAR) frame.
/// - image_points: `count` u v pairs (pixels), already undistorted when `distortion_count` is 0.
/// - camera_matrix: 3×3 row-major K; distortion: OpenCV's order (k1 k2 p1 p2 [k3 [k4 k5 k6]]).
/// - rotation_vector, translation: in: the initial `cameraFromSource` (Rodrigues vector, metres);
///   out: the refined one.
/// - inliers: `count` bytes, written 1 for inliers and 0 for outliers; `*inlier_count` receives the count.
/// Returns INVALID_ARGUMENT for fewer than 6 correspondences. When RANSAC finds no consensus the pose
/// is left unchanged and `*inlier_count` is 0.
fusion_native_status fusion_native_cv_solve_pnp_ransac(
    const double *_Nonnull object_points, const double *_Nonnull image_points, size_t count,
    const double *_Nonnull camera_matrix, const double *_Nullable distortion, size_t distortion_count,
    double reprojection_threshold, int32_t iterations, double confidence,
    double *_Nonnull rotation_vector, double *_Nonnull translation, uint8_t *_Nonnull inliers,
    size_t *_Nonnull inlier_count);

// MARK: - Drawing (renders)

/// Draws anti-aliased line segments into an RGB image in place.
/// Native because: `cv::line` clips and anti-aliases; we do not write a rasteriser.
/// - segments: `count` records x0 y0 x1 y1 (pixels, floats; sub-pixel positions are kept).
/// - colors: `count` RGB triples.
fusion_native_status fusion_native_cv_draw_segments(uint8_t *_Nonnull rgb, int32_t width, int32_t height,
                                                    const float *_Nonnull segments,
                                                    const uint8_t *_Nonnull colors, size_t count,
                                                    int32_t thickness);

/// Draws filled discs (points) into an RGB image in place.
/// - centers: `count` x y pairs (pixels); colors: `count` RGB triples; radius in pixels.
fusion_native_status fusion_native_cv_draw_discs(uint8_t *_Nonnull rgb, int32_t width, int32_t height,
                                                 const float *_Nonnull centers,
                                                 const uint8_t *_Nonnull colors, size_t count,
                                                 int32_t radius);

/// Draws a line of text with a filled background box into an RGB image in place.
/// Native because: `cv::putText` has the Hershey fonts; we ship no font.
/// - x, y: the text's bottom-left corner (pixels); scale: font scale (1 is about 22 pixels tall).
fusion_native_status fusion_native_cv_draw_label(uint8_t *_Nonnull rgb, int32_t width, int32_t height,
                                                 const char *_Nonnull text, int32_t x, int32_t y,
                                                 double scale, const uint8_t *_Nonnull text_color,
                                                 const uint8_t *_Nonnull background_color);

// MARK: - OpenCV projection (oracle for FusionCalibration)

/// Camera lens models understood by `fusion_native_cv_project_points`.
typedef enum fusion_native_lens_model {
    /// `cv::projectPoints`: 0, 4, 5, 8, 12 or 14 coefficients (k1 k2 p1 p2 [k3 [k4 k5 k6 [s1..s4 [tx ty]]]]).
    FUSION_NATIVE_LENS_PINHOLE = 0,
    /// `cv::fisheye::projectPoints`: exactly 4 coefficients (k1 k2 k3 k4), equidistant model.
    FUSION_NATIVE_LENS_FISHEYE = 1,
} fusion_native_lens_model;

/// Projects points with OpenCV.
/// Native because: OpenCV's projection is the reference our SIMD projection must match.
/// - points: `count` x y z triples (doubles) in the source frame.
/// - rotation_vector, translation: `cameraFromSource` as a Rodrigues vector and metres.
/// - camera_matrix: 3x3 row-major K.
/// - pixels: `count` u v pairs (doubles), written.
fusion_native_status fusion_native_cv_project_points(const double *_Nonnull points, size_t count,
                                                     const double *_Nonnull rotation_vector,
                                                     const double *_Nonnull translation,
                                                     const double *_Nonnull camera_matrix,
                                                     fusion_native_lens_model model,
                                                     const double *_Nullable distortion,
                                                     size_t distortion_count,
                                                     double *_Nonnull pixels);

#ifdef __cplusplus
}
#endif
