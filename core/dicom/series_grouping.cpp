#include "dicom/series_grouping.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <tuple>

#include "dicom/slice_layout.h"

namespace lunglens {

namespace {

constexpr double kSamePositionMm = 0.01;
constexpr double kOrientationTolerance = 1e-3;
constexpr double kSpacingToleranceMm = 1e-3;

bool same_geometry(const FrameRef& a, const FrameRef& b) {
  if (a.file->rows != b.file->rows || a.file->columns != b.file->columns) return false;
  for (int c = 0; c < 6; ++c)
    if (std::abs(a.frame->orientation[c] - b.frame->orientation[c]) > kOrientationTolerance) return false;
  for (int c = 0; c < 2; ++c)
    if (std::abs(a.frame->pixel_spacing_mm[c] - b.frame->pixel_spacing_mm[c]) > kSpacingToleranceMm) return false;
  return true;
}

bool same_bytes(const InputFile& a, const InputFile& b) {
  return a.bytes.size() == b.bytes.size() && std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size()) == 0;
}

// Frames sorted by position along the normal, cut into runs that share a position.
std::vector<std::vector<FrameRef>> position_groups(std::vector<FrameRef> frames) {
  const Vec3 normal = slice_normal(*frames.front().frame);
  auto position = [&](const FrameRef& f) { return dot(f.frame->position_mm, normal); };
  std::sort(frames.begin(), frames.end(), [&](const FrameRef& a, const FrameRef& b) { return position(a) < position(b); });

  std::vector<std::vector<FrameRef>> groups;
  for (const FrameRef& frame : frames) {
    if (!groups.empty() && std::abs(position(frame) - position(groups.back().front())) < kSamePositionMm)
      groups.back().push_back(frame);
    else
      groups.push_back({frame});
  }
  return groups;
}

// Removes second copies at the same position. A frame whose file is
// byte-identical to an earlier frame's file is the same file given twice. A
// frame with the SOPInstanceUID and frame number of an earlier one is a copy
// of the same instance: truncated, or in another transfer syntax. Of two such
// copies the larger file stays, since a cut copy is the smaller one.
std::vector<FrameRef> drop_identical(std::vector<FrameRef> frames, std::span<const InputFile> files,
                                     Diagnostics& diagnostics) {
  std::vector<FrameRef> kept;
  for (auto& group : position_groups(std::move(frames))) {
    std::vector<FrameRef> unique;
    for (const FrameRef& frame : group) {
      const auto identical = std::find_if(unique.begin(), unique.end(), [&](const FrameRef& other) {
        return other.file->content_hash == frame.file->content_hash &&
               other.frame->frame_index == frame.frame->frame_index &&
               same_bytes(files[other.file->file_index], files[frame.file->file_index]);
      });
      if (identical != unique.end()) {
        diagnostics.push_back(Diagnostic{DiagnosticCode::duplicate_slice_dropped, Severity::warning,
                                         frame.file->file_name,
                                         "byte-identical to " + identical->file->file_name + "; dropped"});
        continue;
      }

      const auto same_instance = std::find_if(unique.begin(), unique.end(), [&](const FrameRef& other) {
        return !frame.file->sop_instance_uid.empty() && other.file->sop_instance_uid == frame.file->sop_instance_uid &&
               other.frame->frame_index == frame.frame->frame_index;
      });
      if (same_instance == unique.end()) {
        unique.push_back(frame);
        continue;
      }
      const std::size_t frame_bytes = files[frame.file->file_index].bytes.size();
      const std::size_t other_bytes = files[same_instance->file->file_index].bytes.size();
      const FrameRef dropped = frame_bytes > other_bytes ? *same_instance : frame;
      const FrameRef staying = frame_bytes > other_bytes ? frame : *same_instance;
      *same_instance = staying;
      const bool same_encoding = dropped.file->transfer_syntax_uid == staying.file->transfer_syntax_uid;
      diagnostics.push_back(Diagnostic{
          DiagnosticCode::duplicate_slice_dropped, Severity::warning, dropped.file->file_name,
          "another copy of the same instance (SOPInstanceUID " + frame.file->sop_instance_uid + ") as " +
              staying.file->file_name + "; the smaller copy (" + std::to_string(std::min(frame_bytes, other_bytes)) +
              " of " + std::to_string(std::max(frame_bytes, other_bytes)) + " bytes, " +
              (same_encoding ? "possibly truncated" : "in another transfer syntax") + ") was dropped"});
    }
    kept.insert(kept.end(), unique.begin(), unique.end());
  }
  return kept;
}

// Order in which frames at the same position are dealt out to acquisitions.
bool acquisition_order(const FrameRef& a, const FrameRef& b) {
  return std::tie(a.file->acquisition_number, a.file->acquisition_time, a.file->instance_number, a.file->file_index,
                  a.frame->frame_index) <
         std::tie(b.file->acquisition_number, b.file->acquisition_time, b.file->instance_number, b.file->file_index,
                  b.frame->frame_index);
}

bool has_shared_positions(const std::vector<FrameRef>& frames) {
  for (const auto& group : position_groups(frames))
    if (group.size() > 1) return true;
  return false;
}

// Splits frames that share positions into acquisitions: by AcquisitionNumber
// when that gives one frame per position in each part and as many parts as
// the largest number of frames at one position; otherwise by dealing the
// frames at each position out in acquisition order (number, time, instance).
std::vector<std::vector<FrameRef>> split_acquisitions(const std::vector<FrameRef>& frames) {
  const auto groups = position_groups(frames);
  std::size_t layers = 1;
  for (const auto& group : groups) layers = std::max(layers, group.size());
  if (layers == 1) return {frames};

  std::map<int, std::vector<FrameRef>> by_number;
  for (const FrameRef& frame : frames) by_number[frame.file->acquisition_number].push_back(frame);
  bool numbers_separate = by_number.size() == layers;
  for (const auto& [number, part] : by_number)
    if (has_shared_positions(part)) numbers_separate = false;
  if (numbers_separate) {
    std::vector<std::vector<FrameRef>> parts;
    for (auto& [number, part] : by_number) parts.push_back(std::move(part));
    return parts;
  }

  std::vector<std::vector<FrameRef>> parts(layers);
  for (auto group : groups) {
    std::sort(group.begin(), group.end(), acquisition_order);
    for (std::size_t layer = 0; layer < group.size(); ++layer) parts[layer].push_back(group[layer]);
  }
  return parts;
}

// Adds the rescale and padding findings and the memory estimate.
void summarise_pixels(const std::vector<FrameRef>& frames, SeriesInfo& series) {
  std::size_t without_rescale = 0;
  series.integer_rescale = true;
  series.has_padding_value = false;
  for (const FrameRef& f : frames) {
    if (!f.frame->has_rescale) ++without_rescale;
    if (f.frame->rescale_slope != std::round(f.frame->rescale_slope) ||
        f.frame->rescale_intercept != std::round(f.frame->rescale_intercept))
      series.integer_rescale = false;
    if (f.file->pixel_padding_value) series.has_padding_value = true;
  }

  if (without_rescale > 0)
    series.diagnostics.push_back(Diagnostic{
        DiagnosticCode::missing_rescale, Severity::warning, "",
        std::to_string(without_rescale) + " of " + std::to_string(frames.size()) +
            " slices have no RescaleSlope/RescaleIntercept; stored values are used as HU (slope 1, intercept 0)"});
  if (!series.integer_rescale)
    series.diagnostics.push_back(Diagnostic{DiagnosticCode::lossy_rescale, Severity::info, "",
                                            "non-integer RescaleSlope or RescaleIntercept: HU stored as float32"});
  if (series.has_padding_value)
    series.diagnostics.push_back(Diagnostic{
        DiagnosticCode::pixel_padding, Severity::info, "",
        "PixelPaddingValue declared: voxels that store it (checked when the pixels are decoded) are set to "
        "-1024 HU and flagged in the padding mask"});

  const std::int64_t voxels = series.geometry.voxel_count();
  series.estimated_bytes = voxels * (series.integer_rescale ? 2 : 4) + voxels;
}

SeriesInfo make_series(const std::vector<FrameRef>& frames, const std::string& id) {
  const FileHeader& first = *frames.front().file;
  SeriesInfo series;
  series.id = id;
  series.series_instance_uid = first.series_instance_uid;
  series.study_instance_uid = first.study_instance_uid;
  series.description = first.series_description;
  series.modality = first.modality;
  series.patient_study = first.patient_study;
  series.series_number = first.series_number;
  series.acquisition_number = first.acquisition_number;
  return series;
}

}  // namespace

std::vector<SeriesInfo> group_series(const std::vector<FileHeader>& headers, std::span<const InputFile> files) {
  // Frames of every image file, by SeriesInstanceUID in order of first appearance.
  std::vector<std::string> uids;
  std::map<std::string, std::vector<FrameRef>> by_uid;
  for (const FileHeader& header : headers) {
    if (header.kind != FileKind::image) continue;
    if (!by_uid.count(header.series_instance_uid)) uids.push_back(header.series_instance_uid);
    for (const FrameHeader& frame : header.frames) by_uid[header.series_instance_uid].push_back({&header, &frame});
  }

  std::vector<SeriesInfo> result;
  for (const std::string& uid : uids) {
    const std::string base_id = uid.empty() ? "(no SeriesInstanceUID)" : uid;

    // Geometry clusters in order of first appearance.
    std::vector<std::vector<FrameRef>> clusters;
    for (const FrameRef& frame : by_uid[uid]) {
      auto cluster = std::find_if(clusters.begin(), clusters.end(),
                                  [&](const auto& c) { return same_geometry(c.front(), frame); });
      if (cluster == clusters.end()) clusters.push_back({frame});
      else cluster->push_back(frame);
    }

    for (std::size_t c = 0; c < clusters.size(); ++c) {
      Diagnostics findings;
      if (clusters.size() > 1)
        findings.push_back(Diagnostic{
            DiagnosticCode::inconsistent_geometry_split, Severity::warning, "",
            "series " + base_id + " mixes " + std::to_string(clusters.size()) +
                " orientations, matrices or pixel spacings; this volume is geometry group " + std::to_string(c + 1)});

      const std::vector<FrameRef> unique = drop_identical(clusters[c], files, findings);
      const auto parts = split_acquisitions(unique);

      for (std::size_t p = 0; p < parts.size(); ++p) {
        std::string id = base_id;
        if (clusters.size() > 1) id += "/geometry-" + std::to_string(c + 1);
        if (parts.size() > 1) id += "/acquisition-" + std::to_string(p + 1);

        SeriesInfo series = make_series(parts[p], id);
        series.diagnostics = findings;
        if (parts.size() > 1)
          series.diagnostics.push_back(Diagnostic{
              DiagnosticCode::acquisitions_split, Severity::warning, "",
              std::to_string(parts.size()) + " acquisitions share slice positions; they were split into separate "
              "volumes and this is acquisition " + std::to_string(p + 1) + " (AcquisitionNumber " +
                  std::to_string(parts[p].front().file->acquisition_number) + ")"});
        lay_out_slices(parts[p], series);
        summarise_pixels(parts[p], series);
        result.push_back(std::move(series));
      }
    }
  }

  std::stable_sort(result.begin(), result.end(), [](const SeriesInfo& a, const SeriesInfo& b) {
    return a.slices.size() > b.slices.size();
  });
  return result;
}

}  // namespace lunglens
