// Where the library finds its data (teikit/base/data_dir.hpp): the overrides in their order, and
// the uninstalled build's share/teikit found relative to the running executable. The installed
// layouts are checked by the install tests (tests/install.cmake).
#include <boost/filesystem.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "teikit/base/data_dir.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/render/transform.hpp"
#include "teikit/validate/validate.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;

namespace teikit {
namespace {

// Clears the variables that steer the lookup for one test and puts them back afterwards, with
// set_data_dir("") so that no test sees another's folder.
class DataDirTest : public ::testing::Test {
 protected:
  static constexpr const char* kNames[] = {"TEIKIT_DATA_DIR", "TEIKIT_XSLT_DIR",
                                           "TEIKIT_SCHEMA_DIR"};
  void SetUp() override {
    for (std::size_t i = 0; i < 3; ++i) {
      if (const char* v = std::getenv(kNames[i])) saved_[i] = v;
      unsetenv(kNames[i]);
    }
    set_data_dir("");
  }
  void TearDown() override {
    set_data_dir("");
    for (std::size_t i = 0; i < 3; ++i) {
      if (saved_[i]) setenv(kNames[i], saved_[i]->c_str(), 1);
      else unsetenv(kNames[i]);
    }
  }
  std::optional<std::string> saved_[3];
};

// The executable of this test is <build>/tests/teikit_tests; the build tree mirrors the
// installed data folder in <build>/share/teikit, found as ../share/teikit.
TEST_F(DataDirTest, UninstalledBuildFindsTheBuildTreesShareFolderFromTheExecutable) {
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  const fs::path expected = (exe.parent_path() / "../share/teikit").lexically_normal();
  EXPECT_EQ(data_dir(), expected.string());
  EXPECT_EQ(stylesheet_dir(), expected.string() + "/xslt");
  EXPECT_EQ(schema_dir(), expected.string() + "/schemas");
  EXPECT_EQ(profile_dir(), expected.string() + "/profiles");
  // It is the source tree's data, by links (edits take effect without a rebuild).
  const std::string src = test::source_dir();
  EXPECT_TRUE(fs::equivalent(stylesheet_dir() + "/tei-to-html.xsl", src + "/xslt/tei-to-html.xsl"));
  EXPECT_TRUE(fs::equivalent(project_schema_path(), src + "/schemas/teikit.rng"));
  EXPECT_TRUE(fs::equivalent(project_rules_path(), src + "/schemas/teikit.sch"));
  EXPECT_TRUE(fs::equivalent(profile_dir() + "/archive-translation.xml",
                             src + "/converter/profiles/archive-translation.xml"));
}

TEST_F(DataDirTest, SetDataDirComesBeforeTheSearchAndEmptyRestoresIt) {
  const std::string found = data_dir();
  set_data_dir("/opt/elsewhere/share/teikit");
  EXPECT_EQ(data_dir(), "/opt/elsewhere/share/teikit");
  EXPECT_EQ(stylesheet_dir(), "/opt/elsewhere/share/teikit/xslt");
  EXPECT_EQ(project_schema_path(), "/opt/elsewhere/share/teikit/schemas/teikit.rng");
  EXPECT_EQ(profile_dir(), "/opt/elsewhere/share/teikit/profiles");
  set_data_dir("");
  EXPECT_EQ(data_dir(), found);
}

TEST_F(DataDirTest, EnvironmentDataDirComesBeforeSetDataDir) {
  set_data_dir("/opt/program/share/teikit");
  setenv("TEIKIT_DATA_DIR", "/home/user/teikit-data", 1);
  EXPECT_EQ(data_dir(), "/home/user/teikit-data");
  EXPECT_EQ(stylesheet_dir(), "/home/user/teikit-data/xslt");
  EXPECT_EQ(project_rules_path(), "/home/user/teikit-data/schemas/teikit.sch");
  // An empty variable counts as unset.
  setenv("TEIKIT_DATA_DIR", "", 1);
  EXPECT_EQ(data_dir(), "/opt/program/share/teikit");
}

TEST_F(DataDirTest, StylesheetAndSchemaVariablesOverrideTheirFolderOnly) {
  setenv("TEIKIT_DATA_DIR", "/data", 1);
  setenv("TEIKIT_XSLT_DIR", "/my/xslt", 1);
  EXPECT_EQ(stylesheet_dir(), "/my/xslt");
  EXPECT_EQ(schema_dir(), "/data/schemas");
  setenv("TEIKIT_SCHEMA_DIR", "/my/schemas", 1);
  EXPECT_EQ(project_schema_path(), "/my/schemas/teikit.rng");
  EXPECT_EQ(profile_dir(), "/data/profiles");
}

// What the data folder says is what the library reads: render takes its stylesheet from the
// folder set_data_dir() names, and fails naming the path when the folder has none.
TEST_F(DataDirTest, RenderReadsTheStylesheetOfTheDataFolderItIsGiven) {
  const std::string tei =
      convert("doc.txt", "March 3, 1950\n\nA note.\n\nSome text.\n", ConvertOptions{}).xml;
  const fs::path dir = fs::temp_directory_path() / fs::unique_path("teikit-data-%%%%%%%%");
  fs::create_directories(dir / "xslt");
  fs::create_directories(dir / "schemas");
  {
    std::ofstream xsl((dir / "xslt/tei-to-text.xsl").string());
    xsl << "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
           "<xsl:output method=\"text\"/><xsl:template match=\"/\">own stylesheet</xsl:template>"
           "</xsl:stylesheet>";
  }
  set_data_dir(dir.string());
  const test::CliRun own = test::teikit_cli({"render", "--to", "text", "-"}, tei);
  set_data_dir((dir / "nothing-here").string());
  const test::CliRun none = test::teikit_cli({"render", "--to", "text", "-"}, tei);
  fs::remove_all(dir);
  EXPECT_EQ(own.code, 0) << own.err;
  EXPECT_EQ(own.out, "own stylesheet");
  EXPECT_NE(none.code, 0);
  EXPECT_NE(none.err.find((dir / "nothing-here/xslt/tei-to-text.xsl").string()), std::string::npos)
      << none.err;
}

}  // namespace
}  // namespace teikit
