// hookbroker SDK — ABI version and build fingerprint.
//
// A plugin is a shared library loaded into the broker with dlopen. C++ classes
// only cross that boundary safely when both sides were built alike, so every
// plugin carries the values below in its manifest and the core refuses a plugin
// whose values do not match its own (see manifest.hpp).
//
// Versioning rules (the contract between core and plugins):
//  - HOOKBROKER_ABI_MAJOR changes when an interface changes incompatibly
//    (a virtual function removed, reordered or re-typed, a struct re-laid).
//    A plugin built against another major is refused.
//  - HOOKBROKER_ABI_MINOR grows when something is *appended*: a new virtual
//    function at the end of an interface, a new key in the manifest. A core accepts plugins built against its own or an older minor;
//    a plugin built against a newer minor than the core is refused, because it
//    may call what this core does not have. The core calls an appended virtual
//    only on plugins whose manifest says they were built with it.
//
//  - A public SDK header that changes in a way that matters to the ABI
//    needs one of the two bumps above; the test `sdk.abi_lock` fails until
//    sdk/abi.lock records the new version with the headers' new digest.
//
// History: 1.0 first release. 1.1 Plugin::on_broker_started,
// HostApi::report_listening_port. 2.0 the core owns HTTP policy (HttpRoute
// with access and body rules, path patterns), TransportHost holds the
// transport-only calls, kinds derived from the plugin's base classes
// (PluginInterfaces from create; Plugin::as_*() removed), the token no longer
// in HostSettings. 3.0 the manifest is data, read from the library file before
// the library is opened: HOOKBROKER_PLUGIN writes it at compile time into the
// `.hookbroker.manifest` section (PluginInfo is a constant, its options an
// OptionList); hookbroker_plugin_manifest() and struct hookbroker_manifest are
// gone, so a 2.x core cannot load a 3.0 plugin and a 3.0 core refuses a 2.x
// plugin without opening it; with it (never released apart) history pages
// cut by size (HistoryQuery::kMaxPageBytes, newest_within_bytes), sinks that
// can fail an event (EventSink::consume_event, SinkResult; IngestResult
// Unavailable, StorageFull, retry_after_s). 3.1 (appended): SessionTracker::
// apply (a whole hook event's meaning for a session at once; the default
// answers false, so a tracker that does not take changes gets the older
// calls; a tracker built against 3.0 lacks the slot, so the core hands others
// an adapter whose apply answers false); compatibility plugins can shape what
// clients get: HostApi::add_client_greeting, add_broadcast_filter,
// add_status_filter and TransportHost::greetings_for. 3.2 (appended): routes
// declare their own body limit: HostApi::add_http_route_with_body_limit and
// TransportHost::max_body_bytes (OTLP exports are larger than hook events);
// HostApi::ingest_from_node, an event another broker of a cluster accepted
// (cluster_redis): handlers, history, sinks and broadcast as a local event,
// not counted, marked with its origin node; HostApi::broadcast, a message to
// every client that is not an event (a Socket.IO adapter's broadcast).
// 3.3 (appended): HeartbeatContributor::contribute_serialized, heartbeat
// values a contributor already holds as JSON text (sessions_memory's
// active_sessions), spliced into the heartbeat without a tree copy.
#pragma once

#include <boost/version.hpp>
#include <nlohmann/json.hpp>

#define HOOKBROKER_ABI_MAJOR 3
#define HOOKBROKER_ABI_MINOR 3

// Compiler family and major version, e.g. "gcc 12" or "clang 14".
#define HOOKBROKER_STRINGIFY_INNER(x) #x
#define HOOKBROKER_STRINGIFY(x) HOOKBROKER_STRINGIFY_INNER(x)
#if defined(__clang__)
#define HOOKBROKER_BUILD_COMPILER "clang " HOOKBROKER_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define HOOKBROKER_BUILD_COMPILER "gcc " HOOKBROKER_STRINGIFY(__GNUC__)
#else
#define HOOKBROKER_BUILD_COMPILER "unknown"
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI)
#define HOOKBROKER_BUILD_CXX11_ABI _GLIBCXX_USE_CXX11_ABI
#else
#define HOOKBROKER_BUILD_CXX11_ABI 0
#endif

#define HOOKBROKER_BUILD_BOOST_VERSION BOOST_VERSION
#define HOOKBROKER_BUILD_JSON_VERSION                                   \
  (NLOHMANN_JSON_VERSION_MAJOR * 10000 + NLOHMANN_JSON_VERSION_MINOR * 100 + \
   NLOHMANN_JSON_VERSION_PATCH)
