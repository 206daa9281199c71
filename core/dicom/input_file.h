// One file handed to the core by the caller: a name for messages and a view of
// its bytes. The caller owns the bytes and keeps them alive and unchanged for
// as long as any scan or load that received them runs.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace lunglens {

struct InputFile {
  std::string name;  // Path or name as the user knows it; used only in diagnostics.
  std::span<const std::uint8_t> bytes;
};

}  // namespace lunglens
