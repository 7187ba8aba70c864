# The Debian package: in a configured and built tree, `cpack -G DEB` writes
# hookbroker_<version>_<arch>.deb with everything the install rules install,
# under /usr:
#   /usr/bin/hookbroker, /usr/bin/hookbroker-*    broker and its tools
#   /usr/lib/hookbroker/plugins/*.so              bundled plugins
#   /usr/include/hookbroker, /usr/lib/cmake/HookBroker   SDK (find_package(HookBroker))
#   /usr/share/hookbroker/dashboard               web dashboard
#   /usr/lib/systemd/user/hookbroker.service      user unit (cmake/systemd_user_unit.cmake)
# Test programs, fixtures, fuzzers and benchmarks have no install rules, so
# they are not in it. scripts/check-package.sh builds, installs and exercises it.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hookbroker)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "hookbroker")
set(CPACK_PACKAGE_CONTACT "hookbroker maintainers <maintainers@users.noreply.b-seed-510b521c.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "broker for AI coding-agent hook events, with sessions and a heartbeat over Socket.IO")
set(CPACK_PACKAGE_DESCRIPTION
    "hookbroker receives the hook events of AI coding agents (Claude Code), tracks
their sessions and streams everything live over Socket.IO to dashboards and
tools, with a heartbeat every N seconds. Plugins loaded at run time add
transports, session trackers, hook handlers and heartbeat contributors.
.
This package contains the broker, its bundled plugins, the hook forwarder,
install-hooks and doctor tools, the web dashboard, a systemd user unit, and the
SDK (headers and CMake package) for building plugins out of tree.")

# Installed under /usr (the project's default prefix, /usr/local, is for
# `cmake --install`). DESTDIR staging keeps CMAKE_INSTALL_PREFIX=/usr during
# the install, which the systemd unit's ExecStart relies on; with it, CPack
# installs to CPACK_INSTALL_PREFIX, so both prefixes are set.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Runtime dependencies (libsqlite3, libhiredis, libssl, zlib,
# libstdc++...) are computed from the binaries by dpkg-shlibdeps, and
# added to this list. libelf is named here: the broker opens it with dlopen
# while it reads plugin manifests (core/src/plugins/manifest_reader.hpp),
# so no binary names it for dpkg-shlibdeps to find.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libelf1")
# Packed relative relocations (cmake/code_size.cmake) need glibc 2.36's
# loader (the binaries require GLIBC_ABI_DT_RELR), which dpkg-shlibdeps does
# not see: it goes by the symbols the binaries use.
if(HOOKBROKER_HAVE_PACK_RELATIVE_RELOCS)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libc6 (>= 2.36)")
endif()
# Building a plugin against the SDK needs what HookBrokerConfig.cmake
# find_dependency()s (Boost headers, nlohmann/json, Threads from the C
# library), CMake and a C++17 compiler. The broker only loads plugins built
# with its compiler major, its Boost and its nlohmann/json major.minor (the
# build fingerprint in sdk/include/hookbroker/abi.hpp), so the suggested
# packages are the versions this package was built with. Most users only run
# the broker: suggested, not required.
string(REGEX MATCH "^[0-9]+" hookbroker_cxx_major "${CMAKE_CXX_COMPILER_VERSION}")
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(hookbroker_compiler_package "g++-${hookbroker_cxx_major}")
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(hookbroker_compiler_package "clang-${hookbroker_cxx_major}")
else()
  set(hookbroker_compiler_package "g++")
endif()
string(REGEX MATCH "^[0-9]+[.][0-9]+" hookbroker_json_minor "${nlohmann_json_VERSION}")
# The cluster_redis plugin links libhiredis (a Depends, found by
# dpkg-shlibdeps like libsqlite3) and talks to a Redis that usually runs on
# another machine: redis-server is suggested, never pulled onto every laptop.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "cmake (>= 3.18), ${hookbroker_compiler_package}, libboost${Boost_VERSION_MAJOR}.${Boost_VERSION_MINOR}-dev, nlohmann-json3-dev (>= ${hookbroker_json_minor}), redis-server")

# `make package_source` must not sweep up build trees and node_modules.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/[.]git/" "/build[^/]*/" "/node_modules/")

include(CPack)
