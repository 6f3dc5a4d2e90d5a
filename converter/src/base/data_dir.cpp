#include "teikit/base/data_dir.hpp"

#include <dlfcn.h>
#include <link.h>

#include <boost/filesystem.hpp>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

// The build passes the install layout as paths relative to the folders the library can find
// itself in (GNUInstallDirs, converter/CMakeLists.txt), and the configured install data folder
// as the last resort.
#if !defined(TEIKIT_BINDIR_TO_DATADIR) || !defined(TEIKIT_LIBDIR_TO_DATADIR) || \
    !defined(TEIKIT_PYTHONDIR_TO_DATADIR) || !defined(TEIKIT_INSTALL_DATADIR)
#error "the build defines TEIKIT_{BINDIR,LIBDIR,PYTHONDIR}_TO_DATADIR and TEIKIT_INSTALL_DATADIR"
#endif

namespace teikit {

namespace fs = boost::filesystem;

namespace {

std::mutex& set_dir_mutex() {
  static std::mutex m;
  return m;
}

std::string& set_dir() {
  static std::string dir;
  return dir;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "";
}

// The file this code was loaded from, and whether it is the executable: a shared libteikit's own
// path, or — for the static library, which is part of the executable — the executable's. The
// main program's link-map entry has an empty name (dladdr would give argv[0], which may be
// relative or a bare name), so the executable comes from /proc/self/exe, which the kernel keeps
// absolute and resolved.
std::string own_file(bool& executable) {
  Dl_info info{};
  link_map* map = nullptr;
  executable = false;
  if (dladdr1(reinterpret_cast<void*>(&own_file), &info, reinterpret_cast<void**>(&map),
              RTLD_DL_LINKMAP) != 0 &&
      map && map->l_name && map->l_name[0] != '\0')
    return map->l_name;
  executable = true;
  boost::system::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

// The folders that may hold the installed data, relative to the library's own file: the install
// layout's path from bin/ (an executable) or lib/ (a shared library) first, then the other, then
// from the Python module's folder (the static library inside the module), then the build tree's
// share/teikit. Computed once: the file does not move while the process runs.
const std::vector<fs::path>& relative_candidates() {
  static const std::vector<fs::path> candidates = [] {
    std::vector<fs::path> out;
    bool executable = false;
    const std::string file = own_file(executable);
    if (file.empty()) return out;
    boost::system::error_code ec;
    fs::path dir = fs::canonical(fs::path(file), ec).parent_path();
    if (ec) dir = fs::path(file).parent_path();
    const char* first = executable ? TEIKIT_BINDIR_TO_DATADIR : TEIKIT_LIBDIR_TO_DATADIR;
    const char* second = executable ? TEIKIT_LIBDIR_TO_DATADIR : TEIKIT_BINDIR_TO_DATADIR;
    for (const char* rel : {first, second, TEIKIT_PYTHONDIR_TO_DATADIR, "../share/teikit"}) {
      fs::path p = (dir / rel).lexically_normal();
      bool seen = false;
      for (const fs::path& q : out) seen = seen || q == p;
      if (!seen) out.push_back(p);
    }
    return out;
  }();
  return candidates;
}

bool has_data(const fs::path& dir) {
  boost::system::error_code ec;
  return fs::is_directory(dir / "xslt", ec) && fs::is_directory(dir / "schemas", ec);
}

}  // namespace

void set_data_dir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(set_dir_mutex());
  set_dir() = dir;
}

std::string data_dir() {
  if (std::string dir = env("TEIKIT_DATA_DIR"); !dir.empty()) return dir;
  {
    std::lock_guard<std::mutex> lock(set_dir_mutex());
    if (!set_dir().empty()) return set_dir();
  }
  for (const fs::path& p : relative_candidates())
    if (has_data(p)) return p.string();
  return TEIKIT_INSTALL_DATADIR;
}

std::string stylesheet_dir() {
  if (std::string dir = env("TEIKIT_XSLT_DIR"); !dir.empty()) return dir;
  return data_dir() + "/xslt";
}

std::string schema_dir() {
  if (std::string dir = env("TEIKIT_SCHEMA_DIR"); !dir.empty()) return dir;
  return data_dir() + "/schemas";
}

std::string profile_dir() { return data_dir() + "/profiles"; }

}  // namespace teikit
