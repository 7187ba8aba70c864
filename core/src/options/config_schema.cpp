#include "options/config_schema.hpp"

#include "hookbroker/config.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace hookbroker::core {
namespace {

std::string format_number(double v) {
  std::ostringstream out;
  out.precision(15);  // 1073741824, not 1.07374e+09
  out << v;
  return out.str();
}

std::string json_kind(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

std::string shown(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

// Not std::floor: this file is compiled for size (cmake/code_size.cmake), where
// GCC calls libm's floor instead of expanding it, and that call at start-up
// kept 64 KiB more of libm resident.
bool is_whole(double d) {
  if (!std::isfinite(d)) return false;
  if (std::fabs(d) >= 0x1p52) return true;  // from 2^52 on, every double is whole
  return static_cast<double>(static_cast<long long>(d)) == d;
}

}  // namespace

std::string type_name(uint32_t type) {
  switch (type) {
    case HOOKBROKER_CONFIG_BOOL: return "boolean";
    case HOOKBROKER_CONFIG_INT: return "integer";
    case HOOKBROKER_CONFIG_NUMBER: return "number";
    case HOOKBROKER_CONFIG_STRING: return "string";
    case HOOKBROKER_CONFIG_STRING_LIST: return "list of strings";
    case HOOKBROKER_CONFIG_ARRAY: return "array";
    case HOOKBROKER_CONFIG_OBJECT: return "object";
    default: return "unknown type";
  }
}

std::string describe_allowed(const hookbroker_config_option& o) {
  std::string text = (o.type == HOOKBROKER_CONFIG_INT ? "an " : "a ") + type_name(o.type);
  if (o.has_min && o.has_max)
    text += " from " + format_number(o.min) + " to " + format_number(o.max);
  else if (o.has_min)
    text += " >= " + format_number(o.min);
  else if (o.has_max)
    text += " <= " + format_number(o.max);
  if (o.allowed) text = std::string("one of ") + o.allowed;
  return text;
}

std::string deprecated_alias_note(const hookbroker_config_option& o) {
  if (!o.deprecated_name) return {};
  std::string text = std::string("deprecated name: ") + o.deprecated_name + " (still read, with a warning";
  if (o.deprecated_scale != 0 && o.deprecated_scale != 1)
    text += "; its value is multiplied by " + format_number(o.deprecated_scale);
  return text + ")";
}

nlohmann::json default_value(const hookbroker_config_option& o) { return hookbroker::option_default(o); }

std::optional<std::string> check_value(const hookbroker_config_option& o,
                                       const nlohmann::json& v, const std::string& key) {
  auto wrong = [&](const std::string& why) {
    return key + ": " + why + " (allowed: " + describe_allowed(o) + ")";
  };
  switch (o.type) {
    case HOOKBROKER_CONFIG_BOOL:
      if (!v.is_boolean()) return wrong("expected true or false, got " + shown(v) + " (" + json_kind(v) + ")");
      return std::nullopt;
    case HOOKBROKER_CONFIG_INT:
    case HOOKBROKER_CONFIG_NUMBER: {
      if (!v.is_number() || v.is_boolean())
        return wrong("expected " + type_name(o.type) + ", got " + shown(v) + " (" + json_kind(v) + ")");
      const double d = v.get<double>();
      if (o.type == HOOKBROKER_CONFIG_INT && !is_whole(d))
        return wrong(shown(v) + " is not a whole number");
      if (o.has_min && d < o.min) return wrong(shown(v) + " is below the minimum " + format_number(o.min));
      if (o.has_max && d > o.max) return wrong(shown(v) + " is above the maximum " + format_number(o.max));
      return std::nullopt;
    }
    case HOOKBROKER_CONFIG_STRING: {
      if (!v.is_string()) return wrong("expected a string, got " + shown(v) + " (" + json_kind(v) + ")");
      if (o.allowed) {
        for (const auto& choice : split(o.allowed, '|'))
          if (choice == v.get<std::string>()) return std::nullopt;
        return wrong(shown(v) + " is not allowed");
      }
      return std::nullopt;
    }
    case HOOKBROKER_CONFIG_STRING_LIST:
      if (!v.is_array()) return wrong("expected a list of strings, got " + shown(v) + " (" + json_kind(v) + ")");
      for (const auto& item : v)
        if (!item.is_string()) return wrong("list item " + shown(item) + " is not a string");
      return std::nullopt;
    case HOOKBROKER_CONFIG_ARRAY:
      if (!v.is_array()) return wrong("expected an array, got " + shown(v) + " (" + json_kind(v) + ")");
      return std::nullopt;
    case HOOKBROKER_CONFIG_OBJECT:
      if (!v.is_object()) return wrong("expected an object, got " + shown(v) + " (" + json_kind(v) + ")");
      return std::nullopt;
    default:
      return key + ": the option declares an unknown type " + std::to_string(o.type);
  }
}

std::optional<nlohmann::json> value_from_text(const hookbroker_config_option& o,
                                              const std::string& text, const std::string& key,
                                              std::string& error) {
  auto fail = [&](const std::string& why) -> std::optional<nlohmann::json> {
    error = key + ": '" + text + "' " + why + " (allowed: " + describe_allowed(o) + ")";
    return std::nullopt;
  };
  switch (o.type) {
    case HOOKBROKER_CONFIG_BOOL: {
      if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
      if (text == "false" || text == "0" || text == "no" || text == "off") return false;
      return fail("is not a boolean");
    }
    case HOOKBROKER_CONFIG_INT: {
      char* end = nullptr;
      errno = 0;
      const long long n = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE) return fail("is not a whole number");
      return n;
    }
    case HOOKBROKER_CONFIG_NUMBER: {
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !std::isfinite(d)) return fail("is not a number");
      return d;
    }
    case HOOKBROKER_CONFIG_STRING:
      return text;
    case HOOKBROKER_CONFIG_STRING_LIST: {
      // A JSON array, or a list separated by ',' (by ':' for directories, as
      // in PATH; origins and URLs hold ':' themselves).
      if (!text.empty() && text.front() == '[') {
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        if (parsed.is_discarded()) return fail("is not a JSON array");
        return parsed;
      }
      const bool directories = std::string_view(o.name).find("dir") != std::string_view::npos;
      return nlohmann::json(split(text, directories ? ':' : ','));
    }
    default: {
      auto parsed = nlohmann::json::parse(text, nullptr, false);
      if (parsed.is_discarded()) return fail("is not valid JSON");
      return parsed;
    }
  }
}

ValidatedConfig validate_config_object(const hookbroker_config_option* options, uint32_t count,
                                       const nlohmann::json& config, const std::string& prefix) {
  hookbroker::ResolvedConfig resolved = hookbroker::resolve_config(options, count, config, prefix);
  ValidatedConfig out;
  out.errors = std::move(resolved.errors);
  out.conflicts = std::move(resolved.conflicts);
  out.warnings = std::move(resolved.warnings);
  for (uint32_t i = 0; i < count; ++i) {
    const auto& o = options[i];
    if (resolved.given_as[i].empty()) continue;  // the default
    if (auto err = check_value(o, resolved.value[o.name], prefix + "." + resolved.given_as[i]))
      out.errors.push_back(*err);
  }
  out.value = std::move(resolved.value);
  return out;
}

}  // namespace hookbroker::core
