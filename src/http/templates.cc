#include "http/templates.h"

#include <kainjow/mustache.hpp>

#include "http/web_files.h"

namespace stegvis::http {

namespace {

using Data = kainjow::mustache::data;

Data ToData(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      Data object{Data::type::object};
      for (const auto& [key, item] : value.get_object()) {
        object.set(std::string(key), ToData(item));
      }
      return object;
    }
    case boost::json::kind::array: {
      Data list{Data::type::list};
      for (const auto& item : value.get_array()) list.push_back(ToData(item));
      return list;
    }
    case boost::json::kind::string:
      return Data{std::string(value.get_string())};
    case boost::json::kind::bool_:
      return Data{value.get_bool()};
    case boost::json::kind::int64:
      return Data{std::to_string(value.get_int64())};
    case boost::json::kind::uint64:
      return Data{std::to_string(value.get_uint64())};
    case boost::json::kind::double_:
      return Data{std::to_string(value.get_double())};
    case boost::json::kind::null:
      return Data{false};
  }
  return Data{false};
}

}  // namespace

std::string_view WebFileContent(std::string_view name) {
  for (const WebFile& file : WebFiles()) {
    if (file.name == name) return file.content;
  }
  return {};
}

std::string RenderTemplate(std::string_view name, const boost::json::object& values) {
  kainjow::mustache::mustache view{std::string(WebFileContent(name))};
  Data data = ToData(values);
  for (const WebFile& file : WebFiles()) {
    if (!file.name.ends_with(".mustache")) continue;
    const std::string_view content = file.content;
    data.set(std::string(file.name.substr(0, file.name.size() - 9)),
             kainjow::mustache::partial{[content] { return std::string(content); }});
  }
  return view.render(data);
}

}  // namespace stegvis::http
