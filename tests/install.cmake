# The installed package (issue 9, "an installable package"), label "install" (`ctest -L install`):
#   install_staged          cmake --install --prefix <build>/staged-install    FIXTURES_SETUP staged_install
#   install_destdir         DESTDIR=<build>/destdir cmake --install            FIXTURES_SETUP teikit_destdir
#   installed_cli           the staged bin/teikit run from a scratch folder in /tmp
#   consumer_find_package   tests/consumer configured, built and run with find_package(teikit)
#   consumer_pkg_config     the same program built with pkg-config teikit only
#   deb_package             cpack -G DEB, its fields and Depends, dpkg -x, the extracted teikit run
# Other tests can run the installed-layout executable: FIXTURES_REQUIRED staged_install and the
# path ${TEIKIT_STAGED_BINARY} (cmake/install.cmake). The install steps copy what the build
# made, so they run after `cmake --build`, like every test.
if(IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}"
   OR IS_ABSOLUTE "${CMAKE_INSTALL_DATADIR}")
  message(WARNING "teikit: absolute CMAKE_INSTALL_*DIR: the install tests are not defined "
                  "(they install into scratch prefixes)")
  return()
endif()

set(_dir ${CMAKE_CURRENT_SOURCE_DIR})
set(_sample ${PROJECT_SOURCE_DIR}/samples/letter-plain.txt)
set(TEIKIT_DESTDIR ${PROJECT_BINARY_DIR}/destdir)
set(_destdir_prefix ${TEIKIT_DESTDIR}${CMAKE_INSTALL_PREFIX})
# A sanitizer build's library needs the sanitizer runtimes in the programs that link it
# (the flags of TEIKIT_SANITIZE, top-level CMakeLists.txt).
set(_consumer_flags "")
if(TEIKIT_SANITIZE)
  set(_consumer_flags "-fsanitize=address,undefined -fno-omit-frame-pointer")
endif()
if(TEIKIT_FUZZ)
  string(APPEND _consumer_flags " -fsanitize=fuzzer-no-link")
endif()

# Each `cmake --install` writes <build>/install_manifest.txt: one at a time.
add_test(NAME install_staged
  COMMAND ${_dir}/install/install-tree.sh ${PROJECT_BINARY_DIR} prefix ${TEIKIT_STAGED_PREFIX})
set_tests_properties(install_staged PROPERTIES FIXTURES_SETUP staged_install
                     RESOURCE_LOCK teikit_install_manifest)
add_test(NAME install_destdir
  COMMAND ${_dir}/install/install-tree.sh ${PROJECT_BINARY_DIR} destdir ${TEIKIT_DESTDIR})
set_tests_properties(install_destdir PROPERTIES FIXTURES_SETUP teikit_destdir
                     RESOURCE_LOCK teikit_install_manifest)

add_test(NAME installed_cli COMMAND ${_dir}/install/run-installed.sh ${TEIKIT_STAGED_BINARY} ${_sample})
set_tests_properties(installed_cli PROPERTIES FIXTURES_REQUIRED staged_install)

add_test(NAME consumer_find_package
  COMMAND ${CMAKE_CTEST_COMMAND}
    --build-and-test ${_dir}/consumer ${PROJECT_BINARY_DIR}/consumer-find-package
    --build-generator ${CMAKE_GENERATOR}
    --build-makeprogram ${CMAKE_MAKE_PROGRAM}
    --build-options
      -DCMAKE_PREFIX_PATH=${_destdir_prefix}
      -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
      -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_CXX_FLAGS=${_consumer_flags}"
    --test-command consumer)
set_tests_properties(consumer_find_package PROPERTIES FIXTURES_REQUIRED teikit_destdir)

add_test(NAME consumer_pkg_config
  COMMAND ${_dir}/consumer/build-with-pkg-config.sh
    ${_destdir_prefix}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${PROJECT_BINARY_DIR}/consumer-pkg-config
    ${CMAKE_CXX_COMPILER} "${_consumer_flags}")
set_tests_properties(consumer_pkg_config PROPERTIES FIXTURES_REQUIRED teikit_destdir)

set(_install_tests install_staged install_destdir installed_cli consumer_find_package
                   consumer_pkg_config)
# The .deb of a sanitizer build would be neither installable elsewhere nor what is shipped.
if(NOT TEIKIT_SANITIZE)
  add_test(NAME deb_package
    COMMAND ${_dir}/install/deb.sh ${PROJECT_BINARY_DIR} ${PROJECT_BINARY_DIR}/deb-test ${_sample}
            ${PROJECT_VERSION})
  set_tests_properties(deb_package PROPERTIES RESOURCE_LOCK teikit_install_manifest)
  list(APPEND _install_tests deb_package)
endif()
set_tests_properties(${_install_tests} PROPERTIES LABELS install TIMEOUT 300)
