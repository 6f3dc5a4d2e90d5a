// Where the library finds the data it ships (stylesheets, schemas, profiles): an installed teikit
// finds them relative to its own prefix (<prefix>/share/teikit), so an installed tree can be
// moved, extracted from a .deb into any folder or staged with DESTDIR; no source-tree path is
// compiled in.
#pragma once

#include <string>

namespace teikit {

/// Sets the data folder this process uses (the folder that holds xslt/, schemas/ and profiles/,
/// <prefix>/share/teikit when installed) for a program that knows better than the search
/// data_dir() makes, e.g. one that links the static library and lives outside teikit's prefix.
/// "" restores the search. $TEIKIT_DATA_DIR still comes first (the user's word). Thread-safe.
void set_data_dir(const std::string& dir);

/// The data folder, the first of:
///  1. $TEIKIT_DATA_DIR, when set and not empty;
///  2. the folder given to set_data_dir();
///  3. the installed data folder relative to the library's own file — a shared libteikit's .so,
///     the shared object the static library is part of (the Python module), else the running
///     executable (/proc/self/exe) — with the install layout's relative paths (from bin/, lib/
///     and the Python module folder to share/teikit), then ../share/teikit (the build tree's
///     share/teikit, which mirrors the installed one, for the programs built in
///     build/<folder>/); a candidate counts when it has xslt/ and schemas/;
///  4. the data folder of the install prefix the build was configured with (an absolute path
///     under CMAKE_INSTALL_PREFIX, never the source tree).
/// The path is returned as found (not checked any further); files missing from it show up as
/// errors of whoever opens them.
std::string data_dir();

/// The stylesheets: $TEIKIT_XSLT_DIR, else data_dir() + "/xslt".
std::string stylesheet_dir();

/// The project's schemas (teikit.rng, teikit.sch): $TEIKIT_SCHEMA_DIR, else
/// data_dir() + "/schemas".
std::string schema_dir();

/// The shipped profiles (converter/profiles/*.xml in the source): data_dir() + "/profiles".
std::string profile_dir();

}  // namespace teikit
