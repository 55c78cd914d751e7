// Swedish alphabetical order for names shown in lists (accounts, förbund): a–z, then å, ä, ö;
// æ sorts as ä, ø as ö, ü as y, and other accented letters as their base letter. Case and
// accents only break ties (lower case first), as in the Swedish collation of ICU that the
// PostgreSQL store uses, so that both backends list names in the same order.
#pragma once

#include <string_view>

namespace stegvis::util {

// Negative, zero or positive as `a` sorts before, equal to or after `b`. Text that is not
// valid UTF-8 sorts by its bytes.
int CompareSwedish(std::string_view a, std::string_view b);

}  // namespace stegvis::util
