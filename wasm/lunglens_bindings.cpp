// Embind bindings of the lunglens core. Conversions and buffer ownership
// only; all logic lives in core/.
//
// Buffer ownership across the JavaScript/WebAssembly boundary:
// - Session.addFile(name, bytes) COPIES the Uint8Array into the WebAssembly
//   heap; the Session owns the copy until clearFiles() or delete(). The caller
//   may drop or reuse its array as soon as addFile returns.
// - Session.voxels(), paddingMask(), lungLabels() and lesionLabels() return
//   typed-array VIEWS into memory the Session owns (no copy). A view is valid
//   until the next call to loadSeries(), analyze(), freeVolume(), clearFiles()
//   or delete(), and until the heap
//   grows (any call that allocates may grow it; the view then reads as
//   length 0). Copy the data (view.slice()) to keep it, or ask for a new view.
// - Session.neuralInput(k0, k1) returns a NEW Float32Array (a copy) that
//   the caller owns. Session.setNeuralOutput(k0, lung, lesion) COPIES the
//   two Float32Arrays into the Session. neuralLungLabels() and
//   neuralLesionLabels() are VIEWS with the same rules as lungLabels().
// - Everything else is returned as JavaScript values (copies), including the
//   Uint8Arrays of keyImages() and masksNifti().
// - A Session must be released with session.delete(); Embind objects are not
//   garbage collected.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dicom/dicom_json.h"
#include "dicom/series_loader.h"
#include "dicom/series_scan.h"
#include "dicom/series_writer.h"
#include "parallel/parallel_for.h"
#include "phantom/chest_phantom.h"
#include "pipeline/analysis.h"
#include "report/mask_export.h"
#include "pipeline/neural_analysis.h"
#include "segment/neural_input.h"

namespace lunglens::wasm {

// Returns the series summary of a generated phantom volume.
SeriesSummary phantom_series(const HuVolume& volume, const std::string& description) {
  const Geometry& g = volume.geometry;
  SeriesSummary series;
  series.description = description;
  series.slice_count = g.size[2];
  series.columns = g.size[0];
  series.rows = g.size[1];
  series.spacing_mm = g.spacing_mm;
  series.slice_step_mm = g.spacing_mm[2];
  return series;
}
namespace {

using emscripten::val;

val to_js(const Vec3& v) {
  val array = val::array();
  for (double x : v) array.call<void>("push", x);
  return array;
}

val to_js(const Diagnostic& diagnostic) {
  val object = val::object();
  object.set("code", std::string(code_name(diagnostic.code)));
  object.set("severity", std::string(severity_name(diagnostic.severity)));
  object.set("file", diagnostic.file);
  object.set("message", diagnostic.message);
  return object;
}

val to_js(const Diagnostics& diagnostics) {
  val array = val::array();
  for (const auto& diagnostic : diagnostics) array.call<void>("push", to_js(diagnostic));
  return array;
}

val to_js(const Geometry& geometry) {
  val object = val::object();
  val size = val::array();
  for (auto n : geometry.size) size.call<void>("push", static_cast<double>(n));
  object.set("size", size);
  object.set("spacingMm", to_js(geometry.spacing_mm));
  object.set("originMm", to_js(geometry.origin_mm));
  val axes = val::array();
  for (const auto& axis : geometry.axes) axes.call<void>("push", to_js(axis));
  object.set("axes", axes);
  object.set("voxelVolumeMm3", geometry.voxel_volume_mm3());
  return object;
}

val to_js(const SeriesInfo& series, std::size_t index) {
  val object = val::object();
  object.set("index", static_cast<double>(index));
  object.set("id", series.id);
  object.set("seriesInstanceUid", series.series_instance_uid);
  object.set("studyInstanceUid", series.study_instance_uid);
  object.set("description", series.description);
  object.set("modality", series.modality);
  object.set("seriesNumber", series.series_number);
  object.set("slices", static_cast<double>(series.slices.size()));
  object.set("geometry", to_js(series.geometry));
  object.set("sliceStepMm", series.slice_step_mm);
  object.set("uniformStep", series.uniform_step);
  object.set("gantryTilt", series.gantry_tilt);
  object.set("gantryTiltDegrees", series.gantry_tilt_degrees);
  object.set("estimatedBytes", static_cast<double>(series.estimated_bytes));
  object.set("warnings", to_js(series.diagnostics));
  return object;
}

// Estimates the bytes that can still be allocated: the maximum heap size less
// what the allocator has handed out, less a reserve for decoder buffers and
// fragmentation. An estimate, so load_series refuses early rather than abort
// on an out-of-memory error half way through decoding.
std::int64_t heap_bytes_available() {
  const std::int64_t reserve = 64 * 1024 * 1024;
  const std::int64_t maximum = static_cast<std::int64_t>(emscripten_get_heap_max());
  const std::int64_t allocated = static_cast<std::int64_t>(mallinfo().uordblks);
  return std::max<std::int64_t>(1, maximum - allocated - reserve);
}

}  // namespace

class Session {
 public:
  // Copies `bytes` (a Uint8Array) into the heap. Returns the file's index.
  int addFile(const std::string& name, const val& bytes) {
    if (!bytes.instanceof(val::global("Uint8Array")))
      val::global("TypeError").new_(std::string("addFile(" + name + "): bytes must be a Uint8Array")).throw_();
    const std::size_t length = bytes["length"].as<std::size_t>();
    auto storage = std::make_unique<std::vector<std::uint8_t>>(length);
    val heap_view(emscripten::typed_memory_view(length, storage->data()));
    heap_view.call<void>("set", bytes);
    names_.push_back(name);
    storage_.push_back(std::move(storage));
    scan_.reset();
    return static_cast<int>(names_.size() - 1);
  }

  int fileCount() const { return static_cast<int>(names_.size()); }

  // Generates the synthetic chest phantom (default PhantomOptions) and adds
  // it as a DICOM CT series, files "sample/slice-NNNN.dcm", so the sample
  // takes the same path as real files. Returns the number of files added.
  int addSample() {
    const Phantom phantom = generate_chest_phantom(PhantomOptions{});
    SeriesWriterOptions options;
    options.uid_root = random_uid_root();
    std::vector<WrittenFile> written = write_ct_series(phantom.volume, options);
    for (auto& file : written) {
      names_.push_back("sample/" + file.name);
      storage_.push_back(std::make_unique<std::vector<std::uint8_t>>(std::move(file.bytes)));
    }
    scan_.reset();
    return static_cast<int>(written.size());
  }

  // Scans all added files; returns {series: [...], diagnostics: [...]}.
  val scan() {
    scan_ = std::make_unique<ScanResult>(scan_files(input_files()));
    val result = val::object();
    val series = val::array();
    for (std::size_t s = 0; s < scan_->series.size(); ++s) series.call<void>("push", to_js(scan_->series[s], s));
    result.set("series", series);
    result.set("diagnostics", to_js(scan_->diagnostics));
    return result;
  }

  // Decodes series `index` of the last scan. `progress` may be undefined or a
  // function (done, total) returning false to cancel. Returns {ok, diagnostics}.
  val loadSeries(const val& index_value, const val& progress) {
    const int index = checked_index(index_value, "loadSeries");
    volume_.reset();
    segmentation_.reset();
    key_images_.clear();
    reset_neural();
    val result = val::object();
    if (!scan_) scan();
    if (index < 0 || static_cast<std::size_t>(index) >= scan_->series.size()) {
      result.set("ok", false);
      Diagnostics diagnostics{{DiagnosticCode::invalid_argument, Severity::error, "",
                               "series index " + std::to_string(index) + " is out of range (" +
                                   std::to_string(scan_->series.size()) + " series found)"}};
      result.set("diagnostics", to_js(diagnostics));
      return result;
    }

    LoadOptions options;
    options.max_bytes = heap_bytes_available();
    if (progress.typeOf().as<std::string>() == "function") {
      options.progress = [&progress](int done, int total) {
        const val answer = progress(done, total);
        return !(answer.typeOf().as<std::string>() == "boolean" && !answer.as<bool>());
      };
    }

    LoadResult loaded = load_series(*scan_, static_cast<std::size_t>(index), input_files(), options);
    result.set("ok", loaded.ok);
    result.set("diagnostics", to_js(loaded.diagnostics));
    if (loaded.ok) volume_ = std::make_unique<HuVolume>(std::move(loaded.volume));
    return result;
  }

  // Runs the whole analysis (decode, segment, quantify, report) of series
  // `index`, or of the chest CT the core picks when index is -1.
  // `generatedAt` is the RFC 3339 time for the report. `progress` may be
  // undefined or a function (stage, done, total) returning false to cancel.
  // Returns {ok, seriesIndex, reportJson, reportHtml, diagnostics, timings}.
  // Afterwards voxels(), lungLabels() and lesionLabels() view the results.
  val analyze(const val& index_value, const std::string& generated_at, const val& progress) {
    const int index = checked_index(index_value, "analyze");
    volume_.reset();
    segmentation_.reset();
    key_images_.clear();
    reset_neural();
    AnalysisOptions options = analysis_options(generated_at, progress);
    if (index >= 0) options.series_index = static_cast<std::size_t>(index);
    return keep_result(analyze_files(input_files(), options));
  }

  // Runs segmentation, quantification and the report on the built-in
  // synthetic chest phantom (default PhantomOptions), without the DICOM
  // files. Takes and returns the same as analyze(); seriesIndex is 0.
  val analyzeSample(const std::string& generated_at, const val& progress) {
    volume_.reset();
    segmentation_.reset();
    key_images_.clear();
    reset_neural();
    const AnalysisOptions options = analysis_options(generated_at, progress);
    AnalysisResult analysis;
    analysis.volume = generate_chest_phantom(PhantomOptions{}).volume;
    analyze_volume(analysis, phantom_series(analysis.volume, "lunglens synthetic chest phantom"), options);
    return keep_result(std::move(analysis));
  }

  // Key images of the last analysis: [{name, caption, width, height, png}],
  // png a copied Uint8Array holding the PNG file.
  val keyImages() const {
    val images = val::array();
    for (const KeyImage& image : key_images_) {
      val object = val::object();
      object.set("name", image.name);
      object.set("caption", image.caption);
      object.set("width", image.image.width);
      object.set("height", image.image.height);
      object.set("png", copy_to_js(image.png));
      images.call<void>("push", object);
    }
    return images;
  }

  // masks.nii of the last analysis (labels in report/mask_export.h) as a
  // copied Uint8Array, or null when no lung was found.
  val masksNifti() const {
    if (!segmentation_) return val::null();
    const NiftiFile nifti = write_mask_nifti(*segmentation_);
    if (!nifti.ok) {
      const std::string reason = nifti.diagnostics.empty() ? "unknown fault" : nifti.diagnostics.front().message;
      val::global("Error").new_(std::string("masksNifti: ") + reason).throw_();
    }
    return copy_to_js(nifti.bytes);
  }

  // Zero-copy Uint8Array views of the last analysis' labels (LungLabel and
  // LesionLabel values, same grid as voxels()), or null.
  val lungLabels() const {
    if (!segmentation_) return val::null();
    return val(emscripten::typed_memory_view(segmentation_->lungs.size(), segmentation_->lungs.data()));
  }

  val lesionLabels() const {
    if (!segmentation_ || segmentation_->lesions.empty()) return val::null();
    return val(emscripten::typed_memory_view(segmentation_->lesions.size(), segmentation_->lesions.data()));
  }

  // Model input of slices [k0, k1) of the loaded volume: a new Float32Array
  // of (k1 - k0) x 256 x 256 values for a [k1 - k0, 1, 256, 256] tensor.
  // Throws a JavaScript Error naming the fault for a bad range or no volume.
  val neuralInput(int first_slice, int end_slice) const {
    if (!volume_) val::global("Error").new_(std::string("neuralInput: no volume is loaded")).throw_();
    const NeuralInputBatch batch = neural_input_batch(*volume_, first_slice, end_slice);
    if (batch.values.empty()) val::global("Error").new_(batch.diagnostics.front().message).throw_();
    return val(emscripten::typed_memory_view(batch.values.size(), batch.values.data())).call<val>("slice");
  }

  // Copies the lung and lesion model outputs (Float32Arrays of probabilities
  // of the same layout as neuralInput) of slices starting at k0.
  void setNeuralOutput(int first_slice, const val& lung, const val& lesion) {
    if (!volume_) val::global("Error").new_(std::string("setNeuralOutput: no volume is loaded")).throw_();
    const std::size_t total = static_cast<std::size_t>(volume_->geometry.size[2] * kNeuralGridPixels);
    const std::size_t length = lung["length"].as<std::size_t>();
    const std::size_t offset = static_cast<std::size_t>(std::max(first_slice, 0)) * kNeuralGridPixels;
    if (first_slice < 0 || length != lesion["length"].as<std::size_t>() || length % kNeuralGridPixels != 0 ||
        offset + length > total)
      val::global("Error").new_("setNeuralOutput: lung and lesion must hold the same whole number of 256 x 256 slices, from slice " + std::to_string(first_slice) + " within the " + std::to_string(volume_->geometry.size[2]) + " slices of the volume").throw_();
    neural_lung_.resize(total, 0.0f);
    neural_lesion_.resize(total, 0.0f);
    val(emscripten::typed_memory_view(length, neural_lung_.data() + offset)).call<void>("set", lung);
    val(emscripten::typed_memory_view(length, neural_lesion_.data() + offset)).call<void>("set", lesion);
  }

  // Builds the neural masks from the outputs set so far, quantifies them and
  // rewrites the reports of the last analyze() with the neural part added.
  // Releases the outputs afterwards, so the next run sets them again.
  // Returns {ok, lungsFound, reportJson, reportHtml, diagnostics}.
  val finishNeural() {
    val result = val::object();
    if (!volume_ || !report_input_) val::global("Error").new_(std::string("finishNeural: run analyze() first")).throw_();
    NeuralAnalysis neural = analyze_neural_output(*volume_, neural_lung_, neural_lesion_);
    const ReportPair reports = write_reports_with_neural(*report_input_, neural);
    result.set("ok", neural.quantification.ok && reports.json.ok && reports.html.ok);
    result.set("lungsFound", neural.segmentation.lungs_found);
    result.set("reportJson", reports.json.text);
    result.set("reportHtml", reports.html.text);
    result.set("diagnostics", to_js(neural.diagnostics));
    neural_segmentation_ = std::make_unique<LungSegmentation>(std::move(neural.segmentation));
    neural_lung_ = {};
    neural_lesion_ = {};
    return result;
  }

  val neuralLungLabels() const {
    if (!neural_segmentation_ || neural_segmentation_->lungs.empty()) return val::null();
    return val(emscripten::typed_memory_view(neural_segmentation_->lungs.size(), neural_segmentation_->lungs.data()));
  }

  val neuralLesionLabels() const {
    if (!neural_segmentation_ || neural_segmentation_->lesions.empty()) return val::null();
    return val(emscripten::typed_memory_view(neural_segmentation_->lesions.size(), neural_segmentation_->lesions.data()));
  }

  bool hasVolume() const { return volume_ != nullptr; }

  val geometry() const { return volume_ ? to_js(volume_->geometry) : val::null(); }

  // "int16" or "float32": the type of the array voxels() returns.
  std::string voxelType() const {
    if (!volume_) return "";
    return volume_->voxel_type == VoxelType::int16 ? "int16" : "float32";
  }

  // Zero-copy view (Int16Array or Float32Array) of the HU voxels, index
  // i + nx * (j + ny * k). See the ownership rules at the top of this file.
  val voxels() const {
    if (!volume_) return val::null();
    if (volume_->voxel_type == VoxelType::int16)
      return val(emscripten::typed_memory_view(volume_->int16_hu.size(), volume_->int16_hu.data()));
    return val(emscripten::typed_memory_view(volume_->float32_hu.size(), volume_->float32_hu.data()));
  }

  // Zero-copy Uint8Array view of the padding mask (1 = padded), or null when
  // the series declares no padding.
  val paddingMask() const {
    if (!volume_ || volume_->padding_mask.empty()) return val::null();
    return val(emscripten::typed_memory_view(volume_->padding_mask.size(), volume_->padding_mask.data()));
  }

  // DICOM JSON (PS3.18 F.2) of the files of series `index`, as a string.
  std::string metadataJson(const val& index_value) {
    const int index = checked_index(index_value, "metadataJson");
    if (!scan_) scan();
    if (index < 0 || static_cast<std::size_t>(index) >= scan_->series.size()) return "[]";
    return series_metadata_json(*scan_, static_cast<std::size_t>(index), input_files());
  }

  void freeVolume() {
    volume_.reset();
    segmentation_.reset();
    key_images_.clear();
    reset_neural();
  }

  void clearFiles() {
    volume_.reset();
    segmentation_.reset();
    key_images_.clear();
    reset_neural();
    scan_.reset();
    storage_.clear();
    names_.clear();
  }

 private:
  // Returns `value` as an int; throws a JavaScript TypeError unless it is an
  // integer Number between -1 and 2^31 - 1 (-1 lets the core choose).
  static int checked_index(const val& value, const char* function) {
    const bool is_integer = value.typeOf().as<std::string>() == "number" &&
                            val::global("Number").call<bool>("isInteger", value);
    const double number = is_integer ? value.as<double>() : 0.0;
    if (!is_integer || number < -1.0 || number > 2147483647.0)
      val::global("TypeError").new_(std::string(function) + ": the series index must be an integer of -1 or more").throw_();
    return static_cast<int>(number);
  }

  // Returns a random UID root "2.25.<35 digits>" (40 characters, a UUID-style
  // OID). The writer derives every UID from it, because GDCM's own UID
  // generator reads /dev/urandom, which this build has no file system for.
  // std::random_device reads crypto.getRandomValues here.
  static std::string random_uid_root() {
    std::random_device device;
    std::uniform_int_distribution<int> digit(0, 9);
    std::string root = "2.25." + std::to_string(1 + digit(device) % 9);
    while (root.size() < 40) root += static_cast<char>('0' + digit(device));
    return root;
  }

  AnalysisOptions analysis_options(const std::string& generated_at, const val& progress) const {
    AnalysisOptions options;
    options.generated_at = generated_at;
    options.max_bytes = heap_bytes_available();
    if (progress.typeOf().as<std::string>() == "function") {
      options.progress = [progress](AnalysisStage stage, int done, int total) {
        const val answer = progress(std::string(stage_name(stage)), done, total);
        return !(answer.typeOf().as<std::string>() == "boolean" && !answer.as<bool>());
      };
    }
    return options;
  }

  // Returns {ok, seriesIndex, reportJson, reportHtml, diagnostics, timings}
  // and keeps the volume, labels and key images for the view methods.
  val keep_result(AnalysisResult analysis) {
    val result = val::object();
    result.set("ok", analysis.ok);
    result.set("seriesIndex", static_cast<double>(analysis.series_index));
    result.set("reportJson", analysis.report_json);
    result.set("reportHtml", analysis.report_html);
    result.set("diagnostics", to_js(analysis.diagnostics));
    val timings = val::object();
    for (const auto& timing : analysis.timings) timings.set(std::string(stage_name(timing.stage)), timing.seconds);
    result.set("timings", timings);

    if (analysis.volume.voxel_count() > 0) volume_ = std::make_unique<HuVolume>(std::move(analysis.volume));
    if (analysis.segmentation.lungs_found)
      segmentation_ = std::make_unique<LungSegmentation>(std::move(analysis.segmentation));
    key_images_ = std::move(analysis.key_images);
    report_input_ = std::make_unique<ReportInput>(std::move(analysis.report_input));
    return result;
  }

  static val copy_to_js(const std::vector<std::uint8_t>& bytes) {
    return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
  }

  void reset_neural() {
    report_input_.reset();
    neural_segmentation_.reset();
    neural_lung_ = {};
    neural_lesion_ = {};
  }

  std::vector<InputFile> input_files() const {
    std::vector<InputFile> files;
    files.reserve(names_.size());
    for (std::size_t f = 0; f < names_.size(); ++f)
      files.push_back({names_[f], std::span<const std::uint8_t>(storage_[f]->data(), storage_[f]->size())});
    return files;
  }

  std::vector<std::string> names_;
  std::vector<std::unique_ptr<std::vector<std::uint8_t>>> storage_;
  std::unique_ptr<ScanResult> scan_;
  std::unique_ptr<HuVolume> volume_;
  std::unique_ptr<LungSegmentation> segmentation_;
  std::vector<KeyImage> key_images_;
  std::unique_ptr<ReportInput> report_input_;
  std::unique_ptr<LungSegmentation> neural_segmentation_;
  std::vector<float> neural_lung_;
  std::vector<float> neural_lesion_;
};

std::string version() { return LUNGLENS_VERSION; }

// Runs the whole analysis once on a small synthetic phantom (128 x 128
// pixels of 3 mm, 60 slices of 5 mm, about 1 M voxels) and returns the
// seconds it took. It keeps no state. V8 (Chrome, Node) first runs
// WebAssembly from its baseline compiler and moves a function to optimised
// code only for its next call, so a long loop entered once keeps the slow
// code to its end. Run once right after loading, while the user picks files,
// it makes the analysis functions hot, so the first real analysis runs on
// optimised code. DICOM decoding is not exercised.
double warmUp() {
  const auto start = std::chrono::steady_clock::now();
  PhantomOptions phantom;
  phantom.matrix = 128;
  phantom.pixel_spacing_mm = 3.0;
  phantom.slice_thickness_mm = 5.0;
  AnalysisResult analysis;
  analysis.volume = generate_chest_phantom(phantom).volume;
  AnalysisOptions options;
  options.generated_at = "2000-01-01T00:00:00Z";
  analyze_volume(analysis, phantom_series(analysis.volume, "lunglens warm-up phantom"), options);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool hasThreads() {
#if defined(__EMSCRIPTEN_PTHREADS__)
  return true;
#else
  return false;
#endif
}

}  // namespace lunglens::wasm

EMSCRIPTEN_BINDINGS(lunglens) {
  using namespace lunglens::wasm;
  emscripten::function("version", &version);
  emscripten::function("hasThreads", &hasThreads);
  emscripten::function("warmUp", &warmUp);
  emscripten::function("threadCount", &lunglens::thread_count);
  emscripten::function("setThreadCount", &lunglens::set_thread_count);
  emscripten::class_<Session>("Session")
      .constructor<>()
      .function("addFile", &Session::addFile)
      .function("fileCount", &Session::fileCount)
      .function("addSample", &Session::addSample)
      .function("scan", &Session::scan)
      .function("loadSeries", &Session::loadSeries)
      .function("analyze", &Session::analyze)
      .function("analyzeSample", &Session::analyzeSample)
      .function("lungLabels", &Session::lungLabels)
      .function("lesionLabels", &Session::lesionLabels)
      .function("keyImages", &Session::keyImages)
      .function("masksNifti", &Session::masksNifti)
      .function("neuralInput", &Session::neuralInput)
      .function("setNeuralOutput", &Session::setNeuralOutput)
      .function("finishNeural", &Session::finishNeural)
      .function("neuralLungLabels", &Session::neuralLungLabels)
      .function("neuralLesionLabels", &Session::neuralLesionLabels)
      .function("hasVolume", &Session::hasVolume)
      .function("geometry", &Session::geometry)
      .function("voxelType", &Session::voxelType)
      .function("voxels", &Session::voxels)
      .function("paddingMask", &Session::paddingMask)
      .function("metadataJson", &Session::metadataJson)
      .function("freeVolume", &Session::freeVolume)
      .function("clearFiles", &Session::clearFiles);
}
