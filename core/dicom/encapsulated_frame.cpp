#include "dicom/encapsulated_frame.h"

namespace lunglens {
namespace {

std::uint32_t little_endian(const std::uint8_t* p, int bytes) {
  std::uint32_t value = 0;
  for (int b = bytes - 1; b >= 0; --b) value = (value << 8) | p[b];
  return value;
}

enum class Item { fragment, end, malformed };

// Reads the item header at `at` (tag and 32-bit length) and moves past it.
Item next_item(std::span<const std::uint8_t> file, std::size_t& at, std::size_t& length) {
  if (file.size() < 8 || at > file.size() - 8) return Item::malformed;
  const std::uint32_t group = little_endian(file.data() + at, 2);
  const std::uint32_t element = little_endian(file.data() + at + 2, 2);
  length = little_endian(file.data() + at + 4, 4);
  at += 8;
  if (group != 0xFFFE) return Item::malformed;
  if (element == 0xE0DD) return Item::end;
  if (element != 0xE000 || length > file.size() - at) return Item::malformed;
  return Item::fragment;
}

}  // namespace

std::span<const std::uint8_t> single_frame_bytes(std::span<const std::uint8_t> file, std::int64_t offset,
                                                 std::vector<std::uint8_t>& joined) {
  if (offset < 0 || static_cast<std::uint64_t>(offset) > file.size()) return {};
  std::size_t at = static_cast<std::size_t>(offset);
  std::size_t length = 0;

  // The Basic Offset Table comes first. A single frame needs none of it.
  if (next_item(file, at, length) != Item::fragment) return {};
  at += length;

  std::vector<std::span<const std::uint8_t>> fragments;
  for (;;) {
    const Item item = next_item(file, at, length);
    if (item == Item::malformed) return {};
    if (item == Item::end) break;
    fragments.push_back(file.subspan(at, length));
    at += length;
  }
  if (fragments.empty()) return {};
  if (fragments.size() == 1) return fragments.front();
  joined.clear();
  for (const auto& fragment : fragments) joined.insert(joined.end(), fragment.begin(), fragment.end());
  return joined;
}

}  // namespace lunglens
