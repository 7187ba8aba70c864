// Reading stdin: bounded, never blocking the agent.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <thread>
#include <unistd.h>

#include "hook_input.hpp"

namespace {

using hookbroker::hook::read_hook_input;

struct Pipe {
  int fds[2];
  Pipe() {
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
  }
  ~Pipe() {
    close_write();
    ::close(fds[0]);
  }
  void close_write() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
  void write_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::write(fds[1], s.data() + done, s.size() - done);
      if (n <= 0) throw std::runtime_error("write");
      done += static_cast<std::size_t>(n);
    }
  }
};

TEST(HookInput, ReadsEverythingUntilEof) {
  Pipe p;
  p.write_all("{\"hook_event_name\":\"Stop\"}");
  p.close_write();
  const auto in = read_hook_input(p.fds[0], 1024, 1000);
  EXPECT_EQ(in.bytes, "{\"hook_event_name\":\"Stop\"}");
  EXPECT_TRUE(in.complete);
  EXPECT_FALSE(in.truncated());
  EXPECT_EQ(in.received, in.bytes.size());
}

TEST(HookInput, KeepsTheLimitAndReadsTheRestAwaySoTheWriterNeverBlocks) {
  Pipe p;
  const std::string big(3 << 20, 'x');  // far more than a pipe buffer
  std::thread writer([&] {
    p.write_all(big);
    p.close_write();
  });
  const auto in = read_hook_input(p.fds[0], 4096, 5000);
  writer.join();  // would hang if the reader had stopped reading
  EXPECT_EQ(in.bytes.size(), 4096u);
  EXPECT_TRUE(in.over_limit);
  EXPECT_TRUE(in.complete);
  EXPECT_EQ(in.received, big.size());
  EXPECT_TRUE(in.truncated());
}

TEST(HookInput, GivesUpOnAWriterThatNeverClosesStdin) {
  Pipe p;
  p.write_all("{\"partial\":");
  const auto started = std::chrono::steady_clock::now();
  const auto in = read_hook_input(p.fds[0], 4096, 100);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_EQ(in.bytes, "{\"partial\":");
  EXPECT_FALSE(in.complete);
  EXPECT_TRUE(in.truncated());
  EXPECT_NE(in.problem.find("not closed within 100 ms"), std::string::npos);
}

TEST(HookInput, NoStdinAtAllIsAnEmptyCompleteInput) {
  const auto in = read_hook_input(987, 4096, 100);  // not an open descriptor
  EXPECT_TRUE(in.bytes.empty());
  EXPECT_EQ(in.received, 0u);
}

TEST(HookInput, ARegularFileWorksLikeAPipe) {
  char path[] = "/tmp/hookbroker-input-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "{}", 2), 2);
  ::lseek(fd, 0, SEEK_SET);
  const auto in = read_hook_input(fd, 4096, 1000);
  ::close(fd);
  ::unlink(path);
  EXPECT_EQ(in.bytes, "{}");
  EXPECT_TRUE(in.complete);
}

}  // namespace
