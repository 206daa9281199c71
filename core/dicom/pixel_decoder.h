// Decoding of the Pixel Data of one file with GDCM, checked before and after
// decoding so that no buffer is read or written past its end.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "dicom/file_header.h"
#include "dicom/input_file.h"

namespace lunglens {

// Layout of decoded stored values, as GDCM reports it for the buffer.
struct StoredValueFormat {
  int bits_allocated = 16;  // 8, 16 or 32 bits per sample in the buffer.
  int bits_stored = 16;
  int high_bit = 15;
  bool is_signed = false;   // PixelRepresentation 1.
};

struct DecodedPixels {
  std::vector<std::uint8_t> buffer;  // Every frame, host byte order, frame after frame.
  StoredValueFormat format;
  std::int64_t frame_samples = 0;    // Rows x Columns.
  int frames = 0;
};

// Decodes every frame of `file` into `pixels` (the buffer is reused between
// calls). Returns the error, naming the file, when GDCM cannot read or decode
// it or its size differs from what the header declares. Never throws.
std::optional<Diagnostic> decode_pixels(const InputFile& file, const FileHeader& header, DecodedPixels& pixels);

}  // namespace lunglens
