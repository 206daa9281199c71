// The versioned JSON report (schema: schemas/report.schema.json, version
// kReportSchemaVersion). Every number is an object {"value": ..., "unit": ...}
// with the units and decimals of report_quantities.h; a value that is
// undefined (a percent of an empty lung) is null.
#pragma once

#include "report/report_input.h"
#include "report/report_text.h"

namespace lunglens {

// Writes the report. When input.quantification.ok, "status" is "complete" and
// "results" contains the numbers. Otherwise "status" is "failed", "results" is
// null and the diagnostics give the reason. Rejects input that
// check_report_input rejects.
ReportText write_report_json(const ReportInput& input);

}  // namespace lunglens
