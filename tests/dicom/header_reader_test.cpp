#include <doctest/doctest.h>

#include <random>

#include "dicom/header_reader.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

HeaderReadResult read_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name = "test.dcm") {
  return read_file_header(InputFile{name, bytes}, 0);
}

bool has_code(const Diagnostics& diagnostics, DiagnosticCode code) {
  for (const Diagnostic& d : diagnostics)
    if (d.code == code) return true;
  return false;
}

}  // namespace

TEST_SUITE("dicom header") {

TEST_CASE("header of a CT slice") {
  SliceSpec spec;
  spec.position_mm = {-10.5, 20.0, 30.25};
  spec.pixel_spacing = "0.5\\1.0";
  const auto result = read_bytes(build_dicom(spec));
  const FileHeader& header = result.header;

  CHECK(header.kind == FileKind::image);
  CHECK(result.diagnostics.empty());
  CHECK(header.rows == 4);
  CHECK(header.columns == 6);
  CHECK(header.has_pixel_data);
  CHECK(header.pixel_data_length == 4 * 6 * 2);
  REQUIRE(header.frames.size() == 1);
  CHECK(header.frames[0].position_mm == Vec3{-10.5, 20.0, 30.25});
  CHECK(header.frames[0].pixel_spacing_mm[0] == 0.5);
  CHECK(header.frames[0].pixel_spacing_mm[1] == 1.0);
  CHECK(header.frames[0].rescale_intercept == -1024.0);
}

TEST_CASE("slope strings parse") {
  for (const std::string& text : std::vector<std::string>{"0.01", " 1.0E-2 ", "1.0E-2", std::string("0.01\0", 5)}) {
    SliceSpec spec;
    spec.rescale_slope = text;
    const auto result = read_bytes(build_dicom(spec));
    REQUIRE(result.header.kind == FileKind::image);
    CHECK(result.header.frames[0].rescale_slope == doctest::Approx(0.01));
  }
}

TEST_CASE("unparseable slope is an error") {
  SliceSpec spec;
  spec.rescale_slope = "one";
  const auto result = read_bytes(build_dicom(spec), "bad-slope.dcm");
  CHECK(result.header.kind == FileKind::unreadable);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == DiagnosticCode::invalid_rescale);
  CHECK(result.diagnostics[0].severity == Severity::error);
  CHECK(result.diagnostics[0].file == "bad-slope.dcm");
}

TEST_CASE("missing rescale is identity") {
  SliceSpec spec;
  spec.rescale_slope.reset();
  spec.rescale_intercept.reset();
  const auto result = read_bytes(build_dicom(spec));
  REQUIRE(result.header.kind == FileKind::image);
  CHECK_FALSE(result.header.frames[0].has_rescale);
  CHECK(result.header.frames[0].rescale_slope == 1.0);
  CHECK(result.header.frames[0].rescale_intercept == 0.0);
}

TEST_CASE("padding written unsigned for signed") {
  SliceSpec spec;
  spec.padding_value = 63536;  // -2000 as unsigned 16-bit.
  CHECK(read_bytes(build_dicom(spec)).header.pixel_padding_value == -2000);

  spec.bits_stored = 12;
  spec.high_bit = 11;
  CHECK(read_bytes(build_dicom(spec)).header.pixel_padding_value == -2000);

  spec.pixel_representation = 0;
  spec.bits_stored = 16;
  spec.high_bit = 15;
  CHECK(read_bytes(build_dicom(spec)).header.pixel_padding_value == 63536);
}

TEST_CASE("big endian header") {
  SliceSpec spec;
  spec.transfer_syntax = kExplicitBigEndian;
  spec.padding_value = 63536;
  const auto result = read_bytes(build_dicom(spec));
  REQUIRE(result.header.kind == FileKind::image);
  CHECK(result.header.transfer_syntax_uid == kExplicitBigEndian);
  CHECK(result.header.rows == 4);
  CHECK(result.header.columns == 6);
  CHECK(result.header.pixel_data_length == 48);
  CHECK(result.header.pixel_padding_value == -2000);
}

TEST_CASE("no preamble and no file meta") {
  SliceSpec spec;
  spec.transfer_syntax = kImplicitLittleEndian;
  const auto result = read_bytes(strip_preamble_and_meta(build_dicom(spec)));
  REQUIRE(result.header.kind == FileKind::image);
  CHECK(result.header.columns == 6);
  CHECK(result.header.pixel_data_length == 48);
}

TEST_CASE("private sequence before pixel data") {
  for (const char* syntax : {kImplicitLittleEndian, kExplicitLittleEndian}) {
    SliceSpec spec;
    spec.private_sequence = true;
    spec.transfer_syntax = syntax;
    const auto result = read_bytes(build_dicom(spec));
    CHECK(result.header.kind == FileKind::image);
    CHECK(result.header.has_pixel_data);
    CHECK(result.header.pixel_data_length == 48);
  }
}

TEST_CASE("non-image kinds") {
  SliceSpec localizer;
  localizer.image_type = "ORIGINAL\\PRIMARY\\LOCALIZER";
  const auto scout = read_bytes(build_dicom(localizer));
  CHECK(scout.header.kind == FileKind::localizer);
  CHECK(has_code(scout.diagnostics, DiagnosticCode::localizer));

  const auto report = read_bytes(build_dose_sr("1.2.3"));
  CHECK(report.header.kind == FileKind::structured_report);
  CHECK(has_code(report.diagnostics, DiagnosticCode::structured_report));

  const auto directory = read_bytes(build_dicomdir());
  CHECK(directory.header.kind == FileKind::dicomdir);
  CHECK(has_code(directory.diagnostics, DiagnosticCode::dicomdir));

  SliceSpec secondary;
  secondary.sop_class_uid = "1.2.840.10008.5.1.4.1.1.7";
  CHECK(read_bytes(build_dicom(secondary)).header.kind == FileKind::secondary_capture);

  SliceSpec segmentation;
  segmentation.sop_class_uid = "1.2.840.10008.5.1.4.1.1.66.4";
  CHECK(read_bytes(build_dicom(segmentation)).header.kind == FileKind::segmentation_object);

  SliceSpec structure_set;
  structure_set.sop_class_uid = "1.2.840.10008.5.1.4.1.1.481.3";
  structure_set.include_pixel_data = false;
  CHECK(read_bytes(build_dicom(structure_set)).header.kind == FileKind::rt_structure_set);

  SliceSpec presentation;
  presentation.sop_class_uid = "1.2.840.10008.5.1.4.1.1.11.1";
  presentation.include_pixel_data = false;
  CHECK(read_bytes(build_dicom(presentation)).header.kind == FileKind::presentation_state);
}

TEST_CASE("colour image unsupported") {
  SliceSpec spec;
  spec.photometric = "PALETTE COLOR";
  const auto result = read_bytes(build_dicom(spec));
  CHECK(result.header.kind == FileKind::unsupported_image);
  CHECK(has_code(result.diagnostics, DiagnosticCode::unsupported_image));
}

TEST_CASE("image with invalid orientation") {
  SliceSpec spec;
  spec.orientation = {0, 0, 0, 0, 0, 0};
  const auto result = read_bytes(build_dicom(spec));
  CHECK(result.header.kind == FileKind::not_cross_sectional);
  CHECK(has_code(result.diagnostics, DiagnosticCode::not_ct_like));
}

TEST_CASE("enhanced CT frames") {
  SliceSpec spec;
  spec.sop_class_uid = kEnhancedCtImageStorage;
  spec.frames = {{{0, 0, 10}, "-1000"}, {{0, 0, 12}, "-1024"}, {{0, 0, 14}, " -1.1E3 "}};
  const auto result = read_bytes(build_dicom(spec));
  REQUIRE(result.header.kind == FileKind::image);
  REQUIRE(result.header.frames.size() == 3);
  CHECK(result.header.number_of_frames == 3);
  CHECK(result.header.frames[0].rescale_intercept == -1000.0);
  CHECK(result.header.frames[1].rescale_intercept == -1024.0);
  CHECK(result.header.frames[2].rescale_intercept == -1100.0);
  CHECK(result.header.frames[2].position_mm == Vec3{0, 0, 14});
  CHECK(result.header.frames[1].pixel_spacing_mm[0] == 0.5);
}

TEST_CASE("truncated file is an error") {
  const auto bytes = build_dicom(SliceSpec{});
  for (const std::size_t keep : {std::size_t{100}, std::size_t{300}, bytes.size() - 10}) {
    const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
    const auto result = read_bytes(cut, "cut.dcm");
    CHECK(result.header.kind == FileKind::unreadable);
    REQUIRE(!result.diagnostics.empty());
    CHECK(result.diagnostics[0].severity == Severity::error);
    CHECK(result.diagnostics[0].file == "cut.dcm");
  }
}

TEST_CASE("random bytes are not DICOM") {
  std::mt19937 random(7);
  std::vector<std::uint8_t> noise(4096);
  for (auto& b : noise) b = static_cast<std::uint8_t>(random());
  const auto result = read_bytes(noise, "noise.bin");
  CHECK(result.header.kind == FileKind::unreadable);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == DiagnosticCode::not_dicom);
  CHECK(result.diagnostics[0].file == "noise.bin");

  CHECK(read_bytes({}).header.kind == FileKind::unreadable);
}

}
