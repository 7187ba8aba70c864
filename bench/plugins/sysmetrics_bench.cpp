// sysmetrics_bench: what one sysmetrics sample (one heartbeat's
// system_metrics) costs, beside the same figures read from /proc by Python
// (the language of the system hookbroker replaces), in the same run.
// Budget (issue 6): at most 100 µs per tick.
//
//   build/bin/sysmetrics_bench [samples=20000]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"
#include "metrics_sampler.hpp"
#include "stats.hpp"

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::stoi(argv[1]) : 20000;
  hookbroker::sysmetrics::MetricsSampler sampler;
  for (int i = 0; i < 100; ++i) sampler.sample();  // warm: files opened, buffers grown
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(n));
  std::size_t bytes = 0;
  for (int i = 0; i < n; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const nlohmann::json m = sampler.sample();
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    bytes += m.size();
  }
  const auto ours = plugins_bench::summarize(us);

  const auto peer = hbtest::run_command({"/usr/bin/env", "python3", std::string(BENCH_SOURCE_DIR) + "/sysmetrics_peer.py", std::to_string(n)},
                                        std::chrono::minutes(5));
  const auto peer_json = nlohmann::json::parse(peer.out, nullptr, false);

  std::printf("sysmetrics: cost of one sample (µs), %d samples each\n", n);
  std::printf("  hookbroker sysmetrics     %s\n", plugins_bench::describe(ours).c_str());
  if (peer.exit_code == 0 && peer_json.is_object()) {
    const double peer_mean = peer_json["mean_us"].get<double>();
    const double peer_p50 = peer_json["p50_us"].get<double>();
    std::printf("  peer: Python /proc reader mean %.1f  p50 %.1f  p99 %.1f\n", peer_mean, peer_p50,
                peer_json["p99_us"].get<double>());
    std::printf("  ratio peer/ours            mean %.1fx  p50 %.1fx\n", peer_mean / ours.mean, peer_p50 / ours.p50);
  } else {
    std::printf("  peer: Python /proc reader did not run (exit %d): %s\n", peer.exit_code, peer.err.c_str());
  }
  std::printf("  budget 100 µs per tick: %s (mean %.1f µs, p99 %.1f µs)\n",
              ours.p99 <= 100.0 ? "met" : "MISSED", ours.mean, ours.p99);
  return bytes > 0 ? 0 : 1;
}
