#include "dicom/slice_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace lunglens {

namespace {

// A step within this fraction of an integer multiple of the grid step is
// taken as that multiple (jitter from IPP rounding stays well below it).
constexpr double kStepTolerance = 0.1;

// Below this angle between the slice axis and the normal, the axis is taken
// as orthogonal: IPP values written with 2-3 decimals cause angles far smaller.
constexpr double kTiltThresholdDegrees = 0.05;

constexpr double kPi = 3.14159265358979323846;

// Steps that fit no grid and whose largest exceeds the smallest by more than
// this factor make volumes wrong by up to that factor, so such a series is
// not analysed. Below it, stacking at the median step is approximate.
constexpr double kMaxIrregularStepRatio = 1.2;

// The InstanceNumber order warning needs at least this many neighbour pairs
// per break, so that unordered numbering raises no warning.
constexpr std::size_t kMinPairsPerInstanceOrderBreak = 10;

// A grid step that would make the grid more than this many times longer than
// the slice count is not taken: the steps are then irregular, not missing slices.
constexpr long long kMaxGridSlicesPerSlice = 16;

// Grid steps tried when the median step fits no grid: the smallest step
// divided by 1 to this number. A divided step must match every step within
// this fraction of itself (IPP rounding stays far below it).
constexpr int kMaxStepDivisor = 8;
constexpr double kDividedStepTolerance = 0.02;

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

// Warns when InstanceNumber, taken in the order of the slice positions, runs
// mostly one way but against it at a few places: such files may carry edited
// positions or belong elsewhere. Single-frame files with distinct nonzero
// numbers only; numbering that is mostly unordered gets no warning.
void check_instance_order(const std::vector<FrameRef>& frames, SeriesInfo& series) {
  std::vector<int> numbers;
  for (const FrameRef& ref : frames) {
    if (ref.file->number_of_frames != 1 || ref.file->instance_number == 0) return;
    numbers.push_back(ref.file->instance_number);
  }
  std::vector<int> sorted = numbers;
  std::sort(sorted.begin(), sorted.end());
  if (numbers.size() < 3 || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return;

  std::size_t rising = 0;
  for (std::size_t s = 0; s + 1 < numbers.size(); ++s) rising += numbers[s + 1] > numbers[s];
  const std::size_t pairs = numbers.size() - 1;
  const bool ascending = 2 * rising >= pairs;
  const std::size_t against = ascending ? pairs - rising : rising;
  if (against == 0 || against > pairs / kMinPairsPerInstanceOrderBreak) return;

  std::string places;
  std::size_t named = 0;
  for (std::size_t s = 0; s + 1 < numbers.size() && named < 3; ++s) {
    if ((numbers[s + 1] > numbers[s]) == ascending) continue;
    places += (places.empty() ? "" : ", ") + frames[s].file->file_name + " (" + std::to_string(numbers[s]) + ") then " +
              frames[s + 1].file->file_name + " (" + std::to_string(numbers[s + 1]) + ")";
    ++named;
  }
  series.diagnostics.push_back(series_warning(
      DiagnosticCode::instance_order_mismatch,
      "InstanceNumber runs against the slice positions at " + std::to_string(against) + " place(s): " + places +
          (against > named ? ", ..." : "") +
          ". Those files may carry edited positions or belong to another series; the slices are placed by "
          "ImagePositionPatient"));
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

  check_instance_order(frames, series);

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

  // Each step must be close to an integer multiple of the grid step;
  // multiples above 1 are missing slices. The grid step is the median step,
  // or else a fraction of the smallest step when the median is itself a
  // multiple (more double steps than single ones, or scattered files).
  std::vector<long long> multiples(n - 1);
  const auto fits_grid = [&](double grid_step, double tolerance) {
    if (!(grid_step > 0.0)) return false;
    long long grid_slices = 1;
    for (std::size_t s = 0; s + 1 < n; ++s) {
      const double ratio = steps[s] / grid_step;
      multiples[s] = std::llround(ratio);
      if (multiples[s] < 1 || std::abs(ratio - double(multiples[s])) > tolerance) return false;
      grid_slices += multiples[s];
    }
    return grid_slices <= kMaxGridSlicesPerSlice * static_cast<long long>(n);
  };
  double step = median(steps);
  if (!fits_grid(step, kStepTolerance)) {
    // Scattered files of a series (every third one, say) have steps that are
    // multiples of a step that none of them shows. So fractions of the
    // smallest step are tried, with a tighter tolerance. They stop at half the
    // slice thickness, because each slice stands for one grid step of the volume.
    const double smallest = *std::min_element(steps.begin(), steps.end());
    const double thickness = frames.front().file->slice_thickness_mm;
    const double lowest_step = 0.5 * (thickness > 0.0 ? thickness : smallest);
    series.uniform_step = false;
    for (int divisor = 1; divisor <= kMaxStepDivisor && !series.uniform_step; ++divisor) {
      const double candidate = smallest / divisor;
      if (divisor > 1 && candidate < lowest_step) break;
      if (!fits_grid(candidate, divisor == 1 ? kStepTolerance : kDividedStepTolerance)) continue;
      step = candidate;
      series.uniform_step = true;
    }
  }
  series.slice_step_mm = step;

  std::int64_t grid_index = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (s > 0) grid_index += series.uniform_step ? multiples[s - 1] : 1;
    series.slices.push_back({frames[s].file->file_index, frames[s].frame->frame_index, positions[s], grid_index});
  }
  geometry.size[2] = grid_index + 1;

  if (!series.uniform_step) {
    const auto [smallest, largest] = std::minmax_element(steps.begin(), steps.end());
    const std::string range = "slice steps vary from " + format_mm(*smallest) + " to " + format_mm(*largest) +
                              " mm (median " + format_mm(step) + " mm)";
    series.irregular_step = *largest > kMaxIrregularStepRatio * *smallest;
    if (series.irregular_step)
      series.diagnostics.push_back(series_warning(
          DiagnosticCode::nonuniform_slice_step,
          range + " and are no multiples of one step, so stacked slices would give wrong volumes: the lung "
                  "analysis rejects this series. Check for files from another series or missing files"));
    else
      series.diagnostics.push_back(series_warning(
          DiagnosticCode::nonuniform_slice_step,
          range + "; slices are stacked in order at the median step, so distances along the slice axis are "
                  "approximate (within the spread of the steps)"));
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
