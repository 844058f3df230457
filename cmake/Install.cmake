# Install rules: headers, the library, the CMake package (sfdc_bulkConfig.cmake and a
# SameMajorVersion version file) and a relocatable pkg-config file.
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

configure_package_config_file(cmake/sfdc_bulkConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/sfdc_bulkConfig.cmake
                              INSTALL_DESTINATION ${SFDC_BULK_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sfdc_bulkConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sfdc_bulkConfig.cmake
              ${PROJECT_BINARY_DIR}/sfdc_bulkConfigVersion.cmake
        DESTINATION ${SFDC_BULK_CMAKE_DIR} COMPONENT sfdc_bulk_development)

configure_file(cmake/sfdc_bulk.pc.in ${PROJECT_BINARY_DIR}/sfdc_bulk.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sfdc_bulk.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT sfdc_bulk_development)
