#include "dicom/pixel_decoder.h"

#include <algorithm>
#include <exception>
#include <new>
#include <span>
#include <string>

#include <gdcmImage.h>
#include <gdcmImageReader.h>
#include <gdcmPixelFormat.h>
#include <gdcmSequenceOfFragments.h>
#include <gdcmTransferSyntax.h>

#ifndef LUNGLENS_CHARLS_DIRECT
#define LUNGLENS_CHARLS_DIRECT 0
#endif
#if LUNGLENS_CHARLS_DIRECT
#include <charls.h>
#endif

#include "dicom/encapsulated_frame.h"
#include "dicom/gdcm_setup.h"
#include "dicom/span_stream.h"

namespace lunglens {

namespace {

Diagnostic decode_error(const InputFile& file, DiagnosticCode code, std::string message) {
  return Diagnostic{code, Severity::error, file.name, std::move(message)};
}

std::string syntax_name(const gdcm::TransferSyntax& syntax) {
  const char* uid = syntax.GetString();
  return uid != nullptr ? uid : "unknown";
}

// Returns true when the sequence delimitation item (FFFE,E0DD) that closes
// encapsulated Pixel Data lies in the last bytes of `file`. A file cut short
// inside the fragments lacks it. Elements after the Pixel Data (trailing
// padding, a digital signature) are rare in CT, so 256 bytes are searched.
bool ends_with_sequence_delimiter(const InputFile& file) {
  constexpr std::uint8_t kDelimiter[8] = {0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00};
  const std::size_t searched = std::min<std::size_t>(file.bytes.size(), 256);
  const auto tail = file.bytes.subspan(file.bytes.size() - searched);
  return std::search(tail.begin(), tail.end(), std::begin(kDelimiter), std::end(kDelimiter)) != tail.end();
}

// Checks the Pixel Data element before GDCM decodes it: a native value must
// hold every frame, an encapsulated one must have fragments.
std::optional<Diagnostic> check_pixel_element(const InputFile& file, const gdcm::DataSet& data_set,
                                              const gdcm::TransferSyntax& syntax, std::int64_t expected_bytes) {
  const gdcm::Tag pixel_data(0x7fe0, 0x0010);
  if (!data_set.FindDataElement(pixel_data))
    return decode_error(file, DiagnosticCode::decode_failed, "no Pixel Data (7FE0,0010) element");
  const gdcm::DataElement& element = data_set.GetDataElement(pixel_data);

  if (syntax.IsEncapsulated()) {
    const gdcm::SequenceOfFragments* fragments = element.GetSequenceOfFragments();
    if (fragments == nullptr || fragments->GetNumberOfFragments() == 0)
      return decode_error(file, DiagnosticCode::corrupt_file,
                          "encapsulated Pixel Data (transfer syntax " + syntax_name(syntax) + ") has no fragments");
    return std::nullopt;
  }

  const gdcm::ByteValue* value = element.GetByteValue();
  const std::int64_t length = value != nullptr ? static_cast<std::int64_t>(static_cast<std::uint32_t>(value->GetLength())) : 0;
  if (length < expected_bytes)
    return decode_error(file, DiagnosticCode::pixel_data_size_mismatch,
                        "Pixel Data holds " + std::to_string(length) + " bytes, expected " +
                            std::to_string(expected_bytes));
  return std::nullopt;
}

std::optional<Diagnostic> decode_checked(const InputFile& file, const FileHeader& header, DecodedPixels& pixels) {
  SpanIstream stream(file.bytes.subspan(std::min(header.data_set_offset, file.bytes.size())));
  gdcm::ImageReader reader;
  reader.SetStream(stream);
  if (!reader.Read())
    return decode_error(file, DiagnosticCode::decode_failed,
                        "GDCM could not read the image (transfer syntax " + header.transfer_syntax_uid + ")");

  const gdcm::Image& image = reader.GetImage();
  const unsigned* dimensions = image.GetDimensions();
  const std::int64_t columns = dimensions[0];
  const std::int64_t rows = dimensions[1];
  const std::int64_t frames = image.GetNumberOfDimensions() > 2 ? dimensions[2] : 1;
  if (columns != header.columns || rows != header.rows || frames != header.number_of_frames)
    return decode_error(file, DiagnosticCode::pixel_data_size_mismatch,
                        "GDCM reports " + std::to_string(columns) + " x " + std::to_string(rows) + " x " +
                            std::to_string(frames) + " pixels, the header declares " + std::to_string(header.columns) +
                            " x " + std::to_string(header.rows) + " x " + std::to_string(header.number_of_frames));

  const gdcm::PixelFormat& format = image.GetPixelFormat();
  const int bits_allocated = format.GetBitsAllocated();
  if (format.GetSamplesPerPixel() != 1 || (bits_allocated != 8 && bits_allocated != 16 && bits_allocated != 32))
    return decode_error(file, DiagnosticCode::unsupported_image,
                        "GDCM decodes " + std::to_string(format.GetSamplesPerPixel()) + " sample(s) of " +
                            std::to_string(bits_allocated) + " bits per pixel; expected 1 sample of 8, 16 or 32 bits");

  const std::int64_t samples = columns * rows * frames;
  const std::int64_t header_bytes = samples * (header.bits_allocated / 8);
  const gdcm::TransferSyntax& syntax = reader.GetFile().GetHeader().GetDataSetTransferSyntax();
  if (auto problem = check_pixel_element(file, reader.GetFile().GetDataSet(), syntax, header_bytes)) return problem;

  const std::int64_t expected_bytes = samples * (bits_allocated / 8);
  const std::int64_t buffer_bytes = static_cast<std::int64_t>(image.GetBufferLength());
  if (buffer_bytes != expected_bytes)
    return decode_error(file, DiagnosticCode::pixel_data_size_mismatch,
                        "GDCM would decode " + std::to_string(buffer_bytes) + " bytes, expected " +
                            std::to_string(expected_bytes) + " (Rows x Columns x frames x BitsAllocated/8)");

  pixels.buffer.resize(static_cast<std::size_t>(buffer_bytes));
  if (!image.GetBuffer(reinterpret_cast<char*>(pixels.buffer.data()))) {
    if (syntax.IsEncapsulated() && !ends_with_sequence_delimiter(file))
      return decode_error(file, DiagnosticCode::decode_failed,
                          "GDCM could not decode the Pixel Data (transfer syntax " + syntax_name(syntax) +
                              "): the file (" + std::to_string(file.bytes.size()) +
                              " bytes) ends inside the compressed fragments, without their sequence delimiter, so it "
                              "is probably cut short");
    return decode_error(file, DiagnosticCode::decode_failed,
                        "GDCM could not decode the Pixel Data (transfer syntax " + syntax_name(syntax) + ")");
  }

  pixels.format.bits_allocated = bits_allocated;
  pixels.format.bits_stored = format.GetBitsStored();
  pixels.format.high_bit = format.GetHighBit();
  pixels.format.is_signed = format.GetPixelRepresentation() == 1;
  if (pixels.format.bits_stored < 1 || pixels.format.bits_stored > bits_allocated ||
      pixels.format.high_bit < pixels.format.bits_stored - 1 || pixels.format.high_bit >= bits_allocated)
    return decode_error(file, DiagnosticCode::unsupported_image,
                        "decoded pixel format has BitsStored " + std::to_string(pixels.format.bits_stored) +
                            " and HighBit " + std::to_string(pixels.format.high_bit) + " for BitsAllocated " +
                            std::to_string(bits_allocated));
  pixels.frame_samples = columns * rows;
  pixels.frames = static_cast<int>(frames);
  return std::nullopt;
}

}  // namespace

bool decode_jpegls_directly(const InputFile& file, const FileHeader& header, DecodedPixels& pixels) {
#if LUNGLENS_CHARLS_DIRECT
  const bool jpegls = header.transfer_syntax_uid == "1.2.840.10008.1.2.4.80" ||
                      header.transfer_syntax_uid == "1.2.840.10008.1.2.4.81";
  if (!jpegls || !header.encapsulated_pixel_data || header.pixel_data_offset < 0 || header.number_of_frames != 1 ||
      header.samples_per_pixel != 1 || header.bits_allocated != 16 || header.bits_stored < 9 ||
      header.bits_stored > 16 || header.high_bit != header.bits_stored - 1 || header.rows <= 0 || header.columns <= 0)
    return false;

  thread_local std::vector<std::uint8_t> joined;
  const std::span<const std::uint8_t> codestream = single_frame_bytes(file.bytes, header.pixel_data_offset, joined);
  if (codestream.empty()) return false;
  JlsParameters params = {};
  if (JpegLsReadHeader(codestream.data(), codestream.size(), &params, nullptr) != charls::ApiResult::OK) return false;
  if (params.width != header.columns || params.height != header.rows || params.components != 1 ||
      params.bitsPerSample != header.bits_stored || params.allowedLossyError != 0)
    return false;

  const std::int64_t samples = std::int64_t{header.rows} * header.columns;
  pixels.buffer.resize(static_cast<std::size_t>(2 * samples));
  if (JpegLsDecode(pixels.buffer.data(), pixels.buffer.size(), codestream.data(), codestream.size(), &params,
                   nullptr) != charls::ApiResult::OK)
    return false;

  pixels.format.bits_allocated = 16;
  pixels.format.bits_stored = header.bits_stored;
  pixels.format.high_bit = header.high_bit;
  pixels.format.is_signed = header.pixel_representation == 1;
  pixels.frame_samples = samples;
  pixels.frames = 1;
  return true;
#else
  (void)file;
  (void)header;
  (void)pixels;
  return false;
#endif
}

bool jpegls_direct_available() { return LUNGLENS_CHARLS_DIRECT != 0; }

std::optional<Diagnostic> decode_pixels_with_gdcm(const InputFile& file, const FileHeader& header,
                                                  DecodedPixels& pixels) {
  ensure_gdcm_initialised();
  try {
    return decode_checked(file, header, pixels);
  } catch (const std::bad_alloc&) {
    return decode_error(file, DiagnosticCode::too_large, "out of memory while decoding the Pixel Data");
  } catch (const std::exception& error) {
    return decode_error(file, DiagnosticCode::decode_failed,
                        std::string("decoding the Pixel Data failed: ") + error.what());
  } catch (...) {
    return decode_error(file, DiagnosticCode::decode_failed, "decoding the Pixel Data failed");
  }
}

std::optional<Diagnostic> decode_pixels(const InputFile& file, const FileHeader& header, DecodedPixels& pixels) {
  try {
    if (decode_jpegls_directly(file, header, pixels)) return std::nullopt;
  } catch (const std::bad_alloc&) {
    return decode_error(file, DiagnosticCode::too_large, "out of memory while decoding the Pixel Data");
  }
  return decode_pixels_with_gdcm(file, header, pixels);
}

}  // namespace lunglens
