#include "dicom/header_reader.h"

#include <cstring>
#include <exception>

#include <gdcmFileMetaInformation.h>
#include <gdcmReader.h>
#include <gdcmTransferSyntax.h>

#include "dicom/dataset_values.h"
#include "dicom/dicom_text.h"
#include "dicom/frame_headers.h"
#include "dicom/gdcm_setup.h"
#include "dicom/sop_class.h"
#include "dicom/span_stream.h"

namespace lunglens {

namespace {

const gdcm::Tag kPixelData(0x7fe0, 0x0010);

// Returns true when the bytes start like a DICOM file: the "DICM" prefix after
// the 128-byte preamble, or a group 0002 or 0008 element with or without
// preamble (little or big endian).
bool looks_like_dicom(std::span<const std::uint8_t> bytes) {
  if (bytes.size() >= 132 && std::memcmp(bytes.data() + 128, "DICM", 4) == 0) return true;
  if (bytes.size() < 8) return false;
  const unsigned group_le = bytes[0] | (bytes[1] << 8);
  const unsigned group_be = (bytes[0] << 8) | bytes[1];
  for (unsigned group : {group_le, group_be})
    if (group == 0x0002 || group == 0x0008) return true;
  return false;
}

std::uint32_t read_u32(const std::uint8_t* p, bool big_endian) {
  if (big_endian) return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
}

// Location of the Pixel Data value. GDCM's ReadUpToTag with Pixel Data as a
// skip tag leaves the stream just after the Pixel Data element header (tag,
// VR, length), without reading the value.
struct PixelDataLocation {
  bool found = false;
  std::int64_t value_offset = 0;  // Offset of the first value byte in the file.
  std::int64_t value_length = -1; // -1 for undefined length (encapsulated).
};

PixelDataLocation locate_pixel_data(std::span<const std::uint8_t> bytes, std::int64_t position) {
  PixelDataLocation location;
  if (position < 8 || position > static_cast<std::int64_t>(bytes.size())) return location;

  static constexpr std::uint8_t tag_le[4] = {0xe0, 0x7f, 0x10, 0x00};
  static constexpr std::uint8_t tag_be[4] = {0x7f, 0xe0, 0x00, 0x10};
  // Explicit VR with a 4-byte length (OB, OW, UN): 12-byte element header.
  // Implicit VR: 8-byte element header.
  for (const std::int64_t header_size : {12, 8}) {
    if (position < header_size) continue;
    const std::uint8_t* start = bytes.data() + position - header_size;
    for (const bool big_endian : {false, true}) {
      if (std::memcmp(start, big_endian ? tag_be : tag_le, 4) != 0) continue;
      const std::uint32_t length = read_u32(bytes.data() + position - 4, big_endian);
      location.found = true;
      location.value_offset = position;
      location.value_length = length == 0xffffffffu ? -1 : std::int64_t(length);
      return location;
    }
  }
  return location;
}

// Returns true when the data set contains an element every DICOM object or
// image has; a "successful" parse of random bytes yields none of them.
bool has_identifying_element(const gdcm::DataSet& ds) {
  for (const gdcm::Tag& tag : {gdcm::Tag(0x0008, 0x0016), gdcm::Tag(0x0008, 0x0060), gdcm::Tag(0x0020, 0x000e),
                              gdcm::Tag(0x0028, 0x0010), gdcm::Tag(0x0004, 0x1220)})
    if (ds.FindDataElement(tag)) return true;
  return false;
}

Diagnostic file_diagnostic(DiagnosticCode code, Severity severity, const InputFile& file, std::string message) {
  return Diagnostic{code, severity, file.name, std::move(message)};
}

Diagnostic unparsed_file_diagnostic(const InputFile& file, bool read_ok, bool reached_end) {
  if (!looks_like_dicom(file.bytes) || read_ok)
    return file_diagnostic(DiagnosticCode::not_dicom, Severity::error, file,
                           "not a DICOM file: no 'DICM' prefix at byte 128 and no parseable data set (" +
                               std::to_string(file.bytes.size()) + " bytes)");
  if (reached_end)
    return file_diagnostic(DiagnosticCode::truncated_file, Severity::error, file, "the file ends inside the header");
  return file_diagnostic(DiagnosticCode::corrupt_file, Severity::error, file, "the header could not be parsed");
}

bool is_upper(std::uint8_t c) { return c >= 'A' && c <= 'Z'; }

int to_int(std::optional<std::uint32_t> value, int fallback) {
  return value ? static_cast<int>(*value) : fallback;
}

// Reinterprets a PixelPaddingValue as a stored value: masked to BitsStored and,
// for PixelRepresentation 1, sign-extended. So 63536 (0xF830) written for a
// signed -2000 reads as -2000, with BitsStored 16 or 12.
std::int32_t padding_as_stored(std::uint32_t raw, const FileHeader& header) {
  const int bits = header.bits_stored;
  if (bits >= 32) return static_cast<std::int32_t>(raw);
  const std::uint32_t mask = (std::uint32_t(1) << bits) - 1u;
  std::uint32_t value = raw & mask;
  if (header.pixel_representation == 1 && (value >> (bits - 1)) != 0) {
    return static_cast<std::int32_t>(static_cast<std::int64_t>(value) - (std::int64_t(1) << bits));
  }
  return static_cast<std::int32_t>(value);
}

void read_identity(const gdcm::DataSet& ds, FileHeader& header) {
  header.sop_class_uid = text_value(ds, gdcm::Tag(0x0008, 0x0016));
  header.sop_instance_uid = text_value(ds, gdcm::Tag(0x0008, 0x0018));
  header.study_instance_uid = text_value(ds, gdcm::Tag(0x0020, 0x000d));
  header.series_instance_uid = text_value(ds, gdcm::Tag(0x0020, 0x000e));
  header.frame_of_reference_uid = text_value(ds, gdcm::Tag(0x0020, 0x0052));
  header.modality = text_value(ds, gdcm::Tag(0x0008, 0x0060));
  const std::string character_set = text_value(ds, gdcm::Tag(0x0008, 0x0005));
  const auto text = [&](std::uint16_t group, std::uint16_t element) {
    return dicom_text_to_utf8(text_value(ds, gdcm::Tag(group, element)), character_set);
  };
  header.series_description = text(0x0008, 0x103e);
  PatientStudy& patient = header.patient_study;
  patient.patient_name = format_person_name(text(0x0010, 0x0010));
  patient.patient_id = text(0x0010, 0x0020);
  patient.patient_birth_date = format_dicom_date(text(0x0010, 0x0030));
  patient.patient_sex = text(0x0010, 0x0040);
  patient.study_date = format_dicom_date(text(0x0008, 0x0020));
  patient.study_description = text(0x0008, 0x1030);
  patient.accession_number = text(0x0008, 0x0050);
  header.image_type = text_value(ds, gdcm::Tag(0x0008, 0x0008));
  header.acquisition_time = text_value(ds, gdcm::Tag(0x0008, 0x0032));
  header.patient_position = text_value(ds, gdcm::Tag(0x0018, 0x5100));
  header.series_number = static_cast<int>(integer_value(ds, gdcm::Tag(0x0020, 0x0011)).value_or(0));
  header.acquisition_number = static_cast<int>(integer_value(ds, gdcm::Tag(0x0020, 0x0012)).value_or(0));
  header.instance_number = static_cast<int>(integer_value(ds, gdcm::Tag(0x0020, 0x0013)).value_or(0));
  if (auto tilt = raw_text(ds, gdcm::Tag(0x0018, 0x1120)))
    header.gantry_tilt_degrees = parse_decimal_string(*tilt).value_or(0.0);
}

void read_pixel_module(const gdcm::DataSet& ds, FileHeader& header) {
  header.samples_per_pixel = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0002)), 1);
  header.rows = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0010)), 0);
  header.columns = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0011)), 0);
  header.bits_allocated = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0100)), 0);
  header.bits_stored = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0101)), header.bits_allocated);
  header.high_bit = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0102)), header.bits_stored - 1);
  header.pixel_representation = to_int(unsigned_value(ds, gdcm::Tag(0x0028, 0x0103)), 0);
  header.photometric_interpretation = text_value(ds, gdcm::Tag(0x0028, 0x0004));
  header.number_of_frames = static_cast<int>(integer_value(ds, gdcm::Tag(0x0028, 0x0008)).value_or(1));
}

// Returns why the pixel module cannot be converted to HU, or an empty string.
std::string pixel_module_problem(const FileHeader& header) {
  if (header.rows <= 0 || header.columns <= 0) return "Rows or Columns missing or zero";
  if (header.number_of_frames <= 0) return "NumberOfFrames is " + std::to_string(header.number_of_frames);
  if (header.samples_per_pixel != 1)
    return "SamplesPerPixel is " + std::to_string(header.samples_per_pixel) + " (colour), expected 1";
  if (header.photometric_interpretation != "MONOCHROME1" && header.photometric_interpretation != "MONOCHROME2")
    return "PhotometricInterpretation '" + header.photometric_interpretation + "' is not MONOCHROME1/2";
  if (header.bits_allocated != 8 && header.bits_allocated != 16 && header.bits_allocated != 32)
    return "BitsAllocated " + std::to_string(header.bits_allocated) + " is not 8, 16 or 32";
  if (header.bits_stored < 1 || header.bits_stored > header.bits_allocated)
    return "BitsStored " + std::to_string(header.bits_stored) + " does not fit BitsAllocated " +
           std::to_string(header.bits_allocated);
  if (header.high_bit < header.bits_stored - 1 || header.high_bit >= header.bits_allocated)
    return "HighBit " + std::to_string(header.high_bit) + " is inconsistent with BitsStored " +
           std::to_string(header.bits_stored);
  if (header.pixel_representation != 0 && header.pixel_representation != 1)
    return "PixelRepresentation " + std::to_string(header.pixel_representation) + " is not 0 or 1";
  return {};
}

bool contains_value(const std::string& multi_value, std::string_view wanted) {
  for (const std::string& value : split_dicom_values(multi_value))
    if (value == wanted) return true;
  return false;
}

DiagnosticCode skipped_kind_code(FileKind kind) {
  switch (kind) {
    case FileKind::dicomdir: return DiagnosticCode::dicomdir;
    case FileKind::structured_report: return DiagnosticCode::structured_report;
    case FileKind::rt_structure_set: return DiagnosticCode::rt_structure_set;
    case FileKind::presentation_state: return DiagnosticCode::presentation_state;
    case FileKind::segmentation_object: return DiagnosticCode::segmentation_object;
    case FileKind::secondary_capture: return DiagnosticCode::secondary_capture;
    default: return DiagnosticCode::internal_error;
  }
}

// Classifies a parsed file, fills its frames and adds the diagnostics.
void classify(const gdcm::DataSet& ds, const InputFile& file, HeaderReadResult& result) {
  FileHeader& header = result.header;
  // Files that are not images of a volume (DICOMDIR, reports, localizers) are
  // skipped with an info. An image whose pixel or geometry attributes are
  // unusable is skipped with a warning, because the series may miss its slice.
  auto skip = [&](FileKind kind, DiagnosticCode code, std::string message, Severity severity = Severity::info) {
    header.kind = kind;
    result.diagnostics.push_back(file_diagnostic(code, severity, file, std::move(message)));
  };
  auto fail = [&](DiagnosticCode code, std::string message) {
    header.kind = FileKind::unreadable;
    result.diagnostics.push_back(file_diagnostic(code, Severity::error, file, std::move(message)));
  };

  // 1. SOP Class UID (or Modality when the UID is absent).
  const bool has_directory_records = ds.FindDataElement(gdcm::Tag(0x0004, 0x1220));
  auto declared = kind_from_sop_class(header.sop_class_uid, header.modality);
  if (!declared && has_directory_records) declared = FileKind::dicomdir;
  if (declared) {
    const std::string uid = header.sop_class_uid.empty() ? "Modality " + header.modality
                                                         : "SOP Class " + header.sop_class_uid;
    skip(*declared, skipped_kind_code(*declared),
         std::string(file_kind_name(*declared)) + " (" + uid + "), not part of an image volume");
    return;
  }

  // 2. Content.
  const bool float_pixels = ds.FindDataElement(gdcm::Tag(0x7fe0, 0x0008)) || ds.FindDataElement(gdcm::Tag(0x7fe0, 0x0009));
  if (!header.has_pixel_data && float_pixels) {
    skip(FileKind::unsupported_image, DiagnosticCode::unsupported_image,
         "Float Pixel Data or Double Float Pixel Data (parametric map), not stored integer values");
    return;
  }
  if (!header.has_pixel_data) {
    if (header.rows > 0 && header.columns > 0 && header.pixel_data_length < 0)
      fail(DiagnosticCode::truncated_file, "the file ends before Pixel Data (7FE0,0010) although Rows and Columns are set");
    else
      skip(FileKind::no_pixel_data, DiagnosticCode::no_pixel_data, "no Pixel Data (7FE0,0010)");
    return;
  }
  if (contains_value(header.image_type, "LOCALIZER")) {
    skip(FileKind::localizer, DiagnosticCode::localizer,
         "localizer (ImageType " + header.image_type + "), not part of an image volume");
    return;
  }
  if (const std::string problem = pixel_module_problem(header); !problem.empty()) {
    skip(FileKind::unsupported_image, DiagnosticCode::unsupported_image, problem, Severity::warning);
    return;
  }

  // Pixel Data of a native transfer syntax must contain every frame. A shorter
  // value, or a file that ends inside it, would make a decoder read past it.
  // A longer one (beyond the pad byte of an odd length) means Rows, Columns or
  // BitsAllocated disagree with the data, so pixels would land in wrong places.
  if (!header.encapsulated_pixel_data && header.pixel_data_length >= 0) {
    const std::int64_t expected = std::int64_t(header.rows) * header.columns * header.number_of_frames *
                                  (header.bits_allocated / 8);
    if (header.pixel_data_length < expected) {
      fail(DiagnosticCode::pixel_data_size_mismatch,
           "Pixel Data holds " + std::to_string(header.pixel_data_length) + " bytes, expected " +
               std::to_string(expected) + " (Rows x Columns x frames x BitsAllocated/8)");
      return;
    }
    if (header.pixel_data_length > expected + 1) {
      fail(DiagnosticCode::pixel_data_size_mismatch,
           "Pixel Data holds " + std::to_string(header.pixel_data_length) + " bytes, more than the " +
               std::to_string(expected) + " that Rows x Columns x frames x BitsAllocated/8 describe");
      return;
    }
  }

  if (auto problem = read_frame_headers(ds, header)) {
    header.frames.clear();
    if (problem->severity == Severity::error) fail(problem->code, problem->message);
    else skip(problem->kind, problem->code, problem->message, Severity::warning);
    return;
  }

  // Padding values are compared on stored values (see padding_as_stored).
  if (auto padding = unsigned_value(ds, gdcm::Tag(0x0028, 0x0120)))
    header.pixel_padding_value = padding_as_stored(*padding, header);
  if (auto limit = unsigned_value(ds, gdcm::Tag(0x0028, 0x0121)))
    header.pixel_padding_range_limit = padding_as_stored(*limit, header);

  header.kind = FileKind::image;
}

}  // namespace

std::size_t find_data_set_start(std::span<const std::uint8_t> bytes) {
  if (looks_like_dicom(bytes)) return 0;
  for (std::size_t offset = 1; offset < 128 && offset + 8 <= bytes.size(); ++offset) {
    const std::uint8_t* p = bytes.data() + offset;
    if (p[0] == 0x08 && p[1] == 0x00 && p[3] == 0x00 && is_upper(p[4]) && is_upper(p[5])) return offset;
  }
  return 0;
}

std::uint64_t content_hash(std::span<const std::uint8_t> bytes) {
  // FNV-1a style mixing over 8-byte words, then the tail bytes.
  std::uint64_t hash = 1469598103934665603ull ^ bytes.size();
  const std::size_t words = bytes.size() / 8;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + w * 8, 8);
    hash = (hash ^ word) * 1099511628211ull;
    hash ^= hash >> 29;
  }
  for (std::size_t i = words * 8; i < bytes.size(); ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  return hash;
}

HeaderReadResult read_file_header(const InputFile& file, std::size_t file_index) {
  ensure_gdcm_initialised();
  HeaderReadResult result;
  FileHeader& header = result.header;
  header.file_index = file_index;
  header.file_name = file.name;
  header.kind = FileKind::unreadable;
  header.content_hash = content_hash(file.bytes);

  header.data_set_offset = find_data_set_start(file.bytes);
  const std::span<const std::uint8_t> bytes = file.bytes.subspan(header.data_set_offset);
  try {
    SpanIstream stream(bytes);
    gdcm::Reader reader;
    reader.SetStream(stream);
    const bool read_ok = reader.ReadUpToTag(kPixelData, {kPixelData});
    const bool reached_end = stream.eof();

    const gdcm::File& gdcm_file = reader.GetFile();
    const gdcm::DataSet& ds = gdcm_file.GetDataSet();
    const gdcm::TransferSyntax& syntax = gdcm_file.GetHeader().GetDataSetTransferSyntax();
    header.transfer_syntax_uid = text_value(gdcm_file.GetHeader(), gdcm::Tag(0x0002, 0x0010));
    if (header.transfer_syntax_uid.empty() && syntax != gdcm::TransferSyntax::TS_END && syntax.GetString() != nullptr)
      header.transfer_syntax_uid = syntax.GetString();

    if (!header.transfer_syntax_uid.empty() && syntax == gdcm::TransferSyntax::TS_END) {
      result.diagnostics.push_back(file_diagnostic(DiagnosticCode::unsupported_transfer_syntax, Severity::error, file,
                                                   "transfer syntax " + header.transfer_syntax_uid +
                                                       " is not supported by the DICOM reader (GDCM 3.0)"));
      return result;
    }
    if (!read_ok || ds.IsEmpty() || !has_identifying_element(ds)) {
      result.diagnostics.push_back(unparsed_file_diagnostic(file, read_ok, reached_end));
      return result;
    }

    read_identity(ds, header);
    if (header.sop_class_uid.empty())
      header.sop_class_uid = text_value(gdcm_file.GetHeader(), gdcm::Tag(0x0002, 0x0002));
    read_pixel_module(ds, header);

    // Deflated files are parsed through an inflating stream, so the stream
    // position is not an offset in the raw bytes. The decode pass checks them.
    const bool deflated = syntax == gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian;
    header.encapsulated_pixel_data = syntax.IsEncapsulated();
    if (deflated) {
      header.has_pixel_data = !reached_end;
    } else {
      stream.clear();
      const std::int64_t position = static_cast<std::int64_t>(stream.tellg());
      const PixelDataLocation location = locate_pixel_data(bytes, position);
      header.has_pixel_data = location.found;
      header.pixel_data_length = location.value_length;
      if (location.found)
        header.pixel_data_offset = static_cast<std::int64_t>(header.data_set_offset) + location.value_offset;
      if (location.found && location.value_length >= 0 &&
          location.value_offset + location.value_length > static_cast<std::int64_t>(bytes.size())) {
        result.diagnostics.push_back(file_diagnostic(
            DiagnosticCode::truncated_file, Severity::error, file,
            "Pixel Data declares " + std::to_string(location.value_length) + " bytes but the file ends after " +
                std::to_string(static_cast<std::int64_t>(bytes.size()) - location.value_offset)));
        return result;
      }
    }

    classify(ds, file, result);
  } catch (const std::exception& error) {
    header = FileHeader{};
    header.file_index = file_index;
    header.file_name = file.name;
    header.content_hash = content_hash(file.bytes);
    result.diagnostics.push_back(file_diagnostic(DiagnosticCode::corrupt_file, Severity::error, file,
                                                 std::string("the header could not be parsed: ") + error.what()));
  } catch (...) {
    header = FileHeader{};
    header.file_index = file_index;
    header.file_name = file.name;
    header.content_hash = content_hash(file.bytes);
    result.diagnostics.push_back(
        file_diagnostic(DiagnosticCode::corrupt_file, Severity::error, file, "the header could not be parsed"));
  }
  return result;
}

}  // namespace lunglens
