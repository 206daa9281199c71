#include "dicom/series_loader.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <new>
#include <set>
#include <string>

#include "dicom/gdcm_setup.h"
#include "dicom/hu_conversion.h"
#include "dicom/pixel_decoder.h"
#include "dicom/rescale_outliers.h"
#include "parallel/parallel_for.h"

namespace lunglens {

namespace {

// All frames of one file that belong to the series: the file is decoded once
// and each frame copied to its own grid slice.
struct FileWork {
  std::size_t file_index = 0;
  std::vector<std::pair<int, std::int64_t>> frames;  // (frame index, grid slice k)
};

std::vector<FileWork> plan_work(const SeriesInfo& series) {
  std::vector<FileWork> work;
  std::map<std::size_t, std::size_t> position;
  for (const SeriesSlice& slice : series.slices) {
    auto [it, inserted] = position.try_emplace(slice.file_index, work.size());
    if (inserted) work.push_back({slice.file_index, {}});
    work[it->second].frames.emplace_back(slice.frame_index, slice.grid_index);
  }
  return work;
}

HuMapping mapping_for(const FileHeader& header, const FrameHeader& frame) {
  HuMapping mapping;
  mapping.slope = frame.rescale_slope;
  mapping.intercept = frame.rescale_intercept;
  if (header.pixel_padding_value) {
    mapping.padding_low = *header.pixel_padding_value;
    mapping.padding_high = header.pixel_padding_range_limit.value_or(*header.pixel_padding_value);
  }
  return mapping;
}

std::string megabytes(std::int64_t bytes) {
  return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

enum class DecodeOutcome { done, cancelled, out_of_int16 };

class SeriesDecoder {
 public:
  SeriesDecoder(const ScanResult& scan, const SeriesInfo& series, std::span<const InputFile> files,
                const LoadOptions& options)
      : scan_(scan), series_(series), files_(files), options_(options), work_(plan_work(series)) {}

  // Decodes every slice into `volume` (already sized for voxel_type).
  DecodeOutcome run(HuVolume& volume, Diagnostics& diagnostics) {
    const std::int64_t slice_voxels = volume.geometry.size[0] * volume.geometry.size[1];
    for (const std::int64_t k : series_.missing_grid_indices) fill_padding(volume, k, slice_voxels);

    const int total_slices = static_cast<int>(series_.slices.size());
    int done_slices = 0;
    std::atomic<bool> out_of_int16{false};
    std::vector<std::optional<Diagnostic>> errors(work_.size());

    // Batches of a few files per thread: decoding runs on the workers, while
    // progress and cancellation stay on the calling thread between batches.
    const std::int64_t batch = std::max(1, thread_count()) * 2;
    for (std::int64_t begin = 0; begin < static_cast<std::int64_t>(work_.size()); begin += batch) {
      const std::int64_t end = std::min<std::int64_t>(begin + batch, work_.size());
      parallel_for(begin, end, [&](std::int64_t first, std::int64_t last) {
        DecodedPixels pixels;
        for (std::int64_t w = first; w < last; ++w)
          decode_file(work_[w], volume, slice_voxels, pixels, errors[w], out_of_int16);
      });

      for (std::int64_t w = begin; w < end; ++w) {
        if (errors[w]) diagnostics.push_back(*errors[w]);
        for (std::size_t f = 0; f < work_[w].frames.size(); ++f) {
          ++done_slices;
          if (options_.progress && !options_.progress(done_slices, total_slices)) return DecodeOutcome::cancelled;
        }
      }
      if (out_of_int16) return DecodeOutcome::out_of_int16;
    }
    return DecodeOutcome::done;
  }

 private:
  static void fill_padding(HuVolume& volume, std::int64_t k, std::int64_t slice_voxels) {
    const std::int64_t offset = k * slice_voxels;
    if (volume.voxel_type == VoxelType::int16)
      std::fill_n(volume.int16_hu.begin() + offset, slice_voxels, kPaddingHu);
    else
      std::fill_n(volume.float32_hu.begin() + offset, slice_voxels, static_cast<float>(kPaddingHu));
    std::fill_n(volume.padding_mask.begin() + offset, slice_voxels, std::uint8_t{1});
  }

  void decode_file(const FileWork& work, HuVolume& volume, std::int64_t slice_voxels, DecodedPixels& pixels,
                   std::optional<Diagnostic>& error, std::atomic<bool>& out_of_int16) const {
    const FileHeader& header = scan_.headers[work.file_index];
    error = decode_pixels(files_[work.file_index], header, pixels);
    if (!error && pixels.frame_samples != slice_voxels)
      error = Diagnostic{DiagnosticCode::pixel_data_size_mismatch, Severity::error, header.file_name,
                         "decoded frame has " + std::to_string(pixels.frame_samples) + " pixels, the volume slice " +
                             std::to_string(slice_voxels)};

    for (const auto& [frame_index, k] : work.frames) {
      if (error || frame_index >= pixels.frames) {
        if (!error)
          error = Diagnostic{DiagnosticCode::pixel_data_size_mismatch, Severity::error, header.file_name,
                             "frame " + std::to_string(frame_index + 1) + " is missing from the decoded Pixel Data"};
        fill_padding(volume, k, slice_voxels);
        continue;
      }
      const HuMapping mapping = mapping_for(header, header.frames[frame_index]);
      const std::int64_t offset = k * slice_voxels;
      std::uint8_t* mask = volume.padding_mask.data() + offset;
      if (volume.voxel_type == VoxelType::int16) {
        if (!convert_frame_to_int16(pixels, frame_index, mapping, volume.int16_hu.data() + offset, mask))
          out_of_int16 = true;
      } else {
        convert_frame_to_float32(pixels, frame_index, mapping, volume.float32_hu.data() + offset, mask);
      }
    }
    if (error) error->message += "; its slice(s) are filled with -1024 HU and flagged as padding";
  }

  const ScanResult& scan_;
  const SeriesInfo& series_;
  std::span<const InputFile> files_;
  const LoadOptions& options_;
  std::vector<FileWork> work_;
};

void allocate(HuVolume& volume, const Geometry& geometry, VoxelType type) {
  volume = HuVolume{};
  volume.geometry = geometry;
  volume.voxel_type = type;
  const auto voxels = static_cast<std::size_t>(geometry.voxel_count());
  if (type == VoxelType::int16) volume.int16_hu.assign(voxels, 0);
  else volume.float32_hu.assign(voxels, 0.0f);
  volume.padding_mask.assign(voxels, 0);
}

}  // namespace

LoadResult load_series(const ScanResult& scan, std::size_t series_index, std::span<const InputFile> files,
                       const LoadOptions& options) {
  LoadResult result;
  if (series_index >= scan.series.size()) {
    result.diagnostics.push_back(Diagnostic{DiagnosticCode::invalid_argument, Severity::error, "",
                                            "series index " + std::to_string(series_index) + " is out of range (the scan found " +
                                                std::to_string(scan.series.size()) + " series)"});
    return result;
  }
  if (files.size() != scan.headers.size()) {
    result.diagnostics.push_back(Diagnostic{DiagnosticCode::invalid_argument, Severity::error, "",
                                            "load_series received " + std::to_string(files.size()) +
                                                " files but the scan read " + std::to_string(scan.headers.size()) +
                                                "; pass the same file list"});
    return result;
  }

  const SeriesInfo& series = scan.series[series_index];
  result.diagnostics = series.diagnostics;
  ensure_gdcm_initialised();

  // Estimated before allocating: voxels (int16 or float32) plus the padding mask.
  if (options.max_bytes > 0 && series.estimated_bytes > options.max_bytes) {
    result.diagnostics.push_back(Diagnostic{
        DiagnosticCode::too_large, Severity::error, "",
        "series " + series.id + " needs " + std::to_string(series.estimated_bytes) + " bytes (" +
            megabytes(series.estimated_bytes) + ") for " + std::to_string(series.geometry.voxel_count()) +
            " voxels and their padding mask; the limit is " + std::to_string(options.max_bytes) + " bytes"});
    return result;
  }

  try {
    SeriesDecoder decoder(scan, series, files, options);
    VoxelType type = series.integer_rescale ? VoxelType::int16 : VoxelType::float32;
    while (true) {
      allocate(result.volume, series.geometry, type);
      Diagnostics decode_findings;
      const DecodeOutcome outcome = decoder.run(result.volume, decode_findings);
      if (outcome == DecodeOutcome::cancelled) {
        result.volume = HuVolume{};
        result.diagnostics.insert(result.diagnostics.end(), decode_findings.begin(), decode_findings.end());
        result.diagnostics.push_back(
            Diagnostic{DiagnosticCode::cancelled, Severity::warning, "", "loading cancelled by the caller"});
        return result;
      }
      if (outcome == DecodeOutcome::out_of_int16) {
        // NOTE: the estimate assumed int16; float32 needs twice the voxel bytes.
        // Progress restarts from zero for the second pass.
        type = VoxelType::float32;
        result.diagnostics.push_back(Diagnostic{DiagnosticCode::lossy_rescale, Severity::info, "",
                                                "HU values outside the int16 range: stored as float32"});
        continue;
      }
      result.diagnostics.insert(result.diagnostics.end(), decode_findings.begin(), decode_findings.end());

      // A volume made only of padding would pass for data; refuse it.
      std::set<std::string> failed_files;
      for (const auto& finding : decode_findings)
        if (finding.severity == Severity::error && !finding.file.empty()) failed_files.insert(finding.file);
      std::set<std::string> series_files;
      for (const auto& slice : series.slices) series_files.insert(std::string(files[slice.file_index].name));
      if (!series_files.empty() && failed_files.size() >= series_files.size() &&
          std::includes(failed_files.begin(), failed_files.end(), series_files.begin(), series_files.end())) {
        result.volume = HuVolume{};
        result.diagnostics.push_back(Diagnostic{
            DiagnosticCode::decode_failed, Severity::error, "",
            "no slice of series " + series.id + " could be decoded (" + std::to_string(series_files.size()) +
                " files, each listed above with its error)"});
        return result;
      }

      // A file with a wrong rescale pair: its slice is dropped like one that failed to decode.
      const Diagnostics outliers = reject_rescale_outliers(scan, series, files, result.volume);
      result.diagnostics.insert(result.diagnostics.end(), outliers.begin(), outliers.end());
      break;
    }
  } catch (const std::bad_alloc&) {
    result.volume = HuVolume{};
    result.diagnostics.push_back(Diagnostic{DiagnosticCode::too_large, Severity::error, "",
                                            "out of memory allocating " + std::to_string(series.estimated_bytes) +
                                                " bytes for series " + series.id});
    return result;
  } catch (const std::exception& error) {
    result.volume = HuVolume{};
    result.diagnostics.push_back(Diagnostic{DiagnosticCode::internal_error, Severity::error, "",
                                            std::string("loading failed: ") + error.what()});
    return result;
  }

  // The mask stays when the series declares padding or a voxel is flagged.
  const bool any_flagged = std::any_of(result.volume.padding_mask.begin(), result.volume.padding_mask.end(),
                                       [](std::uint8_t m) { return m != 0; });
  if (!series.has_padding_value && !any_flagged) {
    result.volume.padding_mask.clear();
    result.volume.padding_mask.shrink_to_fit();
  }
  if (series.has_padding_value && !any_flagged)
    result.diagnostics.push_back(Diagnostic{
        DiagnosticCode::pixel_padding, Severity::warning, "",
        "PixelPaddingValue is declared but no decoded voxel stores it, so nothing is flagged as padding: the "
        "area outside the scan field keeps its stored value as HU"});
  result.ok = true;
  return result;
}

}  // namespace lunglens
