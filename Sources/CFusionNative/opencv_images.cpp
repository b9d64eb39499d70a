// Image decoding and PNG encoding with OpenCV's codecs, on caller-provided bytes (the Swift side
// reads and writes the files, so that errors name the file and writes are atomic).
#include "native_support.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

/// Copies `bytes` into memory from malloc, for a caller that releases it with fusion_native_free.
uint8_t *malloc_copy(const void *bytes, size_t count) {
    auto *copy = static_cast<uint8_t *>(std::malloc(count == 0 ? 1 : count));
    if (copy == nullptr) throw std::bad_alloc();
    if (count > 0) std::memcpy(copy, bytes, count);
    return copy;
}

} // namespace

extern "C" fusion_native_status fusion_native_image_decode(const uint8_t *bytes, size_t count,
                                                           size_t max_pixels, uint8_t **rgb,
                                                           int32_t *width, int32_t *height) {
    return fusion_native::guarded([&] {
        *rgb = nullptr;
        *width = 0;
        *height = 0;
        if (count == 0 || count > static_cast<size_t>(INT32_MAX)) return FUSION_NATIVE_INVALID_ARGUMENT;
        const cv::Mat encoded(1, static_cast<int>(count), CV_8U, const_cast<uint8_t *>(bytes));
        // The Swift side checks the size the header claims before calling; OpenCV also refuses more
        // than 2^30 pixels (CV_IO_MAX_IMAGE_PIXELS) before it allocates.
        cv::Mat decoded = cv::imdecode(encoded, cv::IMREAD_COLOR);
        if (decoded.empty()) {
            fusion_native::set_last_error("not an image OpenCV can decode (PNG, JPEG, ...)");
            return FUSION_NATIVE_IO_ERROR;
        }
        if (static_cast<size_t>(decoded.total()) > max_pixels) {
            fusion_native::set_last_error("the image has more pixels than allowed");
            return FUSION_NATIVE_INVALID_ARGUMENT;
        }
        cv::Mat converted;
        cv::cvtColor(decoded, converted, cv::COLOR_BGR2RGB);
        *rgb = malloc_copy(converted.data, converted.total() * 3);
        *width = converted.cols;
        *height = converted.rows;
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_image_encode_png(const void *pixels, int32_t width,
                                                               int32_t height, int32_t channels,
                                                               int32_t bytes_per_sample, uint8_t **png,
                                                               size_t *png_count) {
    return fusion_native::guarded([&] {
        *png = nullptr;
        *png_count = 0;
        if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) ||
            (bytes_per_sample != 1 && bytes_per_sample != 2))
            return FUSION_NATIVE_INVALID_ARGUMENT;
        const int depth = bytes_per_sample == 1 ? CV_8U : CV_16U;
        cv::Mat image(height, width, CV_MAKETYPE(depth, channels), const_cast<void *>(pixels));
        cv::Mat ordered = image;
        if (channels == 3) cv::cvtColor(image, ordered, cv::COLOR_RGB2BGR);
        std::vector<uchar> buffer;
        if (!cv::imencode(".png", ordered, buffer)) {
            fusion_native::set_last_error("cv::imencode refused the image");
            return FUSION_NATIVE_IO_ERROR;
        }
        *png = malloc_copy(buffer.data(), buffer.size());
        *png_count = buffer.size();
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_demosaic(const uint8_t *mosaic, int32_t width, int32_t height,
                                                       int32_t pattern, uint8_t *rgb) {
    return fusion_native::guarded([&] {
        if (width < 2 || height < 2 || pattern < 0 || pattern > 3) return FUSION_NATIVE_INVALID_ARGUMENT;
        // OpenCV names a Bayer pattern by the second row's first two colours: ROS's rggb is OpenCV's BG.
        static const int codes[4] = {cv::COLOR_BayerBG2RGB_EA, cv::COLOR_BayerRG2RGB_EA, cv::COLOR_BayerGR2RGB_EA,
                                     cv::COLOR_BayerGB2RGB_EA};
        cv::Mat source(height, width, CV_8UC1, const_cast<uint8_t *>(mosaic));
        cv::Mat target(height, width, CV_8UC3, rgb);
        cv::cvtColor(source, target, codes[pattern]);
        return FUSION_NATIVE_OK;
    });
}
