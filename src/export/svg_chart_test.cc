#include "export/svg_chart.h"

#include <cmath>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace stegvis::exporting {
namespace {

// A small XML well-formedness check, enough for what the charts write: every tag is closed in
// order, attribute values are quoted, `&` starts a known entity, and no `<` or `>` stands in
// text. Returns an empty string when well-formed, else what was wrong.
std::string XmlProblem(const std::string& xml) {
  std::vector<std::string> open;
  std::size_t i = 0;
  auto entity_ok = [&](std::size_t at) {
    for (const char* entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (xml.compare(at, std::char_traits<char>::length(entity), entity) == 0) return true;
    }
    return false;
  };
  bool seen_root = false;
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '&') {
      if (!entity_ok(i)) return fmt::format("bad entity at {}", i);
      ++i;
      continue;
    }
    if (c == '>') return fmt::format("stray > at {}", i);
    if (c != '<') {
      if (open.empty() && c != '\n' && c != ' ') return fmt::format("text outside root at {}", i);
      ++i;
      continue;
    }
    const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < xml.size() &&
           (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-' || xml[j] == ':')) {
      ++j;
    }
    const std::string name = xml.substr(name_start, j - name_start);
    if (name.empty()) return fmt::format("tag without name at {}", i);
    if (closing) {
      if (open.empty() || open.back() != name)
        return fmt::format("unbalanced </{}> at {}", name, i);
      open.pop_back();
      if (j >= xml.size() || xml[j] != '>') return fmt::format("bad closing tag at {}", i);
      i = j + 1;
      continue;
    }
    if (open.empty() && seen_root) return "second root element";
    seen_root = true;
    // Attributes: name="value" with no < or raw & in the value.
    while (true) {
      while (j < xml.size() && xml[j] == ' ') ++j;
      if (j >= xml.size()) return "unterminated tag";
      if (xml[j] == '>') {
        open.push_back(name);
        ++j;
        break;
      }
      if (xml.compare(j, 2, "/>") == 0) {
        j += 2;
        break;
      }
      const std::size_t equals = xml.find('=', j);
      if (equals == std::string::npos || xml[equals + 1] != '"') {
        return fmt::format("unquoted attribute in <{}> at {}", name, j);
      }
      const std::size_t end = xml.find('"', equals + 2);
      if (end == std::string::npos) return "unterminated attribute";
      for (std::size_t k = equals + 2; k < end; ++k) {
        if (xml[k] == '<') return fmt::format("< in attribute at {}", k);
        if (xml[k] == '&' && !entity_ok(k)) return fmt::format("bad entity at {}", k);
      }
      j = end + 1;
    }
    i = j;
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  return "";
}

// The attribute values of every element named `element`, as maps from attribute name.
std::vector<std::map<std::string, std::string>> Elements(const std::string& svg,
                                                         const std::string& element) {
  std::vector<std::map<std::string, std::string>> out;
  const std::regex tag("<" + element + R"(((?:\s+[a-z-]+="[^"]*")*)\s*/?>)");
  const std::regex attribute(R"(([a-z-]+)="([^"]*)\")");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator();
       ++it) {
    std::map<std::string, std::string> attributes;
    const std::string text = (*it)[1].str();
    for (auto a = std::sregex_iterator(text.begin(), text.end(), attribute);
         a != std::sregex_iterator(); ++a) {
      attributes[(*a)[1].str()] = (*a)[2].str();
    }
    out.push_back(std::move(attributes));
  }
  return out;
}

std::string DescOf(const std::string& svg) {
  const std::size_t start = svg.find('>', svg.find("<desc")) + 1;
  return svg.substr(start, svg.find("</desc>") - start);
}

BarChart ExitsChart() {
  BarChart chart;
  chart.title = "Avslut per insats";
  chart.description = "Antal avslut till arbete och studier 2024.";
  chart.categories = {"Samverkansteam Finnveden", "Funktionsnedsatta i arbete (FIA)", "IT-spåret"};
  chart.series = {{"Arbete", {12, 7, 0}}, {"Studier", {4, std::nullopt, 9}}};
  chart.value_unit = "personer";
  chart.suppressed_word = "dolt";
  chart.suppressed_note = "· = färre än 5, visas inte";
  return chart;
}

void ExpectTicks(const AxisScale& scale, const std::vector<double>& expected) {
  ASSERT_EQ(scale.ticks.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(scale.ticks[i], expected[i], std::abs(expected[i]) * 1e-12 + 1e-12) << i;
  }
  EXPECT_EQ(scale.minimum, scale.ticks.front());
  EXPECT_EQ(scale.maximum, scale.ticks.back());
}

TEST(ChartNiceScale, CountsUpToSevenStepByTwo) { ExpectTicks(NiceScale(0, 7, 1), {0, 2, 4, 6, 8}); }

TEST(ChartNiceScale, SixtyTwoStepsByTwenty) {
  ExpectTicks(NiceScale(0, 62, 1), {0, 20, 40, 60, 80});
}

TEST(ChartNiceScale, MillionsOfKronorStepByTwoMillion) {
  ExpectTicks(NiceScale(0, 8054000, 1), {0, 2e6, 4e6, 6e6, 8e6, 10e6});
}

TEST(ChartNiceScale, NegativeDeviationGetsATickBelowZero) {
  const AxisScale scale = NiceScale(-248500, 4000000, 1);
  ExpectTicks(scale, {-1e6, 0, 1e6, 2e6, 3e6, 4e6});
  EXPECT_EQ(scale.step, 1e6);
}

TEST(ChartNiceScale, AllZeroGivesAUsableAxis) {
  ExpectTicks(NiceScale(0, 0, 1), {0, 1});
  ExpectTicks(NiceScale(0, 0), {0, 0.2, 0.4, 0.6, 0.8, 1});
}

TEST(ChartNiceScale, OnlyNegativeValuesKeepZeroOnTop) {
  ExpectTicks(NiceScale(-35, -5, 1), {-40, -30, -20, -10, 0});
}

TEST(ChartNiceScale, FractionsStayOnTwoDecimals) {
  ExpectTicks(NiceScale(0, 0.03), {0, 0.01, 0.02, 0.03});
  ExpectTicks(NiceScale(0, 1.1), {0, 0.2, 0.4, 0.6, 0.8, 1, 1.2});
  ExpectTicks(NiceScale(0, 2, 1), {0, 1, 2});
}

TEST(ChartNumber, GroupsThousandsAndKeepsTwoDecimals) {
  const NumberStyle swedish;
  EXPECT_EQ(FormatChartNumber(8054000, swedish), "8 054 000");
  EXPECT_EQ(FormatChartNumber(-248500, swedish), "-248 500");
  EXPECT_EQ(FormatChartNumber(12.5, swedish), "12,5");
  EXPECT_EQ(FormatChartNumber(0.125, swedish), "0,13");
  EXPECT_EQ(FormatChartNumber(999.999, swedish), "1 000");
  EXPECT_EQ(FormatChartNumber(-0.001, swedish), "0");
  EXPECT_EQ(FormatChartNumber(100, swedish), "100");
  EXPECT_EQ(FormatChartNumber(1234.5, NumberStyle{".", ","}), "1,234.5");
}

TEST(ChartWrapLabel, WrapsLongSwedishNamesWithinTheWidth) {
  const auto lines = WrapLabel("Funktionsnedsatta i arbete (FIA)", 110, 11, 3);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "Funktionsnedsatta");
  EXPECT_EQ(lines[1], "i arbete (FIA)");
  EXPECT_EQ(WrapLabel("Funktionsnedsatta i arbete (FIA)", 80, 11, 3),
            (std::vector<std::string>{"Funktionsn…", "i arbete (FIA)"}));
}

TEST(ChartWrapLabel, CutsWhatDoesNotFitWithAnEllipsis) {
  const auto lines = WrapLabel("Arbetsträning eller praktik på arbetsplats", 60, 10, 2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "Arbetsträ…");
  EXPECT_EQ(lines[1], "eller prak…");
  EXPECT_EQ(WrapLabel("", 60, 10, 2).size(), 0u);
  EXPECT_EQ(WrapLabel("Kort", 60, 10, 2), std::vector<std::string>{"Kort"});
}

TEST(SvgChart, TitleAndDescriptionAreLinkedFromTheRoot) {
  const std::string svg = RenderBarChart(ExitsChart(), "avslut-2024");
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find(R"(role="img" aria-labelledby="avslut-2024-title avslut-2024-desc")"),
            std::string::npos);
  EXPECT_NE(svg.find(R"(<title id="avslut-2024-title">Avslut per insats</title>)"),
            std::string::npos);
  EXPECT_NE(svg.find(R"(<desc id="avslut-2024-desc">Antal avslut)"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(XmlProblem(svg), "");
}

TEST(SvgChart, DescriptionSummarisesEveryValue) {
  const std::string desc = DescOf(RenderBarChart(ExitsChart(), "c"));
  EXPECT_EQ(desc,
            "Antal avslut till arbete och studier 2024. Samverkansteam Finnveden: Arbete 12 "
            "personer, Studier 4 personer. Funktionsnedsatta i arbete (FIA): Arbete 7 personer, "
            "Studier dolt. IT-spåret: Arbete 0 personer, Studier 9 personer. · = färre än 5, "
            "visas inte");
}

TEST(SvgChart, EscapesHostileLabelsAndStaysWellFormed) {
  BarChart chart = ExitsChart();
  chart.title = "A & B <i>\"x\"</i>";
  chart.categories[0] = "<script>alert('x')</script>";
  chart.categories[1] = "Tom & Jerry's \"insats\" > 5\x01\x7f";
  chart.series[0].label = "</text><rect onload=\"x\"/>";
  chart.value_unit = "<b>kr</b>";
  chart.suppressed_note = "a]]>b";
  const std::string svg = RenderBarChart(chart, "\"><script>");
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<i>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(svg.find("onload=\""), std::string::npos);
  EXPECT_NE(svg.find("&lt;rect onload=&quot;x&quot;/&gt;"), std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("A &amp; B &lt;i&gt;&quot;x&quot;&lt;/i&gt;"), std::string::npos);
  // The id prefix keeps only safe characters.
  EXPECT_NE(svg.find(R"(aria-labelledby="script-title script-desc")"), std::string::npos);
}

TEST(SvgChart, InvalidUtf8IsReplacedNotCopied) {
  BarChart chart = ExitsChart();
  chart.categories[0] = "bad \xff\xfe byte \xc3";
  const std::string svg = RenderBarChart(chart, "c");
  EXPECT_EQ(svg.find('\xff'), std::string::npos);
  EXPECT_NE(svg.find("bad \xEF\xBF\xBD\xEF\xBF\xBD byte \xEF\xBF\xBD"), std::string::npos);
}

TEST(SvgChart, ObeysAStrictContentSecurityPolicy) {
  BarChart chart = ExitsChart();
  chart.layout = BarLayout::kStacked;
  for (const std::string& svg : {RenderBarChart(ExitsChart(), "c"), RenderBarChart(chart, "c")}) {
    EXPECT_EQ(svg.find("style"), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_FALSE(std::regex_search(svg, std::regex(R"(\son[a-z]+=)")));
    EXPECT_EQ(svg.find("javascript:"), std::string::npos);
  }
}

TEST(SvgChart, SameInputGivesTheSameBytes) {
  EXPECT_EQ(RenderBarChart(ExitsChart(), "c", 600, 300),
            RenderBarChart(ExitsChart(), "c", 600, 300));
  EXPECT_NE(RenderBarChart(ExitsChart(), "a"), RenderBarChart(ExitsChart(), "b"));
}

TEST(SvgChart, SuppressedValueIsNotDrawnButMarked) {
  const BarChart chart = ExitsChart();
  const BarChartLayout layout = LayoutBarChart(chart, 640, 320);
  for (const BarGeometry& bar : layout.bars) {
    EXPECT_FALSE(bar.series == 1 && bar.category == 1) << "a suppressed value got a bar";
  }
  EXPECT_EQ(layout.bars.size(), 5u);
  EXPECT_EQ(layout.category_marked, (std::vector<bool>{false, true, false}));
  ASSERT_FALSE(layout.category_lines[1].empty());
  EXPECT_EQ(layout.category_lines[1].back().substr(layout.category_lines[1].back().size() - 2),
            "·");

  const std::string svg = RenderBarChart(chart, "c");
  EXPECT_NE(DescOf(svg).find("Studier dolt"), std::string::npos);
  EXPECT_NE(svg.find(">· = färre än 5, visas inte</text>"), std::string::npos);
  // Bars drawn: the four non-zero values (a zero gets no rectangle).
  int bars = 0;
  for (const auto& rect : Elements(svg, "rect")) {
    if (rect.count("stroke") && rect.at("stroke") != "#ffffff" && rect.at("width") != "14") ++bars;
  }
  EXPECT_EQ(bars, 4);
}

TEST(SvgChart, StackedSegmentsAddUpToTheTotalHeight) {
  BarChart chart;
  chart.categories = {"Gislaved", "Gnosjö", "Värnamo"};
  chart.series = {{"Kommun", {1200000, 400000, 2600000}},
                  {"Region", {1200000, 400000, 2600000}},
                  {"Staten", {2400000, 800000, 5200000}}};
  chart.layout = BarLayout::kStacked;
  chart.value_unit = "kr";
  const BarChartLayout layout = LayoutBarChart(chart, 640, 320);
  EXPECT_EQ(layout.scale.maximum, 12e6);  // Totals 4.8, 1.6 and 10.4 million.
  const double per_unit = layout.plot_height / (layout.scale.maximum - layout.scale.minimum);
  ASSERT_EQ(layout.bars.size(), 9u);
  for (std::size_t c = 0; c < 3; ++c) {
    double total = 0;
    double bottom = layout.zero_y;
    for (const BarGeometry& bar : layout.bars) {
      if (bar.category != c) continue;
      EXPECT_NEAR(bar.height, bar.value * per_unit, 1e-9);
      EXPECT_NEAR(bar.y + bar.height, bottom, 1e-9) << "segments touch";
      bottom = bar.y;
      total += bar.value;
    }
    EXPECT_NEAR(layout.zero_y - bottom, total * per_unit, 1e-9) << "stack top at the total";
  }
  // The output draws exactly these rectangles.
  const std::string svg = RenderBarChart(chart, "c", 640, 320);
  std::vector<std::string> drawn;
  for (const auto& rect : Elements(svg, "rect")) {
    if (rect.count("stroke") && rect.at("stroke") == "#ffffff") drawn.push_back(rect.at("height"));
  }
  ASSERT_EQ(drawn.size(), 9u);
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    EXPECT_NEAR(std::stod(drawn[i]), layout.bars[i].height, 0.006);
  }
  // Totals above the stacks, with Swedish grouping.
  EXPECT_NE(svg.find(">4 800 000</text>"), std::string::npos);
  EXPECT_NE(svg.find(">10 400 000</text>"), std::string::npos);
}

TEST(SvgChart, NegativeDeviationGoesBelowTheZeroLine) {
  BarChart chart;
  chart.categories = {"Samverkansteam", "IT-spåret"};
  chart.series = {{"Avvikelse", {-248500, 4000000}}};
  const BarChartLayout layout = LayoutBarChart(chart, 640, 320);
  ASSERT_EQ(layout.bars.size(), 2u);
  EXPECT_NEAR(layout.bars[0].y, layout.zero_y, 1e-9);
  EXPECT_GT(layout.bars[0].height, 0);
  EXPECT_NEAR(layout.bars[1].y + layout.bars[1].height, layout.zero_y, 1e-9);
  EXPECT_NEAR(layout.bars[1].height / layout.bars[0].height, 4000000.0 / 248500.0, 1e-9);
  EXPECT_EQ(XmlProblem(RenderBarChart(chart, "c")), "");
}

TEST(SvgChart, EmptyAndAllZeroChartsStillRender) {
  BarChart empty;
  EXPECT_EQ(XmlProblem(RenderBarChart(empty, "")), "");
  EXPECT_NE(RenderBarChart(empty, "").find(R"(aria-labelledby="c-title c-desc")"),
            std::string::npos);
  BarChart zeros;
  zeros.categories = {"A", "B"};
  zeros.series = {{"x", {0, 0}}};
  const BarChartLayout layout = LayoutBarChart(zeros, 100, 50);  // Clamped up to 160 × 120.
  EXPECT_EQ(layout.scale.ticks, (std::vector<double>{0, 1}));
  EXPECT_GT(layout.plot_height, 0);
  EXPECT_EQ(XmlProblem(RenderBarChart(zeros, "z", 100, 50)), "");
}

TEST(SvgChart, NotANumberCountsAsSuppressed) {
  BarChart chart = ExitsChart();
  chart.series[0].values[2] = std::nan("");
  const BarChartLayout layout = LayoutBarChart(chart, 640, 320);
  EXPECT_TRUE(layout.category_marked[2]);
  EXPECT_NE(DescOf(RenderBarChart(chart, "c")).find("IT-spåret: Arbete dolt"), std::string::npos);
}

TEST(SvgChart, SeriesColoursContrastWithWhiteAndPatternsDiffer) {
  for (const std::string& color : SeriesColors()) {
    auto linear = [&](std::size_t at) {
      const double c = std::stoi(color.substr(at, 2), nullptr, 16) / 255.0;
      return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const double luminance = 0.2126 * linear(1) + 0.7152 * linear(3) + 0.0722 * linear(5);
    EXPECT_GE(1.05 / (luminance + 0.05), 3.0) << color;
  }
  BarChart chart = ExitsChart();
  chart.series.push_back({"Annat", {1, 2, 3}});
  const std::string svg = RenderBarChart(chart, "p");
  EXPECT_EQ(svg.find(R"(<pattern id="p-s0")"), std::string::npos);  // The first is solid.
  EXPECT_NE(svg.find(R"(<pattern id="p-s1")"), std::string::npos);
  EXPECT_NE(svg.find(R"(<pattern id="p-s2")"), std::string::npos);
  EXPECT_NE(svg.find(R"svg(fill="url(#p-s2)")svg"), std::string::npos);
}

TransitionMatrix LadderMatrix() {
  TransitionMatrix matrix;
  matrix.title = "Rörelse på stegen";
  matrix.step_labels = {"1 Ingen aktivitet", "2 Vardagsaktivitet", "3 Förberedande insats"};
  matrix.counts = {{0, 6, std::nullopt}, {0, 12, 7}, {0, 0, 9}};
  matrix.first_step_label = "Första steg";
  matrix.latest_step_label = "Senaste steg";
  matrix.value_unit = "personer";
  matrix.suppressed_word = "dolt";
  matrix.suppressed_note = "· = färre än 5";
  return matrix;
}

TEST(SvgTransitionMatrix, DrawsEveryCellWithItsNumber) {
  const std::string svg = RenderTransitionMatrix(LadderMatrix(), "steg");
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_NE(svg.find(R"(aria-labelledby="steg-title steg-desc")"), std::string::npos);
  int cells = 0;
  int hatched = 0;
  for (const auto& rect : Elements(svg, "rect")) {
    if (rect.count("stroke") && rect.at("stroke") == "#d0d0d0") ++cells;
    if (rect.count("fill") && rect.at("fill") == "url(#steg-hatch)") ++hatched;
  }
  EXPECT_EQ(cells, 9);
  EXPECT_EQ(hatched, 1);
  EXPECT_NE(svg.find(">12</text>"), std::string::npos);
  EXPECT_NE(svg.find(">·</text>"), std::string::npos);
  EXPECT_NE(svg.find(">Första steg</text>"), std::string::npos);
  EXPECT_NE(svg.find(">Senaste steg</text>"), std::string::npos);
  // The largest count gets the darkest shade and white digits.
  EXPECT_NE(svg.find(R"(fill="#08306b")"), std::string::npos);
}

TEST(SvgTransitionMatrix, DescriptionListsMovesAndSaysWhatIsSuppressed) {
  const std::string desc = DescOf(RenderTransitionMatrix(LadderMatrix(), "steg"));
  EXPECT_EQ(desc,
            "Första steg 1 Ingen aktivitet → Senaste steg 2: 6 personer, 3: dolt. Första steg "
            "2 Vardagsaktivitet → Senaste steg 2: 12 personer, 3: 7 personer. Första steg 3 "
            "Förberedande insats → Senaste steg 3: 9 personer. · = färre än 5");
}

TEST(SvgTransitionMatrix, EscapesLabelsAndIsDeterministic) {
  TransitionMatrix matrix = LadderMatrix();
  matrix.step_labels[0] = "<b>&</b>";
  matrix.first_step_label = "\"first\" <";
  const std::string svg = RenderTransitionMatrix(matrix, "m");
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(svg, RenderTransitionMatrix(matrix, "m"));
  EXPECT_EQ(svg.find("style"), std::string::npos);
  EXPECT_EQ(XmlProblem(RenderTransitionMatrix(TransitionMatrix{}, "m")), "");
}

}  // namespace
}  // namespace stegvis::exporting
