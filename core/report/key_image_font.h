// A 5 x 7 pixel bitmap font for the orientation letters and legends drawn
// into key images: A-Z, 0-9, space, '-' and '.'. Lower-case letters are drawn
// as upper case; other characters as a blank.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "report/png_writer.h"

namespace lunglens {

using Rgb = std::array<std::uint8_t, 3>;

inline constexpr int kGlyphWidth = 5;
inline constexpr int kGlyphHeight = 7;
inline constexpr int kGlyphAdvance = 6;  // Glyph width plus one column of spacing.

// Returns the width in pixels of `text` drawn at `scale` (each font pixel
// becomes scale x scale image pixels).
int text_width(std::string_view text, int scale);

// Draws `text` with its top-left corner at (x, y); pixels outside the image
// are skipped.
void draw_text(RgbImage& image, int x, int y, std::string_view text, const Rgb& colour, int scale);

}  // namespace lunglens
