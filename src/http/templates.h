// The embedded web files (web/templates, web/static and htmx from node_modules) and the one
// place that renders mustache templates. Pages hand their values over as JSON, so that only
// templates.cc includes the template engine.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace stegvis::http {

// The content of the embedded file `name` (e.g. "stegvis.css"); empty when there is none.
std::string_view WebFileContent(std::string_view name);

// Renders the template `name` (e.g. "participant_record.mustache") with `values`: objects
// become sections with their keys, arrays lists, booleans and null section switches, numbers
// text. {{x}} escapes HTML, {{{x}}} does not. Every other template is available as a partial
// by its name without ".mustache" ({{> field}}).
std::string RenderTemplate(std::string_view name, const boost::json::object& values);

}  // namespace stegvis::http
