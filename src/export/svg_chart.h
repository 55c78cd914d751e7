// Report charts as self-contained SVG text, to be embedded inline in server-rendered pages
// beside the table that holds the same numbers. The output obeys a strict
// Content-Security-Policy: no script, no event handlers, no `style` attributes or elements;
// only presentation attributes (fill, stroke, font-size), which a page stylesheet may override.
//
// Every visible or spoken text comes from the caller, so a chart is in whatever language the
// caller writes; the module itself only adds numbers, "·" for a suppressed count and "→".
// Every text is XML-escaped, so labels from user data (intervention names) are safe.
// The same input always gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stegvis::exporting {

// How numbers are written in labels and in the description. At most two decimals are shown,
// trailing zeros dropped: 8054000 → "8 054 000", 12.5 → "12,5", -248500 → "-248 500".
struct NumberStyle {
  std::string decimal_mark = ",";
  std::string group_separator = " ";  // Empty for no grouping.
};

// One series of a bar chart: one value per category. std::nullopt is a count suppressed by
// disclosure control: it is not drawn, its category label is marked "·" and the description
// says so. NaN and infinity are treated the same way.
struct ChartSeries {
  std::string label;
  std::vector<std::optional<double>> values;
};

enum class BarLayout { kGrouped, kStacked };

struct BarChart {
  std::string title;        // Read out first by screen readers; not drawn.
  std::string description;  // Opens the description; a summary of the values follows it.
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;  // A series with fewer values than categories is padded
                                    // with zeros; extra values are ignored.
  std::string value_unit;           // "personer", "kr", "%": above the axis and in the summary.
  BarLayout layout = BarLayout::kGrouped;
  // Said in the summary in place of a suppressed value, e.g. "dolt"; "·" when empty.
  std::string suppressed_word;
  // Explains "·" once, under the legend and at the end of the description, when some value
  // is suppressed, e.g. "· = färre än 5, visas inte".
  std::string suppressed_note;
  NumberStyle numbers;
};

// A bar chart with categories along the horizontal axis, bars grouped side by side or stacked,
// a value axis with round ticks (1, 2 or 5 × 10^n apart) that always includes zero, wrapped
// category labels, a legend, and value labels where they fit. Series are told apart by colour
// (a colour-blind safe palette, each colour at least 3:1 against white) and by fill pattern,
// in legend order. Negative values (a budget deviation) go below the zero line.
//
// `id_prefix` makes the element ids unique on a page (`<prefix>-title`, `<prefix>-desc`, ...);
// characters other than ASCII letters, digits, '-' and '_' are dropped from it. Width and
// height are in pixels (the viewBox), clamped to at least 160 × 120. Never fails: an empty
// chart is drawn as an empty axis.
std::string RenderBarChart(const BarChart& chart, std::string_view id_prefix, int width = 640,
                           int height = 320);

// The ladder transition matrix: counts[first][latest] is how many moved from step `first` to
// step `latest`. Rows are the first step, columns the latest; cells are shaded by count and
// show the number; the diagonal (unchanged) is outlined; std::nullopt is a suppressed count,
// shown as "·" on a hatched grey cell.
struct TransitionMatrix {
  std::string title;
  std::string description;
  std::vector<std::string> step_labels;        // Row heads and the summary, e.g. "1 Ingen ...".
  std::vector<std::string> step_short_labels;  // Column heads; "1", "2", ... when empty.
  // counts[first][latest]; missing cells count as 0.
  std::vector<std::vector<std::optional<std::int64_t>>> counts;
  std::string first_step_label;   // Row axis, e.g. "Första steg".
  std::string latest_step_label;  // Column axis, e.g. "Senaste steg".
  std::string value_unit;         // In the summary after each count, e.g. "personer".
  std::string suppressed_word;    // As in BarChart.
  std::string suppressed_note;    // As in BarChart.
  NumberStyle numbers;
};

// The matrix as an N × N grid of square cells fitted into width × height (at least
// 200 × 160); the SVG is made only as tall as the grid and its note need. Ids and escaping as
// for RenderBarChart. Never fails.
std::string RenderTransitionMatrix(const TransitionMatrix& matrix, std::string_view id_prefix,
                                   int width = 560, int height = 480);

// ---- The parts below are exposed so that tests can check the geometry numerically. ----

// The value axis: ticks from `minimum` to `maximum`, `step` apart; `minimum` <= 0 <=
// `maximum`.
struct AxisScale {
  double minimum = 0;
  double maximum = 1;
  double step = 1;
  std::vector<double> ticks;
};

// The smallest step of 1, 2 or 5 × 10^n (and at least `minimum_step`, at least 0.01) that
// covers [min(low, 0), max(high, 0)] in at most `max_intervals` intervals. When both are zero
// the range is taken as 0 to 1.
AxisScale NiceScale(double low, double high, double minimum_step = 0.01, int max_intervals = 6);

// A number rounded to two decimals, trailing zeros dropped, grouped by thousands.
std::string FormatChartNumber(double value, const NumberStyle& style);

// Greedy word wrap of UTF-8 text into at most `max_lines` lines of at most `max_width`
// pixels at `font_size` (with estimated glyph widths); a word or a last line that does not
// fit is cut and ends with "…".
std::vector<std::string> WrapLabel(std::string_view text, double max_width, double font_size,
                                   int max_lines);

// One drawn bar or stacked segment, in pixels, y growing downward.
struct BarGeometry {
  std::size_t series = 0;
  std::size_t category = 0;
  double value = 0;
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

// Text for XML or HTML character data and attribute values: markup characters as entities,
// line breaks and tabs as spaces, characters XML 1.0 forbids dropped, invalid UTF-8 replaced.
std::string EscapeMarkup(std::string_view text);

struct BarChartLayout {
  AxisScale scale;
  double plot_left = 0;
  double plot_top = 0;
  double plot_width = 0;
  double plot_height = 0;
  double zero_y = 0;                                     // The y of the zero line.
  std::vector<BarGeometry> bars;                         // No entry for a suppressed value.
  std::vector<bool> category_marked;                     // True where some value is suppressed.
  std::vector<std::vector<std::string>> category_lines;  // Wrapped category labels.
  double category_font_size = 11;  // Smaller (down to 9) when a long word would not fit.
};

BarChartLayout LayoutBarChart(const BarChart& chart, int width, int height);

// Palette of series colours (Okabe–Ito, without its light colours), in legend order.
const std::vector<std::string>& SeriesColors();

}  // namespace stegvis::exporting
