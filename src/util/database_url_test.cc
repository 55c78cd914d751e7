#include "util/database_url.h"

#include <gtest/gtest.h>

namespace stegvis::util {
namespace {

TEST(DatabaseUrl, DropsThePasswordOfTheUserPart) {
  EXPECT_EQ(WithoutPassword("postgresql://stegvis:Hunter2@db.example.se:5432/stegvis"),
            "postgresql://stegvis@db.example.se:5432/stegvis");
  EXPECT_EQ(WithoutPassword("postgres://u:p%40ss@h/d"), "postgres://u@h/d");
  // Several hosts, and text libpq cannot parse (its errors quote it): still no password.
  EXPECT_EQ(WithoutPassword("postgresql://u:Hunter2@127.0.0.1:1,[::1]:1/d"),
            "postgresql://u@127.0.0.1:1,[::1]:1/d");
  EXPECT_EQ(WithoutPassword("postgresql://u:Hunter2pw@[::1/db"), "postgresql://u@[::1/db");
  EXPECT_EQ(WithoutPassword("postgresql://u:Hunter2%zzpw@h/d"), "postgresql://u@h/d");
}

TEST(DatabaseUrl, DropsAPasswordParameterAndKeepsTheOthers) {
  EXPECT_EQ(WithoutPassword("postgresql://u@h/d?sslmode=require&password=Top1&connect_timeout=5"),
            "postgresql://u@h/d?sslmode=require&connect_timeout=5");
  EXPECT_EQ(WithoutPassword("postgresql://u@h/d?password=Top1"), "postgresql://u@h/d");
  EXPECT_EQ(WithoutPassword("postgresql://u:x@h?password=Top1"), "postgresql://u@h");
}

TEST(DatabaseUrl, DropsThePasswordKeywordOfAConninfo) {
  EXPECT_EQ(WithoutPassword("host=h password=Top1 dbname=d"), "host=h  dbname=d");
  EXPECT_EQ(WithoutPassword("host=h password = 'a b\\' c' dbname=d"), "host=h  dbname=d");
}

TEST(DatabaseUrl, LeavesAFilePathAsItIs) {
  EXPECT_EQ(WithoutPassword("/var/lib/stegvis/forbund.db"), "/var/lib/stegvis/forbund.db");
  EXPECT_EQ(WithoutPassword("forbund.db"), "forbund.db");
}

}  // namespace
}  // namespace stegvis::util
