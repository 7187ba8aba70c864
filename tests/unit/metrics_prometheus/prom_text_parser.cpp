#include "prom_text_parser.hpp"

#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace prom_test {
namespace {

const std::regex kMetricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");
const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};

bool parse_value(const std::string& text, double& out) {
  if (text == "NaN") return out = std::nan(""), true;
  if (text == "+Inf" || text == "Inf") return out = INFINITY, true;
  if (text == "-Inf") return out = -INFINITY, true;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && text.find_first_of("xXpP") == std::string::npos;
}

/// Parses `{a="x",b="y"}` starting at pos (on '{'); false with `error` on bad syntax.
bool parse_labels(const std::string& line, std::size_t& pos, std::map<std::string, std::string>& labels,
                  std::string& error) {
  ++pos;  // '{'
  while (pos < line.size() && line[pos] != '}') {
    const std::size_t eq = line.find('=', pos);
    if (eq == std::string::npos) return error = "label without '='", false;
    const std::string name = line.substr(pos, eq - pos);
    if (!std::regex_match(name, kLabelName)) return error = "bad label name '" + name + "'", false;
    if (name.rfind("__", 0) == 0) return error = "label name '" + name + "' is reserved", false;
    pos = eq + 1;
    if (pos >= line.size() || line[pos] != '"') return error = "label value not quoted", false;
    ++pos;
    std::string value;
    for (;; ++pos) {
      if (pos >= line.size()) return error = "unterminated label value", false;
      const char c = line[pos];
      if (c == '"') break;
      if (c == '\\') {
        if (++pos >= line.size()) return error = "dangling backslash", false;
        const char e = line[pos];
        if (e == 'n') value += '\n';
        else if (e == '\\' || e == '"') value += e;
        else return error = std::string("bad escape \\") + e, false;
      } else {
        value += c;
      }
    }
    ++pos;  // closing quote
    if (!labels.emplace(name, value).second) return error = "label '" + name + "' repeated", false;
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return error = "unterminated label set", false;
  ++pos;  // '}'
  return true;
}

std::string family_of(const std::string& sample, const std::map<std::string, Family>& families) {
  if (families.count(sample)) return sample;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      const std::string base = sample.substr(0, sample.size() - s.size());
      const auto it = families.find(base);
      if (it != families.end() && (it->second.type == "histogram" || it->second.type == "summary")) return base;
    }
  }
  return sample;
}

std::string check_histogram(const std::string& name, const Family& f) {
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // by labels without le
  std::map<std::string, double> counts;
  std::set<std::string> sums;
  for (const auto& s : f.samples) {
    auto labels = s.labels;
    std::string le;
    if (s.name == name + "_bucket") {
      const auto it = labels.find("le");
      if (it == labels.end()) return name + "_bucket without an le label";
      le = it->second;
      labels.erase(it);
    }
    std::ostringstream key;
    for (const auto& [k, v] : labels) key << k << '=' << v << ',';
    if (s.name == name + "_bucket") {
      double bound;
      if (!parse_value(le, bound)) return name + " bucket le=\"" + le + "\" is not a number";
      buckets[key.str()].emplace_back(bound, s.value);
    } else if (s.name == name + "_count") {
      counts[key.str()] = s.value;
    } else if (s.name == name + "_sum") {
      sums.insert(key.str());
    } else {
      return "histogram " + name + " has a sample named " + s.name;
    }
  }
  for (const auto& [key, list] : buckets) {
    double last_bound = -INFINITY, last_count = 0;
    for (const auto& [bound, count] : list) {
      if (bound <= last_bound) return name + " buckets are not in increasing le order";
      if (count < last_count) return name + " bucket counts are not cumulative";
      last_bound = bound;
      last_count = count;
    }
    if (!std::isinf(last_bound)) return name + " has no le=\"+Inf\" bucket";
    if (!counts.count(key)) return name + " has no _count";
    if (counts[key] != last_count) return name + "_count differs from its +Inf bucket";
    if (!sums.count(key)) return name + " has no _sum";
  }
  if (buckets.empty()) return "histogram " + name + " has no buckets";
  return {};
}

}  // namespace

double Exposition::value(const std::string& family, const std::map<std::string, std::string>& labels,
                         const std::string& sample_name) const {
  const auto it = families.find(family);
  if (it == families.end()) return std::nan("");
  for (const auto& s : it->second.samples)
    if (s.labels == labels && (sample_name.empty() ? s.name == family : s.name == sample_name)) return s.value;
  return std::nan("");
}

Exposition parse_exposition(const std::string& text) {
  Exposition out;
  auto fail = [&](std::size_t line_no, const std::string& what) {
    out.error = "line " + std::to_string(line_no) + ": " + what;
    return out;
  };
  if (text.empty()) return fail(0, "empty exposition");
  if (text.back() != '\n') return fail(0, "the last line does not end with a newline");
  std::set<std::string> finished;  // families whose block has ended
  std::set<std::string> series;
  std::string current;
  std::size_t line_no = 0;
  std::istringstream in(text);
  std::string line;
  auto enter = [&](const std::string& family) -> std::string {
    if (family == current) return {};
    if (finished.count(family)) return "family " + family + " continues after another family began";
    if (!current.empty()) finished.insert(current);
    current = family;
    return {};
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line.substr(1));
      std::string keyword, name;
      words >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
      if (!std::regex_match(name, kMetricName)) return fail(line_no, "bad metric name '" + name + "'");
      if (const auto e = enter(name); !e.empty()) return fail(line_no, e);
      Family& f = out.families[name];
      if (std::find(out.order.begin(), out.order.end(), name) == out.order.end()) out.order.push_back(name);
      std::string rest;
      std::getline(words, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      if (keyword == "TYPE") {
        if (!f.type.empty()) return fail(line_no, "second TYPE line for " + name);
        if (!f.samples.empty()) return fail(line_no, "TYPE for " + name + " after its samples");
        if (!kTypes.count(rest)) return fail(line_no, "unknown type '" + rest + "'");
        f.type = rest;
      } else {
        if (!f.help.empty()) return fail(line_no, "second HELP line for " + name);
        f.help = rest.empty() ? " " : rest;
      }
      continue;
    }
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] != '{' && line[pos] != ' ') ++pos;
    Sample s;
    s.name = line.substr(0, pos);
    if (!std::regex_match(s.name, kMetricName)) return fail(line_no, "bad metric name '" + s.name + "'");
    std::string error;
    if (pos < line.size() && line[pos] == '{' && !parse_labels(line, pos, s.labels, error)) return fail(line_no, error);
    if (pos >= line.size() || line[pos] != ' ') return fail(line_no, "no space before the value");
    std::istringstream rest(line.substr(pos + 1));
    std::string value_text, timestamp, extra;
    rest >> value_text >> timestamp >> extra;
    if (!extra.empty()) return fail(line_no, "text after the timestamp");
    if (!parse_value(value_text, s.value)) return fail(line_no, "bad value '" + value_text + "'");
    const std::string family = family_of(s.name, out.families);
    if (const auto e = enter(family); !e.empty()) return fail(line_no, e);
    Family& f = out.families[family];
    if (f.type.empty()) return fail(line_no, "sample of " + family + " without a TYPE line before it");
    std::ostringstream key;
    key << s.name;
    for (const auto& [k, v] : s.labels) key << '|' << k << '=' << v;
    if (!series.insert(key.str()).second) return fail(line_no, "series repeated: " + key.str());
    if (f.type == "counter") {
      if (family.size() < 6 || family.compare(family.size() - 6, 6, "_total") != 0)
        return fail(line_no, "counter " + family + " is not named *_total");
      if (s.value < 0) return fail(line_no, "counter " + family + " is negative");
    }
    f.samples.push_back(std::move(s));
  }
  for (const auto& name : out.order) {
    const Family& f = out.families[name];
    if (f.type.empty()) return fail(0, "family " + name + " has no TYPE");
    if (f.help.empty()) return fail(0, "family " + name + " has no HELP");
    if (f.type == "histogram")
      if (const auto e = check_histogram(name, f); !e.empty()) return fail(0, e);
  }
  return out;
}

}  // namespace prom_test
