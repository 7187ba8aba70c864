// A Claude Code settings.json as a document to change carefully: the keys
// keep their order, the file keeps its indentation, an invalid file is never
// touched, and every rewrite leaves a backup and replaces the file atomically.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::claude_settings {

struct SettingsDocument {
  std::string path;
  bool existed = false;
  std::string original_text;
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  std::string indent = "  ";      ///< one level, as the file used it
  bool trailing_newline = true;
  /// Set by prefer_backup_text(): earlier bytes that parse to exactly `json`.
  std::string restorable_text;

  /// The document's JSON as the file would hold it.
  std::string render() const;
};

/// After changing `json`: if a hookbroker backup of this file holds exactly
/// the same JSON (e.g. the file before install, after an uninstall), render()
/// will return that backup's bytes, restoring the original formatting too.
void prefer_backup_text(SettingsDocument& document);

struct LoadResult {
  bool ok = false;
  std::string error;  ///< what is wrong and what to do; the file is untouched
  SettingsDocument document;
};

/// Reads `path`. A missing or empty file is an empty settings object.
/// Invalid JSON, or JSON that is not an object, is an error.
LoadResult load_settings(const std::string& path);

struct SaveResult {
  bool ok = false;
  std::string error;
  std::string backup_path;  ///< the previous content, "" when there was no file
};

/// Writes `document` (its json, rendered in its style): first a backup of
/// the current file (PATH.hookbroker-backup-<UTC time>), then a temporary file
/// in the same directory, flushed, renamed over PATH with PATH's permissions.
SaveResult save_settings(const SettingsDocument& document);

}  // namespace hookbroker::claude_settings
