#include "plugins/manifest_reader.hpp"

#include <dlfcn.h>
#include <gelf.h>
#include <libelf.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace hookbroker::core {
namespace {

// What this broker is; a library built for anything else cannot load.
constexpr unsigned char kNativeClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kNativeData = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
#if defined(__x86_64__)
constexpr int kNativeMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kNativeMachine = EM_AARCH64;
#elif defined(__i386__)
constexpr int kNativeMachine = EM_386;
#elif defined(__arm__)
constexpr int kNativeMachine = EM_ARM;
#elif defined(__riscv)
constexpr int kNativeMachine = EM_RISCV;
#elif defined(__powerpc64__)
constexpr int kNativeMachine = EM_PPC64;
#elif defined(__s390x__)
constexpr int kNativeMachine = EM_S390;
#else
constexpr int kNativeMachine = EM_NONE;  // unknown here: left to the dynamic loader
#endif

std::string machine_name(int machine) {
  switch (machine) {
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    case EM_386: return "i386";
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    default: return "ELF machine " + std::to_string(machine);
  }
}

// libelf is opened while manifests are read and closed after, not linked:
// the broker reads manifests only while it scans its plugins, and a linked
// libelf (with the libz it needs) stayed mapped for the process's life
// (0.18 MiB of idle RSS). Readers share one opening while any holds it.
struct ElfLibrary {
  void* handle = nullptr;
  decltype(&::elf_version) version = nullptr;
  decltype(&::elf_errmsg) errmsg = nullptr;
  decltype(&::elf_begin) begin = nullptr;
  decltype(&::elf_memory) memory = nullptr;
  decltype(&::elf_end) end = nullptr;
  decltype(&::elf_kind) kind = nullptr;
  decltype(&::gelf_getehdr) getehdr = nullptr;
  decltype(&::elf_getshdrstrndx) getshdrstrndx = nullptr;
  decltype(&::elf_nextscn) nextscn = nullptr;
  decltype(&::gelf_getshdr) getshdr = nullptr;
  decltype(&::elf_strptr) strptr = nullptr;
  decltype(&::elf_rawdata) rawdata = nullptr;

  ~ElfLibrary() {
    if (handle) dlclose(handle);
  }

  std::string error() const {
    const char* message = errmsg(-1);
    return message ? message : "unknown libelf error";
  }
};

constexpr const char* kLibElf = "libelf.so.1";

template <typename Fn>
bool find_symbol(void* handle, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
  return fn != nullptr;
}

std::shared_ptr<const ElfLibrary> open_libelf(std::string& error) {
  auto lib = std::make_shared<ElfLibrary>();
  lib->handle = dlopen(kLibElf, RTLD_NOW | RTLD_LOCAL);
  if (lib->handle == nullptr) {
    const char* why = dlerror();
    error = std::string(kLibElf) + " cannot be loaded (" + (why ? why : "unknown reason") +
            "); install libelf (Debian: libelf1)";
    return nullptr;
  }
  void* h = lib->handle;
  if (!find_symbol(h, "elf_version", lib->version) || !find_symbol(h, "elf_errmsg", lib->errmsg) ||
      !find_symbol(h, "elf_begin", lib->begin) || !find_symbol(h, "elf_memory", lib->memory) ||
      !find_symbol(h, "elf_end", lib->end) || !find_symbol(h, "elf_kind", lib->kind) ||
      !find_symbol(h, "gelf_getehdr", lib->getehdr) || !find_symbol(h, "elf_getshdrstrndx", lib->getshdrstrndx) ||
      !find_symbol(h, "elf_nextscn", lib->nextscn) || !find_symbol(h, "gelf_getshdr", lib->getshdr) ||
      !find_symbol(h, "elf_strptr", lib->strptr) || !find_symbol(h, "elf_rawdata", lib->rawdata)) {
    error = std::string(kLibElf) + " lacks a function the broker needs: install elfutils' libelf (Debian: libelf1)";
    return nullptr;
  }
  if (lib->version(EV_CURRENT) == EV_NONE) {
    error = "libelf: " + lib->error();
    return nullptr;
  }
  return lib;
}

std::shared_ptr<const ElfLibrary> libelf(std::string& error) {
  static std::mutex mutex;
  static std::weak_ptr<const ElfLibrary> shared;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto lib = shared.lock()) return lib;
  auto lib = open_libelf(error);
  shared = lib;
  return lib;
}

struct ElfHandle {
  const ElfLibrary& lib;
  Elf* elf;
  ~ElfHandle() {
    if (elf) lib.end(elf);
  }
};

ManifestFileRead refuse(std::string reason) {
  ManifestFileRead out;
  out.reason = std::move(reason);
  return out;
}

std::string not_a_library(const std::string& why) {
  return "not a shared library (" + why + "); remove it from the plugin directory";
}

/// The bytes of the manifest section, or a refusal.
ManifestFileRead manifest_section(const ElfLibrary& lib, Elf* elf, std::string_view& bytes) {
  if (elf == nullptr || lib.kind(elf) != ELF_K_ELF) return refuse(not_a_library("not an ELF file"));
  GElf_Ehdr header;
  if (lib.getehdr(elf, &header) == nullptr) return refuse(not_a_library("unreadable ELF header: " + lib.error()));
  if (header.e_type != ET_DYN)
    return refuse(not_a_library(header.e_type == ET_EXEC ? "an ELF executable"
                                : header.e_type == ET_REL ? "an ELF object file, not linked"
                                                          : "ELF type " + std::to_string(header.e_type)));
  if (header.e_ident[EI_CLASS] != kNativeClass)
    return refuse(std::string("built for ") + (header.e_ident[EI_CLASS] == ELFCLASS32 ? "32" : "64") +
                  "-bit, this broker is " + (kNativeClass == ELFCLASS32 ? "32" : "64") +
                  "-bit; rebuild the plugin for this machine");
  if (header.e_ident[EI_DATA] != kNativeData)
    return refuse("built for a machine of the other byte order; rebuild the plugin for this machine");
  if (kNativeMachine != EM_NONE && header.e_machine != kNativeMachine)
    return refuse("built for " + machine_name(header.e_machine) + ", this broker runs on " +
                  machine_name(kNativeMachine) + "; rebuild the plugin for this machine");
  std::size_t names_index = 0;
  if (lib.getshdrstrndx(elf, &names_index) != 0)
    return refuse(not_a_library("no readable section names: " + lib.error()));

  Elf_Scn* found = nullptr;
  GElf_Shdr found_header{};
  for (Elf_Scn* section = lib.nextscn(elf, nullptr); section != nullptr; section = lib.nextscn(elf, section)) {
    GElf_Shdr section_header;
    if (lib.getshdr(section, &section_header) == nullptr)
      return refuse(not_a_library("unreadable section header: " + lib.error()));
    const char* name = lib.strptr(elf, names_index, section_header.sh_name);
    if (name == nullptr || std::strcmp(name, manifest_location::kSection) != 0) continue;
    if (found != nullptr) return refuse("two manifest sections: a hand-made library; rebuild it with HOOKBROKER_PLUGIN");
    found = section;
    found_header = section_header;
  }
  if (found == nullptr)
    return refuse(std::string("no hookbroker manifest (no ") + manifest_location::kSection +
                  " section): not a hookbroker plugin, or built with an SDK older than ABI 3.0; rebuild it "
                  "against this hookbroker's SDK with HOOKBROKER_PLUGIN");
  if (found_header.sh_type == SHT_NOBITS || found_header.sh_size == 0)
    return refuse("the manifest section is empty; rebuild the plugin with HOOKBROKER_PLUGIN");
  if (found_header.sh_size > manifest_location::kMaxBytes)
    return refuse("the manifest section has " + std::to_string(found_header.sh_size) + " bytes, more than the " +
                  std::to_string(manifest_location::kMaxBytes) + " allowed");
  Elf_Data* data = lib.rawdata(found, nullptr);
  if (data == nullptr || data->d_buf == nullptr || data->d_size != found_header.sh_size)
    return refuse(not_a_library("unreadable manifest section: " + lib.error()));
  bytes = std::string_view(static_cast<const char*>(data->d_buf), data->d_size);
  ManifestFileRead ok;
  ok.ok = true;
  return ok;
}

ManifestFileRead read_manifest(const ElfLibrary& lib, Elf* elf) {
  std::string_view bytes;
  ManifestFileRead out = manifest_section(lib, elf, bytes);
  if (!out.ok) return out;
  out.ok = false;
  // The text, its NUL, then nothing but the padding a compiler may add.
  const std::size_t end = bytes.find('\0');
  if (end == std::string_view::npos) return refuse("malformed manifest: the text is not NUL-terminated");
  if (bytes.find_first_not_of('\0', end) != std::string_view::npos)
    return refuse("malformed manifest: bytes follow the text; rebuild the plugin with HOOKBROKER_PLUGIN");
  out.text = std::string(bytes.substr(0, end));
  ManifestRead read = read_plugin_manifest(out.text);
  out.manifest = std::move(read.manifest);
  if (!read.ok) {
    // The reader names an ABI major it cannot read in its own words.
    const bool other_major = out.manifest.abi_major != 0 && out.manifest.abi_major != HOOKBROKER_ABI_MAJOR;
    out.reason = other_major ? read.error : "malformed manifest: " + read.error;
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace

ManifestFileRead read_manifest_from_file(int fd) {
  std::string error;
  const auto lib = libelf(error);
  if (!lib) return refuse("cannot read ELF files: " + error);
  ElfHandle handle{*lib, lib->begin(fd, ELF_C_READ, nullptr)};
  if (handle.elf == nullptr) return refuse(not_a_library(lib->error()));
  return read_manifest(*lib, handle.elf);
}

ManifestFileRead read_manifest_from_image(std::string_view image) {
  std::string error;
  const auto lib = libelf(error);
  if (!lib) return refuse("cannot read ELF files: " + error);
  std::string copy(image);  // elf_memory takes a mutable buffer
  ElfHandle handle{*lib, lib->memory(copy.data(), copy.size())};
  if (handle.elf == nullptr) return refuse(not_a_library(lib->error()));
  return read_manifest(*lib, handle.elf);
}

ManifestReading::ManifestReading() {
  std::string ignored;  // a read that finds no libelf says why
  library_ = libelf(ignored);
}

ManifestReading::~ManifestReading() = default;

}  // namespace hookbroker::core
