#include "quantify/hu_histogram.h"

namespace lunglens {

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
