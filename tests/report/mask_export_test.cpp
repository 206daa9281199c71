#include <doctest/doctest.h>

#include "report/mask_export.h"

using namespace lunglens;

TEST_SUITE("report") {

TEST_CASE("mask labels combine lungs and lesions") {
  LungSegmentation segmentation;
  segmentation.geometry.size = {6, 1, 1};
  segmentation.lungs = {0, 1, 2, 3, 1, 2};
  segmentation.lesions = {0, 0, 0, 0, 1, 2};
  CHECK(combined_mask_labels(segmentation) == std::vector<std::uint8_t>{0, 1, 2, 3, 4, 5});

  segmentation.lesions.clear();  // No lesion labels: lungs only.
  CHECK(combined_mask_labels(segmentation) == std::vector<std::uint8_t>{0, 1, 2, 3, 1, 2});
}

TEST_CASE("mask nifti holds the labels") {
  LungSegmentation segmentation;
  segmentation.geometry.size = {2, 1, 1};
  segmentation.lungs = {1, 2};
  segmentation.lesions = {2, 0};
  const NiftiFile nifti = write_mask_nifti(segmentation);
  REQUIRE(nifti.ok);
  REQUIRE(nifti.bytes.size() == static_cast<std::size_t>(kNiftiVoxOffset) + 2);
  CHECK(nifti.bytes[kNiftiVoxOffset] == 5);
  CHECK(nifti.bytes[kNiftiVoxOffset + 1] == 2);
}

}
