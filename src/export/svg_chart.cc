#include "export/svg_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace stegvis::exporting {

namespace {

constexpr double kTickFontSize = 11;
constexpr double kLabelFontSize = 11;
constexpr double kLabelLineHeight = 13;
constexpr double kValueFontSize = 10;
constexpr double kLegendFontSize = 12;
constexpr double kLegendRowHeight = 20;
constexpr double kSwatchSize = 14;
constexpr double kMargin = 8;

constexpr std::string_view kSuppressedMark = "·";
constexpr std::string_view kEllipsis = "…";
constexpr std::string_view kTextColor = "#222222";
constexpr std::string_view kMutedTextColor = "#595959";  // 7:1 against white.
constexpr std::string_view kFaintTextColor = "#767676";  // 4.5:1 against white.
constexpr std::string_view kGridColor = "#e3e3e3";
constexpr std::string_view kAxisColor = "#333333";

// ---- UTF-8 ----

// Code points of UTF-8 text; an invalid or overlong sequence becomes U+FFFD, so that what is
// measured, cut and written is always well-formed.
std::vector<char32_t> Decode(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
      length = 1;
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
      minimum = 0x10000;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        valid = false;
      } else {
        code = (code << 6) | (next & 0x3F);
      }
    }
    if (valid && (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))) {
      valid = false;
    }
    if (valid) {
      out.push_back(code);
      i += length;
    } else {
      out.push_back(0xFFFD);
      ++i;
    }
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

std::string Encode(const std::vector<char32_t>& codes, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < codes.size(); ++i) AppendUtf8(out, codes[i]);
  return out;
}

std::string Escape(std::string_view text) { return EscapeMarkup(text); }

}  // namespace

std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t code : Decode(text)) {
    switch (code) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out.push_back(' ');
        break;
      default:
        if (code < 0x20 || code == 0xFFFE || code == 0xFFFF) break;
        AppendUtf8(out, code);
    }
  }
  return out;
}

namespace {

// Estimated advance of a glyph as a share of the font size, after DejaVu Sans, one of the
// wider common sans-serif fonts; in Arial or Helvetica text comes out a little narrower, so
// labels measured this way fit in either.
double GlyphWidth(char32_t code) {
  if (code >= '0' && code <= '9') return 0.64;
  if (code == 0xAD || code == 0x200B) return 0;  // A soft hyphen or zero-width space.
  switch (code) {
    case ' ':
    case '.':
    case ',':
    case ':':
    case ';':
    case '\'':
    case '!':
    case '|':
    case 'i':
    case 'j':
    case 'l':
    case 'I':
    case U'\u00B7':  // ·
      return 0.32;
    case '(':
    case ')':
    case '[':
    case ']':
    case '-':
    case '/':
    case 'f':
    case 'r':
    case 't':
      return 0.42;
    case 'm':
    case 'w':
    case 'M':
    case 'W':
    case '%':
    case U'\u2026':  // …
      return 0.95;
    default:
      break;
  }
  const bool upper = (code >= 'A' && code <= 'Z') || (code >= 0xC0 && code <= 0xDE);
  return upper ? 0.74 : 0.62;
}

double Width(const std::vector<char32_t>& codes, std::size_t from, std::size_t to,
             double font_size) {
  double width = 0;
  for (std::size_t i = from; i < to && i < codes.size(); ++i) width += GlyphWidth(codes[i]);
  return width * font_size;
}

double TextWidth(std::string_view text, double font_size) {
  const std::vector<char32_t> codes = Decode(text);
  return Width(codes, 0, codes.size(), font_size);
}

// `codes[from, to)` when it fits `max_width`, else its longest prefix that fits with "…" after
// it.
std::string Truncate(const std::vector<char32_t>& codes, std::size_t from, std::size_t to,
                     double max_width, double font_size) {
  if (Width(codes, from, to, font_size) <= max_width) return Encode(codes, from, to);
  double room = max_width - GlyphWidth(U'\u2026') * font_size;
  std::size_t end = from;
  while (end < to && GlyphWidth(codes[end]) * font_size <= room) {
    room -= GlyphWidth(codes[end]) * font_size;
    ++end;
  }
  while (end > from && codes[end - 1] == ' ') --end;
  return Encode(codes, from, end) + std::string(kEllipsis);
}

std::string TruncateText(std::string_view text, double max_width, double font_size) {
  const std::vector<char32_t> codes = Decode(text);
  return Truncate(codes, 0, codes.size(), max_width, font_size);
}

// Whether every word of `text` fits `max_width` on its own.
bool WordsFit(std::string_view text, double max_width, double font_size) {
  const std::vector<char32_t> codes = Decode(text);
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= codes.size(); ++i) {
    if (i < codes.size() && codes[i] != ' ') continue;
    if (Width(codes, begin, i, font_size) > max_width) return false;
    begin = i + 1;
  }
  return true;
}

// ---- numbers ----

// Coordinates: at most two decimals, no trailing zeros, never "-0".
std::string Coordinate(double value) {
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

double Power10(int exponent) {
  double result = 1;
  for (int i = 0; i < std::abs(exponent); ++i) result *= 10;
  return result;
}

// mantissa × 10^exponent, dividing for negative exponents so that 2 × 10^-1 is the double
// nearest 0.2.
double Scaled(double mantissa, int exponent) {
  return exponent >= 0 ? mantissa * Power10(exponent) : mantissa / Power10(-exponent);
}

bool IsWhole(double value) { return std::abs(value - std::round(value)) < 1e-9; }

// ---- colours ----

struct Rgb {
  int red = 0;
  int green = 0;
  int blue = 0;
};

Rgb ParseColor(std::string_view hex) {
  auto channel = [&](std::size_t at) {
    return static_cast<int>(std::strtol(std::string(hex.substr(at, 2)).c_str(), nullptr, 16));
  };
  return Rgb{channel(1), channel(3), channel(5)};
}

std::string ColorText(Rgb color) {
  return fmt::format("#{:02x}{:02x}{:02x}", color.red, color.green, color.blue);
}

// WCAG relative luminance.
double Luminance(Rgb color) {
  auto linear = [](int channel) {
    const double c = channel / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(color.red) + 0.7152 * linear(color.green) + 0.0722 * linear(color.blue);
}

// Black or white, whichever contrasts more with the background.
std::string_view TextColorOn(Rgb background) {
  const double luminance = Luminance(background);
  const double against_black = (luminance + 0.05) / 0.05;
  const double against_white = 1.05 / (luminance + 0.05);
  return against_black >= against_white ? "#000000" : "#ffffff";
}

// ---- SVG pieces ----

// Element ids are `prefix-name`; the prefix keeps only characters that are safe in an id and
// in a url(#...) reference.
std::string IdPrefix(std::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_') {
      out.push_back(c);
    }
  }
  if (out.empty() || !((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z'))) {
    out.insert(0, "c");
  }
  return out;
}

enum class Anchor { kStart, kMiddle, kEnd };

std::string_view AnchorName(Anchor anchor) {
  switch (anchor) {
    case Anchor::kStart:
      return "start";
    case Anchor::kMiddle:
      return "middle";
    case Anchor::kEnd:
      return "end";
  }
  return "start";
}

struct TextStyle {
  double font_size = kLabelFontSize;
  Anchor anchor = Anchor::kStart;
  std::string_view fill = kTextColor;
  bool bold = false;
};

void AppendText(std::string& out, double x, double y, std::string_view text,
                const TextStyle& style) {
  out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}>{}</text>)",
                     Coordinate(x), Coordinate(y), Coordinate(style.font_size),
                     AnchorName(style.anchor), style.fill,
                     style.bold ? R"( font-weight="bold")" : "", Escape(text));
  out.push_back('\n');
}

// Several lines centred on x, the first baseline at y; the full text as a tooltip when the
// lines are a shortened form of it.
void AppendLines(std::string& out, double x, double y, const std::vector<std::string>& lines,
                 std::string_view full_text, const TextStyle& style, double line_height) {
  std::string joined;
  for (const std::string& line : lines) joined += (joined.empty() ? "" : " ") + line;
  const bool shortened = joined.find(kEllipsis) != std::string::npos;
  if (shortened) out += fmt::format("<g><title>{}</title>", Escape(full_text));
  out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}">)",
                     Coordinate(x), Coordinate(y), Coordinate(style.font_size),
                     AnchorName(style.anchor), style.fill);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += fmt::format(R"(<tspan x="{}" dy="{}">{}</tspan>)", Coordinate(x),
                       Coordinate(i == 0 ? 0 : line_height), Escape(lines[i]));
  }
  out += "</text>";
  if (shortened) out += "</g>";
  out.push_back('\n');
}

void AppendRect(std::string& out, double x, double y, double width, double height,
                std::string_view fill, std::string_view stroke, double stroke_width) {
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}")", Coordinate(x),
                     Coordinate(y), Coordinate(width), Coordinate(height), fill);
  if (!stroke.empty()) {
    out += fmt::format(R"( stroke="{}" stroke-width="{}")", stroke, Coordinate(stroke_width));
  }
  out += "/>\n";
}

void AppendLine(std::string& out, double x1, double y1, double x2, double y2,
                std::string_view stroke, double stroke_width) {
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>)",
                     Coordinate(x1), Coordinate(y1), Coordinate(x2), Coordinate(y2), stroke,
                     Coordinate(stroke_width));
  out.push_back('\n');
}

std::string SvgOpen(const std::string& prefix, int width, int height, std::string_view title,
                    std::string_view description) {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(role="img" aria-labelledby="{2}-title {2}-desc" font-family="sans-serif">)"
      "\n"
      R"(<title id="{2}-title">{3}</title>)"
      "\n"
      R"(<desc id="{2}-desc">{4}</desc>)"
      "\n",
      width, height, prefix, Escape(title), Escape(description));
}

// Fill patterns so that series differ without colour: solid, diagonal stripes, dots,
// horizontal stripes, the other diagonal, cross-hatch.
constexpr std::size_t kPatternCount = 6;

std::string PatternDefinition(const std::string& id, std::string_view color, std::size_t kind) {
  std::string body = fmt::format(R"(<rect width="6" height="6" fill="{}"/>)", color);
  std::string_view transform;
  switch (kind % kPatternCount) {
    case 1:
      transform = "rotate(45)";
      body += R"(<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>)";
      break;
    case 2:
      body += R"(<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>)";
      break;
    case 3:
      body += R"(<line x1="0" y1="3" x2="6" y2="3" stroke="#ffffff" stroke-width="1.5"/>)";
      break;
    case 4:
      transform = "rotate(-45)";
      body += R"(<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>)";
      break;
    case 5:
      transform = "rotate(45)";
      body += R"(<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="1.5"/>)"
              R"(<line x1="0" y1="0" x2="6" y2="0" stroke="#ffffff" stroke-width="1.5"/>)";
      break;
    default:
      return "";
  }
  return fmt::format(
      R"(<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse"{}>)"
      "{}</pattern>\n",
      id, transform.empty() ? "" : fmt::format(R"( patternTransform="{}")", transform), body);
}

std::string_view SeriesColor(std::size_t series) {
  const auto& colors = SeriesColors();
  return colors[series % colors.size()];
}

std::string SeriesFill(const std::string& prefix, std::size_t series) {
  if (series % kPatternCount == 0) return std::string(SeriesColor(series));
  return fmt::format("url(#{}-s{})", prefix, series);
}

// ---- bar chart layout ----

std::optional<double> ValueAt(const ChartSeries& series, std::size_t category) {
  if (category >= series.values.size()) return 0.0;
  const std::optional<double>& value = series.values[category];
  if (!value || !std::isfinite(*value)) return std::nullopt;
  return std::clamp(*value, -1e15, 1e15);
}

std::string ValueWithUnit(double value, const BarChart& chart) {
  std::string text = FormatChartNumber(value, chart.numbers);
  if (!chart.value_unit.empty()) text += " " + chart.value_unit;
  return text;
}

bool ShowsLegend(const BarChart& chart) {
  return chart.series.size() > 1 || (chart.series.size() == 1 && !chart.series[0].label.empty());
}

struct LegendItem {
  std::optional<std::size_t> series;  // None for the note on suppressed values.
  std::string text;
  double x = 0;
  double y = 0;  // Centre line of the row.
};

struct FullLayout {
  BarChartLayout public_part;
  std::vector<LegendItem> legend;
  std::vector<std::string> tick_labels;
  double unit_y = 0;
  double label_top = 0;  // First baseline of the category labels.
  double slot_width = 0;
  double bar_width = 0;  // Of one bar (grouped) or one stack.
  bool any_suppressed = false;
};

std::vector<LegendItem> LayoutLegend(const BarChart& chart, bool any_suppressed, double width) {
  std::vector<LegendItem> items;
  if (ShowsLegend(chart)) {
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      items.push_back(LegendItem{s, chart.series[s].label});
    }
  }
  if (any_suppressed && !chart.suppressed_note.empty()) {
    items.push_back(LegendItem{std::nullopt, chart.suppressed_note});
  }
  const double left = kMargin;
  const double right = width - kMargin;
  double x = left;
  double row = 0;
  for (LegendItem& item : items) {
    const double swatch = item.series ? kSwatchSize + 6 : 0;
    item.text = TruncateText(item.text, right - left - swatch, kLegendFontSize);
    const double item_width = swatch + TextWidth(item.text, kLegendFontSize);
    if (x > left && x + item_width > right) {
      x = left;
      ++row;
    }
    item.x = x;
    item.y = kMargin + row * kLegendRowHeight + kLegendRowHeight / 2;
    x += item_width + 18;
  }
  return items;
}

FullLayout ComputeLayout(const BarChart& chart, int width_in, int height_in) {
  const double width = std::max(width_in, 160);
  const double height = std::max(height_in, 120);
  const bool stacked = chart.layout == BarLayout::kStacked;
  const std::size_t categories = chart.categories.size();
  const std::size_t series_count = chart.series.size();

  FullLayout layout;
  BarChartLayout& result = layout.public_part;
  result.category_marked.assign(categories, false);

  double low = 0;
  double high = 0;
  bool whole = true;
  for (std::size_t c = 0; c < categories; ++c) {
    double positive = 0;
    double negative = 0;
    for (const ChartSeries& series : chart.series) {
      const std::optional<double> value = ValueAt(series, c);
      if (!value) {
        result.category_marked[c] = true;
        layout.any_suppressed = true;
        continue;
      }
      whole = whole && IsWhole(*value);
      if (stacked) {
        (*value >= 0 ? positive : negative) += *value;
      } else {
        low = std::min(low, *value);
        high = std::max(high, *value);
      }
    }
    if (stacked) {
      low = std::min(low, negative);
      high = std::max(high, positive);
    }
  }
  result.scale = NiceScale(low, high, whole ? 1 : 0.01);
  const AxisScale& scale = result.scale;

  double tick_width = 0;
  for (double tick : scale.ticks) {
    layout.tick_labels.push_back(FormatChartNumber(tick, chart.numbers));
    tick_width = std::max(tick_width, TextWidth(layout.tick_labels.back(), kTickFontSize));
  }

  layout.legend = LayoutLegend(chart, layout.any_suppressed, width);
  double legend_bottom = kMargin;
  for (const LegendItem& item : layout.legend) {
    legend_bottom = std::max(legend_bottom, item.y + kLegendRowHeight / 2);
  }
  // Room above the plot for the unit and for value labels over the tallest bar.
  layout.unit_y = legend_bottom + 14;
  result.plot_top = legend_bottom + 30;
  result.plot_left = kMargin + tick_width + 8;
  result.plot_width = std::max(20.0, width - kMargin - result.plot_left);
  layout.slot_width =
      categories > 0 ? result.plot_width / static_cast<double>(categories) : result.plot_width;

  // Below the plot: room for labels under negative bars, then the category labels, wrapped
  // into fewer lines when the chart would otherwise get too flat.
  const double below_zero_room = scale.minimum < 0 ? 14 : 0;
  // A smaller font when some word of a category name would not fit its slot at full size.
  const double label_room = layout.slot_width - 4;
  result.category_font_size = kLabelFontSize;
  for (double size : {kLabelFontSize, kLabelFontSize - 1, kLabelFontSize - 2}) {
    result.category_font_size = size;
    const bool fits =
        std::all_of(chart.categories.begin(), chart.categories.end(),
                    [&](const std::string& name) { return WordsFit(name, label_room, size); });
    if (fits) break;
  }
  const double font_size = result.category_font_size;
  const double line_height = font_size + 2;
  const double marker_width = TextWidth(std::string(" ") + std::string(kSuppressedMark), font_size);
  for (int max_lines = 3; max_lines >= 1; --max_lines) {
    result.category_lines.clear();
    std::size_t lines = 1;
    for (std::size_t c = 0; c < categories; ++c) {
      const bool marked = result.category_marked[c];
      std::vector<std::string> wrapped = WrapLabel(
          chart.categories[c], label_room - (marked ? marker_width : 0), font_size, max_lines);
      if (marked) {
        if (wrapped.empty()) wrapped.emplace_back();
        wrapped.back() += (wrapped.back().empty() ? "" : " ") + std::string(kSuppressedMark);
      }
      lines = std::max(lines, wrapped.size());
      result.category_lines.push_back(std::move(wrapped));
    }
    const double label_height = static_cast<double>(lines) * line_height + 6;
    const double plot_bottom = height - kMargin - label_height - below_zero_room;
    result.plot_height = plot_bottom - result.plot_top;
    layout.label_top = plot_bottom + below_zero_room + line_height;
    if (result.plot_height >= 0.45 * height) break;
  }
  result.plot_height = std::max(result.plot_height, 20.0);

  const double span = scale.maximum - scale.minimum;
  auto y_of = [&](double value) {
    return result.plot_top + (scale.maximum - value) / span * result.plot_height;
  };
  result.zero_y = y_of(0);

  if (series_count == 0) return layout;
  if (stacked) {
    layout.bar_width = std::min(layout.slot_width * 0.6, 72.0);
  } else {
    layout.bar_width = std::min(layout.slot_width * 0.8 / static_cast<double>(series_count), 56.0);
  }
  const double gap = stacked ? 0 : std::min(2.0, layout.bar_width * 0.15);
  for (std::size_t c = 0; c < categories; ++c) {
    const double slot_x = result.plot_left + layout.slot_width * static_cast<double>(c);
    double positive = 0;
    double negative = 0;
    for (std::size_t s = 0; s < series_count; ++s) {
      const std::optional<double> value = ValueAt(chart.series[s], c);
      if (!value) continue;
      BarGeometry bar{s, c, *value};
      double top = 0;
      double bottom = 0;
      if (stacked) {
        bar.x = slot_x + (layout.slot_width - layout.bar_width) / 2;
        bar.width = layout.bar_width;
        if (*value >= 0) {
          top = y_of(positive + *value);
          bottom = y_of(positive);
          positive += *value;
        } else {
          top = y_of(negative);
          bottom = y_of(negative + *value);
          negative += *value;
        }
      } else {
        const double group = layout.bar_width * static_cast<double>(series_count);
        bar.x = slot_x + (layout.slot_width - group) / 2 +
                layout.bar_width * static_cast<double>(s) + gap / 2;
        bar.width = layout.bar_width - gap;
        top = y_of(std::max(*value, 0.0));
        bottom = y_of(std::min(*value, 0.0));
      }
      bar.y = top;
      bar.height = bottom - top;
      result.bars.push_back(bar);
    }
  }
  return layout;
}

// "Arbete: Kvinnor 12 personer, Män dolt." for each category, after the caller's text.
std::string BarSummary(const BarChart& chart, bool any_suppressed) {
  std::vector<std::string> sentences;
  if (!chart.description.empty()) sentences.push_back(chart.description);
  const std::string suppressed =
      chart.suppressed_word.empty() ? std::string(kSuppressedMark) : chart.suppressed_word;
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    std::string sentence = chart.categories[c] + ":";
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const std::optional<double> value = ValueAt(chart.series[s], c);
      sentence += s == 0 ? " " : ", ";
      if (chart.series.size() > 1 && !chart.series[s].label.empty()) {
        sentence += chart.series[s].label + " ";
      }
      sentence += value ? ValueWithUnit(*value, chart) : suppressed;
    }
    sentences.push_back(sentence + ".");
  }
  if (any_suppressed && !chart.suppressed_note.empty()) {
    sentences.push_back(chart.suppressed_note);
  }
  std::string out;
  for (const std::string& sentence : sentences) out += (out.empty() ? "" : " ") + sentence;
  return out;
}

// A value inside a bar, on a solid chip of the series colour so that a pattern does not run
// through the digits.
void AppendChipLabel(std::string& out, double center_x, double center_y, std::string_view text,
                     std::size_t series) {
  const std::string_view color = SeriesColor(series);
  const double text_width = TextWidth(text, kValueFontSize);
  AppendRect(out, center_x - text_width / 2 - 2, center_y - 7, text_width + 4, 14, color, "", 0);
  AppendText(out, center_x, center_y + kValueFontSize * 0.35, text,
             TextStyle{kValueFontSize, Anchor::kMiddle, TextColorOn(ParseColor(color))});
}

}  // namespace

const std::vector<std::string>& SeriesColors() {
  // Okabe & Ito (2008), keeping the colours with at least 3:1 contrast against white: blue,
  // vermillion, bluish green, reddish purple, black.
  static const std::vector<std::string> kColors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                   "#000000"};
  return kColors;
}

std::string FormatChartNumber(double value, const NumberStyle& style) {
  if (!std::isfinite(value)) return std::string(kSuppressedMark);
  value = std::clamp(value, -1e15, 1e15);
  long long hundredths = std::llround(value * 100);
  const bool negative = hundredths < 0;
  if (negative) hundredths = -hundredths;
  const std::string digits = std::to_string(hundredths / 100);
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += style.group_separator;
    out.push_back(digits[i]);
  }
  const long long fraction = hundredths % 100;
  if (fraction != 0) {
    std::string decimals = fmt::format("{:02}", fraction);
    if (decimals.back() == '0') decimals.pop_back();
    out += style.decimal_mark + decimals;
  }
  return out;
}

AxisScale NiceScale(double low, double high, double minimum_step, int max_intervals) {
  if (!std::isfinite(low)) low = 0;
  if (!std::isfinite(high)) high = 0;
  low = std::min(low, 0.0);
  high = std::max(high, 0.0);
  if (low == 0 && high == 0) high = 1;
  minimum_step = std::isfinite(minimum_step) ? std::max(minimum_step, 0.01) : 0.01;
  max_intervals = std::clamp(max_intervals, 1, 1000);
  // Far beyond any amount in kronor, and it keeps tick indices in 64 bits.
  low = std::max(low, -1e15);
  high = std::min(high, 1e15);

  constexpr double kSlack = 1e-9;
  constexpr std::array<int, 3> kMantissas = {1, 2, 5};
  AxisScale scale;
  const int first_exponent = static_cast<int>(std::floor(std::log10(minimum_step))) - 1;
  for (int exponent = first_exponent; exponent < 400; ++exponent) {
    for (int mantissa : kMantissas) {
      const double step = Scaled(mantissa, exponent);
      if (step < minimum_step * (1 - kSlack)) continue;
      const double lowest = std::floor(low / step + kSlack);
      const double highest = std::ceil(high / step - kSlack);
      if (highest - lowest > max_intervals) continue;
      scale.step = step;
      for (auto i = static_cast<std::int64_t>(lowest); i <= static_cast<std::int64_t>(highest);
           ++i) {
        scale.ticks.push_back(Scaled(static_cast<double>(i * mantissa), exponent));
      }
      scale.minimum = scale.ticks.front();
      scale.maximum = scale.ticks.back();
      return scale;
    }
  }
  scale.ticks = {0, 1};  // Unreachable for finite input.
  return scale;
}

std::vector<std::string> WrapLabel(std::string_view text, double max_width, double font_size,
                                   int max_lines) {
  const std::vector<char32_t> codes = Decode(text);
  max_lines = std::max(max_lines, 1);

  // Words as [begin, end) ranges of code points.
  std::vector<std::pair<std::size_t, std::size_t>> words;
  for (std::size_t i = 0; i < codes.size();) {
    while (i < codes.size() && (codes[i] == ' ' || codes[i] == '\n' || codes[i] == '\t')) ++i;
    const std::size_t begin = i;
    while (i < codes.size() && codes[i] != ' ' && codes[i] != '\n' && codes[i] != '\t') ++i;
    if (i > begin) words.emplace_back(begin, i);
  }

  std::vector<std::string> lines;
  std::size_t word = 0;
  while (word < words.size()) {
    const bool last_line = static_cast<int>(lines.size()) + 1 == max_lines;
    const std::size_t begin = words[word].first;
    std::size_t end = words[word].second;
    ++word;
    while (word < words.size() && Width(codes, begin, words[word].second, font_size) <= max_width) {
      end = words[word].second;
      ++word;
    }
    if (last_line && word < words.size()) {
      // More words than lines: cut the rest of the text into this line.
      lines.push_back(Truncate(codes, begin, codes.size(), max_width, font_size));
      break;
    }
    lines.push_back(Truncate(codes, begin, end, max_width, font_size));
  }
  return lines;
}

BarChartLayout LayoutBarChart(const BarChart& chart, int width, int height) {
  return ComputeLayout(chart, width, height).public_part;
}

std::string RenderBarChart(const BarChart& chart, std::string_view id_prefix, int width,
                           int height) {
  width = std::max(width, 160);
  height = std::max(height, 120);
  const std::string prefix = IdPrefix(id_prefix);
  const FullLayout layout = ComputeLayout(chart, width, height);
  const BarChartLayout& geometry = layout.public_part;
  const AxisScale& scale = geometry.scale;
  const bool stacked = chart.layout == BarLayout::kStacked;
  const double plot_right = geometry.plot_left + geometry.plot_width;
  auto y_of = [&](double value) {
    return geometry.plot_top +
           (scale.maximum - value) / (scale.maximum - scale.minimum) * geometry.plot_height;
  };

  std::string out =
      SvgOpen(prefix, width, height, chart.title, BarSummary(chart, layout.any_suppressed));

  std::string patterns;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    patterns += PatternDefinition(fmt::format("{}-s{}", prefix, s), SeriesColor(s), s);
  }
  if (!patterns.empty()) out += "<defs>\n" + patterns + "</defs>\n";

  // Grid and value axis.
  for (std::size_t i = 0; i < scale.ticks.size(); ++i) {
    const double y = y_of(scale.ticks[i]);
    if (scale.ticks[i] != 0) AppendLine(out, geometry.plot_left, y, plot_right, y, kGridColor, 1);
    AppendText(out, geometry.plot_left - 6, y + kTickFontSize * 0.35, layout.tick_labels[i],
               TextStyle{kTickFontSize, Anchor::kEnd, kMutedTextColor});
  }
  if (!chart.value_unit.empty()) {
    AppendText(out, kMargin, layout.unit_y, chart.value_unit,
               TextStyle{kTickFontSize, Anchor::kStart, kMutedTextColor});
  }

  // Bars.
  for (const BarGeometry& bar : geometry.bars) {
    if (bar.height <= 0) continue;
    AppendRect(out, bar.x, bar.y, bar.width, bar.height, SeriesFill(prefix, bar.series),
               stacked ? "#ffffff" : SeriesColor(bar.series), 1);
  }
  AppendLine(out, geometry.plot_left, geometry.zero_y, plot_right, geometry.zero_y, kAxisColor, 1);

  // Value labels where they fit: above (below, when negative) a grouped bar; inside a stacked
  // segment, with the total above the stack.
  for (const BarGeometry& bar : geometry.bars) {
    if (stacked) {
      // A single series needs no segment labels: the total above says it.
      if (chart.series.size() < 2) continue;
      const std::string text = FormatChartNumber(bar.value, chart.numbers);
      if (bar.height >= 15 && TextWidth(text, kValueFontSize) + 6 <= bar.width) {
        AppendChipLabel(out, bar.x + bar.width / 2, bar.y + bar.height / 2, text, bar.series);
      }
      continue;
    }
    const std::string text = FormatChartNumber(bar.value, chart.numbers);
    // A single series may use the whole slot; side by side, a label keeps to its bar.
    const double room = chart.series.size() == 1 ? layout.slot_width - 4 : layout.bar_width + 2;
    if (TextWidth(text, kValueFontSize) > room) continue;
    const double y = bar.value >= 0 ? bar.y - 3 : bar.y + bar.height + kValueFontSize + 1;
    AppendText(out, bar.x + bar.width / 2, y, text,
               TextStyle{kValueFontSize, Anchor::kMiddle, kTextColor});
  }
  const TextStyle marker_style{kLabelFontSize + 9, Anchor::kMiddle, kTextColor, true};
  for (std::size_t c = 0; c < chart.categories.size() && !chart.series.empty(); ++c) {
    const double slot_center =
        geometry.plot_left + layout.slot_width * (static_cast<double>(c) + 0.5);
    if (stacked) {
      double positive = 0;
      double negative = 0;
      for (const ChartSeries& series : chart.series) {
        const std::optional<double> value = ValueAt(series, c);
        if (value) (*value >= 0 ? positive : negative) += *value;
      }
      if (geometry.category_marked[c]) {
        AppendText(out, slot_center, y_of(positive) - 4, kSuppressedMark, marker_style);
        continue;
      }
      if (positive != 0 && negative != 0) continue;
      const double total = positive + negative;
      const std::string text = FormatChartNumber(total, chart.numbers);
      if (TextWidth(text, kValueFontSize) > layout.slot_width - 2) continue;
      const double y = total >= 0 ? y_of(total) - 3 : y_of(total) + kValueFontSize + 1;
      AppendText(out, slot_center, y, text,
                 TextStyle{kValueFontSize, Anchor::kMiddle, kTextColor, true});
      continue;
    }
    // A grouped slot with a suppressed value gets the mark where the bar would stand.
    const double group = layout.bar_width * static_cast<double>(chart.series.size());
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      if (ValueAt(chart.series[s], c)) continue;
      const double x = slot_center - group / 2 + layout.bar_width * (static_cast<double>(s) + 0.5);
      AppendText(out, x, geometry.zero_y - 4, kSuppressedMark, marker_style);
    }
  }

  // Category labels.
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double slot_center =
        geometry.plot_left + layout.slot_width * (static_cast<double>(c) + 0.5);
    AppendLines(out, slot_center, layout.label_top, geometry.category_lines[c], chart.categories[c],
                TextStyle{geometry.category_font_size, Anchor::kMiddle, kTextColor},
                geometry.category_font_size + 2);
  }

  // Legend, in series order.
  for (const LegendItem& item : layout.legend) {
    double text_x = item.x;
    if (item.series) {
      const std::size_t s = *item.series;
      AppendRect(out, item.x, item.y - kSwatchSize / 2, kSwatchSize, kSwatchSize,
                 SeriesFill(prefix, s), SeriesColor(s), 1);
      text_x += kSwatchSize + 6;
    }
    AppendText(out, text_x, item.y + kLegendFontSize * 0.35, item.text,
               TextStyle{kLegendFontSize, Anchor::kStart, kTextColor});
  }
  out += "</svg>\n";
  return out;
}

// ---- transition matrix ----

namespace {

std::optional<std::int64_t> CountAt(const TransitionMatrix& matrix, std::size_t row,
                                    std::size_t column) {
  if (row >= matrix.counts.size() || column >= matrix.counts[row].size()) return 0;
  return matrix.counts[row][column];
}

std::string StepLabel(const TransitionMatrix& matrix, std::size_t step) {
  return step < matrix.step_labels.size() ? matrix.step_labels[step] : std::to_string(step + 1);
}

std::string StepShortLabel(const TransitionMatrix& matrix, std::size_t step) {
  return step < matrix.step_short_labels.size() ? matrix.step_short_labels[step]
                                                : std::to_string(step + 1);
}

// "Första steg 1 Ingen aktivitet → Senaste steg 2: 3 personer, 3: dolt." for each row with a
// count that is not zero, after the caller's text.
std::string MatrixSummary(const TransitionMatrix& matrix, std::size_t steps, bool any_suppressed) {
  std::vector<std::string> sentences;
  if (!matrix.description.empty()) sentences.push_back(matrix.description);
  const std::string suppressed =
      matrix.suppressed_word.empty() ? std::string(kSuppressedMark) : matrix.suppressed_word;
  for (std::size_t row = 0; row < steps; ++row) {
    std::vector<std::string> cells;
    for (std::size_t column = 0; column < steps; ++column) {
      const std::optional<std::int64_t> count = CountAt(matrix, row, column);
      if (count && *count == 0) continue;
      std::string value = suppressed;
      if (count) {
        value = FormatChartNumber(static_cast<double>(*count), matrix.numbers);
        if (!matrix.value_unit.empty()) value += " " + matrix.value_unit;
      }
      cells.push_back(StepShortLabel(matrix, column) + ": " + value);
    }
    if (cells.empty()) continue;
    std::string sentence = matrix.first_step_label + (matrix.first_step_label.empty() ? "" : " ") +
                           StepLabel(matrix, row) + " → " + matrix.latest_step_label +
                           (matrix.latest_step_label.empty() ? "" : " ");
    for (std::size_t i = 0; i < cells.size(); ++i) sentence += (i == 0 ? "" : ", ") + cells[i];
    sentences.push_back(sentence + ".");
  }
  if (any_suppressed && !matrix.suppressed_note.empty()) {
    sentences.push_back(matrix.suppressed_note);
  }
  std::string out;
  for (const std::string& sentence : sentences) out += (out.empty() ? "" : " ") + sentence;
  return out;
}

// From a pale to a dark blue (ColorBrewer "Blues") as the count goes from 1 to the largest
// count; zero is white.
Rgb CellColor(std::int64_t count, std::int64_t largest) {
  if (count <= 0 || largest <= 0) return Rgb{255, 255, 255};
  static constexpr std::array<Rgb, 6> kStops = {Rgb{222, 235, 247}, Rgb{158, 202, 225},
                                                Rgb{107, 174, 214}, Rgb{49, 130, 189},
                                                Rgb{8, 81, 156},    Rgb{8, 48, 107}};
  const double t =
      largest == 1
          ? 1.0
          : std::clamp(static_cast<double>(count - 1) / static_cast<double>(largest - 1), 0.0, 1.0);
  const double position = t * static_cast<double>(kStops.size() - 1);
  const auto lower = std::min(static_cast<std::size_t>(position), kStops.size() - 2);
  const double within = position - static_cast<double>(lower);
  auto mix = [within](int from, int to) {
    return static_cast<int>(std::lround(from + (to - from) * within));
  };
  const Rgb& from = kStops[lower];
  const Rgb& to = kStops[lower + 1];
  return Rgb{mix(from.red, to.red), mix(from.green, to.green), mix(from.blue, to.blue)};
}

}  // namespace

std::string RenderTransitionMatrix(const TransitionMatrix& matrix, std::string_view id_prefix,
                                   int width, int height) {
  width = std::max(width, 200);
  height = std::max(height, 160);
  const std::string prefix = IdPrefix(id_prefix);
  std::size_t steps = matrix.step_labels.size();
  for (const auto& row : matrix.counts) steps = std::max({steps, matrix.counts.size(), row.size()});

  bool any_suppressed = false;
  std::int64_t largest = 0;
  for (std::size_t row = 0; row < steps; ++row) {
    for (std::size_t column = 0; column < steps; ++column) {
      const std::optional<std::int64_t> count = CountAt(matrix, row, column);
      if (!count) {
        any_suppressed = true;
      } else {
        largest = std::max(largest, *count);
      }
    }
  }

  const double axis_font = 12;
  const double head_y = kMargin + 12 + 16;  // Baseline of the column heads.
  const double grid_top = head_y + 8;
  const double note_room = any_suppressed && !matrix.suppressed_note.empty() ? 22 : 0;
  const double label_width = std::min(0.4 * width, 220.0);
  const double grid_left = kMargin + label_width + 8;
  double cell = 72;
  if (steps > 0) {
    const double n = static_cast<double>(steps);
    cell = std::min(
        {cell, (width - grid_left - kMargin) / n, (height - grid_top - note_room - kMargin) / n});
  }
  cell = std::max(cell, 8.0);
  const double grid_size = cell * static_cast<double>(steps);
  const int used_height =
      std::min(height, static_cast<int>(std::ceil(grid_top + grid_size + note_room + kMargin)));

  std::string out = SvgOpen(prefix, width, used_height, matrix.title,
                            MatrixSummary(matrix, steps, any_suppressed));
  out += fmt::format(
      "<defs>\n"
      R"(<pattern id="{}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" )"
      R"svg(patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>)svg"
      R"(<line x1="0" y1="0" x2="0" y2="6" stroke="#c4c4c4" stroke-width="1.5"/></pattern>)"
      "\n</defs>\n",
      prefix);

  // Axis names: the latest step over the columns, the first step over the row heads.
  AppendText(out, grid_left + grid_size / 2, kMargin + 12,
             TruncateText(matrix.latest_step_label, std::max(grid_size, 40.0), axis_font),
             TextStyle{axis_font, Anchor::kMiddle, kTextColor, true});
  AppendText(out, kMargin, head_y, TruncateText(matrix.first_step_label, label_width, axis_font),
             TextStyle{axis_font, Anchor::kStart, kTextColor, true});

  const double number_font = std::clamp(cell * 0.32, 8.0, 16.0);
  const int row_lines = std::clamp(static_cast<int>((cell - 2) / kLabelLineHeight), 1, 3);
  for (std::size_t row = 0; row < steps; ++row) {
    const double y = grid_top + cell * static_cast<double>(row);
    const std::string label = StepLabel(matrix, row);
    const std::vector<std::string> lines = WrapLabel(label, label_width, kLabelFontSize, row_lines);
    const double first_baseline = y + cell / 2 -
                                  (static_cast<double>(lines.size()) - 1) * kLabelLineHeight / 2 +
                                  kLabelFontSize * 0.35;
    AppendLines(out, kMargin, first_baseline, lines, label,
                TextStyle{kLabelFontSize, Anchor::kStart, kTextColor}, kLabelLineHeight);
  }
  for (std::size_t column = 0; column < steps; ++column) {
    const double x = grid_left + cell * static_cast<double>(column);
    AppendText(out, x + cell / 2, head_y,
               TruncateText(StepShortLabel(matrix, column), cell - 2, kLabelFontSize),
               TextStyle{kLabelFontSize, Anchor::kMiddle, kTextColor});
  }

  const std::string hatch = fmt::format("url(#{}-hatch)", prefix);
  for (std::size_t row = 0; row < steps; ++row) {
    for (std::size_t column = 0; column < steps; ++column) {
      const double x = grid_left + cell * static_cast<double>(column);
      const double y = grid_top + cell * static_cast<double>(row);
      const std::optional<std::int64_t> count = CountAt(matrix, row, column);
      const double center_x = x + cell / 2;
      const double baseline = y + cell / 2 + number_font * 0.35;
      if (!count) {
        AppendRect(out, x, y, cell, cell, hatch, "#d0d0d0", 1);
        AppendText(out, center_x, baseline, kSuppressedMark,
                   TextStyle{number_font * 1.8, Anchor::kMiddle, kTextColor, true});
        continue;
      }
      const Rgb fill = CellColor(*count, largest);
      AppendRect(out, x, y, cell, cell, ColorText(fill), "#d0d0d0", 1);
      const std::string_view text_color = *count == 0 ? kFaintTextColor : TextColorOn(fill);
      AppendText(out, center_x, baseline,
                 FormatChartNumber(static_cast<double>(*count), matrix.numbers),
                 TextStyle{number_font, Anchor::kMiddle, text_color});
    }
  }
  // The diagonal, where the step did not change, outlined on top of the cells.
  for (std::size_t step = 0; step < steps; ++step) {
    const double at = cell * static_cast<double>(step);
    AppendRect(out, grid_left + at + 1, grid_top + at + 1, cell - 2, cell - 2, "none", kAxisColor,
               2);
  }
  if (note_room > 0) {
    AppendText(out, kMargin, grid_top + grid_size + 18,
               TruncateText(matrix.suppressed_note, width - 2 * kMargin, kLabelFontSize),
               TextStyle{kLabelFontSize, Anchor::kStart, kMutedTextColor});
  }
  out += "</svg>\n";
  return out;
}

}  // namespace stegvis::exporting
