#include <doctest/doctest.h>

#include "quantify/hu_histogram.h"

using namespace lunglens;

TEST_SUITE("quantify") {

TEST_CASE("histogram bin layout") {
  CHECK(HuHistogram::kBinCount == 123);
  CHECK(HuHistogram::bin_lower_hu(0) == -1030);
  CHECK(HuHistogram::bin_lower_hu(8) == -950);
  CHECK(HuHistogram::bin_lower_hu(122) == 190);
}

TEST_CASE("histogram places values") {
  HuHistogram histogram;
  histogram.add(-1024.0);  // bin 0
  histogram.add(-1030.0);  // bin 0, lower edge is inclusive
  histogram.add(-1020.0);  // bin 1
  histogram.add(-950.5);   // bin 7
  histogram.add(-950.0);   // bin 8
  histogram.add(199.9);    // bin 122
  histogram.add(200.0);    // above
  histogram.add(3071.0);   // above
  histogram.add(-1030.5);  // below
  histogram.add(-3024.0);  // below

  CHECK(histogram.counts[0] == 2);
  CHECK(histogram.counts[1] == 1);
  CHECK(histogram.counts[7] == 1);
  CHECK(histogram.counts[8] == 1);
  CHECK(histogram.counts[122] == 1);
  CHECK(histogram.above_range == 2);
  CHECK(histogram.below_range == 2);
  CHECK(histogram.total() == 10);
}

TEST_CASE("histogram merge adds counts") {
  HuHistogram a;
  HuHistogram b;
  a.add(-800.0);
  b.add(-800.0);
  b.add(500.0);
  a.merge(b);
  CHECK(a.counts[23] == 2);
  CHECK(a.above_range == 1);
  CHECK(a.total() == 3);
}

}  // TEST_SUITE
