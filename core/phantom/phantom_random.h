// Deterministic random numbers for the phantom. A counter-based hash drives
// smooth value noise: texture that depends only on the LPS position, so every
// grid and patient position samples the same tissue. A small seeded generator
// produces the Gaussian image noise. Both are written out here rather than
// taken from <random>, whose distributions differ between standard libraries,
// so native and WebAssembly builds produce the same bytes.
#pragma once

#include <cmath>
#include <cstdint>

namespace lunglens::phantom {

// Returns a well-mixed 32-bit hash of a lattice point and a seed.
inline std::uint32_t hash_lattice(std::int32_t x, std::int32_t y, std::int32_t z, std::uint32_t seed) {
  std::uint32_t h = seed * 0x9E3779B1u;
  h ^= static_cast<std::uint32_t>(x) * 0x85EBCA77u;
  h = (h << 13) | (h >> 19);
  h ^= static_cast<std::uint32_t>(y) * 0xC2B2AE3Du;
  h = (h << 13) | (h >> 19);
  h ^= static_cast<std::uint32_t>(z) * 0x27D4EB2Fu;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  h *= 0x297A2D39u;
  h ^= h >> 15;
  return h;
}

// Returns smooth value noise in [-1, 1] at (x, y, z), measured in lattice
// cells: random values at integer points, blended with a smoothstep.
float value_noise(double x, double y, double z, std::uint32_t seed);

// Returns two octaves of value noise at an LPS position, in [-1, 1]; the
// coarse octave has a cell of `cell_mm`.
float texture_noise(double x_mm, double y_mm, double z_mm, double cell_mm, std::uint32_t seed);

// SplitMix64 generator with Box-Muller Gaussian samples.
class GaussianSource {
 public:
  explicit GaussianSource(std::uint64_t seed) : state_(seed) {}

  // Returns a uniform double in (0, 1).
  double uniform() {
    return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  }

  // Returns a standard normal sample.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 6.283185307179586 * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace lunglens::phantom
