// Units and printed decimals of every quantity in a report, shared by the
// JSON and HTML writers so both show the same digits. Unit strings follow
// UCUM ("mL", "mm", "%", "{voxel}" for a count of voxels) except HU, which
// is written "HU" (UCUM: [hnsf'U]).
#pragma once

#include <string_view>

namespace lunglens {

struct QuantityFormat {
  std::string_view unit;
  int decimals;
};

inline constexpr QuantityFormat kVolumeMl{"mL", 3};
inline constexpr QuantityFormat kPercent{"%", 2};
inline constexpr QuantityFormat kDensityHu{"HU", 1};
inline constexpr QuantityFormat kThresholdHu{"HU", 1};
inline constexpr QuantityFormat kSpacingMm{"mm", 6};  // DICOM spacings such as 0.703125 mm print exactly.
inline constexpr QuantityFormat kPositionMm{"mm", 2};
inline constexpr QuantityFormat kVoxelVolumeMm3{"mm3", 6};

inline constexpr std::string_view kVoxelUnit = "{voxel}";
inline constexpr std::string_view kSliceUnit = "{slice}";
inline constexpr std::string_view kPixelUnit = "{pixel}";
inline constexpr std::string_view kBinUnit = "{bin}";
inline constexpr std::string_view kScoreUnit = "{score}";
inline constexpr std::string_view kZoneUnit = "{zone}";

}  // namespace lunglens
