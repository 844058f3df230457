# A library of the consumer's own that links sfdc::bulk publicly, then installed and
# exported (install(EXPORT) and a build-tree export(EXPORT)) as users package theirs. This
# configures only when sfdc::bulk is itself in an export set, also as a subproject.
include(GNUInstallDirs)
add_library(contact_sync ${CMAKE_CURRENT_LIST_DIR}/contact_sync.cpp)
target_link_libraries(contact_sync PUBLIC sfdc::bulk)
install(TARGETS contact_sync EXPORT contact_syncTargets)
install(EXPORT contact_syncTargets NAMESPACE acme::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contact_sync)
export(EXPORT contact_syncTargets NAMESPACE acme::
       FILE ${CMAKE_BINARY_DIR}/contact_syncTargets.cmake)
add_test(NAME install_exported_library
         COMMAND ${CMAKE_COMMAND} --install ${CMAKE_BINARY_DIR} --prefix ${CMAKE_BINARY_DIR}/stage)
