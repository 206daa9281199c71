// Aeration compartments of lung parenchyma by density.
//
// The bands are the conventional quantitative-CT split: emphysema below
// -950 HU (the usual "LAA-950" emphysema index), well aerated -950..-700 HU,
// poorly aerated -700..-500 HU and non-aerated from -500 HU up. They follow
// the aeration compartments introduced by Gattinoni and colleagues for ARDS
// (hyperinflated, normally, poorly and non-aerated), with the boundaries
// commonly used in COVID-19 CT studies. NOTE: the boundaries are stated as
// conventional values; they were not checked against one primary source.
#pragma once

#include "segment/lung_labels.h"

namespace lunglens {

inline constexpr float kEmphysemaMaxHu = -950.0f;
inline constexpr float kWellAeratedMaxHu = -700.0f;
inline constexpr float kPoorlyAeratedMaxHu = -500.0f;

// Returns the band of a lung voxel of `hu` HU. Lower bounds are inclusive:
// -950 HU is well aerated, -700 HU poorly aerated, -500 HU non-aerated.
constexpr DensityBand density_band(float hu) {
  if (hu < kEmphysemaMaxHu) return DensityBand::emphysema;
  if (hu < kWellAeratedMaxHu) return DensityBand::well_aerated;
  if (hu < kPoorlyAeratedMaxHu) return DensityBand::poorly_aerated;
  return DensityBand::non_aerated;
}

}  // namespace lunglens
