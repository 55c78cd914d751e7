#include "core/personnummer.h"

#include <algorithm>

#include "util/date.h"

namespace stegvis::core {

namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

util::Error Invalid(std::string swedish, std::string english) {
  return util::Error{util::Code::kInvalidArgument, "",
                     util::Text{std::move(swedish), std::move(english)}};
}

int Number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

bool LooksLikePersonnummer(std::string_view text) {
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '-' || c == '+') {
      // A separator is allowed only before the last four digits.
      if (text.size() - i != 5) return false;
      continue;
    }
    if (c < '0' || c > '9') return false;
    digits.push_back(c);
  }
  const std::size_t separators = text.size() - digits.size();
  return separators <= 1 && (digits.size() == 10 || digits.size() == 12);
}

bool LuhnValid(std::string_view digits) {
  if (!AllDigits(digits)) return false;
  int sum = 0;
  const std::size_t size = digits.size();
  for (std::size_t i = 0; i < size; ++i) {
    int value = digits[size - 1 - i] - '0';
    if (i % 2 == 1) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return sum % 10 == 0;
}

util::Result<Personnummer> ParsePersonnummer(std::string_view text, int current_year) {
  if (!LooksLikePersonnummer(text)) {
    return util::Fail(Invalid("förväntade ett personnummer med 10 eller 12 siffror",
                              "expected a personnummer of 10 or 12 digits"));
  }
  const bool plus = text.find('+') != std::string_view::npos;
  std::string digits;
  std::copy_if(text.begin(), text.end(), std::back_inserter(digits),
               [](char c) { return c >= '0' && c <= '9'; });

  if (digits.size() == 10) {
    const int two_digit_year = Number(std::string_view(digits).substr(0, 2));
    int year = current_year - (current_year % 100) + two_digit_year;
    if (year > current_year) year -= 100;
    if (plus) year -= 100;
    digits = std::to_string(year / 100) + digits;
  }
  const std::string_view view(digits);
  const int year = Number(view.substr(0, 4));
  const int month = Number(view.substr(4, 2));
  int day = Number(view.substr(6, 2));
  const bool samordningsnummer = day > 60;
  if (samordningsnummer) day -= 60;
  if (!util::Date::FromYmd(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) ||
      year > current_year || year < current_year - 130) {
    return util::Fail(Invalid("personnumret har inget giltigt födelsedatum",
                              "the personnummer has no valid date of birth"));
  }
  if (!LuhnValid(view.substr(2))) {
    return util::Fail(Invalid("personnumrets kontrollsiffra stämmer inte",
                              "the personnummer's check digit is wrong"));
  }
  return Personnummer{digits, year, samordningsnummer};
}

}  // namespace stegvis::core
