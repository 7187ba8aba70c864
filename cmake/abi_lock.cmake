# Ties the public SDK headers to the ABI version (sdk/include/hookbroker/abi.hpp):
# sdk/abi.lock records "MAJOR.MINOR DIGEST", the digest of the headers' code
# (comments, blank lines and the version defines left out). Run as
#   cmake -DSDK_INCLUDE=<sdk/include/hookbroker> -DLOCK=<sdk/abi.lock> [-DMODE=update] -P abi_lock.cmake
# Checking fails when the headers changed but the version did not (bump it
# per abi.hpp's rules), or when the version changed but the lock did not
# (then update the lock with MODE=update).
file(GLOB headers RELATIVE ${SDK_INCLUDE} ${SDK_INCLUDE}/*.hpp)
list(SORT headers)
set(code "")
foreach(header ${headers})
  file(READ ${SDK_INCLUDE}/${header} text)
  string(REGEX REPLACE "//[^\n]*" "" text "${text}")
  string(REGEX REPLACE "#define HOOKBROKER_ABI_M[AI][JN]OR[^\n]*" "" text "${text}")
  string(REGEX REPLACE "[ \t\r\n]+" " " text "${text}")
  string(APPEND code "${header}:${text}\n")
endforeach()
string(SHA256 digest "${code}")

file(READ ${SDK_INCLUDE}/abi.hpp abi)
string(REGEX MATCH "#define HOOKBROKER_ABI_MAJOR ([0-9]+)" _ "${abi}")
set(major ${CMAKE_MATCH_1})
string(REGEX MATCH "#define HOOKBROKER_ABI_MINOR ([0-9]+)" _ "${abi}")
set(minor ${CMAKE_MATCH_1})
set(current "${major}.${minor} ${digest}")

if(MODE STREQUAL "update")
  file(WRITE ${LOCK} "${current}\n")
  message(STATUS "abi.lock: ${current}")
  return()
endif()
file(READ ${LOCK} recorded)
string(STRIP "${recorded}" recorded)
separate_arguments(parts UNIX_COMMAND "${recorded}")
list(GET parts 0 recorded_version)
list(GET parts 1 recorded_digest)
set(update "cmake -DSDK_INCLUDE=${SDK_INCLUDE} -DLOCK=${LOCK} -DMODE=update -P ${CMAKE_CURRENT_LIST_FILE}")
if(recorded_version STREQUAL "${major}.${minor}" AND NOT recorded_digest STREQUAL digest)
  message(FATAL_ERROR
    "The public SDK headers changed but the plugin ABI version is still ${major}.${minor}. "
    "Bump HOOKBROKER_ABI_MINOR (something appended) or HOOKBROKER_ABI_MAJOR (anything else) in abi.hpp, "
    "following the rules there and in docs/plugins.md, then record it: ${update}")
endif()
if(NOT recorded_version STREQUAL "${major}.${minor}" OR NOT recorded_digest STREQUAL digest)
  message(FATAL_ERROR
    "abi.hpp says ABI ${major}.${minor} but sdk/abi.lock records ${recorded_version}: record the new version "
    "and headers with: ${update}")
endif()
message(STATUS "SDK headers match ABI ${major}.${minor}")
