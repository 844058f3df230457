# Install rules: headers, the library, the CMake package (sfdc_bulkConfig.cmake, its
# version file and the targets, with the emulator as an optional component) and a
# relocatable pkg-config file written for the linkage built.
include(CMakePackageConfigHelpers)

if(BUILD_SHARED_LIBS)
  set(SFDC_BULK_IS_STATIC OFF)
else()
  set(SFDC_BULK_IS_STATIC ON)
endif()

set(SFDC_BULK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sfdc_bulk)

install(TARGETS sfdc_bulk EXPORT sfdc_bulkTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sfdc_bulk_runtime
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sfdc_bulk_runtime
                NAMELINK_COMPONENT sfdc_bulk_development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sfdc_bulk_development)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ ${PROJECT_BINARY_DIR}/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sfdc_bulk_development
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT sfdc_bulkTargets NAMESPACE sfdc:: DESTINATION ${SFDC_BULK_CMAKE_DIR}
        COMPONENT sfdc_bulk_development)
# The same targets for a parent build that export()s its own targets from its build tree.
export(EXPORT sfdc_bulkTargets NAMESPACE sfdc:: FILE ${PROJECT_BINARY_DIR}/sfdc_bulkTargets.cmake)

configure_package_config_file(cmake/sfdc_bulkConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/sfdc_bulkConfig.cmake
                              INSTALL_DESTINATION ${SFDC_BULK_CMAKE_DIR})
# Before 1.0 a minor release may break the API, so only the same minor version matches.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(SFDC_BULK_COMPATIBILITY SameMinorVersion)
else()
  set(SFDC_BULK_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sfdc_bulkConfigVersion.cmake
                                 COMPATIBILITY ${SFDC_BULK_COMPATIBILITY})
install(FILES ${PROJECT_BINARY_DIR}/sfdc_bulkConfig.cmake
              ${PROJECT_BINARY_DIR}/sfdc_bulkConfigVersion.cmake
        DESTINATION ${SFDC_BULK_CMAKE_DIR} COMPONENT sfdc_bulk_development)

# A static library needs its dependencies on the consumer's link line, so they go in
# Requires (which `pkg-config --libs` follows); a shared one carries them itself.
set(SFDC_BULK_PC_ISAL "")
if(SFDC_BULK_USES_ISAL)
  set(SFDC_BULK_PC_ISAL " libisal")
endif()
if(SFDC_BULK_IS_STATIC)
  set(SFDC_BULK_PC_REQUIRES "nlohmann_json libcurl pugixml zlib libcrypto${SFDC_BULK_PC_ISAL}")
  set(SFDC_BULK_PC_REQUIRES_PRIVATE_LINE "")
  set(SFDC_BULK_PC_LIBS_EXTRA " -pthread")
  set(SFDC_BULK_PC_CFLAGS_EXTRA " -DSFDC_BULK_STATIC_DEFINE")
else()
  set(SFDC_BULK_PC_REQUIRES "nlohmann_json")
  set(SFDC_BULK_PC_REQUIRES_PRIVATE_LINE "Requires.private: libcurl pugixml zlib libcrypto${SFDC_BULK_PC_ISAL}\n")
  set(SFDC_BULK_PC_LIBS_EXTRA "")
  set(SFDC_BULK_PC_CFLAGS_EXTRA "")
endif()
configure_file(cmake/sfdc_bulk.pc.in ${PROJECT_BINARY_DIR}/sfdc_bulk.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sfdc_bulk.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT sfdc_bulk_development)
