// hookbroker SDK — writes a plugin's manifest text at compile time.
//
// HOOKBROKER_PLUGIN (plugin.hpp) evaluates write_manifest() twice in a
// constant expression, once to measure and once to fill a char array that is
// placed in the library's manifest section. The format is described in
// manifest.hpp, whose read_plugin_manifest() is its reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "hookbroker/abi.hpp"
#include "hookbroker/manifest.hpp"

namespace hookbroker::detail {

// Reached only for a value the manifest cannot hold; in a constant
// expression the compiler's error names the function, which is the message.
inline void option_bounds_must_be_finite_numbers() { throw std::invalid_argument("option bound is not finite"); }

/// Appends JSON text to `out`, or only counts it when `out` is null.
class ManifestWriter {
 public:
  constexpr explicit ManifestWriter(char* out) : out_(out) {}
  constexpr std::size_t size() const { return size_; }

  constexpr void put(char c) {
    if (out_ != nullptr) out_[size_] = c;
    ++size_;
  }
  constexpr void raw(const char* text) {
    while (*text != '\0') put(*text++);
  }
  /// `"key":`, after a comma unless it opens the object.
  constexpr void key(const char* name, bool first = false) {
    if (!first) put(',');
    string(name);
    put(':');
  }
  constexpr void string(const char* text) {
    constexpr const char* kHex = "0123456789abcdef";
    put('"');
    for (; *text != '\0'; ++text) {
      const auto c = static_cast<unsigned char>(*text);
      if (c == '"' || c == '\\') {
        put('\\');
        put(static_cast<char>(c));
      } else if (c < 0x20) {
        raw("\\u00");
        put(kHex[c >> 4]);
        put(kHex[c & 0xf]);
      } else {
        put(static_cast<char>(c));
      }
    }
    put('"');
  }
  constexpr void integer(long long value) {
    unsigned long long magnitude = static_cast<unsigned long long>(value);
    if (value < 0) {
      put('-');
      magnitude = 0ull - magnitude;
    }
    char digits[20] = {};
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    while (count > 0) put(digits[--count]);
  }
  /// Exactly: a whole number below 2^53 as itself, anything else as
  /// [M, E] = M * 2^E. Doubling or halving a double is exact, so the loops
  /// find M and E without rounding.
  constexpr void number(double value) {
    if (value != value || value - value != 0) option_bounds_must_be_finite_numbers();  // NaN, infinity
    constexpr double kExactLimit = 9007199254740992.0;                                  // 2^53
    const bool small = value > -kExactLimit && value < kExactLimit;
    if (small && value == static_cast<double>(static_cast<long long>(value))) {
      integer(static_cast<long long>(value));
      return;
    }
    double mantissa = value;
    long long exponent = 0;
    if (small) {
      for (; mantissa != static_cast<double>(static_cast<long long>(mantissa)); --exponent) mantissa *= 2;
    } else {
      for (; mantissa >= kExactLimit || mantissa <= -kExactLimit; ++exponent) mantissa /= 2;
    }
    put('[');
    integer(static_cast<long long>(mantissa));
    put(',');
    integer(exponent);
    put(']');
  }

 private:
  char* out_;
  std::size_t size_ = 0;
};

/// The manifest of a plugin described by `info` (a PluginInfo) with `kinds`.
template <typename Info>
constexpr void write_manifest(ManifestWriter& w, const Info& info, uint32_t kinds) {
  namespace key = manifest_keys;
  w.put('{');
  w.key(key::kMarker, true);
  w.integer(key::kMarkerValue);
  w.key(key::kAbi);
  w.put('[');
  w.integer(HOOKBROKER_ABI_MAJOR);
  w.put(',');
  w.integer(HOOKBROKER_ABI_MINOR);
  w.put(']');
  w.key(key::kName);
  w.string(info.name);
  w.key(key::kVersion);
  w.string(info.version);
  w.key(key::kDescription);
  w.string(info.description);
  w.key(key::kKinds);
  w.integer(kinds);
  w.key(key::kFlags);
  w.integer(info.enabled_by_default ? 0u : static_cast<uint32_t>(HOOKBROKER_FLAG_DISABLED_BY_DEFAULT));
  w.key(key::kHeartbeatKeys);
  w.string(info.heartbeat_keys);
  w.key(key::kBuild);
  w.put('{');
  w.key(key::kCompiler, true);
  w.string(HOOKBROKER_BUILD_COMPILER);
  w.key(key::kCxx11Abi);
  w.integer(HOOKBROKER_BUILD_CXX11_ABI);
  w.key(key::kBoost);
  w.integer(HOOKBROKER_BUILD_BOOST_VERSION);
  w.key(key::kJson);
  w.integer(HOOKBROKER_BUILD_JSON_VERSION);
  w.put('}');
  w.key(key::kOptions);
  w.put('[');
  for (std::size_t i = 0; i < info.options.size(); ++i) {
    const hookbroker_config_option& o = info.options[i];
    if (i > 0) w.put(',');
    w.put('{');
    w.key(key::kName, true);
    w.string(o.name);
    w.key(key::kType);
    w.integer(o.type);
    auto optional_text = [&w](const char* name, const char* value) {
      if (value == nullptr) return;
      w.key(name);
      w.string(value);
    };
    optional_text(key::kDefault, o.default_json);
    optional_text(key::kDescription, o.description);
    optional_text(key::kAllowed, o.allowed);
    optional_text(key::kDeprecatedName, o.deprecated_name);
    if (o.has_min) {
      w.key(key::kMin);
      w.number(o.min);
    }
    if (o.has_max) {
      w.key(key::kMax);
      w.number(o.max);
    }
    if (o.deprecated_scale != 0 && o.deprecated_scale != 1) {
      w.key(key::kDeprecatedScale);
      w.number(o.deprecated_scale);
    }
    w.put('}');
  }
  w.put(']');
  w.put('}');
}

/// The manifest text and its NUL, as one object the macro places in the
/// manifest section.
template <std::size_t Size>
struct ManifestText {
  char text[Size];
};

template <typename Info>
constexpr std::size_t manifest_text_size(const Info& info, uint32_t kinds) {
  ManifestWriter counter(nullptr);
  write_manifest(counter, info, kinds);
  return counter.size() + 1;
}

template <std::size_t Size, typename Info>
constexpr ManifestText<Size> manifest_text(const Info& info, uint32_t kinds) {
  ManifestText<Size> out{};
  ManifestWriter writer(out.text);
  write_manifest(writer, info, kinds);
  return out;
}

}  // namespace hookbroker::detail
