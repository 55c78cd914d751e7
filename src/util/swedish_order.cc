#include "util/swedish_order.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace stegvis::util {

namespace {

// One character's weights: the letter it sorts as, then its accent, then its case.
struct Weights {
  std::uint32_t primary = 0;
  std::uint32_t secondary = 0;  // 0 for the plain letter, higher for accented forms.
  std::uint32_t tertiary = 0;   // 0 lower case, 1 upper case.
};

constexpr std::uint32_t kLetters = 0x10000;  // Letters sort after digits and punctuation.

std::uint32_t Letter(char base) { return kLetters + static_cast<std::uint32_t>(base - 'a'); }

Weights WeightsOf(char32_t c) {
  if (c >= 'a' && c <= 'z') return {Letter(static_cast<char>(c)), 0, 0};
  if (c >= 'A' && c <= 'Z') return {Letter(static_cast<char>(c - 'A' + 'a')), 0, 1};
  // Latin-1 and Latin Extended-A letters that occur in Swedish and Nordic names.
  struct Special {
    char32_t lower;
    char32_t upper;
    std::uint32_t primary;
    std::uint32_t secondary;
  };
  static constexpr std::uint32_t kAring = kLetters + 26, kAuml = kLetters + 27,
                                 kOuml = kLetters + 28;
  static const Special kSpecial[] = {
      {U'å', U'Å', kAring, 0},      {U'ä', U'Ä', kAuml, 0},       {U'æ', U'Æ', kAuml, 1},
      {U'ö', U'Ö', kOuml, 0},       {U'ø', U'Ø', kOuml, 1},       {U'ü', U'Ü', Letter('y'), 1},
      {U'á', U'Á', Letter('a'), 1}, {U'à', U'À', Letter('a'), 2}, {U'â', U'Â', Letter('a'), 3},
      {U'é', U'É', Letter('e'), 1}, {U'è', U'È', Letter('e'), 2}, {U'ê', U'Ê', Letter('e'), 3},
      {U'ë', U'Ë', Letter('e'), 4}, {U'í', U'Í', Letter('i'), 1}, {U'ì', U'Ì', Letter('i'), 2},
      {U'î', U'Î', Letter('i'), 3}, {U'ï', U'Ï', Letter('i'), 4}, {U'ó', U'Ó', Letter('o'), 1},
      {U'ò', U'Ò', Letter('o'), 2}, {U'ô', U'Ô', Letter('o'), 3}, {U'ú', U'Ú', Letter('u'), 1},
      {U'ù', U'Ù', Letter('u'), 2}, {U'û', U'Û', Letter('u'), 3}, {U'ç', U'Ç', Letter('c'), 1},
      {U'ñ', U'Ñ', Letter('n'), 1}, {U'ý', U'Ý', Letter('y'), 2},
  };
  for (const Special& special : kSpecial) {
    if (c == special.lower) return {special.primary, special.secondary, 0};
    if (c == special.upper) return {special.primary, special.secondary, 1};
  }
  // Spaces and punctuation, then digits, then letters, in the order of the Unicode root
  // collation (CLDR) that ICU follows; any other character after the letters.
  static constexpr std::string_view kPunctuation = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
  if (const std::size_t rank = kPunctuation.find(static_cast<char>(c));
      c < 0x80 && rank != std::string_view::npos) {
    return {1 + static_cast<std::uint32_t>(rank), 0, 0};
  }
  if (c >= '0' && c <= '9') return {0x100 + static_cast<std::uint32_t>(c - '0'), 0, 0};
  return {c < 0x80 ? 0 : kLetters + 0x100 + c, 0, 0};
}

// The characters of `text` decoded from UTF-8; false when it is not valid UTF-8.
bool Decode(std::string_view text, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int length = byte < 0x80           ? 1
                 : (byte >> 5) == 0x6  ? 2
                 : (byte >> 4) == 0xE  ? 3
                 : (byte >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) return false;
    char32_t c = length == 1 ? byte : byte & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      c = (c << 6) | (next & 0x3F);
    }
    out.push_back(c);
    i += length;
  }
  return true;
}

int Sign(std::int64_t difference) { return difference < 0 ? -1 : difference > 0 ? 1 : 0; }

}  // namespace

int CompareSwedish(std::string_view a, std::string_view b) {
  std::vector<char32_t> left, right;
  if (!Decode(a, left) || !Decode(b, right)) return Sign(a.compare(b));
  // Level by level: all letters first, then all accents, then all cases.
  for (auto level : {&Weights::primary, &Weights::secondary, &Weights::tertiary}) {
    const std::size_t common = std::min(left.size(), right.size());
    for (std::size_t i = 0; i < common; ++i) {
      const std::uint32_t x = WeightsOf(left[i]).*level, y = WeightsOf(right[i]).*level;
      if (x != y) return x < y ? -1 : 1;
    }
    if (left.size() != right.size()) return left.size() < right.size() ? -1 : 1;
  }
  return Sign(a.compare(b));
}

}  // namespace stegvis::util
