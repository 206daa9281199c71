#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "dicom/dicom_json.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

// A strict recursive-descent JSON validator (RFC 8259), enough to prove the
// export parses.
class JsonChecker {
 public:
  explicit JsonChecker(const std::string& text) : text_(text) {}

  bool valid() {
    skip_space();
    if (!value()) return false;
    skip_space();
    return position_ == text_.size();
  }

 private:
  bool value() {
    skip_space();
    if (position_ >= text_.size()) return false;
    const char c = text_[position_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
    return literal("true") || literal("false") || literal("null");
  }

  bool object() {
    ++position_;
    skip_space();
    if (peek('}')) return ++position_, true;
    while (true) {
      skip_space();
      if (!string()) return false;
      skip_space();
      if (!peek(':')) return false;
      ++position_;
      if (!value()) return false;
      skip_space();
      if (peek('}')) return ++position_, true;
      if (!peek(',')) return false;
      ++position_;
    }
  }

  bool array() {
    ++position_;
    skip_space();
    if (peek(']')) return ++position_, true;
    while (true) {
      if (!value()) return false;
      skip_space();
      if (peek(']')) return ++position_, true;
      if (!peek(',')) return false;
      ++position_;
    }
  }

  bool string() {
    if (!peek('"')) return false;
    ++position_;
    while (position_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[position_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (position_ >= text_.size()) return false;
        const char escape = text_[position_++];
        if (escape == 'u') {
          for (int d = 0; d < 4; ++d)
            if (position_ >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[position_++]))) return false;
        } else if (std::string("\"\\/bfnrt").find(escape) == std::string::npos) {
          return false;
        }
      }
    }
    return false;
  }

  bool number() {
    const std::size_t start = position_;
    if (peek('-')) ++position_;
    while (position_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[position_])) ||
                                        std::string(".eE+-").find(text_[position_]) != std::string::npos))
      ++position_;
    return position_ > start;
  }

  bool literal(const char* word) {
    const std::string w(word);
    if (text_.compare(position_, w.size(), w) != 0) return false;
    position_ += w.size();
    return true;
  }

  bool peek(char c) const { return position_ < text_.size() && text_[position_] == c; }

  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
  }

  const std::string& text_;
  std::size_t position_ = 0;
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("dicom json") {

TEST_CASE("checker rejects invalid JSON") {
  CHECK(JsonChecker(R"([{"a":{"vr":"CS","Value":["x",1.5,null]}}])").valid());
  CHECK_FALSE(JsonChecker(R"([{"a":"unterminated}])").valid());
  CHECK_FALSE(JsonChecker("[\"raw\x01control\"]").valid());
  CHECK_FALSE(JsonChecker(R"({"a":1,})").valid());
}

TEST_CASE("series metadata JSON model") {
  auto specs = axial_series(3, 2.0);
  specs[0].patient_name = "O\"Brien\\Test^J\xe9r\xf4me";  // Quote, backslash, ISO 8859-1 bytes.
  for (auto& spec : specs) spec.private_sequence = true;
  specs[2].padding_value = 63536;
  const FileSet set = build_files(specs);
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);

  const std::string json = series_metadata_json(scan, 0, files);
  CHECK(JsonChecker(json).valid());
  CHECK(json.front() == '[');

  // Keys are 8 uppercase hex digits; numbers for IS/DS/US; PN as Alphabetic.
  CHECK(contains(json, R"("00280010":{"vr":"US","Value":[4]})"));
  CHECK(contains(json, R"("00200013":{"vr":"IS","Value":[1]})"));
  CHECK(contains(json, R"("00281052":{"vr":"DS","Value":[-1024]})"));
  CHECK(contains(json, R"("00200032":{"vr":"DS","Value":[-10,-20,50]})"));
  CHECK(contains(json, R"("00280120":{"vr":"US","Value":[63536]})"));
  CHECK(contains(json, R"("00100010":{"vr":"PN","Value":[{"Alphabetic":)"));
  CHECK(contains(json, R"("00080060":{"vr":"CS","Value":["CT"]})"));
  // Sequences are arrays of objects.
  CHECK(contains(json, R"("00091001":{"vr":"SQ","Value":[{"00090010":)"));
  CHECK(contains(json, R"("00091002":{"vr":"LO","Value":["nested private value"]})"));
  // Pixel Data is bulk data and left out.
  CHECK_FALSE(contains(json, "7FE00010"));
  // Slice order: the first object is the lowest slice (InstanceNumber 1).
  CHECK(json.find(R"("00200013":{"vr":"IS","Value":[1]})") < json.find(R"("00200013":{"vr":"IS","Value":[2]})"));
}

TEST_CASE("metadata of a real series parses") {
  const auto folder = data_path("ct/LIDC-IDRI-0001");
  if (!folder) return;
  const FileSet set = read_folder(*folder);
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const std::string json = series_metadata_json(scan, 0, files);
  CHECK(JsonChecker(json).valid());
  CHECK(contains(json, R"("00280030":{"vr":"DS","Value":[0.703125,0.703125]})"));
}

TEST_CASE("out-of-range series gives empty array") {
  const FileSet set = build_files(axial_series(1, 1.0));
  const auto files = set.files();
  CHECK(series_metadata_json(scan_files(files), 3, files) == "[]");
}

}
