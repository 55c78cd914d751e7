// The demo data shipped inside the binary: plan files for the three förbund in Jönköpings
// län, built from the seeds (see docs/demo-data.md).
#pragma once

#include <span>
#include <string_view>

namespace stegvis::service {

struct DemoFile {
  std::string_view name;
  std::string_view content;
};

// The demo plan files, in import order.
std::span<const DemoFile> DemoPlanFiles();

}  // namespace stegvis::service
