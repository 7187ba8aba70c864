# Helpers the tree's CMakeLists share.
include(${PROJECT_SOURCE_DIR}/sdk/cmake/HookBrokerPlugin.cmake)  # HOOKBROKER_PLUGIN_UNLOADABLE_FLAGS

# hookbroker_add_subdirectories([DIR]): adds every folder of DIR (default: the
# current source dir) that has a CMakeLists.txt, in sorted order, so a new
# plugin, tool, library or test area needs no edit to its parent.
function(hookbroker_add_subdirectories)
  set(parent ${CMAKE_CURRENT_SOURCE_DIR})
  if(ARGC GREATER 0)
    set(parent ${ARGV0})
  endif()
  file(GLOB dirs LIST_DIRECTORIES true ${parent}/*)
  list(SORT dirs)
  foreach(dir ${dirs})
    if(IS_DIRECTORY ${dir} AND EXISTS ${dir}/CMakeLists.txt)
      add_subdirectory(${dir})
    endif()
  endforeach()
endfunction()

# hookbroker_build_as_plugin_code(<target>): a static library that plugins
# link is compiled like plugin code: PIC, hidden visibility (a plugin's export
# table stays its entry points) and no GNU unique symbols (a plugin library
# that links it can still be unloaded; sdk/cmake/HookBrokerPlugin.cmake).
function(hookbroker_build_as_plugin_code target)
  target_compile_options(${target} PRIVATE ${HOOKBROKER_PLUGIN_UNLOADABLE_FLAGS})
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
