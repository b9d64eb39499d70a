// Drawing for renders: anti-aliased segments, discs and text labels on caller-owned RGB images.
#include "native_support.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

/// OpenCV's shift parameter: coordinates carry 4 fractional bits, so segments keep sub-pixel ends.
constexpr int fractional_bits = 4;
constexpr float fixed_point_scale = 1 << fractional_bits;

cv::Point fixed_point(float x, float y) {
    return {cvRound(x * fixed_point_scale), cvRound(y * fixed_point_scale)};
}

bool drawable(float value) { return std::abs(value) < 1e6f; } // also false for NaN

} // namespace

extern "C" fusion_native_status fusion_native_cv_draw_segments(uint8_t *rgb, int32_t width, int32_t height,
                                                               const float *segments, const uint8_t *colors,
                                                               size_t count, int32_t thickness) {
    return fusion_native::guarded([&] {
        if (width <= 0 || height <= 0 || thickness <= 0) return FUSION_NATIVE_INVALID_ARGUMENT;
        cv::Mat image(height, width, CV_8UC3, rgb);
        for (size_t i = 0; i < count; ++i) {
            const float *segment = segments + 4 * i;
            if (!(drawable(segment[0]) && drawable(segment[1]) && drawable(segment[2]) && drawable(segment[3])))
                continue;
            const uint8_t *color = colors + 3 * i;
            cv::line(image, fixed_point(segment[0], segment[1]), fixed_point(segment[2], segment[3]),
                     cv::Scalar(color[0], color[1], color[2]), thickness, cv::LINE_AA, fractional_bits);
        }
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_cv_draw_discs(uint8_t *rgb, int32_t width, int32_t height,
                                                            const float *centers, const uint8_t *colors,
                                                            size_t count, int32_t radius) {
    return fusion_native::guarded([&] {
        if (width <= 0 || height <= 0 || radius < 0) return FUSION_NATIVE_INVALID_ARGUMENT;
        cv::Mat image(height, width, CV_8UC3, rgb);
        for (size_t i = 0; i < count; ++i) {
            const float x = centers[2 * i], y = centers[2 * i + 1];
            if (!(drawable(x) && drawable(y))) continue;
            const uint8_t *color = colors + 3 * i;
            cv::circle(image, fixed_point(x, y), radius << fractional_bits, cv::Scalar(color[0], color[1], color[2]),
                       cv::FILLED, cv::LINE_8, fractional_bits);
        }
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_cv_draw_label(uint8_t *rgb, int32_t width, int32_t height,
                                                            const char *text, int32_t x, int32_t y, double scale,
                                                            const uint8_t *text_color,
                                                            const uint8_t *background_color) {
    return fusion_native::guarded([&] {
        if (width <= 0 || height <= 0 || !(scale > 0)) return FUSION_NATIVE_INVALID_ARGUMENT;
        cv::Mat image(height, width, CV_8UC3, rgb);
        constexpr int font = cv::FONT_HERSHEY_SIMPLEX;
        const int thickness = std::max(1, cvRound(scale * 1.5));
        int baseline = 0;
        const cv::Size size = cv::getTextSize(text, font, scale, thickness, &baseline);
        const cv::Rect box(x - 2, y - size.height - 3, size.width + 4, size.height + baseline + 5);
        cv::rectangle(image, box, cv::Scalar(background_color[0], background_color[1], background_color[2]),
                      cv::FILLED);
        cv::putText(image, text, cv::Point(x, y), font, scale,
                    cv::Scalar(text_color[0], text_color[1], text_color[2]), thickness, cv::LINE_AA);
        return FUSION_NATIVE_OK;
    });
}
