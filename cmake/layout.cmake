# The install layout (GNUInstallDirs) and how the library finds its data from it
# (converter/src/base/data_dir.cpp). Included before the targets are defined.
#
#   <prefix>/${CMAKE_INSTALL_BINDIR}/teikit             the command line
#   <prefix>/${CMAKE_INSTALL_LIBDIR}/libteikit.a (.so)  the library
#   <prefix>/${CMAKE_INSTALL_INCLUDEDIR}/teikit/        the public headers
#   <prefix>/${CMAKE_INSTALL_DATADIR}/teikit/           xslt/, schemas/, profiles/
#   <prefix>/${CMAKE_INSTALL_LIBDIR}/cmake/teikit/      teikitConfig.cmake (find_package)
#   <prefix>/${CMAKE_INSTALL_LIBDIR}/pkgconfig/         teikit.pc
#   <prefix>/${TEIKIT_PYTHON_INSTALL_DIR}/              the Python module (component "python")
#
# Install components: "runtime" (the command line, a shared library, the data), "development"
# (headers, static library or the .so link, CMake and pkg-config files), "python" (the Python
# module: `install(TARGETS … DESTINATION ${TEIKIT_PYTHON_INSTALL_DIR} COMPONENT python)`).
include(GNUInstallDirs)

# The data folder, relative to the prefix (for the install rules, teikitConfig.cmake and
# teikit.pc) and absolute (the library's last resort, under the configured prefix).
set(TEIKIT_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/teikit")
set(TEIKIT_INSTALL_FULL_DATADIR "${CMAKE_INSTALL_FULL_DATADIR}/teikit")
# The library finds its data from its own file: the executable in bin/ (static library) or
# the .so in lib/. Only these relative paths are compiled in; they do not depend on the prefix,
# so a tree installed with DESTDIR, with `cmake --install --prefix`, or by the .deb (/usr) finds
# its data wherever it is.
file(RELATIVE_PATH TEIKIT_BINDIR_TO_DATADIR "${CMAKE_INSTALL_FULL_BINDIR}" "${TEIKIT_INSTALL_FULL_DATADIR}")
file(RELATIVE_PATH TEIKIT_LIBDIR_TO_DATADIR "${CMAKE_INSTALL_FULL_LIBDIR}" "${TEIKIT_INSTALL_FULL_DATADIR}")
file(RELATIVE_PATH TEIKIT_BINDIR_TO_LIBDIR "${CMAKE_INSTALL_FULL_BINDIR}" "${CMAKE_INSTALL_FULL_LIBDIR}")

# Where the Python module goes, relative to the prefix: Debian's folder for modules of every
# Python 3 version, what the .deb needs (/usr/lib/python3/dist-packages). For another prefix
# give the folder that prefix's Python reads, e.g. -DTEIKIT_PYTHON_INSTALL_DIR=lib/python3.11/dist-packages
# for /usr/local on Debian.
set(TEIKIT_PYTHON_INSTALL_DIR "lib/python3/dist-packages" CACHE STRING
    "Install folder of the teikit Python module, relative to CMAKE_INSTALL_PREFIX")

if(IS_ABSOLUTE "${TEIKIT_PYTHON_INSTALL_DIR}")
  set(_teikit_python_dir "${TEIKIT_PYTHON_INSTALL_DIR}")
else()
  set(_teikit_python_dir "${CMAKE_INSTALL_PREFIX}/${TEIKIT_PYTHON_INSTALL_DIR}")
endif()
file(RELATIVE_PATH TEIKIT_PYTHONDIR_TO_DATADIR "${_teikit_python_dir}" "${TEIKIT_INSTALL_FULL_DATADIR}")

# The uninstalled build: <build>/share/teikit mirrors the installed data folder with symbolic
# links into the source tree (so edits to the stylesheets take effect without a rebuild). The
# programs built in <build>/<folder>/ (converter/teikit, tests/teikit_tests, the fuzzers) find it
# as ../share/teikit, as an installed teikit finds <prefix>/share/teikit.
set(TEIKIT_BUILD_DATADIR "${PROJECT_BINARY_DIR}/share/teikit")
file(MAKE_DIRECTORY "${TEIKIT_BUILD_DATADIR}")
foreach(pair IN ITEMS "xslt=xslt" "schemas=schemas" "profiles=converter/profiles")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 name)
  list(GET pair 1 source)
  # Replaces an existing link (a build tree configured from another checkout).
  file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${source}" "${TEIKIT_BUILD_DATADIR}/${name}" SYMBOLIC)
endforeach()
