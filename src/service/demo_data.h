// The demo data shipped inside the binary: plan files for the three förbund in Jönköpings
// län, built from the seeds, and synthetic participants (see docs/demo-data.md).
#pragma once

#include <span>
#include <string_view>

namespace stegvis::service {

struct DemoFile {
  std::string_view name;
  std::string_view content;
};

// Every demo file, sorted by name: FORBUND.json plans and FORBUND-deltagare.csv,
// FORBUND-matningar.csv, FORBUND-uppfoljningar.csv participant files.
std::span<const DemoFile> DemoFiles();

}  // namespace stegvis::service
