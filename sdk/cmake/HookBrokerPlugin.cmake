# hookbroker_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...] [NO_INSTALL])
#
# Builds <name>.so, a hookbroker plugin, with the settings the plugin ABI needs:
# hidden visibility (only what HOOKBROKER_PLUGIN defines is exported: the
# manifest object and the create and destroy functions),
# no undefined symbols at link time (a missing symbol fails the build, not the
# broker at run time), no "lib" prefix (the file is named after the plugin).
# Installs into lib/hookbroker/plugins unless NO_INSTALL is given.
#
# Used both in the hookbroker tree and by out-of-tree plugins after
# find_package(HookBroker).
# GCC gives the statics of header code (Asio's call stacks and service ids,
# Boost.System's categories, ...) STB_GNU_UNIQUE binding, and glibc never
# unloads a library that was first to define such a symbol: the broker could
# not unmap the library of a plugin refused after it was opened (create or
# start failed; about 0.8 MiB of RSS for alerts, history_sqlite with SQLite).
# As ordinary weak symbols they still bind to the executable's exported
# definitions first (it exports Boost's symbols, core/src/exported_symbols.list),
# so what the plugins share with the core stays shared.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(HOOKBROKER_PLUGIN_UNLOADABLE_FLAGS -fno-gnu-unique)
else()
  set(HOOKBROKER_PLUGIN_UNLOADABLE_FLAGS)
endif()

function(hookbroker_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "hookbroker_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET hookbroker_sdk)
    target_link_libraries(${name} PRIVATE hookbroker_sdk)
  else()
    target_link_libraries(${name} PRIVATE HookBroker::sdk)
  endif()
  if(TARGET hookbroker_warnings)  # in the hookbroker tree: warnings are errors
    target_link_libraries(${name} PRIVATE hookbroker_warnings)
  endif()
  if(ARG_LIBRARIES)
    target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  endif()
  target_compile_options(${name} PRIVATE ${HOOKBROKER_PLUGIN_UNLOADABLE_FLAGS})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT HOOKBROKER_SANITIZE)
    # With sanitizers the runtime symbols come from the executable.
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED HOOKBROKER_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${HOOKBROKER_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT ARG_NO_INSTALL)
    if(DEFINED HOOKBROKER_PLUGIN_INSTALL_DIR)
      set(_dest ${HOOKBROKER_PLUGIN_INSTALL_DIR})
    else()
      include(GNUInstallDirs)
      set(_dest ${CMAKE_INSTALL_LIBDIR}/hookbroker/plugins)
    endif()
    install(TARGETS ${name} LIBRARY DESTINATION ${_dest})
  endif()
endfunction()
