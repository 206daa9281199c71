#include "phantom/slice_painter.h"

#include <algorithm>
#include <cmath>

#include "phantom/phantom_random.h"
#include "phantom/vessel_tree.h"

namespace lunglens::phantom {
namespace {

// Index window of the voxels of one slice that a shape may touch.
struct Window {
  std::int64_t i0 = 0, i1 = -1, j0 = 0, j1 = -1;
};

class Slice {
 public:
  Slice(const SliceSettings& settings, std::int64_t k)
      : grid_(settings.grid),
        nx_(grid_.size[0]),
        ny_(grid_.size[1]),
        z_(grid_.origin_mm[2] + static_cast<double>(k) * grid_.spacing_mm[2]),
        hu_(static_cast<std::size_t>(nx_ * ny_), kAirHu),
        labels_(static_cast<std::size_t>(nx_ * ny_), static_cast<std::uint8_t>(PhantomLabel::outside)),
        inside_fov_(static_cast<std::size_t>(nx_ * ny_), 1) {}

  double x(std::int64_t i) const { return grid_.origin_mm[0] + static_cast<double>(i) * grid_.spacing_mm[0]; }
  double y(std::int64_t j) const { return grid_.origin_mm[1] + static_cast<double>(j) * grid_.spacing_mm[1]; }
  double z() const { return z_; }

  void paint_base(const SliceSettings& settings) {
    const double centre_x = grid_.origin_mm[0] + 0.5 * static_cast<double>(nx_ - 1) * grid_.spacing_mm[0];
    const double centre_y = grid_.origin_mm[1] + 0.5 * static_cast<double>(ny_ - 1) * grid_.spacing_mm[1];
    const double fov2 = settings.fov_radius_mm * settings.fov_radius_mm;
    for (std::int64_t j = 0; j < ny_; ++j) {
      for (std::int64_t i = 0; i < nx_; ++i) {
        const std::size_t n = index(i, j);
        const double dx = x(i) - centre_x, dy = y(j) - centre_y;
        if (settings.fov_padding && dx * dx + dy * dy > fov2) {
          inside_fov_[n] = 0;
          continue;
        }
        const BaseSample sample = sample_base(x(i), y(j), z_, settings.table_side);
        labels_[n] = static_cast<std::uint8_t>(sample.label);
        hu_[n] = sample.hu;
      }
    }
  }

  // Blood-filled tubes replace what lies under them and push the lung back
  // by a margin of mediastinal fat.
  void paint_mediastinal_tubes() {
    for (const Tube& tube : mediastinal_tubes()) {
      const double reach = tube.radius_mm + kMediastinalMarginMm;
      for_each_near(tube, reach, [&](std::size_t n, double d2) {
        if (d2 <= tube.radius_mm * tube.radius_mm) {
          set(n, PhantomLabel::body, kBloodHu);
        } else if (d2 <= reach * reach && is_lung(labels_[n])) {
          set(n, PhantomLabel::body, kMediastinalFatHu);
        }
      });
    }
  }

  // Walls first and lumens second, so the lumen of one tube wins over the
  // wall of the next at the carina. A wall inside a lung stays lung.
  void paint_airways() {
    for (const Tube& tube : airway_tubes()) {
      for_each_near(tube, tube.radius_mm, [&](std::size_t n, double d2) {
        if (d2 > tube.radius_mm * tube.radius_mm) return;
        if (is_lung(labels_[n])) {
          hu_[n] = kAirwayWallHu;
        } else {
          set(n, PhantomLabel::body, kAirwayWallHu);
        }
      });
    }
    for (const Tube& tube : airway_tubes()) {
      for_each_near(tube, tube.lumen_radius_mm, [&](std::size_t n, double d2) {
        if (d2 <= tube.lumen_radius_mm * tube.lumen_radius_mm) set(n, PhantomLabel::airway, kAirHu);
      });
    }
  }

  // Lesions replace lung voxels only. Consolidation also replaces GGO.
  void paint_lesions(const std::vector<Lesion>& lesions) {
    for (const Lesion& lesion : lesions) {
      const Vec3& c = lesion.centre_mm;
      const Vec3& r = lesion.radii_mm;
      const double reach = 1.19;  // sqrt of the largest ellipsoid level the noisy boundary reaches.
      if (std::abs(z_ - c[2]) > reach * r[2]) continue;
      const Window w = window(c[0] - reach * r[0], c[0] + reach * r[0], c[1] - reach * r[1], c[1] + reach * r[1]);
      const bool consolidation = lesion.kind == LesionKind::consolidation;
      for (std::int64_t j = w.j0; j <= w.j1; ++j) {
        for (std::int64_t i = w.i0; i <= w.i1; ++i) {
          const std::size_t n = index(i, j);
          const auto label = static_cast<PhantomLabel>(labels_[n]);
          const bool right = label == PhantomLabel::right_lung || (consolidation && label == PhantomLabel::ggo_right);
          const bool left = label == PhantomLabel::left_lung || (consolidation && label == PhantomLabel::ggo_left);
          if (!right && !left) continue;
          const Vec3 p{x(i), y(j), z_};
          if (!lesion_contains(lesion, p)) continue;
          PhantomLabel lesion_label;
          if (consolidation) {
            lesion_label = right ? PhantomLabel::consolidation_right : PhantomLabel::consolidation_left;
          } else {
            lesion_label = right ? PhantomLabel::ggo_right : PhantomLabel::ggo_left;
          }
          set(n, lesion_label, lesion_hu(lesion, p));
        }
      }
    }
  }

  // Vessels are drawn over parenchyma and GGO (they stay visible through
  // ground glass) but not through consolidation. A voxel whose centre lies
  // in a vessel is labelled lung. The HU blends over half a voxel around the
  // wall, so thin vessels show as partial-volume shadows, as in a real scan.
  void paint_vessels() {
    const double half_pixel = 0.5 * grid_.spacing_mm[0];
    for (const Tube& tube : vessel_tree()) {
      const double r = tube.radius_mm;
      const double reach = r + half_pixel;
      for_each_near(tube, reach, [&](std::size_t n, double d2) {
        const auto label = static_cast<PhantomLabel>(labels_[n]);
        PhantomLabel lung;
        if (label == PhantomLabel::right_lung || label == PhantomLabel::ggo_right) {
          lung = PhantomLabel::right_lung;
        } else if (label == PhantomLabel::left_lung || label == PhantomLabel::ggo_left) {
          lung = PhantomLabel::left_lung;
        } else {
          return;
        }
        if (d2 > reach * reach) return;
        const double d = std::sqrt(d2);
        const double cover = std::clamp((reach - d) / (2.0 * half_pixel), 0.0, 1.0);
        hu_[n] += static_cast<float>(cover) * (kBloodHu - hu_[n]);
        if (d <= r) labels_[n] = static_cast<std::uint8_t>(lung);
      });
    }
  }

  void store(const SliceSettings& settings, std::int64_t k, std::int16_t* hu, std::uint8_t* labels,
             std::uint8_t* padding) const {
    // One generator per slice, seeded by the slice index, so the noise does
    // not depend on how slices are shared among threads.
    GaussianSource noise(static_cast<std::uint64_t>(settings.noise_seed) * 0x100000001B3ull ^
                         (static_cast<std::uint64_t>(k) + 0x9E3779B97F4A7C15ull));
    const auto count = static_cast<std::size_t>(nx_ * ny_);
    for (std::size_t n = 0; n < count; ++n) {
      if (!inside_fov_[n]) {
        hu[n] = kPaddingHu;
        labels[n] = static_cast<std::uint8_t>(PhantomLabel::outside);
        padding[n] = 1;
        continue;
      }
      double value = hu_[n];
      if (settings.noise_sd_hu > 0.0) value += settings.noise_sd_hu * noise.normal();
      hu[n] = static_cast<std::int16_t>(std::clamp(std::round(value), -1024.0, 3071.0));
      labels[n] = labels_[n];
      padding[n] = 0;
    }
  }

 private:
  std::size_t index(std::int64_t i, std::int64_t j) const { return static_cast<std::size_t>(i + nx_ * j); }

  static bool is_lung(std::uint8_t label) {
    return label == static_cast<std::uint8_t>(PhantomLabel::right_lung) ||
           label == static_cast<std::uint8_t>(PhantomLabel::left_lung);
  }

  void set(std::size_t n, PhantomLabel label, float hu) {
    if (!inside_fov_[n]) return;
    labels_[n] = static_cast<std::uint8_t>(label);
    hu_[n] = hu;
  }

  Window window(double x0, double x1, double y0, double y1) const {
    Window w;
    const double sx = grid_.spacing_mm[0], sy = grid_.spacing_mm[1];
    w.i0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil((x0 - grid_.origin_mm[0]) / sx)));
    w.i1 = std::min<std::int64_t>(nx_ - 1, static_cast<std::int64_t>(std::floor((x1 - grid_.origin_mm[0]) / sx)));
    w.j0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil((y0 - grid_.origin_mm[1]) / sy)));
    w.j1 = std::min<std::int64_t>(ny_ - 1, static_cast<std::int64_t>(std::floor((y1 - grid_.origin_mm[1]) / sy)));
    return w;
  }

  // Calls visit(n, squared distance to the axis) for the in-FOV voxels of
  // this slice within `reach` mm of the tube's bounding box on this slice.
  template <class Visit>
  void for_each_near(const Tube& tube, double reach, Visit visit) {
    const Vec3& a = tube.a;
    const Vec3& b = tube.b;
    if (z_ < std::min(a[2], b[2]) - reach || z_ > std::max(a[2], b[2]) + reach) return;

    // Clip the axis to the slab |z - z_| <= reach before taking its box.
    double t0 = 0.0, t1 = 1.0;
    const double dz = b[2] - a[2];
    if (std::abs(dz) > 1e-9) {
      const double ta = (z_ - reach - a[2]) / dz;
      const double tb = (z_ + reach - a[2]) / dz;
      t0 = std::clamp(std::min(ta, tb), 0.0, 1.0);
      t1 = std::clamp(std::max(ta, tb), 0.0, 1.0);
    }
    const double xa = a[0] + t0 * (b[0] - a[0]), xb = a[0] + t1 * (b[0] - a[0]);
    const double ya = a[1] + t0 * (b[1] - a[1]), yb = a[1] + t1 * (b[1] - a[1]);
    const Window w = window(std::min(xa, xb) - reach, std::max(xa, xb) + reach, std::min(ya, yb) - reach,
                            std::max(ya, yb) + reach);
    for (std::int64_t j = w.j0; j <= w.j1; ++j) {
      for (std::int64_t i = w.i0; i <= w.i1; ++i) {
        const std::size_t n = index(i, j);
        if (!inside_fov_[n]) continue;
        visit(n, squared_distance_to_axis(tube, {x(i), y(j), z_}));
      }
    }
  }

  const Geometry& grid_;
  std::int64_t nx_;
  std::int64_t ny_;
  double z_;
  std::vector<float> hu_;
  std::vector<std::uint8_t> labels_;
  std::vector<std::uint8_t> inside_fov_;
};

}  // namespace

void paint_slice(const SliceSettings& settings, std::int64_t k, std::int16_t* hu, std::uint8_t* labels,
                 std::uint8_t* padding) {
  Slice slice(settings, k);
  slice.paint_base(settings);
  slice.paint_mediastinal_tubes();
  slice.paint_airways();
  slice.paint_lesions(settings.lesions);
  slice.paint_vessels();
  slice.store(settings, k, hu, labels, padding);
}

}  // namespace lunglens::phantom
