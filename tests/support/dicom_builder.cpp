#include "support/dicom_builder.h"

#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include <gdcmDataElement.h>
#include <gdcmFile.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gdcmImageWriter.h>
#include <gdcmItem.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmTransferSyntax.h>
#include <gdcmWriter.h>

namespace lunglens::test {

namespace {

void put_text(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, gdcm::VR vr, std::string value) {
  // Even length: UI pads with NUL, other text VRs with a space.
  if (value.size() % 2 == 1) value += (vr == gdcm::VR::UI) ? '\0' : ' ';
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(vr);
  de.SetByteValue(value.data(), static_cast<std::uint32_t>(value.size()));
  ds.Replace(de);
}

void put_us(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::uint16_t value) {
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(gdcm::VR::US);
  de.SetByteValue(reinterpret_cast<const char*>(&value), 2);
  ds.Replace(de);
}

std::string decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string decimals(const double* values, int count) {
  std::string text;
  for (int v = 0; v < count; ++v) {
    if (v > 0) text += '\\';
    text += decimal(values[v]);
  }
  return text;
}

// Wraps one data set as the single item of sequence (group, element).
void put_sequence(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element,
                  const std::vector<gdcm::DataSet>& items, bool undefined_length = true) {
  gdcm::SmartPointer<gdcm::SequenceOfItems> sequence = new gdcm::SequenceOfItems;
  if (undefined_length) sequence->SetLengthToUndefined();
  for (const gdcm::DataSet& nested : items) {
    gdcm::Item item;
    item.SetVLToUndefined();
    item.SetNestedDataSet(nested);
    sequence->AddItem(item);
  }
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(gdcm::VR::SQ);
  de.SetValue(*sequence);
  if (undefined_length) de.SetVLToUndefined();
  ds.Replace(de);
}

gdcm::DataSet single_value_item(std::uint16_t group, std::uint16_t element, gdcm::VR vr, const std::string& value) {
  gdcm::DataSet item;
  put_text(item, group, element, vr, value);
  return item;
}

std::vector<std::uint8_t> pixel_bytes(const SliceSpec& spec, int frames) {
  const std::size_t samples = static_cast<std::size_t>(spec.rows) * spec.columns * frames;
  const std::size_t width = static_cast<std::size_t>(spec.bits_allocated / 8);
  std::vector<std::uint8_t> bytes(samples * width, 0);
  for (std::size_t s = 0; s < samples && s < spec.samples.size(); ++s) {
    const std::uint32_t raw = spec.samples[s];
    std::memcpy(bytes.data() + s * width, &raw, width);  // Little-endian host.
  }
  return bytes;
}

void put_identity(gdcm::DataSet& ds, const SliceSpec& spec) {
  const std::string instance_uid =
      spec.sop_instance_uid.empty() ? spec.series_uid + "." + std::to_string(spec.instance_number) : spec.sop_instance_uid;
  put_text(ds, 0x0008, 0x0008, gdcm::VR::CS, spec.image_type);
  put_text(ds, 0x0008, 0x0016, gdcm::VR::UI, spec.sop_class_uid);
  put_text(ds, 0x0008, 0x0018, gdcm::VR::UI, instance_uid);
  put_text(ds, 0x0008, 0x0060, gdcm::VR::CS, spec.modality);
  put_text(ds, 0x0008, 0x103e, gdcm::VR::LO, "synthetic test series");
  put_text(ds, 0x0010, 0x0010, gdcm::VR::PN, spec.patient_name);
  put_text(ds, 0x0010, 0x0020, gdcm::VR::LO, "TEST-0001");
  put_text(ds, 0x0018, 0x5100, gdcm::VR::CS, spec.patient_position);
  put_text(ds, 0x0020, 0x000d, gdcm::VR::UI, spec.study_uid);
  put_text(ds, 0x0020, 0x000e, gdcm::VR::UI, spec.series_uid);
  put_text(ds, 0x0020, 0x0011, gdcm::VR::IS, std::to_string(spec.series_number));
  put_text(ds, 0x0020, 0x0012, gdcm::VR::IS, std::to_string(spec.acquisition_number));
  put_text(ds, 0x0020, 0x0013, gdcm::VR::IS, std::to_string(spec.instance_number));
  put_text(ds, 0x0020, 0x0052, gdcm::VR::UI, spec.study_uid + ".9");
}

void put_classic_geometry(gdcm::DataSet& ds, const SliceSpec& spec) {
  put_text(ds, 0x0018, 0x0050, gdcm::VR::DS, spec.slice_thickness);
  put_text(ds, 0x0020, 0x0032, gdcm::VR::DS, decimals(spec.position_mm.data(), 3));
  put_text(ds, 0x0020, 0x0037, gdcm::VR::DS, decimals(spec.orientation.data(), 6));
  put_text(ds, 0x0028, 0x0030, gdcm::VR::DS, spec.pixel_spacing);
  if (spec.rescale_intercept) put_text(ds, 0x0028, 0x1052, gdcm::VR::DS, *spec.rescale_intercept);
  if (spec.rescale_slope) put_text(ds, 0x0028, 0x1053, gdcm::VR::DS, *spec.rescale_slope);
}

void put_functional_groups(gdcm::DataSet& ds, const SliceSpec& spec) {
  put_text(ds, 0x0028, 0x0008, gdcm::VR::IS, std::to_string(spec.frames.size()));

  gdcm::DataSet shared;
  put_sequence(shared, 0x0020, 0x9116,
               {single_value_item(0x0020, 0x0037, gdcm::VR::DS, decimals(spec.orientation.data(), 6))});
  gdcm::DataSet measures;
  put_text(measures, 0x0028, 0x0030, gdcm::VR::DS, spec.pixel_spacing);
  put_text(measures, 0x0018, 0x0050, gdcm::VR::DS, spec.slice_thickness);
  put_sequence(shared, 0x0028, 0x9110, {measures});
  if (spec.rescale_slope) {
    gdcm::DataSet transformation;
    put_text(transformation, 0x0028, 0x1053, gdcm::VR::DS, *spec.rescale_slope);
    put_text(transformation, 0x0028, 0x1052, gdcm::VR::DS, "0");  // Overridden per frame.
    put_text(transformation, 0x0028, 0x1054, gdcm::VR::LO, "HU");
    put_sequence(shared, 0x0028, 0x9145, {transformation});
  }
  put_sequence(ds, 0x5200, 0x9229, {shared});

  std::vector<gdcm::DataSet> per_frame;
  for (const FrameSpec& frame : spec.frames) {
    gdcm::DataSet group;
    put_sequence(group, 0x0020, 0x9113,
                 {single_value_item(0x0020, 0x0032, gdcm::VR::DS, decimals(frame.position_mm.data(), 3))});
    gdcm::DataSet transformation;
    put_text(transformation, 0x0028, 0x1052, gdcm::VR::DS, frame.rescale_intercept);
    if (spec.rescale_slope) put_text(transformation, 0x0028, 0x1053, gdcm::VR::DS, *spec.rescale_slope);
    put_sequence(group, 0x0028, 0x9145, {transformation});
    per_frame.push_back(group);
  }
  put_sequence(ds, 0x5200, 0x9230, per_frame);
}

void put_private_sequence(gdcm::DataSet& ds) {
  put_text(ds, 0x0009, 0x0010, gdcm::VR::LO, "LUNGLENS TEST");
  gdcm::DataSet nested;
  put_text(nested, 0x0009, 0x0010, gdcm::VR::LO, "LUNGLENS TEST");
  put_text(nested, 0x0009, 0x1002, gdcm::VR::LO, "nested private value");
  put_sequence(ds, 0x0009, 0x1001, {nested, nested});
}

std::vector<std::uint8_t> write_file(gdcm::File& file, const std::string& transfer_syntax) {
  const gdcm::TransferSyntax syntax = gdcm::TransferSyntax::GetTSType(transfer_syntax.c_str());
  if (syntax == gdcm::TransferSyntax::TS_END) throw std::invalid_argument("unknown transfer syntax " + transfer_syntax);

  if (!syntax.IsEncapsulated()) {
    file.GetHeader().SetDataSetTransferSyntax(syntax);
    std::ostringstream out;
    gdcm::Writer writer;
    writer.SetStream(out);
    writer.SetFile(file);
    if (!writer.Write()) throw std::runtime_error("GDCM could not write the test file");
    const std::string text = out.str();
    return std::vector<std::uint8_t>(text.begin(), text.end());
  }

  // Compressed: write explicit little endian, read it back as an image and
  // let GDCM's codecs change the transfer syntax.
  const std::vector<std::uint8_t> plain = write_file(file, kExplicitLittleEndian);
  std::istringstream in(std::string(plain.begin(), plain.end()));
  gdcm::ImageReader reader;
  reader.SetStream(in);
  if (!reader.Read()) throw std::runtime_error("GDCM could not read back the test file");

  gdcm::ImageChangeTransferSyntax change;
  change.SetTransferSyntax(syntax);
  change.SetInput(reader.GetImage());
  if (!change.Change()) throw std::runtime_error("GDCM could not encode the test file as " + transfer_syntax);

  std::ostringstream out;
  gdcm::ImageWriter writer;
  writer.SetStream(out);
  writer.SetFile(reader.GetFile());
  writer.SetImage(change.GetOutput());
  if (!writer.Write()) throw std::runtime_error("GDCM could not write the compressed test file");
  const std::string text = out.str();
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

}  // namespace

std::vector<std::uint8_t> build_dicom(const SliceSpec& spec) {
  // gdcm::Writer keeps the file in a SmartPointer, so it must live on the heap.
  const gdcm::SmartPointer<gdcm::File> file = new gdcm::File;
  gdcm::DataSet& ds = file->GetDataSet();
  put_identity(ds, spec);

  put_us(ds, 0x0028, 0x0002, 1);
  put_text(ds, 0x0028, 0x0004, gdcm::VR::CS, spec.photometric);
  put_us(ds, 0x0028, 0x0010, static_cast<std::uint16_t>(spec.rows));
  put_us(ds, 0x0028, 0x0011, static_cast<std::uint16_t>(spec.columns));
  put_us(ds, 0x0028, 0x0100, static_cast<std::uint16_t>(spec.bits_allocated));
  put_us(ds, 0x0028, 0x0101, static_cast<std::uint16_t>(spec.bits_stored));
  put_us(ds, 0x0028, 0x0102, static_cast<std::uint16_t>(spec.high_bit));
  put_us(ds, 0x0028, 0x0103, static_cast<std::uint16_t>(spec.pixel_representation));
  if (spec.padding_value) put_us(ds, 0x0028, 0x0120, *spec.padding_value);
  if (spec.padding_range_limit) put_us(ds, 0x0028, 0x0121, *spec.padding_range_limit);

  if (spec.frames.empty()) put_classic_geometry(ds, spec);
  else put_functional_groups(ds, spec);
  if (spec.private_sequence) put_private_sequence(ds);

  if (spec.include_pixel_data) {
    const int frames = spec.frames.empty() ? 1 : static_cast<int>(spec.frames.size());
    const std::vector<std::uint8_t> pixels = pixel_bytes(spec, frames);
    gdcm::DataElement de(gdcm::Tag(0x7fe0, 0x0010));
    de.SetVR(spec.bits_allocated == 8 ? gdcm::VR::OB : gdcm::VR::OW);
    de.SetByteValue(reinterpret_cast<const char*>(pixels.data()), static_cast<std::uint32_t>(pixels.size()));
    ds.Replace(de);
  }
  return write_file(*file, spec.transfer_syntax);
}

std::vector<std::uint8_t> strip_preamble_and_meta(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < 132 || std::memcmp(bytes.data() + 128, "DICM", 4) != 0)
    throw std::invalid_argument("strip_preamble_and_meta: not a Part 10 file");
  std::size_t offset = 132;
  while (offset + 8 <= bytes.size()) {
    const unsigned group = bytes[offset] | (bytes[offset + 1] << 8);
    if (group != 0x0002) break;
    // File meta is explicit VR little endian.
    const std::string vr(reinterpret_cast<const char*>(bytes.data() + offset + 4), 2);
    if (vr == "OB" || vr == "OW" || vr == "UN" || vr == "SQ" || vr == "UT") {
      const std::uint32_t length = bytes[offset + 8] | (bytes[offset + 9] << 8) | (bytes[offset + 10] << 16) |
                                   (std::uint32_t(bytes[offset + 11]) << 24);
      offset += 12 + length;
    } else {
      const std::uint32_t length = bytes[offset + 6] | (bytes[offset + 7] << 8);
      offset += 8 + length;
    }
  }
  return std::vector<std::uint8_t>(bytes.begin() + static_cast<std::ptrdiff_t>(offset), bytes.end());
}

std::vector<std::uint8_t> build_dose_sr(const std::string& series_uid) {
  // gdcm::Writer keeps the file in a SmartPointer, so it must live on the heap.
  const gdcm::SmartPointer<gdcm::File> file = new gdcm::File;
  gdcm::DataSet& ds = file->GetDataSet();
  SliceSpec spec;
  spec.sop_class_uid = kDoseSrStorage;
  spec.modality = "SR";
  spec.series_uid = series_uid;
  spec.instance_number = 999;
  put_identity(ds, spec);
  put_text(ds, 0x0040, 0xa040, gdcm::VR::CS, "CONTAINER");
  return write_file(*file, kExplicitLittleEndian);
}

std::vector<std::uint8_t> build_dicomdir() {
  // gdcm::Writer keeps the file in a SmartPointer, so it must live on the heap.
  const gdcm::SmartPointer<gdcm::File> file = new gdcm::File;
  gdcm::DataSet& ds = file->GetDataSet();
  put_text(ds, 0x0004, 0x1130, gdcm::VR::CS, "TESTSET");
  put_sequence(ds, 0x0004, 0x1220, {});
  file->GetHeader().SetDataSetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
  put_text(file->GetHeader(), 0x0002, 0x0002, gdcm::VR::UI, kDicomdirStorage);
  put_text(file->GetHeader(), 0x0002, 0x0003, gdcm::VR::UI, "1.2.826.0.1.3680043.10.1234.77");

  std::ostringstream out;
  gdcm::Writer writer;
  writer.SetStream(out);
  writer.SetFile(*file);
  if (!writer.Write()) throw std::runtime_error("GDCM could not write the test DICOMDIR");
  const std::string text = out.str();
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

}  // namespace lunglens::test
