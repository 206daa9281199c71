// Histogram of lung HU values: 123 bins of 10 HU from -1030 HU up to +200 HU.
// Bin b counts values in [-1030 + 10 b, -1020 + 10 b), so bin edges fall on
// multiples of 10 HU (the density band thresholds are bin edges) and the
// usual air and padding value -1024 HU lies in bin 0. Values below -1030 HU
// and values of +200 HU or more are not clamped into the end bins; they are
// counted in below_range and above_range, so
// sum(counts) + below_range + above_range is the number of values added.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace lunglens {

struct HuHistogram {
  static constexpr int kLowerEdgeHu = -1030;
  static constexpr int kUpperEdgeHu = 200;
  static constexpr int kBinWidthHu = 10;
  static constexpr int kBinCount = (kUpperEdgeHu - kLowerEdgeHu) / kBinWidthHu;

  std::array<std::int64_t, kBinCount> counts{};
  std::int64_t below_range = 0;  // Values < kLowerEdgeHu.
  std::int64_t above_range = 0;  // Values >= kUpperEdgeHu.

  // Returns the bin of a finite HU value: -1 below the range, kBinCount at
  // or above it.
  static int bin_of(double hu) {
    if (hu < kLowerEdgeHu) return -1;
    if (hu >= kUpperEdgeHu) return kBinCount;
    const auto bin = static_cast<int>(std::floor((hu - kLowerEdgeHu) / kBinWidthHu));
    return bin < kBinCount ? bin : kBinCount - 1;
  }

  // Counts a finite HU value that falls in `bin` (from bin_of).
  void add_to_bin(int bin) {
    if (bin < 0) ++below_range;
    else if (bin >= kBinCount) ++above_range;
    else ++counts[bin];
  }

  // Counts one finite HU value. Defined here so that the per-voxel loops of
  // the quantification can inline it.
  void add(double hu) { add_to_bin(bin_of(hu)); }

  // Adds the counts of `other`.
  void merge(const HuHistogram& other);

  // Returns sum(counts) + below_range + above_range.
  std::int64_t total() const;

  // Returns the lower edge of bin `bin` in HU.
  static int bin_lower_hu(int bin) { return kLowerEdgeHu + bin * kBinWidthHu; }
};

}  // namespace lunglens
