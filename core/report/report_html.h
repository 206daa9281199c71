// HTML rendering of the report for people: one self-contained page with
// inline CSS (print-friendly), an inline SVG histogram, no script and no
// external resource. It shows the same numbers with the same decimals as the
// JSON report and states that lunglens is not a certified diagnostic device.
#pragma once

#include <string>
#include <string_view>

#include "report/report_input.h"
#include "report/report_text.h"

namespace lunglens {

// Renders the page. Rejects input that check_report_input rejects.
ReportText write_report_html(const ReportInput& input);

// Returns `text` escaped for HTML text and attribute values: & < > " ' become
// entities, invalid UTF-8 and control characters other than tab, line feed
// and carriage return become U+FFFD.
std::string escape_html(std::string_view text);

}  // namespace lunglens
