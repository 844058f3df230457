# Shared by the add_subdirectory and FetchContent consumers: sfdc::bulk links and runs, and
# sfdc::bulk_emulator is defined with no option set (built only when linked).
add_executable(consumer ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(consumer PRIVATE sfdc::bulk)
add_test(NAME consumer COMMAND consumer)

if(NOT TARGET sfdc::bulk_emulator)
  message(FATAL_ERROR "sfdc::bulk_emulator is not defined for a subproject consumer")
endif()
get_target_property(_emulator sfdc::bulk_emulator ALIASED_TARGET)
get_target_property(_excluded ${_emulator} EXCLUDE_FROM_ALL)
if(NOT _excluded)
  message(FATAL_ERROR "sfdc::bulk_emulator is built for a consumer that does not link it")
endif()
