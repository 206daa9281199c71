#include "dicom/slice_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace lunglens {

namespace {

// A step within this fraction of an integer multiple of the median step is
// taken as that multiple (jitter from IPP rounding stays well below it).
constexpr double kStepTolerance = 0.1;

// Below this angle between the slice axis and the normal, the axis is taken
// as orthogonal: IPP values written with 2-3 decimals cause angles far smaller.
constexpr double kTiltThresholdDegrees = 0.05;

constexpr double kPi = 3.14159265358979323846;

std::string format_mm(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

Diagnostic series_warning(DiagnosticCode code, std::string message) {
  return Diagnostic{code, Severity::warning, "", std::move(message)};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

Vec3 slice_normal(const FrameHeader& frame) {
  const Vec3 row{frame.orientation[0], frame.orientation[1], frame.orientation[2]};
  const Vec3 column{frame.orientation[3], frame.orientation[4], frame.orientation[5]};
  return normalized(cross(row, column));
}

void lay_out_slices(std::vector<FrameRef> frames, SeriesInfo& series) {
  const FrameHeader& reference = *frames.front().frame;
  const Vec3 row{reference.orientation[0], reference.orientation[1], reference.orientation[2]};
  const Vec3 column{reference.orientation[3], reference.orientation[4], reference.orientation[5]};
  const Vec3 normal = slice_normal(reference);

  // Sort by position along the normal, never by InstanceNumber or file name.
  std::sort(frames.begin(), frames.end(), [&](const FrameRef& a, const FrameRef& b) {
    return dot(a.frame->position_mm, normal) < dot(b.frame->position_mm, normal);
  });

  const std::size_t n = frames.size();
  std::vector<double> positions(n);
  for (std::size_t s = 0; s < n; ++s) positions[s] = dot(frames[s].frame->position_mm, normal);

  Geometry& geometry = series.geometry;
  geometry.size = {frames.front().file->columns, frames.front().file->rows, 1};
  // PixelSpacing is (row spacing, column spacing): i runs along a row, so its
  // spacing is the column spacing.
  geometry.spacing_mm = {reference.pixel_spacing_mm[1], reference.pixel_spacing_mm[0], 1.0};
  geometry.origin_mm = frames.front().frame->position_mm;
  geometry.axes = {row, column, normal};

  series.slices.clear();
  series.missing_grid_indices.clear();
  series.uniform_step = true;
  series.gantry_tilt = false;
  series.gantry_tilt_degrees = 0.0;

  if (n == 1) {
    const double thickness = frames.front().file->slice_thickness_mm;
    series.slice_step_mm = thickness > 0.0 && thickness <= 50.0 ? thickness : 1.0;
    geometry.spacing_mm[2] = series.slice_step_mm;
    series.slices.push_back({frames[0].file->file_index, frames[0].frame->frame_index, positions[0], 0});
    series.diagnostics.push_back(Diagnostic{
        DiagnosticCode::single_slice, Severity::info, "",
        "the series has a single slice; the slice spacing is taken as " + format_mm(series.slice_step_mm) +
            " mm (SliceThickness, or 1 mm when it is absent or above 50 mm)"});
    return;
  }

  std::vector<double> steps(n - 1);
  for (std::size_t s = 0; s + 1 < n; ++s) steps[s] = positions[s + 1] - positions[s];
  const double step = median(steps);
  series.slice_step_mm = step;

  // Each step must be close to an integer multiple of the median step;
  // multiples above 1 are missing slices.
  std::vector<long long> multiples(n - 1);
  for (std::size_t s = 0; s + 1 < n; ++s) {
    const double ratio = steps[s] / step;
    multiples[s] = std::llround(ratio);
    if (multiples[s] < 1 || std::abs(ratio - double(multiples[s])) > kStepTolerance) series.uniform_step = false;
  }

  std::int64_t grid_index = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (s > 0) grid_index += series.uniform_step ? multiples[s - 1] : 1;
    series.slices.push_back({frames[s].file->file_index, frames[s].frame->frame_index, positions[s], grid_index});
  }
  geometry.size[2] = grid_index + 1;

  if (!series.uniform_step) {
    const auto [smallest, largest] = std::minmax_element(steps.begin(), steps.end());
    series.diagnostics.push_back(series_warning(
        DiagnosticCode::nonuniform_slice_step,
        "slice steps vary from " + format_mm(*smallest) + " to " + format_mm(*largest) +
            " mm (median " + format_mm(step) + " mm); slices are stacked in order at the median step, "
            "so distances along the slice axis are approximate"));
  } else {
    for (std::size_t s = 0; s + 1 < n; ++s) {
      if (multiples[s] <= 1) continue;
      const long long missing = multiples[s] - 1;
      for (long long m = 1; m <= missing; ++m) series.missing_grid_indices.push_back(series.slices[s].grid_index + m);
      series.diagnostics.push_back(series_warning(
          DiagnosticCode::missing_slice,
          std::to_string(missing) + " slice(s) missing between positions " + format_mm(positions[s]) + " and " +
              format_mm(positions[s + 1]) + " mm along the slice normal (grid slices " +
              std::to_string(series.slices[s].grid_index + 1) + " to " +
              std::to_string(series.slices[s].grid_index + missing) + " of " + std::to_string(geometry.size[2]) +
              ", 0-based); they are filled with -1024 HU and flagged as padding"));
    }
  }

  // Gantry tilt: the slice origins step along a direction that is not the
  // normal. The shear is kept in axes[2], the direction from the first to the
  // last IPP. The spacing along that axis is the normal step divided by the
  // cosine of the tilt angle.
  const Vec3 first = frames.front().frame->position_mm;
  const Vec3 last = frames.back().frame->position_mm;
  const Vec3 along = normalized(Vec3{last[0] - first[0], last[1] - first[1], last[2] - first[2]});
  const double cosine = std::clamp(dot(along, normal), -1.0, 1.0);
  const double angle_degrees = std::acos(cosine) * 180.0 / kPi;
  if (angle_degrees > kTiltThresholdDegrees) {
    series.gantry_tilt = true;
    series.gantry_tilt_degrees = angle_degrees;
    geometry.axes[2] = along;
    geometry.spacing_mm[2] = step / cosine;
    char angle_text[32];
    std::snprintf(angle_text, sizeof angle_text, "%.2f", angle_degrees);
    series.diagnostics.push_back(series_warning(
        DiagnosticCode::gantry_tilt,
        std::string("gantry tilt of ") + angle_text +
            " degrees: slices are not stacked along their normal; the volume keeps the shear in its "
            "slice axis (not resampled)"));
  } else {
    geometry.spacing_mm[2] = step;
  }
}

}  // namespace lunglens
