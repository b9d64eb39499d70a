// PCL's file I/O behind a plain-C header. Kept out of CFusionNative because libpcl_io loads VTK
// and OpenNI (about 70 shared libraries): only tests and benchmarks link it, never the CLI.
#pragma once

#include "fusion_native.h"

#ifdef __cplusplus
extern "C" {
#endif

/// A PCD file as PCL parsed it (a `pcl::PCLPointCloud2`), owned by the native side.
typedef struct fusion_native_pcd_cloud fusion_native_pcd_cloud;

/// Reads a PCD file with `pcl::PCDReader` (any encoding PCL supports).
/// Native because: PCL's reader is the oracle our own PCD reader must agree with point for point.
/// On success `*cloud` must be released with `fusion_native_pcd_cloud_free`.
fusion_native_status fusion_native_pcl_read_pcd(const char *_Nonnull path,
                                                fusion_native_pcd_cloud *_Nullable *_Nonnull cloud);

void fusion_native_pcd_cloud_free(fusion_native_pcd_cloud *_Nullable cloud);

/// Width and height as PCL read them (height > 1 for organized clouds).
void fusion_native_pcd_cloud_dimensions(const fusion_native_pcd_cloud *_Nonnull cloud,
                                        uint32_t *_Nonnull width, uint32_t *_Nonnull height);

/// Number of fields PCL kept (PCL drops nothing; padding fields `_` are listed too).
size_t fusion_native_pcd_cloud_field_count(const fusion_native_pcd_cloud *_Nonnull cloud);

/// The name of field `index` (NUL-terminated, valid while the cloud lives), its element count,
/// and its PCL datatype (1 INT8 ... 8 FLOAT64, as `pcl::PCLPointField::PointFieldTypes`).
fusion_native_status fusion_native_pcd_cloud_field(const fusion_native_pcd_cloud *_Nonnull cloud,
                                                   size_t index, const char *_Nullable *_Nonnull name,
                                                   uint32_t *_Nonnull element_count,
                                                   uint8_t *_Nonnull datatype);

/// Element `element` of field `name` for every point, converted to double: `width * height` values.
fusion_native_status fusion_native_pcd_cloud_field_values(const fusion_native_pcd_cloud *_Nonnull cloud,
                                                          const char *_Nonnull name, uint32_t element,
                                                          double *_Nonnull values, size_t capacity);

/// `pcl::io::loadPCDFile<pcl::PointXYZI>`: PCL's usual way to load a sweep into typed points.
/// Native because: it is the baseline our PCD reader is benchmarked against; the cloud is
/// discarded and only its size returned.
fusion_native_status fusion_native_pcl_load_pcd_xyzi(const char *_Nonnull path, size_t *_Nonnull point_count);

#ifdef __cplusplus
}
#endif
