// Swedish personnummer and samordningsnummer: recognised, checked and normalised, purely.
// A valid number is turned into a keyed pseudonym at the edge (privacy/) and never stored,
// logged or shown; nothing here puts the number itself into an error message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace stegvis::core {

struct Personnummer {
  // Twelve digits, YYYYMMDDNNNC, with the samordningsnummer day (+60) kept as given.
  std::string digits;
  int birth_year = 0;
  bool samordningsnummer = false;
};

// True when `text` has the shape of a personnummer: 10 or 12 digits, optionally with one
// '-' or '+' before the last four. Such a value is always treated as one, never as a local
// code.
bool LooksLikePersonnummer(std::string_view text);

// Checks a personnummer or samordningsnummer: the shape above, a real date (day + 60 for a
// samordningsnummer) and the Luhn check digit. A 10-digit number gets its century from
// `current_year`: the latest century that does not put the birth in the future, one more
// century back with '+' (100 years or older). Fails with kInvalidArgument and a message that
// says which part is wrong but never repeats the number.
util::Result<Personnummer> ParsePersonnummer(std::string_view text, int current_year);

// True when `digits` (any length) passes the Luhn check.
bool LuhnValid(std::string_view digits);

}  // namespace stegvis::core
