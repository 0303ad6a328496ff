# Installing entente (`cmake --install`), the package other CMake projects
# find (`find_package(entente CONFIG)` → `entente::entente`), and the Debian
# packages CPack makes (`cpack -G DEB` in the build directory):
#   entente      the command line, the scenarios and the docs
#   entente-dev  the static library, its headers and the CMake package
# examples/embed/ is an outside project built against the installed tree
# (ctest's `embed_installed`).
include(CMakePackageConfigHelpers)

set(ENTENTE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/entente)

install(TARGETS entente EXPORT entente-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/entente
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(EXPORT entente-targets NAMESPACE entente::
        DESTINATION ${ENTENTE_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/ententeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ententeConfig.cmake
  INSTALL_DESTINATION ${ENTENTE_CMAKE_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/ententeConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ententeConfig.cmake
              ${PROJECT_BINARY_DIR}/ententeConfigVersion.cmake
        DESTINATION ${ENTENTE_CMAKE_DIR} COMPONENT dev)

install(TARGETS entente_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/entente/scenarios COMPONENT cli)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)

# --- Debian packages -----------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME entente)
set(CPACK_PACKAGE_VENDOR "the entente developers")
set(CPACK_PACKAGE_CONTACT "entente developers <entente@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL cli dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)             # entente_0.1.0_amd64.deb
set(CPACK_DEBIAN_CLI_PACKAGE_NAME entente)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION science)
set(CPACK_DEBIAN_CLI_PACKAGE_SHLIBDEPS ON)          # libedit2, libssl3, libboost-json1.81.0 … from the binary
set(CPACK_DEBIAN_DEV_PACKAGE_NAME entente-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# What find_package(entente) needs (cmake/ententeConfig.cmake.in).
set(ENTENTE_DEB_DEV_DEPENDS
    "entente (= ${PROJECT_VERSION})" libeigen3-dev libboost1.81-dev libboost-json1.81-dev
    libtomlplusplus-dev libssl-dev libfmt-dev ${ENTENTE_DEB_EXTRA_DEV_DEPENDS})
if(ENTENTE_HAVE_MPI)
  list(APPEND ENTENTE_DEB_DEV_DEPENDS libboost-mpi1.81-dev libopenmpi-dev)
endif()
list(JOIN ENTENTE_DEB_DEV_DEPENDS ", " CPACK_DEBIAN_DEV_PACKAGE_DEPENDS)
set(CPACK_COMPONENT_CLI_DESCRIPTION "entente command line, shipped scenarios and documentation")
set(CPACK_COMPONENT_DEV_DESCRIPTION "entente library, headers and CMake package (entente::entente)")
include(CPack)
