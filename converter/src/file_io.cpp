#include "teikit/file_io.hpp"

#include <boost/filesystem.hpp>

#include <fstream>

namespace fs = boost::filesystem;

namespace teikit {

bool write_atomically(const std::string& path, const std::string& data, std::string& error) {
  const fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  boost::system::error_code ec;
  // A hidden name beside the target: same file system (so rename is atomic), and a directory
  // listing of *.xml / *.html never picks up a temporary.
  const fs::path tmp = dir / fs::unique_path("." + target.filename().string() + ".%%%%%%.tmp", ec);
  {
    std::ofstream out(tmp.string(), std::ios::binary | std::ios::trunc);
    if (!out) {
      error = path + ": cannot write (directory missing or not writable)";
      return false;
    }
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      error = path + ": write failed (disk full?)";
      return false;
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    error = path + ": cannot rename into place: " + why;
    return false;
  }
  return true;
}

}  // namespace teikit
