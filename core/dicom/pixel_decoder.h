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
// Single-frame lossless JPEG-LS files of 9 to 16 bits go straight to CharLS
// (decode_jpegls_directly), every other file through gdcm::ImageReader.
std::optional<Diagnostic> decode_pixels(const InputFile& file, const FileHeader& header, DecodedPixels& pixels);

// Decodes a single-frame, lossless JPEG-LS file of one sample of 9 to 16 bits
// with the CharLS library inside GDCM, straight from the fragments in the
// file bytes. The decoder and the values are those of gdcm::ImageReader, but
// the data set is not parsed again and the codestream and pixels are not
// copied through GDCM's buffers. Returns false for every other file, for a
// codestream CharLS rejects, and in builds without the CharLS headers
// (jpegls_direct_available()), so that GDCM decodes the file and names any
// fault. May throw std::bad_alloc.
bool decode_jpegls_directly(const InputFile& file, const FileHeader& header, DecodedPixels& pixels);

// Returns true when this build has decode_jpegls_directly.
bool jpegls_direct_available();

// Decodes through gdcm::ImageReader only, never directly; for tests that
// compare the two paths. Never throws.
std::optional<Diagnostic> decode_pixels_with_gdcm(const InputFile& file, const FileHeader& header,
                                                  DecodedPixels& pixels);

}  // namespace lunglens
