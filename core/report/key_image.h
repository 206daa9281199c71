// Key images of an analysis: three axial slices at the centres of the upper,
// middle and lower thirds of the lungs' craniocaudal extent and one coronal
// slice through the lungs. They use the lung window and show right and left
// lung outlines with GGO and consolidation overlays. They go into the HTML
// report and next to it as PNG files.
//
// Display: radiological convention (patient right on the image left, anterior
// at the top of axial images, head at the top of coronal ones), whatever the
// patient position or slice order, because pixels are sampled at patient (LPS)
// positions. Pixels are square in mm, so the aspect ratio follows the voxel
// spacing. Sampling is nearest-neighbour for HU and labels alike, so thick
// slices look blocky in the coronal image rather than blurred. A legend band
// below each image names the colours; letters R, L, A, P, S, I mark the sides.
#pragma once

#include <string>
#include <vector>

#include "report/key_image_font.h"
#include "report/png_writer.h"
#include "segment/lung_labels.h"
#include "volume/volume.h"

namespace lunglens {

inline constexpr Rgb kRightLungOutline{0, 200, 0};
inline constexpr Rgb kLeftLungOutline{0, 150, 255};
inline constexpr Rgb kGroundGlassColour{255, 220, 0};
inline constexpr Rgb kConsolidationColour{230, 40, 40};
inline constexpr double kGroundGlassOpacity = 0.45;   // Share of the overlay colour in a blended pixel.
inline constexpr double kConsolidationOpacity = 0.55;

struct KeyImageOptions {
  double window_width_hu = 1500.0;  // Lung window W1500/L-600: -1350 HU is black, 150 HU is white.
  double window_level_hu = -600.0;
  // Pixel counts of the longer side of the slice area. The finest voxel
  // spacing sets the pixel size unless that gives a size outside this range.
  int min_size_pixels = 256;
  int max_size_pixels = 512;
};

struct KeyImage {
  std::string name;     // File name, e.g. "key-axial-upper.png".
  std::string caption;  // e.g. "Axial slice at the centre of the upper third of the lungs (z = 95.0 mm)".
  RgbImage image;       // Slice area on top, legend band below it.
  int slice_height_pixels = 0;  // Rows of the slice area; the legend band follows.

  // Sampling grid: pixel (column c, row r) of the slice area shows the voxel
  // nearest to LPS position top_left_lps + c * column_step_mm + r * row_step_mm.
  Vec3 top_left_lps{0.0, 0.0, 0.0};
  Vec3 column_step_mm{0.0, 0.0, 0.0};
  Vec3 row_step_mm{0.0, 0.0, 0.0};

  std::vector<std::uint8_t> png;  // `image` encoded by encode_png.
};

// Renders the four key images, in the order axial upper, middle, lower,
// coronal. Returns none when no lung voxel is labelled or the label buffers
// do not match the volume.
std::vector<KeyImage> render_key_images(const HuVolume& volume, const LungSegmentation& segmentation,
                                        const KeyImageOptions& options = {});

}  // namespace lunglens
