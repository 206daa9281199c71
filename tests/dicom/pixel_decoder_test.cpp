#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dicom/encapsulated_frame.h"
#include "dicom/header_reader.h"
#include "dicom/pixel_decoder.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

struct JpeglsCase {
  std::string file;   // Under the data folder.
  bool direct;        // Whether decode_jpegls_directly takes it.
};

}  // namespace

TEST_SUITE("pixel decoder") {

TEST_CASE("direct JPEG-LS equals GDCM") {
  REQUIRE_MESSAGE(jpegls_direct_available(), "built without the CharLS headers (see cmake/gdcm.cmake)");
  const std::vector<JpeglsCase> cases = {
      {"ct/LIDC-IDRI-0001/000001.dcm", true},              // 16 bits stored, signed.
      {"ct/LIDC-IDRI-0002/000100.dcm", true},
      {"decoder/wg04/CT1_JLSL", true},                     // Lossless.
      {"decoder/wg04/CT2_JLSL", true},
      {"decoder/pydicom-data/JLSL_16_15_1_1F.dcm", true},  // 15 bits stored, signed.
      {"decoder/dcm_qa_ts/7.dcm", false},                  // 12 bits stored, 16 in the codestream.
      {"decoder/wg04/CT1_JLSN", false},                    // Near-lossless.
      {"decoder/pydicom-data/JLSL_08_07_0_1F.dcm", false}, // 8 bits allocated; the GDCM path fails on it.
      {"decoder/pydicom-testfiles/emri_small_jpeg_ls_lossless.dcm", false},  // Several frames.
  };
  int compared = 0;
  for (const JpeglsCase& c : cases) {
    CAPTURE(c.file);
    const auto path = data_path(c.file);
    if (!path) continue;
    FileSet set;
    set.add_path(*path);
    const InputFile file = set.files().front();
    const FileHeader header = read_file_header(file, 0).header;

    DecodedPixels direct;
    CHECK(decode_jpegls_directly(file, header, direct) == c.direct);
    DecodedPixels through_gdcm;
    const bool gdcm_failed = decode_pixels_with_gdcm(file, header, through_gdcm).has_value();
    DecodedPixels decoded;
    CHECK(decode_pixels(file, header, decoded).has_value() == gdcm_failed);
    if (gdcm_failed) continue;
    if (c.direct) {
      CHECK(direct.buffer == through_gdcm.buffer);
      CHECK(direct.frames == through_gdcm.frames);
      CHECK(direct.frame_samples == through_gdcm.frame_samples);
      CHECK(direct.format.bits_allocated == through_gdcm.format.bits_allocated);
      CHECK(direct.format.bits_stored == through_gdcm.format.bits_stored);
      CHECK(direct.format.high_bit == through_gdcm.format.high_bit);
      CHECK(direct.format.is_signed == through_gdcm.format.is_signed);
      ++compared;
    }
    CHECK(decoded.buffer == through_gdcm.buffer);
  }
  if (compared == 0) MESSAGE("skipped: no JPEG-LS test files under the data folder");
}

TEST_CASE("damaged JPEG-LS falls back to GDCM") {
  const auto path = data_path("decoder/wg04/CT1_JLSL");
  if (!path) {
    MESSAGE("skipped: decoder/wg04/CT1_JLSL not in the data folder");
    return;
  }
  FileSet set;
  set.add_path(*path);
  std::vector<std::uint8_t> bytes(set.files().front().bytes.begin(), set.files().front().bytes.end());
  const FileHeader header = read_file_header(InputFile{"CT1_JLSL", bytes}, 0).header;
  REQUIRE(header.pixel_data_offset > 0);

  // Without its start-of-image marker, CharLS cannot read the codestream's
  // header, so the direct path declines and GDCM reports the damage.
  // The first fragment follows the Basic Offset Table item (8-byte header
  // and its length) and its own 8-byte item header.
  const auto table = static_cast<std::size_t>(header.pixel_data_offset);
  const std::size_t table_length = bytes[table + 4] | (bytes[table + 5] << 8) | (bytes[table + 6] << 16);
  const std::size_t start = table + 8 + table_length + 8;
  REQUIRE(start + 2 < bytes.size());
  REQUIRE(bytes[start] == 0xFF);
  REQUIRE(bytes[start + 1] == 0xD8);
  bytes[start] = 0;
  bytes[start + 1] = 0;
  const InputFile damaged{"CT1_JLSL", bytes};

  DecodedPixels pixels;
  CHECK_FALSE(decode_jpegls_directly(damaged, header, pixels));
  const auto error = decode_pixels(damaged, header, pixels);
  REQUIRE(error.has_value());
  CHECK(error->file == "CT1_JLSL");
}

TEST_CASE("frame bytes of malformed items") {
  // Basic Offset Table (empty), one fragment of 4 bytes, sequence delimiter.
  std::vector<std::uint8_t> items = {0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0,  0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0,
                                     1,    2,    3,    4,    0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0};
  std::vector<std::uint8_t> joined;
  const auto frame = single_frame_bytes(items, 0, joined);
  REQUIRE(frame.size() == 4);
  CHECK(frame[0] == 1);
  CHECK(frame[3] == 4);

  std::vector<std::uint8_t> past_end = items;
  past_end[12] = 200;  // The fragment claims 200 bytes.
  CHECK(single_frame_bytes(past_end, 0, joined).empty());

  std::vector<std::uint8_t> no_fragment(items.begin(), items.begin() + 8);
  CHECK(single_frame_bytes(no_fragment, 0, joined).empty());
  CHECK(single_frame_bytes(items, 1000, joined).empty());
  CHECK(single_frame_bytes(items, -1, joined).empty());
}

}  // TEST_SUITE
