#include "quantify/density_bands.h"

#include <limits>

#include "segment/density_band.h"

namespace lunglens {

// The segmenter labels lesions with the same bands; keep the two in step.
static_assert(kEmphysemaUpperHu == kEmphysemaMaxHu);
static_assert(kWellAeratedUpperHu == kWellAeratedMaxHu);
static_assert(kPoorlyAeratedUpperHu == kPoorlyAeratedMaxHu);

DensityBand density_band_of(double hu) {
  if (hu < kEmphysemaUpperHu) return DensityBand::emphysema;
  if (hu < kWellAeratedUpperHu) return DensityBand::well_aerated;
  if (hu < kPoorlyAeratedUpperHu) return DensityBand::poorly_aerated;
  return DensityBand::non_aerated;
}

std::string_view density_band_name(DensityBand band) {
  switch (band) {
    case DensityBand::emphysema: return "emphysema";
    case DensityBand::well_aerated: return "well_aerated";
    case DensityBand::poorly_aerated: return "poorly_aerated";
    case DensityBand::non_aerated: return "non_aerated";
  }
  return "unknown";
}

double density_band_lower_hu(DensityBand band) {
  switch (band) {
    case DensityBand::emphysema: return -std::numeric_limits<double>::infinity();
    case DensityBand::well_aerated: return kEmphysemaUpperHu;
    case DensityBand::poorly_aerated: return kWellAeratedUpperHu;
    case DensityBand::non_aerated: return kPoorlyAeratedUpperHu;
  }
  return 0.0;
}

double density_band_upper_hu(DensityBand band) {
  switch (band) {
    case DensityBand::emphysema: return kEmphysemaUpperHu;
    case DensityBand::well_aerated: return kWellAeratedUpperHu;
    case DensityBand::poorly_aerated: return kPoorlyAeratedUpperHu;
    case DensityBand::non_aerated: return std::numeric_limits<double>::infinity();
  }
  return 0.0;
}

}  // namespace lunglens
