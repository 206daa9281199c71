#include "phantom/vessel_tree.h"

#include <algorithm>
#include <cmath>

#include "phantom/phantom_random.h"

namespace lunglens::phantom {
namespace {

constexpr double kMinRadiusMm = 0.55;
constexpr int kMaxGeneration = 10;
constexpr double kPi = 3.14159265358979323846;

struct Root {
  Vec3 start;
  Vec3 direction;
  double radius_mm;
};

class TreeBuilder {
 public:
  explicit TreeBuilder(std::vector<Tube>& tubes) : tubes_(tubes), random_(0x5EED7EE5ull) {}

  void grow(const Vec3& start, const Vec3& direction, double length_mm, double radius_mm, int generation,
            PhantomLabel side) {
    // A branch that would leave its lung is shortened once, then dropped.
    Vec3 end{};
    if (!fits(start, direction, length_mm, generation, side, end)) {
      length_mm *= 0.55;
      if (!fits(start, direction, length_mm, generation, side, end)) return;
    }
    tubes_.push_back({start, end, radius_mm, 0.0});
    if (generation >= kMaxGeneration || radius_mm * 0.7 < kMinRadiusMm) return;

    // Two children in a plane of random azimuth, splayed 20..38 degrees to
    // either side. The larger child keeps 76..82 % of the radius and the
    // smaller 66..72 %, close to Murray's law.
    const Vec3 across = random_perpendicular(direction);
    const double angle_a = (20.0 + 18.0 * random_.uniform()) * kPi / 180.0;
    const double angle_b = (20.0 + 18.0 * random_.uniform()) * kPi / 180.0;
    const Vec3 child_a = rotate_towards(direction, across, angle_a);
    const Vec3 child_b = rotate_towards(direction, across, -angle_b);
    const double radius_a = radius_mm * (0.76 + 0.06 * random_.uniform());
    const double radius_b = radius_mm * (0.66 + 0.06 * random_.uniform());
    const double length_a = length_mm * (0.72 + 0.16 * random_.uniform());
    const double length_b = length_mm * (0.72 + 0.16 * random_.uniform());
    grow(end, child_a, std::max(length_a, 4.0), radius_a, generation + 1, side);
    grow(end, child_b, std::max(length_b, 4.0), radius_b, generation + 1, side);
  }

 private:
  // A root segment may start in the mediastinum but must end in the lung.
  // Later segments must stay in the lung at 1/4, 1/2, 3/4 and their end.
  static bool fits(const Vec3& start, const Vec3& direction, double length_mm, int generation, PhantomLabel side,
                   Vec3& end) {
    for (int c = 0; c < 3; ++c) end[c] = start[c] + direction[c] * length_mm;
    const int first = generation == 0 ? 4 : 1;
    for (int step = first; step <= 4; ++step) {
      const double t = 0.25 * step;
      const Vec3 p{start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]),
                   start[2] + t * (end[2] - start[2])};
      if (lung_side(p[0], p[1], p[2]) != side) return false;
    }
    return true;
  }

  Vec3 random_perpendicular(const Vec3& direction) {
    const Vec3 helper = std::abs(direction[0]) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
    const Vec3 u = normalized(cross(direction, helper));
    const Vec3 v = cross(direction, u);
    const double azimuth = 2.0 * kPi * random_.uniform();
    const double c = std::cos(azimuth), s = std::sin(azimuth);
    return {c * u[0] + s * v[0], c * u[1] + s * v[1], c * u[2] + s * v[2]};
  }

  static Vec3 rotate_towards(const Vec3& direction, const Vec3& across, double angle) {
    const double c = std::cos(angle), s = std::sin(angle);
    return normalized({c * direction[0] + s * across[0], c * direction[1] + s * across[1],
                       c * direction[2] + s * across[2]});
  }

  std::vector<Tube>& tubes_;
  GaussianSource random_;
};

std::vector<Tube> build_trees() {
  // Arteries leave the hila at the ends of the pulmonary arteries. Veins
  // start inside the left atrium behind the heart and run out into the lungs.
  const Vec3 right_hilum{-40, -6, 8};
  const Vec3 left_hilum{38, -4, 20};
  const Vec3 right_atrium_side{-30, -20, -30};
  const Vec3 left_atrium_side{40, -10, -25};
  const std::vector<Root> right_roots{
      {right_hilum, {-0.3, -0.1, 1.0}, 5.5},       {right_hilum, {-0.3, 0.6, 0.8}, 4.5},
      {right_hilum, {-0.5, -0.7, 0.5}, 4.5},       {right_hilum, {-0.6, -0.7, -0.3}, 4.5},
      {right_hilum, {-0.3, 0.4, -1.0}, 6.0},       {right_hilum, {-0.4, 0.8, -0.5}, 4.5},
      {right_hilum, {-1.0, 0.0, 0.1}, 4.5},        {right_hilum, {-0.6, -0.2, -0.8}, 4.5},
      {right_atrium_side, {-1.0, 0.3, 0.2}, 5.0},  {right_atrium_side, {-0.6, 0.5, -0.6}, 5.0},
      {right_atrium_side, {-0.5, -0.3, 0.8}, 4.5}, {right_atrium_side, {-0.7, -0.5, -0.4}, 4.5},
      {right_atrium_side, {-0.5, 0.8, 0.2}, 4.5},
  };
  const std::vector<Root> left_roots{
      {left_hilum, {0.3, -0.2, 1.0}, 5.5},        {left_hilum, {0.3, 0.6, 0.8}, 4.5},
      {left_hilum, {0.5, -0.7, 0.5}, 4.5},        {left_hilum, {0.5, -0.8, -0.4}, 4.5},
      {left_hilum, {0.3, 0.5, -1.0}, 6.0},        {left_hilum, {0.4, 0.8, -0.4}, 4.5},
      {left_hilum, {1.0, 0.0, 0.0}, 4.5},         {left_hilum, {0.6, -0.2, -0.8}, 4.5},
      {left_atrium_side, {1.0, 0.3, 0.2}, 5.0},   {left_atrium_side, {0.6, 0.6, -0.6}, 5.0},
      {left_atrium_side, {0.5, -0.2, 0.8}, 4.5},  {left_atrium_side, {0.7, 0.8, 0.1}, 4.5},
      {left_hilum, {0.8, 0.3, -0.6}, 4.5},        {left_hilum, {0.5, 0.1, -1.0}, 4.5},
  };

  std::vector<Tube> tubes;
  TreeBuilder builder(tubes);
  for (const Root& root : right_roots)
    builder.grow(root.start, normalized(root.direction), 34.0, root.radius_mm, 0, PhantomLabel::right_lung);
  for (const Root& root : left_roots)
    builder.grow(root.start, normalized(root.direction), 34.0, root.radius_mm, 0, PhantomLabel::left_lung);
  return tubes;
}

}  // namespace

const std::vector<Tube>& vessel_tree() {
  static const std::vector<Tube> tubes = build_trees();
  return tubes;
}

}  // namespace lunglens::phantom
