#include "plugins/manifest_reader.hpp"

#include <gelf.h>
#include <libelf.h>

#include <cstring>

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

std::string libelf_error() {
  const char* message = elf_errmsg(-1);
  return message ? message : "unknown libelf error";
}

bool libelf_ready() {
  static const bool ready = elf_version(EV_CURRENT) != EV_NONE;
  return ready;
}

struct ElfHandle {
  Elf* elf;
  ~ElfHandle() {
    if (elf) elf_end(elf);
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
ManifestFileRead manifest_section(Elf* elf, std::string_view& bytes) {
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) return refuse(not_a_library("not an ELF file"));
  GElf_Ehdr header;
  if (gelf_getehdr(elf, &header) == nullptr) return refuse(not_a_library("unreadable ELF header: " + libelf_error()));
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
  if (elf_getshdrstrndx(elf, &names_index) != 0)
    return refuse(not_a_library("no readable section names: " + libelf_error()));

  Elf_Scn* found = nullptr;
  GElf_Shdr found_header{};
  for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr; section = elf_nextscn(elf, section)) {
    GElf_Shdr section_header;
    if (gelf_getshdr(section, &section_header) == nullptr)
      return refuse(not_a_library("unreadable section header: " + libelf_error()));
    const char* name = elf_strptr(elf, names_index, section_header.sh_name);
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
  Elf_Data* data = elf_rawdata(found, nullptr);
  if (data == nullptr || data->d_buf == nullptr || data->d_size != found_header.sh_size)
    return refuse(not_a_library("unreadable manifest section: " + libelf_error()));
  bytes = std::string_view(static_cast<const char*>(data->d_buf), data->d_size);
  ManifestFileRead ok;
  ok.ok = true;
  return ok;
}

ManifestFileRead read_manifest(Elf* elf) {
  std::string_view bytes;
  ManifestFileRead out = manifest_section(elf, bytes);
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
  if (!libelf_ready()) return refuse("cannot read ELF files: " + libelf_error());
  ElfHandle handle{elf_begin(fd, ELF_C_READ, nullptr)};
  if (handle.elf == nullptr) return refuse(not_a_library(libelf_error()));
  return read_manifest(handle.elf);
}

ManifestFileRead read_manifest_from_image(std::string_view image) {
  if (!libelf_ready()) return refuse("cannot read ELF files: " + libelf_error());
  std::string copy(image);  // elf_memory takes a mutable buffer
  ElfHandle handle{elf_memory(copy.data(), copy.size())};
  if (handle.elf == nullptr) return refuse(not_a_library(libelf_error()));
  return read_manifest(handle.elf);
}

}  // namespace hookbroker::core
