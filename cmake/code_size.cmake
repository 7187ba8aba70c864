# Code size is idle memory: on the kernels we run on, a fault maps the whole
# page-cache folio around it, so the broker's and its plugins' files are
# resident about as far as they are mapped (docs/performance.md, issue 16,
# "Idle RSS"). What this tree does about it, for every target it builds:

# Relative relocations packed (DT_RELR, binutils >= 2.38 and glibc >= 2.36):
# the position-independent executable and plugins carry thousands of them
# (vtables, typeinfo, string tables), 24 bytes each in .rela.dyn; packed they
# take a few hundred bytes. Only in this tree: out-of-tree plugins built with
# hookbroker_add_plugin() keep their toolchain's default.
include(CheckLinkerFlag)
check_linker_flag(CXX "-Wl,-z,pack-relative-relocs" HOOKBROKER_HAVE_PACK_RELATIVE_RELOCS)
if(HOOKBROKER_HAVE_PACK_RELATIVE_RELOCS)
  add_link_options(-Wl,-z,pack-relative-relocs)
endif()

# Function and data sections: core/, libs/ and plugins/ compile their code
# with HOOKBROKER_SECTION_FLAGS, one section per function and object, so
# that a link with --gc-sections drops what nothing calls. The executable and
# the in-tree plugins link that way. The SDK's hookbroker_add_plugin() does
# not: out-of-tree plugins keep their own choice.
set(HOOKBROKER_SECTION_FLAGS -ffunction-sections -fdata-sections)

# hookbroker_cold_sources(<target> <source>...): sources of <target> (in the
# current directory) that run at start-up, shutdown, on a command or for the
# dashboard (options and the command line, plugin discovery and manifests,
# reports, subcommands) and never per event, compiled for size (-Os) in
# optimised builds. The per-event path (the event bus, the HTTP service, the
# transport) keeps the build type's -O level. Debug and sanitizer builds are
# left alone.
#
# The sources also move to the end of the target, so their objects come last
# in its archive: of the copies of an inline function both kinds of code
# instantiate (nlohmann::json's dump and parse, spdlog, std::string), the
# linker keeps the first it loads, and that must be the hot path's -O3 one.
# That holds only if the archive's objects are loaded in its order: link it
# with hookbroker_hot_first() below. (The executable's main.cpp, always
# loaded first, only calls into the library and instantiates nothing.)
function(hookbroker_cold_sources target)
  set(cold ${ARGN})
  get_target_property(sources ${target} SOURCES)
  foreach(source ${cold})
    if(NOT source IN_LIST sources)
      message(FATAL_ERROR "hookbroker_cold_sources(${target}): ${source} is not one of its sources")
    endif()
  endforeach()
  list(REMOVE_ITEM sources ${cold})
  list(APPEND sources ${cold})
  set_property(TARGET ${target} PROPERTY SOURCES ${sources})
  set_property(SOURCE ${cold} APPEND PROPERTY COMPILE_OPTIONS
    "$<$<AND:$<OR:$<CONFIG:Release>,$<CONFIG:RelWithDebInfo>>,$<NOT:$<BOOL:${HOOKBROKER_SANITIZE}>>>:-Os>")
endfunction()

# hookbroker_hot_first(<var> <library>): sets <var> to the link items for a
# static library with cold sources: every object of it, in its order (hot
# first). Linked as usual, the linker would take objects as references to
# them turn up, and a cold one taken early would give the hot path its -Os
# copies. Every object of these libraries is linked anyway.
function(hookbroker_hot_first var library)
  set(${var} -Wl,--whole-archive ${library} -Wl,--no-whole-archive PARENT_SCOPE)
endfunction()
