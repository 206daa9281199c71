#include "segment/hu_check.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <vector>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// Air: voxels below -800 HU. Lungs alone give far more than 0.5 % of a chest
// slice, and air around the body or in the bowel does the same below it.
constexpr int kAirMaxHu = -800;
constexpr double kMinAirFraction = 0.005;

// Soft-tissue peak: the most common value between -300 and +1700 HU (20 HU
// bins) must lie in -200..+200 HU (fat, muscle, blood, organs).
constexpr int kPeakLowHu = -300;
constexpr int kPeakBinHu = 20;
constexpr int kPeakBins = 100;
constexpr int kPeakMinHu = -200;
constexpr int kPeakMaxHu = 200;

constexpr int kOutsideFovHu = -1200;

// Stored values 0..kValues-1 are int16 HU plus kOffset; slot kValues counts padding.
constexpr std::int64_t kValues = 65536, kOffset = 32768;

// Tallies kept side by side, so that runs of equal values (air, padding)
// increment different counters instead of waiting on the same one.
constexpr std::int64_t kTallies = 4;

// Adds the voxels [first, last) to the kTallies tallies at `tally` (each
// kValues + 1 counts): one count per stored value, and padding in slot
// kValues. It is not inlined, and callers call it once per 1 Mi voxels,
// because a WebAssembly engine moves to optimised code only at the next call
// of a function. One long call would run on baseline code throughout the
// first analysis after loading.
[[gnu::noinline]] void tally_values(const std::uint8_t* padding, const std::int16_t* hu, std::int64_t first,
                                    std::int64_t last, std::uint32_t* tally) {
  const auto slot = [&](std::int64_t v) { return padding[v] ? kValues : hu[v] + kOffset; };
  std::uint32_t* const tally0 = tally;
  std::uint32_t* const tally1 = tally + (kValues + 1);
  std::uint32_t* const tally2 = tally + 2 * (kValues + 1);
  std::uint32_t* const tally3 = tally + 3 * (kValues + 1);
  std::int64_t v = first;
  for (; v + kTallies <= last; v += kTallies) {
    ++tally0[slot(v)];
    ++tally1[slot(v + 1)];
    ++tally2[slot(v + 2)];
    ++tally3[slot(v + 3)];
  }
  for (; v < last; ++v) ++tally0[slot(v)];
}

std::string format_percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f %%", 100.0 * fraction);
  return text;
}

}  // namespace

std::optional<Diagnostic> check_hounsfield_units(const CanonicalCt& ct) {
  // One count per stored value, with padding in the last slot. Every figure
  // below follows from these counts.
  std::vector<std::int64_t> counts(kValues + 1, 0);
  std::mutex merge;
  // About two chunks per thread, so that few of the 1 MiB sets of tallies are zeroed and merged.
  const auto voxels = static_cast<std::int64_t>(ct.hu.size());
  const std::int64_t chunk = std::max<std::int64_t>(1 << 20, voxels / (2 * thread_count()));
  parallel_for(0, voxels, [&](std::int64_t begin, std::int64_t end) {
    // 32-bit tallies halve the table that the scattered increments hit, so
    // they are merged after at most 2^31 voxels.
    std::vector<std::uint32_t> part(kTallies * counts.size(), 0);
    std::uint32_t* const tally = part.data();
    const std::uint8_t* const padding = ct.padding.data();
    const std::int16_t* const hu = ct.hu.data();
    for (std::int64_t first = begin; first < end; first += std::int64_t{1} << 31) {
      const std::int64_t last = std::min(end, first + (std::int64_t{1} << 31));
      for (std::int64_t from = first; from < last; from += std::int64_t{1} << 20)
        tally_values(padding, hu, from, std::min(last, from + (std::int64_t{1} << 20)), tally);
      const std::lock_guard<std::mutex> lock(merge);
      for (std::int64_t t = 0; t < kTallies; ++t)
        for (std::size_t c = 0; c < counts.size(); ++c) counts[c] += part[t * counts.size() + c];
      std::fill(part.begin(), part.end(), 0);
    }
  }, chunk);

  std::int64_t valid = 0;
  std::int64_t air = 0;
  int lowest = 32767;
  std::array<std::int64_t, kPeakBins> peak_histogram{};
  for (int value = kOutsideFovHu; value < kValues - kOffset; ++value) {
    const std::int64_t count = counts[value + kOffset];
    if (count == 0) continue;
    valid += count;
    if (value < kAirMaxHu) air += count;
    lowest = std::min(lowest, value);
    const int bin = (value - kPeakLowHu) / kPeakBinHu;
    if (value >= kPeakLowHu && bin < kPeakBins) peak_histogram[bin] += count;
  }

  if (valid == 0)
    return Diagnostic{DiagnosticCode::suspicious_hu_range, Severity::error, "",
                      "not HU data: every voxel is padding or below -1200 HU"};

  const double air_fraction = static_cast<double>(air) / static_cast<double>(valid);
  if (air_fraction < kMinAirFraction)
    return Diagnostic{DiagnosticCode::suspicious_hu_range, Severity::error, "",
                      "not HU data: only " + format_percent(air_fraction) +
                          " of voxels are below -800 HU (air, about -1000 HU, expected around the body and in "
                          "the lungs); the lowest value is " + std::to_string(lowest) +
                          ". Check RescaleSlope and RescaleIntercept (stored values offset by +1024?)"};

  const auto peak_bin = std::max_element(peak_histogram.begin(), peak_histogram.end()) - peak_histogram.begin();
  const int peak_hu = kPeakLowHu + static_cast<int>(peak_bin) * kPeakBinHu + kPeakBinHu / 2;
  if (peak_histogram[peak_bin] > 0 && (peak_hu < kPeakMinHu || peak_hu > kPeakMaxHu))
    return Diagnostic{DiagnosticCode::suspicious_hu_range, Severity::error, "",
                      "not HU data: the soft-tissue peak is at " + std::to_string(peak_hu) +
                          " HU, expected near 0..100 HU. Check RescaleSlope and RescaleIntercept"};
  return std::nullopt;
}

}  // namespace lunglens
