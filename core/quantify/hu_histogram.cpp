#include "quantify/hu_histogram.h"

#include <cmath>

namespace lunglens {

void HuHistogram::add(double hu) {
  if (hu < kLowerEdgeHu) {
    ++below_range;
    return;
  }
  if (hu >= kUpperEdgeHu) {
    ++above_range;
    return;
  }
  const auto bin = static_cast<int>(std::floor((hu - kLowerEdgeHu) / kBinWidthHu));
  ++counts[bin < kBinCount ? bin : kBinCount - 1];
}

void HuHistogram::merge(const HuHistogram& other) {
  for (int bin = 0; bin < kBinCount; ++bin) counts[bin] += other.counts[bin];
  below_range += other.below_range;
  above_range += other.above_range;
}

std::int64_t HuHistogram::total() const {
  std::int64_t sum = below_range + above_range;
  for (const std::int64_t count : counts) sum += count;
  return sum;
}

}  // namespace lunglens
