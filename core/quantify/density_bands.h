// Density bands of lung parenchyma (enum DensityBand in segment/lung_labels.h).
// Each band is half-open, [lower, upper) in HU:
//   emphysema       hu < -950
//   well aerated    -950 <= hu < -700
//   poorly aerated  -700 <= hu < -500
//   non aerated     hu >= -500 (no upper bound: vessels and calcifications count here)
// The thresholds are conventional in quantitative lung CT; -950 HU is the
// usual low-attenuation-area threshold for emphysema.
#pragma once

#include <array>
#include <string_view>

#include "segment/lung_labels.h"

namespace lunglens {

inline constexpr int kDensityBandCount = 4;
inline constexpr double kEmphysemaUpperHu = -950.0;
inline constexpr double kWellAeratedUpperHu = -700.0;
inline constexpr double kPoorlyAeratedUpperHu = -500.0;

// All bands in ascending order of density.
inline constexpr std::array<DensityBand, kDensityBandCount> kDensityBands{
    DensityBand::emphysema, DensityBand::well_aerated, DensityBand::poorly_aerated,
    DensityBand::non_aerated};

// Returns the band of a finite HU value.
DensityBand density_band_of(double hu);

// Returns "emphysema", "well_aerated", "poorly_aerated" or "non_aerated".
std::string_view density_band_name(DensityBand band);

// Lower and upper bound of a band in HU; a missing bound is -infinity or +infinity.
double density_band_lower_hu(DensityBand band);
double density_band_upper_hu(DensityBand band);

}  // namespace lunglens
