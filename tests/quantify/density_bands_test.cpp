#include <doctest/doctest.h>

#include "quantify/density_bands.h"

using namespace lunglens;

TEST_SUITE("quantify") {

TEST_CASE("density band thresholds") {
  CHECK(density_band_of(-1024.0) == DensityBand::emphysema);
  CHECK(density_band_of(-950.1) == DensityBand::emphysema);
  CHECK(density_band_of(-950.0) == DensityBand::well_aerated);
  CHECK(density_band_of(-700.1) == DensityBand::well_aerated);
  CHECK(density_band_of(-700.0) == DensityBand::poorly_aerated);
  CHECK(density_band_of(-500.1) == DensityBand::poorly_aerated);
  CHECK(density_band_of(-500.0) == DensityBand::non_aerated);
  CHECK(density_band_of(1500.0) == DensityBand::non_aerated);
}

TEST_CASE("density band bounds") {
  CHECK(density_band_upper_hu(DensityBand::emphysema) == -950.0);
  CHECK(density_band_lower_hu(DensityBand::well_aerated) == -950.0);
  CHECK(density_band_upper_hu(DensityBand::poorly_aerated) == -500.0);
  CHECK(density_band_name(DensityBand::non_aerated) == "non_aerated");
}

}  // TEST_SUITE
