#include "dicom/dataset_values.h"

#include <cstring>

#include <gdcmSequenceOfItems.h>

#include "dicom/dicom_text.h"

namespace lunglens {

std::optional<std::string> raw_text(const gdcm::DataSet& data_set, const gdcm::Tag& tag) {
  if (!data_set.FindDataElement(tag)) return std::nullopt;
  const gdcm::DataElement& element = data_set.GetDataElement(tag);
  const gdcm::ByteValue* value = element.GetByteValue();
  if (value == nullptr) return std::nullopt;
  return std::string(value->GetPointer(), value->GetLength());
}

std::string text_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag) {
  const auto text = raw_text(data_set, tag);
  if (!text) return {};
  return std::string(trim_dicom(*text));
}

std::optional<std::uint32_t> unsigned_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag) {
  if (!data_set.FindDataElement(tag)) return std::nullopt;
  const gdcm::ByteValue* value = data_set.GetDataElement(tag).GetByteValue();
  if (value == nullptr) return std::nullopt;

  const std::uint32_t length = value->GetLength();
  if (length == 2) {
    std::uint16_t number = 0;
    std::memcpy(&number, value->GetPointer(), 2);
    return number;
  }
  if (length >= 4 && length % 4 == 0) {
    std::uint32_t number = 0;
    std::memcpy(&number, value->GetPointer(), 4);
    return number;
  }
  if (length > 2 && length % 2 == 0) {
    std::uint16_t number = 0;
    std::memcpy(&number, value->GetPointer(), 2);
    return number;
  }
  return std::nullopt;
}

std::optional<long long> integer_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag) {
  const auto text = raw_text(data_set, tag);
  if (!text) return std::nullopt;
  const auto values = split_dicom_values(*text);
  return parse_integer_string(values.front());
}

gdcm::SmartPointer<gdcm::SequenceOfItems> sequence_value(const gdcm::DataSet& data_set, const gdcm::Tag& tag) {
  if (!data_set.FindDataElement(tag)) return nullptr;
  return sequence_value_of(data_set.GetDataElement(tag));
}

gdcm::SmartPointer<gdcm::SequenceOfItems> sequence_value_of(const gdcm::DataElement& element) {
  try {
    return element.GetValueAsSQ();
  } catch (...) {
    return nullptr;
  }
}

const gdcm::DataSet* sequence_item(const gdcm::SequenceOfItems* sequence, std::size_t index) {
  if (sequence == nullptr || index >= sequence->GetNumberOfItems()) return nullptr;
  return &sequence->GetItem(index + 1).GetNestedDataSet();
}

}  // namespace lunglens
