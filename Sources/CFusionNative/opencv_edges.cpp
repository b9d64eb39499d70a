// Canny edges and their distance transform, for scoring how well LiDAR depth edges meet image edges.
#include "native_support.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

extern "C" fusion_native_status fusion_native_cv_edge_distance(const uint8_t *rgb, int32_t width,
                                                               int32_t height, double low_threshold,
                                                               double high_threshold, float *distances,
                                                               size_t *edge_count) {
    return fusion_native::guarded([&] {
        *edge_count = 0;
        if (width <= 0 || height <= 0 || !(low_threshold >= 0) || !(high_threshold >= low_threshold))
            return FUSION_NATIVE_INVALID_ARGUMENT;
        const cv::Mat image(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
        cv::Mat grey, smoothed, edges;
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
        cv::GaussianBlur(grey, smoothed, cv::Size(5, 5), 0);
        cv::Canny(smoothed, edges, low_threshold, high_threshold);
        *edge_count = static_cast<size_t>(cv::countNonZero(edges));
        // distanceTransform measures the distance to the nearest zero pixel: make the edges zero.
        cv::Mat background = edges == 0;
        cv::Mat output(height, width, CV_32F, distances);
        cv::distanceTransform(background, output, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        if (output.data != reinterpret_cast<uchar *>(distances)) return FUSION_NATIVE_INVALID_ARGUMENT;
        return FUSION_NATIVE_OK;
    });
}
