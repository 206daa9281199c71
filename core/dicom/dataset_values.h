// Typed access to elements of a parsed GDCM data set. Internal to core/dicom:
// it exposes GDCM types, so public headers must not include it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <gdcmDataSet.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmSmartPointer.h>
#include <gdcmTag.h>

namespace lunglens {

// Returns the value bytes of a text element as a string (untrimmed), or
// nullopt when the element is absent or has no byte value.
std::optional<std::string> raw_text(const gdcm::DataSet& data_set, const gdcm::Tag& tag);

// Returns the trimmed text of an element; empty when absent.
std::string text_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag);

// Returns the first value of a binary US or UL element (2 or 4 bytes, host
// byte order as GDCM stores it after reading), or nullopt when absent or too short.
std::optional<std::uint32_t> unsigned_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag);

// Returns the first value of an IS element, or nullopt when absent or invalid.
std::optional<long long> integer_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag);

// Returns sequence `tag`, or null when absent or not parseable as a sequence.
// GDCM may build the sequence on demand (implicit VR, defined length), so the
// caller keeps the returned pointer alive while it uses the items.
gdcm::SmartPointer<gdcm::SequenceOfItems> sequence_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag);

// Returns the value of `element` as a sequence, or null (see sequence_value).
gdcm::SmartPointer<gdcm::SequenceOfItems> sequence_value_of(const gdcm::DataElement& element);

// Returns the nested data set of item `index` (0-based), or nullptr when absent.
const gdcm::DataSet* sequence_item(const gdcm::SequenceOfItems* sequence, std::size_t index);

}  // namespace lunglens
