#include "dicom/dicom_json.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

#include <gdcmDicts.h>
#include <gdcmGlobal.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmVR.h>

#include "dicom/dataset_values.h"
#include "dicom/dicom_text.h"
#include "dicom/gdcm_setup.h"
#include "dicom/json_text.h"
#include "dicom/span_stream.h"

namespace lunglens {

namespace {

// Binary values longer than this are bulk data and left out.
constexpr std::uint32_t kMaxInlineBytes = 64 * 1024;

const gdcm::Tag kPixelData(0x7fe0, 0x0010);

// Returns the VR of an element: as written (explicit VR), else from the
// dictionary (implicit VR), with ambiguous dictionary VRs resolved to
// the unsigned or word form; SQ when the value is a sequence.
gdcm::VR::VRType element_vr(const gdcm::DataElement& element) {
  // Undefined length outside Pixel Data means a sequence (CP-246 for UN).
  if (element.IsUndefinedLength()) return gdcm::VR::SQ;
  gdcm::VR::VRType vr = element.GetVR();
  if (vr == gdcm::VR::INVALID || vr == gdcm::VR::UN) {
    const gdcm::Tag& tag = element.GetTag();
    if (!tag.IsPrivate() && vr == gdcm::VR::INVALID) {
      const gdcm::Dicts& dicts = gdcm::Global::GetInstance().GetDicts();
      vr = dicts.GetDictEntry(tag).GetVR();
    }
  }
  if (vr == gdcm::VR::US_SS || vr == gdcm::VR::US_SS_OW) return gdcm::VR::US;
  if (vr == gdcm::VR::OB_OW) return gdcm::VR::OW;
  if (vr == gdcm::VR::INVALID) return gdcm::VR::UN;
  return vr;
}

bool is_text_vr(gdcm::VR::VRType vr) { return (vr & gdcm::VR::VRASCII) != 0; }

// VRs whose value is a single string that may contain '\'.
bool is_single_text_vr(gdcm::VR::VRType vr) {
  return vr == gdcm::VR::LT || vr == gdcm::VR::ST || vr == gdcm::VR::UT || vr == gdcm::VR::UR;
}

template <class T>
void append_binary_numbers(std::string& out, const char* data, std::uint32_t length) {
  const std::uint32_t count = length / sizeof(T);
  for (std::uint32_t v = 0; v < count; ++v) {
    T value;
    std::memcpy(&value, data + v * sizeof(T), sizeof(T));
    if (v > 0) out += ',';
    append_json_number(out, static_cast<double>(value));
  }
}

void append_base64(std::string& out, const char* data, std::uint32_t length) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out += '"';
  for (std::uint32_t i = 0; i < length; i += 3) {
    const std::uint32_t b0 = static_cast<unsigned char>(data[i]);
    const std::uint32_t b1 = i + 1 < length ? static_cast<unsigned char>(data[i + 1]) : 0;
    const std::uint32_t b2 = i + 2 < length ? static_cast<unsigned char>(data[i + 2]) : 0;
    const std::uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
    out += alphabet[(triple >> 18) & 63];
    out += alphabet[(triple >> 12) & 63];
    out += i + 1 < length ? alphabet[(triple >> 6) & 63] : '=';
    out += i + 2 < length ? alphabet[triple & 63] : '=';
  }
  out += '"';
}

void append_text_values(std::string& out, gdcm::VR::VRType vr, std::string_view text) {
  std::vector<std::string> values;
  if (is_single_text_vr(vr)) {
    std::string_view value = text;
    while (!value.empty() && (value.back() == ' ' || value.back() == '\0')) value.remove_suffix(1);
    values.emplace_back(value);
  } else {
    values = split_dicom_values(text);
  }

  out += "\"Value\":[";
  for (std::size_t v = 0; v < values.size(); ++v) {
    if (v > 0) out += ',';
    const std::string& value = values[v];
    if (vr == gdcm::VR::DS) {
      const auto number = parse_decimal_string(value);
      number ? append_json_number(out, *number) : void(out += "null");
    } else if (vr == gdcm::VR::IS) {
      const auto number = parse_integer_string(value);
      number ? append_json_number(out, static_cast<double>(*number)) : void(out += "null");
    } else if (vr == gdcm::VR::PN) {
      // Alphabetic, Ideographic and Phonetic groups are separated by '='.
      static constexpr const char* groups[] = {"Alphabetic", "Ideographic", "Phonetic"};
      out += '{';
      std::size_t start = 0;
      for (int g = 0; g < 3; ++g) {
        const std::size_t end = value.find('=', start);
        const std::string_view part = std::string_view(value).substr(start, end == std::string::npos ? end : end - start);
        if (!part.empty()) {
          if (out.back() != '{') out += ',';
          out += '"';
          out += groups[g];
          out += "\":";
          append_json_string(out, part);
        }
        if (end == std::string::npos) break;
        start = end + 1;
      }
      out += '}';
    } else if (value.empty()) {
      out += "null";
    } else {
      append_json_string(out, value);
    }
  }
  out += ']';
}

void append_data_set(std::string& out, const gdcm::DataSet& data_set);

// Appends "GGGGEEEE": {...} for one element; returns false when it is left out.
bool append_element(std::string& out, const gdcm::DataElement& element) {
  const gdcm::Tag& tag = element.GetTag();
  if (tag == kPixelData || tag.GetElement() == 0x0000) return false;

  const gdcm::VR::VRType vr = element_vr(element);
  const gdcm::ByteValue* bytes = element.GetByteValue();
  if (bytes != nullptr && static_cast<std::uint32_t>(bytes->GetLength()) > kMaxInlineBytes) return false;
  if (element.GetSequenceOfFragments() != nullptr) return false;

  char key[16];
  std::snprintf(key, sizeof key, "\"%04X%04X\":", tag.GetGroup(), tag.GetElement());
  out += key;
  out += "{\"vr\":\"";
  out += gdcm::VR::GetVRString(vr);
  out += '"';

  if (vr == gdcm::VR::SQ) {
    const auto sequence = sequence_value_of(element);
    out += ",\"Value\":[";
    if (sequence)
      for (std::size_t i = 1; i <= sequence->GetNumberOfItems(); ++i) {
        if (i > 1) out += ',';
        append_data_set(out, sequence->GetItem(i).GetNestedDataSet());
      }
    out += "]}";
    return true;
  }

  const std::uint32_t length = bytes != nullptr ? static_cast<std::uint32_t>(bytes->GetLength()) : 0;
  if (length == 0) {
    out += '}';
    return true;
  }
  const char* data = bytes->GetPointer();
  out += ',';

  if (is_text_vr(vr)) {
    append_text_values(out, vr, std::string_view(data, length));
  } else if (vr == gdcm::VR::US || vr == gdcm::VR::SS || vr == gdcm::VR::UL || vr == gdcm::VR::SL ||
             vr == gdcm::VR::FL || vr == gdcm::VR::FD || vr == gdcm::VR::UV || vr == gdcm::VR::SV ||
             vr == gdcm::VR::AT) {
    out += "\"Value\":[";
    switch (vr) {
      case gdcm::VR::US: append_binary_numbers<std::uint16_t>(out, data, length); break;
      case gdcm::VR::SS: append_binary_numbers<std::int16_t>(out, data, length); break;
      case gdcm::VR::UL: append_binary_numbers<std::uint32_t>(out, data, length); break;
      case gdcm::VR::SL: append_binary_numbers<std::int32_t>(out, data, length); break;
      case gdcm::VR::FL: append_binary_numbers<float>(out, data, length); break;
      case gdcm::VR::FD: append_binary_numbers<double>(out, data, length); break;
      case gdcm::VR::UV: append_binary_numbers<std::uint64_t>(out, data, length); break;
      case gdcm::VR::SV: append_binary_numbers<std::int64_t>(out, data, length); break;
      default:  // AT: pairs of 16-bit group and element numbers.
        for (std::uint32_t v = 0; v + 4 <= length; v += 4) {
          std::uint16_t group, number;
          std::memcpy(&group, data + v, 2);
          std::memcpy(&number, data + v + 2, 2);
          char text[16];
          std::snprintf(text, sizeof text, "%s\"%04X%04X\"", v > 0 ? "," : "", group, number);
          out += text;
        }
    }
    out += ']';
  } else {
    out += "\"InlineBinary\":";
    append_base64(out, data, length);
  }
  out += '}';
  return true;
}

void append_data_set(std::string& out, const gdcm::DataSet& data_set) {
  out += '{';
  bool first = true;
  for (const gdcm::DataElement& element : data_set.GetDES()) {
    std::string text;
    if (!append_element(text, element)) continue;
    if (!first) out += ',';
    out += text;
    first = false;
  }
  out += '}';
}

}  // namespace

std::string series_metadata_json(const ScanResult& scan, std::size_t series_index, std::span<const InputFile> files) {
  ensure_gdcm_initialised();
  std::string out = "[";
  if (series_index >= scan.series.size()) return "[]";

  std::set<std::size_t> written;
  bool first = true;
  for (const SeriesSlice& slice : scan.series[series_index].slices) {
    if (slice.file_index >= files.size() || !written.insert(slice.file_index).second) continue;
    try {
      const auto& bytes = files[slice.file_index].bytes;
      SpanIstream stream(bytes.subspan(std::min(scan.headers[slice.file_index].data_set_offset, bytes.size())));
      gdcm::Reader reader;
      reader.SetStream(stream);
      if (!reader.ReadUpToTag(kPixelData, {kPixelData})) continue;
      std::string object;
      append_data_set(object, reader.GetFile().GetDataSet());
      if (!first) out += ',';
      out += object;
      first = false;
    } catch (...) {
      // A file that parsed in the scan but not now is left out of the export.
    }
  }
  out += ']';
  return out;
}

}  // namespace lunglens
