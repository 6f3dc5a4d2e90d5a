// Faults (issue 5): a full disk (a file-size limit), an input vanishing in a multi-file run,
// and SIGTERM in the middle of one. The real executable runs in a child process; afterwards no
// temporary and no half-written output may remain, and every output present is complete.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include "test_support.hpp"

namespace fs = boost::filesystem;

namespace {

class Faults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fs::unique_path("teikit-faults-%%%%%%%%");
    fs::create_directories(dir_ / "in");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts `teikit args…` with an optional file-size limit (bytes); returns the pid.
  pid_t start(const std::vector<std::string>& args, rlim_t fsize = RLIM_INFINITY) {
    const pid_t pid = fork();
    if (pid == 0) {
      if (fsize != RLIM_INFINITY) {
        rlimit r{fsize, fsize};
        setrlimit(RLIMIT_FSIZE, &r);
      }
      std::vector<char*> argv;
      static std::string bin = TEIKIT_BINARY;
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      std::freopen("/dev/null", "w", stderr);
      std::freopen("/dev/null", "w", stdout);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
    return pid;
  }
  int wait_for(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
  }
  std::vector<std::string> inputs(int n, std::size_t paragraphs) {
    std::string doc = "April 30, 1962\n\nA cable\n\nContents:\n\nTranslation - English\n\n";
    for (std::size_t i = 0; i < paragraphs; ++i)
      doc += "Zhang [Hanfu] met them on the 29th of [April] [...] and [illegible] words [sic].\n\n";
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      const std::string p = (dir_ / "in" / ("doc" + std::to_string(i) + ".txt")).string();
      std::ofstream(p) << doc;
      out.push_back(p);
    }
    return out;
  }
  // Every output is well-formed; no temporary is left.
  void expect_clean_outputs(const fs::path& out) {
    if (!fs::exists(out)) return;
    for (const auto& e : fs::directory_iterator(out)) {
      const std::string name = e.path().filename().string();
      if (name == ".teikit-outputs") continue;  // the record of what teikit wrote there
      EXPECT_EQ(name.find(".tmp"), std::string::npos) << "temporary left: " << name;
      std::string error;
      EXPECT_TRUE(teikit::xml::parse_file(e.path().string(), error)) << name << ": " << error;
    }
  }
  fs::path dir_;
};

}  // namespace

TEST_F(Faults, DiskFullLeavesNoPartialFileAndExitsFour) {
  auto in = inputs(3, 200);  // each output is larger than the limit below
  std::vector<std::string> args{"convert"};
  args.insert(args.end(), in.begin(), in.end());
  args.push_back("-o");
  args.push_back((dir_ / "out").string() + "/");
  const int status = wait_for(start(args, 8192));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4);
  expect_clean_outputs(dir_ / "out");
  EXPECT_TRUE(fs::is_empty(dir_ / "out"));
}

TEST_F(Faults, VanishedInputIsNamedAndTheOthersAreWritten) {
  auto in = inputs(3, 2);
  fs::remove(in[1]);
  std::vector<std::string> args{"convert", in[0], in[1], in[2], "-o", (dir_ / "out").string() + "/"};
  const int status = wait_for(start(args));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4);
  EXPECT_TRUE(fs::exists(dir_ / "out" / "doc0.xml"));
  EXPECT_FALSE(fs::exists(dir_ / "out" / "doc1.xml"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "doc2.xml"));
  expect_clean_outputs(dir_ / "out");
}

TEST_F(Faults, SigtermMidRunLeavesOnlyCompleteOutputs) {
  auto in = inputs(40, 3000);  // ~0.3 MB each: the run takes a few seconds
  std::vector<std::string> args{"convert"};
  args.insert(args.end(), in.begin(), in.end());
  args.push_back("-o");
  args.push_back((dir_ / "out").string() + "/");
  const pid_t pid = start(args);
  // Wait until the first output exists (generously: sanitizer builds are slow), then interrupt.
  for (int i = 0; i < 6000 && !fs::exists(dir_ / "out" / "doc0.xml"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const bool started = fs::exists(dir_ / "out" / "doc0.xml");
  kill(pid, SIGTERM);
  const int status = wait_for(pid);
  EXPECT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
  expect_clean_outputs(dir_ / "out");
  ASSERT_TRUE(started) << "the conversion wrote nothing within 120 s";
  EXPECT_TRUE(fs::exists(dir_ / "out" / "doc0.xml"));  // earlier output survives
}
