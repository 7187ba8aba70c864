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

# hookbroker_cold_sources(<source>...): sources of the current directory that
# run at start-up, shutdown or on a command (options and the command line,
# plugin discovery and manifests, reports, subcommands) and never per event,
# compiled for size (-Os) in optimised builds. The per-event path (the event
# bus, the HTTP service, the transport) keeps the build type's -O level.
# Debug and sanitizer builds are left alone.
function(hookbroker_cold_sources)
  set_property(SOURCE ${ARGN} APPEND PROPERTY COMPILE_OPTIONS
    "$<$<AND:$<OR:$<CONFIG:Release>,$<CONFIG:RelWithDebInfo>>,$<NOT:$<BOOL:${HOOKBROKER_SANITIZE}>>>:-Os>")
endfunction()
