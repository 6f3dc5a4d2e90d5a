# `cmake --install`, the exported package (find_package(teikit), pkg-config teikit) and the .deb
# (cpack -G DEB). The layout and the install components: cmake/layout.cmake.
include(CMakePackageConfigHelpers)

get_target_property(_teikit_type teikit TYPE)
if(_teikit_type STREQUAL "STATIC_LIBRARY")
  set(TEIKIT_STATIC ON)
else()
  set(TEIKIT_STATIC OFF)
  # The installed command line finds an installed libteikit.so in its own prefix.
  set_target_properties(teikit-cli PROPERTIES INSTALL_RPATH "$ORIGIN/${TEIKIT_BINDIR_TO_LIBDIR}")
endif()

install(TARGETS teikit EXPORT teikitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development)
# `cmake --install --strip` and the .deb (CPACK_STRIP_FILES) strip the executable and a shared
# library; a static one keeps its symbol table (it is what links) but sheds its debug sections,
# which are most of its size.
if(TEIKIT_STATIC)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(_teikit_archive "${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:teikit>")
  else()
    set(_teikit_archive "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:teikit>")
  endif()
  install(CODE "if(CMAKE_INSTALL_DO_STRIP)
  execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug \"\$ENV{DESTDIR}${_teikit_archive}\"
                  COMMAND_ERROR_IS_FATAL ANY)
endif()" COMPONENT development)
endif()
install(TARGETS teikit-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/converter/include/teikit
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
        FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/xslt/ DESTINATION ${TEIKIT_INSTALL_DATADIR}/xslt
        COMPONENT runtime FILES_MATCHING PATTERN "*.xsl")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION ${TEIKIT_INSTALL_DATADIR}/schemas
        COMPONENT runtime FILES_MATCHING PATTERN "*.rng" PATTERN "*.sch")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/converter/profiles/
        DESTINATION ${TEIKIT_INSTALL_DATADIR}/profiles COMPONENT runtime
        FILES_MATCHING PATTERN "*.xml")

# find_package(teikit): teikit::teikit, and teikit_DATA_DIR (the installed data folder, for
# teikit::set_data_dir in a program outside teikit's prefix). The files are relocatable.
set(TEIKIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/teikit)
install(EXPORT teikitTargets NAMESPACE teikit:: DESTINATION ${TEIKIT_CMAKE_DIR}
        COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/teikitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/teikitConfig.cmake
  INSTALL_DESTINATION ${TEIKIT_CMAKE_DIR}
  PATH_VARS TEIKIT_INSTALL_DATADIR)
# 0.x: a minor version may change the interface.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/teikitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/teikitConfig.cmake ${PROJECT_BINARY_DIR}/teikitConfigVersion.cmake
        DESTINATION ${TEIKIT_CMAKE_DIR} COMPONENT development)

# pkg-config teikit. Relocatable: the prefix is the .pc file's own folder (${pcfiledir}) less
# the path from the prefix to it. A static libteikit's own dependencies are part of what
# `pkg-config --libs teikit` gives (there is no shared library to bring them); for a shared one
# they are in Requires.private/Libs.private (`pkg-config --static`).
file(RELATIVE_PATH TEIKIT_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" TEIKIT_PC_TO_PREFIX "${TEIKIT_PC_TO_PREFIX}")
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(TEIKIT_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(TEIKIT_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${TEIKIT_INSTALL_DATADIR}")
  set(TEIKIT_PC_DATADIR "${TEIKIT_INSTALL_DATADIR}")
else()
  set(TEIKIT_PC_DATADIR "\${prefix}/${TEIKIT_INSTALL_DATADIR}")
endif()
set(TEIKIT_PC_REQUIRES "libxml-2.0 libxslt libexslt")
set(TEIKIT_PC_OWN_REQUIRES "libcmark libutf8proc")
set(TEIKIT_PC_OWN_LIBS "-lboost_filesystem")
if(TEIKIT_STATIC)
  set(TEIKIT_PC_REQUIRES "${TEIKIT_PC_REQUIRES} ${TEIKIT_PC_OWN_REQUIRES}")
  set(TEIKIT_PC_LIBS " ${TEIKIT_PC_OWN_LIBS}")
  set(TEIKIT_PC_REQUIRES_PRIVATE "")
  set(TEIKIT_PC_LIBS_PRIVATE "")
else()
  set(TEIKIT_PC_LIBS "")
  set(TEIKIT_PC_REQUIRES_PRIVATE "${TEIKIT_PC_OWN_REQUIRES}")
  set(TEIKIT_PC_LIBS_PRIVATE "${TEIKIT_PC_OWN_LIBS}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/teikit.pc.in ${PROJECT_BINARY_DIR}/teikit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/teikit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT development)

# The tree `cmake --install` stages for the tests (tests/install.cmake: the ctest fixture
# "staged_install" installs with --prefix ${TEIKIT_STAGED_PREFIX}), and its command line: for
# tests that run the installed-layout executable (the spec examples).
set(TEIKIT_STAGED_PREFIX "${PROJECT_BINARY_DIR}/staged-install" CACHE INTERNAL
    "prefix the staged_install test fixture installs into")
set(TEIKIT_STAGED_BINARY "${TEIKIT_STAGED_PREFIX}/${CMAKE_INSTALL_BINDIR}/teikit" CACHE INTERNAL
    "the command line of the staged install (valid in tests with FIXTURES_REQUIRED staged_install)")

# cpack -G DEB: one package, teikit, with every component, installed under /usr. Its Depends are
# what dpkg-shlibdeps (dpkg-dev) finds the binaries link, with the versions the Debian shlibs
# files ask for.
set(CPACK_PACKAGE_NAME teikit)
set(CPACK_PACKAGE_VENDOR "teikit")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "archive transcriptions to TEI P5 XML, validation and rendering")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "teikit converts plain-text transcriptions of archival documents (cables, letters, memoranda)
into TEI P5 XML editions, validates TEI against RelaxNG schemas and Schematron rules, and
renders it to HTML, text and Markdown with XSLT. The package holds the teikit command line, its
stylesheets, schemas and profiles, and the library with its headers, CMake package and
pkg-config file.")
set(TEIKIT_PACKAGE_MAINTAINER
    "teikit maintainers <maintainers@users.noreply.r-seed-39587336.example>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT "${TEIKIT_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TEIKIT_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
# A shared libteikit is in the package itself: dpkg-shlibdeps must not look for a package of it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${PROJECT_BINARY_DIR}/converter")
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")
# Written at the end of the top-level CMakeLists.txt, when every option (TEIKIT_PYTHON, which
# python/ defines) is known. The Python module links no libpython, so dpkg-shlibdeps does not
# see that it needs the Python it was built for.
macro(_teikit_write_cpack_config)
  if(TEIKIT_PYTHON)
    find_package(Python3 COMPONENTS Interpreter QUIET)
    if(Python3_FOUND)
      math(EXPR _teikit_next_minor "${Python3_VERSION_MINOR} + 1")
      set(CPACK_DEBIAN_PACKAGE_DEPENDS
          "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${_teikit_next_minor})")
    endif()
  endif()
  include(CPack)
endmacro()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _teikit_write_cpack_config)
