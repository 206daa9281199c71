// The compressed bytes of a single-frame encapsulated Pixel Data value
// (PS3.5 A.4): the fragments after the Basic Offset Table, read straight from
// the file bytes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lunglens {

// Returns the frame's bytes for the Pixel Data value that starts at `offset`
// in `file`: the only fragment itself, or every fragment joined into `joined`
// (a buffer the caller reuses). Returns an empty span when the items are not
// well formed or run past the end of the file.
std::span<const std::uint8_t> single_frame_bytes(std::span<const std::uint8_t> file, std::int64_t offset,
                                                 std::vector<std::uint8_t>& joined);

}  // namespace lunglens
