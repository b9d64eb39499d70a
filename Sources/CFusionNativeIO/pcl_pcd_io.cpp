// pcl::PCDReader into a PCLPointCloud2 that Swift inspects field by field.
#include "fusion_native_io.h"
#include "../CFusionNative/native_support.hpp"

#include <pcl/PCLPointCloud2.h>
#include <pcl/io/pcd_io.h>
#include <pcl/point_types.h>

#include <cstring>

struct fusion_native_pcd_cloud {
    pcl::PCLPointCloud2 blob;
};

namespace {

template <typename Scalar> double read_as_double(const std::uint8_t *address) {
    Scalar value;
    std::memcpy(&value, address, sizeof(Scalar));
    return static_cast<double>(value);
}

double read_element(const std::uint8_t *address, std::uint8_t datatype) {
    switch (datatype) {
    case pcl::PCLPointField::INT8: return read_as_double<std::int8_t>(address);
    case pcl::PCLPointField::UINT8: return read_as_double<std::uint8_t>(address);
    case pcl::PCLPointField::INT16: return read_as_double<std::int16_t>(address);
    case pcl::PCLPointField::UINT16: return read_as_double<std::uint16_t>(address);
    case pcl::PCLPointField::INT32: return read_as_double<std::int32_t>(address);
    case pcl::PCLPointField::UINT32: return read_as_double<std::uint32_t>(address);
    case pcl::PCLPointField::FLOAT32: return read_as_double<float>(address);
    case pcl::PCLPointField::FLOAT64: return read_as_double<double>(address);
    default: throw std::runtime_error("unknown PCL field datatype");
    }
}

} // namespace

extern "C" fusion_native_status fusion_native_pcl_read_pcd(const char *path, fusion_native_pcd_cloud **cloud) {
    return fusion_native::guarded([&] {
        *cloud = nullptr;
        auto result = std::make_unique<fusion_native_pcd_cloud>();
        pcl::PCDReader reader;
        if (reader.read(path, result->blob) < 0) {
            fusion_native::set_last_error(std::string("pcl::PCDReader could not read ") + path);
            return FUSION_NATIVE_IO_ERROR;
        }
        *cloud = result.release();
        return FUSION_NATIVE_OK;
    });
}

extern "C" void fusion_native_pcd_cloud_free(fusion_native_pcd_cloud *cloud) { delete cloud; }

extern "C" void fusion_native_pcd_cloud_dimensions(const fusion_native_pcd_cloud *cloud, uint32_t *width,
                                                   uint32_t *height) {
    *width = cloud->blob.width;
    *height = cloud->blob.height;
}

extern "C" size_t fusion_native_pcd_cloud_field_count(const fusion_native_pcd_cloud *cloud) {
    return cloud->blob.fields.size();
}

extern "C" fusion_native_status fusion_native_pcd_cloud_field(const fusion_native_pcd_cloud *cloud, size_t index,
                                                              const char **name, uint32_t *element_count,
                                                              uint8_t *datatype) {
    if (index >= cloud->blob.fields.size()) return FUSION_NATIVE_INVALID_ARGUMENT;
    const auto &field = cloud->blob.fields[index];
    *name = field.name.c_str();
    *element_count = field.count;
    *datatype = field.datatype;
    return FUSION_NATIVE_OK;
}

extern "C" fusion_native_status fusion_native_pcd_cloud_field_values(const fusion_native_pcd_cloud *cloud,
                                                                     const char *name, uint32_t element,
                                                                     double *values, size_t capacity) {
    return fusion_native::guarded([&] {
        const auto &blob = cloud->blob;
        const size_t count = static_cast<size_t>(blob.width) * blob.height;
        if (capacity < count) return FUSION_NATIVE_BUFFER_TOO_SMALL;
        for (const auto &field : blob.fields) {
            if (field.name != name) continue;
            if (element >= field.count) return FUSION_NATIVE_INVALID_ARGUMENT;
            const size_t offset = field.offset + element * pcl::getFieldSize(field.datatype);
            for (size_t point = 0; point < count; ++point)
                values[point] = read_element(&blob.data[point * blob.point_step + offset], field.datatype);
            return FUSION_NATIVE_OK;
        }
        fusion_native::set_last_error(std::string("no field named ") + name);
        return FUSION_NATIVE_INVALID_ARGUMENT;
    });
}

extern "C" fusion_native_status fusion_native_pcl_load_pcd_xyzi(const char *path, size_t *point_count) {
    return fusion_native::guarded([&] {
        pcl::PointCloud<pcl::PointXYZI> cloud;
        if (pcl::io::loadPCDFile<pcl::PointXYZI>(path, cloud) < 0) {
            fusion_native::set_last_error(std::string("pcl::io::loadPCDFile could not read ") + path);
            return FUSION_NATIVE_IO_ERROR;
        }
        *point_count = cloud.size();
        return FUSION_NATIVE_OK;
    });
}
