#include "dicom/rescale_outliers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace lunglens {
namespace {

// Largest distance between a slice's median HU and the series' median of
// slice medians for a slice with its own rescale pair. Neighbouring chest
// slices differ by far less, while a wrong intercept shifts a slice by its
// error (often 1024 HU).
constexpr double kMaxMedianShiftHu = 300.0;

// Every kSampleStride-th voxel enters a slice's median.
constexpr std::int64_t kSampleStride = 7;

using RescalePair = std::pair<double, double>;  // (slope, intercept)

// Returns the median HU of the sampled non-padding voxels of slice k, or nothing when all are padding.
std::optional<double> slice_median(const HuVolume& volume, std::int64_t k) {
  const std::int64_t slice_voxels = volume.geometry.size[0] * volume.geometry.size[1];
  std::vector<float> values;
  for (std::int64_t v = k * slice_voxels; v < (k + 1) * slice_voxels; v += kSampleStride)
    if (!volume.is_padding(v)) values.push_back(volume.hu_at(v));
  if (values.empty()) return std::nullopt;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

Diagnostics reject_rescale_outliers(const ScanResult& scan, const SeriesInfo& series,
                                    std::span<const InputFile> files, HuVolume& volume) {
  Diagnostics errors;
  std::map<RescalePair, std::size_t> counts;
  std::vector<RescalePair> pairs;
  for (const SeriesSlice& slice : series.slices) {
    const FrameHeader& frame = scan.headers[slice.file_index].frames[static_cast<std::size_t>(slice.frame_index)];
    pairs.emplace_back(frame.rescale_slope, frame.rescale_intercept);
    ++counts[pairs.back()];
  }
  if (counts.size() < 2) return errors;
  const RescalePair common =
      std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; })
          ->first;

  // The reference level: the median of the common-pair slices' medians.
  std::vector<double> medians;
  for (std::size_t s = 0; s < series.slices.size(); ++s)
    if (pairs[s] == common)
      if (const auto median = slice_median(volume, series.slices[s].grid_index)) medians.push_back(*median);
  if (medians.empty()) return errors;
  const auto middle = medians.begin() + static_cast<std::ptrdiff_t>(medians.size() / 2);
  std::nth_element(medians.begin(), middle, medians.end());
  const double reference = *middle;

  const std::int64_t slice_voxels = volume.geometry.size[0] * volume.geometry.size[1];
  for (std::size_t s = 0; s < series.slices.size(); ++s) {
    if (pairs[s] == common) continue;
    const std::int64_t k = series.slices[s].grid_index;
    const auto median = slice_median(volume, k);
    if (!median || std::abs(*median - reference) <= kMaxMedianShiftHu) continue;

    const std::int64_t first = k * slice_voxels;
    if (volume.voxel_type == VoxelType::int16)
      std::fill_n(volume.int16_hu.begin() + first, slice_voxels, kPaddingHu);
    else
      std::fill_n(volume.float32_hu.begin() + first, slice_voxels, static_cast<float>(kPaddingHu));
    if (volume.padding_mask.empty()) volume.padding_mask.assign(static_cast<std::size_t>(volume.voxel_count()), 0);
    std::fill_n(volume.padding_mask.begin() + first, slice_voxels, std::uint8_t{1});
    errors.push_back({DiagnosticCode::invalid_rescale, Severity::error, std::string(files[series.slices[s].file_index].name),
                      "RescaleSlope " + format_number(pairs[s].first) + " and RescaleIntercept " +
                          format_number(pairs[s].second) + " differ from the other slices' (" +
                          format_number(common.first) + ", " + format_number(common.second) +
                          "), and its median reads " + format_number(std::round(*median - reference)) +
                          " HU away from theirs: the slice is not used (filled with -1024 HU and flagged as "
                          "padding)"});
  }
  return errors;
}

}  // namespace lunglens
