#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "text/base64.h"

using namespace lunglens;

namespace {

std::string base64_of(const std::string& text) {
  const std::vector<std::uint8_t> bytes(text.begin(), text.end());
  return encode_base64(bytes);
}

}  // namespace

TEST_CASE("base64 test vectors of RFC 4648") {
  CHECK(base64_of("") == "");
  CHECK(base64_of("f") == "Zg==");
  CHECK(base64_of("fo") == "Zm8=");
  CHECK(base64_of("foo") == "Zm9v");
  CHECK(base64_of("foob") == "Zm9vYg==");
  CHECK(base64_of("fooba") == "Zm9vYmE=");
  CHECK(base64_of("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 of high bytes") {
  const std::vector<std::uint8_t> bytes = {0xFF, 0xFE, 0x00, 0x89};
  CHECK(encode_base64(bytes) == "//4AiQ==");
}
