#include "report/key_image.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "image/mask.h"
#include "parallel/parallel_for.h"
#include "report/text_encoding.h"

namespace lunglens {
namespace {

constexpr std::uint8_t kOutsideVolume = 255;  // Pixel label for positions outside the voxel grid.
constexpr Rgb kTextColour{255, 255, 255};
constexpr Rgb kTextShadow{0, 0, 0};
constexpr Rgb kLegendBackground{24, 24, 24};
constexpr int kLetterScale = 2;
constexpr int kLegendScale = 1;
constexpr int kMargin = 4;

// Extent of the lungs found in one pass over the labels.
struct LungExtent {
  std::int64_t voxel_count = 0;
  double z_min_mm = std::numeric_limits<double>::infinity();
  double z_max_mm = -std::numeric_limits<double>::infinity();
  double y_sum_mm = 0.0;
};

// A plane of the display: pixel (c, r) lies at top_left + c * column_step + r * row_step (LPS mm).
struct Plane {
  Vec3 top_left{};
  Vec3 column_step{};
  Vec3 row_step{};
  int columns = 0;
  int rows = 0;
};

Vec3 add(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 subtract(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 scaled(const Vec3& a, double factor) { return {a[0] * factor, a[1] * factor, a[2] * factor}; }

bool is_lung(std::uint8_t label) {
  return label == static_cast<std::uint8_t>(LungLabel::right_lung) ||
         label == static_cast<std::uint8_t>(LungLabel::left_lung);
}

LungExtent measure_lungs(const Geometry& g, const std::vector<std::uint8_t>& lung_labels) {
  LungExtent extent;
  for (std::int64_t k = 0; k < g.size[2]; ++k) {
    for (std::int64_t j = 0; j < g.size[1]; ++j) {
      const Vec3 row_start = g.index_to_lps({0.0, static_cast<double>(j), static_cast<double>(k)});
      const std::int64_t row = g.linear_index(0, j, k);
      for_each_labelled(lung_labels.data() + row, nullptr, g.size[0], [&](std::int64_t i) {
        if (!is_lung(lung_labels[static_cast<std::size_t>(row + i)])) return;
        const double step = static_cast<double>(i) * g.spacing_mm[0];
        const double y = row_start[1] + step * g.axes[0][1];
        const double z = row_start[2] + step * g.axes[0][2];
        ++extent.voxel_count;
        extent.z_min_mm = std::min(extent.z_min_mm, z);
        extent.z_max_mm = std::max(extent.z_max_mm, z);
        extent.y_sum_mm += y;
      });
    }
  }
  return extent;
}

// Returns the LPS bounding box {minimum, maximum} of the voxel grid (voxel edges, not centres).
std::array<Vec3, 2> grid_bounds(const Geometry& g) {
  Vec3 low{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
           std::numeric_limits<double>::infinity()};
  Vec3 high = scaled(low, -1.0);
  for (int corner = 0; corner < 8; ++corner) {
    Vec3 index{};
    for (int axis = 0; axis < 3; ++axis)
      index[axis] = (corner >> axis) & 1 ? static_cast<double>(g.size[axis]) - 0.5 : -0.5;
    const Vec3 p = g.index_to_lps(index);
    for (int c = 0; c < 3; ++c) {
      low[c] = std::min(low[c], p[c]);
      high[c] = std::max(high[c], p[c]);
    }
  }
  return {low, high};
}

// Returns the square pixel size in mm: the finest voxel spacing, made coarser
// or finer so that the longer side of the plane has between min and max pixels.
double pixel_size_mm(const Geometry& g, double longer_side_mm, const KeyImageOptions& options) {
  double size = std::min({g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]});
  if (longer_side_mm / size > options.max_size_pixels) size = longer_side_mm / options.max_size_pixels;
  if (longer_side_mm / size < options.min_size_pixels) size = longer_side_mm / options.min_size_pixels;
  return size;
}

// Builds a plane spanning `width_mm` x `height_mm` from the top-left corner
// `corner` (LPS edge position) along the unit directions `across` and `down`.
Plane make_plane(const Vec3& corner, const Vec3& across, const Vec3& down, double width_mm, double height_mm,
                 double pixel_mm) {
  Plane plane;
  plane.columns = std::max(1, static_cast<int>(std::ceil(width_mm / pixel_mm)));
  plane.rows = std::max(1, static_cast<int>(std::ceil(height_mm / pixel_mm)));
  plane.column_step = scaled(across, pixel_mm);
  plane.row_step = scaled(down, pixel_mm);
  plane.top_left = add(corner, scaled(add(plane.column_step, plane.row_step), 0.5));
  return plane;
}

std::uint8_t window_grey(float hu, const KeyImageOptions& options) {
  const double low = options.window_level_hu - options.window_width_hu / 2.0;
  const double grey = (static_cast<double>(hu) - low) / options.window_width_hu * 255.0;
  if (!(grey > 0.0)) return 0;  // Also NaN.
  if (grey >= 255.0) return 255;
  return static_cast<std::uint8_t>(std::lround(grey));
}

std::uint8_t blend(std::uint8_t base, std::uint8_t overlay, double opacity) {
  return static_cast<std::uint8_t>(std::lround(base * (1.0 - opacity) + overlay * opacity));
}

Rgb* pixel_at(RgbImage& image, int x, int y) {
  return reinterpret_cast<Rgb*>(&image.pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) +
                                               static_cast<std::size_t>(x)) * 3]);
}

// Draws text with a one-pixel shadow so that it reads on light and dark tissue.
void draw_letter(RgbImage& image, int x, int y, std::string_view text) {
  draw_text(image, x + 1, y + 1, text, kTextShadow, kLetterScale);
  draw_text(image, x, y, text, kTextColour, kLetterScale);
}

// Samples the plane and paints the slice area into the top rows of `image`.
void paint_slice(RgbImage& image, const Plane& plane, const HuVolume& volume, const LungSegmentation& segmentation,
                 const KeyImageOptions& options) {
  const Geometry& g = volume.geometry;

  // Index-space position of pixel (0, 0) and index steps per column and row.
  const Vec3 start = g.lps_to_index(plane.top_left);
  const Vec3 column_step = subtract(g.lps_to_index(add(plane.top_left, plane.column_step)), start);
  const Vec3 row_step = subtract(g.lps_to_index(add(plane.top_left, plane.row_step)), start);

  std::vector<std::uint8_t> lung_labels(static_cast<std::size_t>(plane.columns) * plane.rows, kOutsideVolume);
  for (int r = 0; r < plane.rows; ++r) {
    for (int c = 0; c < plane.columns; ++c) {
      std::array<std::int64_t, 3> index{};
      bool inside = true;
      for (int axis = 0; axis < 3; ++axis) {
        index[axis] = std::llround(start[axis] + c * column_step[axis] + r * row_step[axis]);
        inside = inside && index[axis] >= 0 && index[axis] < g.size[axis];
      }
      Rgb& colour = *pixel_at(image, c, r);
      if (!inside) {
        colour = {0, 0, 0};
        continue;
      }
      const std::int64_t voxel = g.linear_index(index[0], index[1], index[2]);
      const std::uint8_t grey = window_grey(volume.hu_at(voxel), options);
      colour = {grey, grey, grey};
      lung_labels[static_cast<std::size_t>(r) * plane.columns + c] = segmentation.lungs[static_cast<std::size_t>(voxel)];

      const std::uint8_t lesion = segmentation.lesions.empty() ? 0 : segmentation.lesions[static_cast<std::size_t>(voxel)];
      const bool ground_glass = lesion == static_cast<std::uint8_t>(LesionLabel::ground_glass);
      const bool consolidation = lesion == static_cast<std::uint8_t>(LesionLabel::consolidation);
      if (ground_glass || consolidation) {
        const Rgb& overlay = ground_glass ? kGroundGlassColour : kConsolidationColour;
        const double opacity = ground_glass ? kGroundGlassOpacity : kConsolidationOpacity;
        for (int channel = 0; channel < 3; ++channel) colour[channel] = blend(grey, overlay[channel], opacity);
      }
    }
  }

  // Outlines: lung pixels with a 4-neighbour of another label (or the image edge).
  const auto label_at = [&](int c, int r) {
    if (c < 0 || r < 0 || c >= plane.columns || r >= plane.rows) return kOutsideVolume;
    return lung_labels[static_cast<std::size_t>(r) * plane.columns + c];
  };
  for (int r = 0; r < plane.rows; ++r) {
    for (int c = 0; c < plane.columns; ++c) {
      const std::uint8_t label = label_at(c, r);
      if (!is_lung(label)) continue;
      const bool edge = label_at(c - 1, r) != label || label_at(c + 1, r) != label || label_at(c, r - 1) != label ||
                        label_at(c, r + 1) != label;
      if (!edge) continue;
      *pixel_at(image, c, r) =
          label == static_cast<std::uint8_t>(LungLabel::right_lung) ? kRightLungOutline : kLeftLungOutline;
    }
  }
}

struct LegendItem {
  std::string_view text;
  const Rgb* swatch;  // Null for a plain text item.
};

constexpr int kSwatchSize = 7;
constexpr int kLegendLineHeight = 12;

int legend_item_width(const LegendItem& item) {
  return (item.swatch ? kSwatchSize + 3 : 0) + text_width(item.text, kLegendScale);
}

// Returns the legend lines: items wrapped to the image width.
std::vector<std::vector<LegendItem>> layout_legend(int width, const KeyImageOptions& options,
                                                   std::string& window_text) {
  window_text = "W";
  window_text += format_fixed(options.window_width_hu, 0);
  window_text += " L";
  window_text += format_fixed(options.window_level_hu, 0);
  const LegendItem items[] = {{"R LUNG", &kRightLungOutline},
                              {"L LUNG", &kLeftLungOutline},
                              {"GGO", &kGroundGlassColour},
                              {"CONSOLIDATION", &kConsolidationColour},
                              {window_text, nullptr}};
  std::vector<std::vector<LegendItem>> lines(1);
  int x = kMargin;
  for (const LegendItem& item : items) {
    const int item_width = legend_item_width(item);
    if (!lines.back().empty() && x + item_width > width - kMargin) {
      lines.emplace_back();
      x = kMargin;
    }
    lines.back().push_back(item);
    x += item_width + 10;
  }
  return lines;
}

void paint_legend(RgbImage& image, int top, const std::vector<std::vector<LegendItem>>& lines) {
  for (int y = top; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) *pixel_at(image, x, y) = kLegendBackground;
  for (std::size_t line = 0; line < lines.size(); ++line) {
    const int y = top + kMargin + static_cast<int>(line) * kLegendLineHeight;
    int x = kMargin;
    for (const LegendItem& item : lines[line]) {
      if (item.swatch) {
        for (int dy = 0; dy < kSwatchSize; ++dy)
          for (int dx = 0; dx < kSwatchSize; ++dx)
            if (x + dx < image.width && y + dy < image.height) *pixel_at(image, x + dx, y + dy) = *item.swatch;
        x += kSwatchSize + 3;
      }
      draw_text(image, x, y, item.text, kTextColour, kLegendScale);
      x += text_width(item.text, kLegendScale) + 10;
    }
  }
}

KeyImage render_plane(const Plane& plane, const HuVolume& volume, const LungSegmentation& segmentation,
                      const KeyImageOptions& options, bool coronal) {
  std::string window_text;
  const auto legend = layout_legend(plane.columns, options, window_text);
  const int legend_height = static_cast<int>(legend.size()) * kLegendLineHeight + 2 * kMargin - 2;

  KeyImage key;
  key.image = RgbImage(plane.columns, plane.rows + legend_height);
  key.slice_height_pixels = plane.rows;
  key.top_left_lps = plane.top_left;
  key.column_step_mm = plane.column_step;
  key.row_step_mm = plane.row_step;
  paint_slice(key.image, plane, volume, segmentation, options);
  paint_legend(key.image, plane.rows, legend);

  // Orientation letters: patient right on the image left in both planes.
  const int letter_height = kGlyphHeight * kLetterScale;
  const int letter_width = text_width("R", kLetterScale);
  const int middle_row = (plane.rows - letter_height) / 2;
  const int middle_column = (plane.columns - letter_width) / 2;
  draw_letter(key.image, kMargin, middle_row, "R");
  draw_letter(key.image, plane.columns - kMargin - letter_width - 1, middle_row, "L");
  draw_letter(key.image, middle_column, kMargin, coronal ? "S" : "A");
  draw_letter(key.image, middle_column, plane.rows - kMargin - letter_height - 1, coronal ? "I" : "P");
  return key;
}

bool buffers_match(const HuVolume& volume, const LungSegmentation& segmentation) {
  const auto voxels = static_cast<std::size_t>(volume.voxel_count());
  const std::size_t stored = volume.voxel_type == VoxelType::int16 ? volume.int16_hu.size() : volume.float32_hu.size();
  return voxels > 0 && stored == voxels && segmentation.lungs.size() == voxels &&
         (segmentation.lesions.empty() || segmentation.lesions.size() == voxels);
}

}  // namespace

std::vector<KeyImage> render_key_images(const HuVolume& volume, const LungSegmentation& segmentation,
                                        const KeyImageOptions& options) {
  if (!buffers_match(volume, segmentation)) return {};
  const LungExtent lungs = measure_lungs(volume.geometry, segmentation.lungs);
  if (lungs.voxel_count == 0) return {};

  const Geometry& g = volume.geometry;
  const auto [low, high] = grid_bounds(g);
  const double width_mm = high[0] - low[0];

  // Axial slices at the centres of the thirds of the lungs' z extent.
  struct View {
    Plane plane;
    bool coronal = false;
    std::string name;
    std::string caption;
  };
  std::vector<View> views;
  const double axial_pixel_mm = pixel_size_mm(g, std::max(width_mm, high[1] - low[1]), options);
  const double height_mm = lungs.z_max_mm - lungs.z_min_mm;
  const char* zone_names[] = {"upper", "middle", "lower"};
  for (int zone = 0; zone < 3; ++zone) {
    const double z = lungs.z_max_mm - (2 * zone + 1) * height_mm / 6.0;
    views.push_back({make_plane({low[0], low[1], z}, {1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, width_mm, high[1] - low[1],
                                axial_pixel_mm),
                     false, std::string("key-axial-") + zone_names[zone] + ".png",
                     std::string("Axial slice at the centre of the ") + zone_names[zone] +
                         " third of the lungs (z = " + format_fixed(z, 1) + " mm)"});
  }

  // Coronal slice through the lungs' mean y (anterior-posterior) position.
  const double y = lungs.y_sum_mm / static_cast<double>(lungs.voxel_count);
  const double coronal_pixel_mm = pixel_size_mm(g, std::max(width_mm, high[2] - low[2]), options);
  views.push_back({make_plane({low[0], y, high[2]}, {1.0, 0.0, 0.0}, {0.0, 0.0, -1.0}, width_mm, high[2] - low[2],
                              coronal_pixel_mm),
                   true, "key-coronal.png",
                   "Coronal slice through the mean anterior-posterior position of the lungs (y = " +
                       format_fixed(y, 1) + " mm)"});

  // Each image is rendered and encoded on its own, so the four share the threads.
  std::vector<KeyImage> images(views.size());
  parallel_for(0, static_cast<std::int64_t>(views.size()), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t v = begin; v < end; ++v) {
      KeyImage& key = images[static_cast<std::size_t>(v)];
      key = render_plane(views[v].plane, volume, segmentation, options, views[v].coronal);
      key.name = views[v].name;
      key.caption = views[v].caption;
      key.png = encode_png(key.image);
    }
  });
  return images;
}

}  // namespace lunglens
