# Configures, builds and tests one consumer project (or builds and installs sfdc-bulk
# itself for the other linkage), with at most two build jobs so that the consumer tests
# stay within a small machine's budget.
#   cmake -DSOURCE=<dir> -DBINARY=<dir> -DGENERATOR=<name> [-DOPTIONS=a|b|c]
#         [-DINSTALL_PREFIX=<dir>] [-DRUN_TESTS=ON] [-DFRESH=ON] -P run_consumer.cmake
# FRESH starts from an empty build directory (FetchContent then clones the current commit
# instead of keeping an earlier checkout).
foreach(var SOURCE BINARY GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer.cmake: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" options "${OPTIONS}")
if(FRESH)
  file(REMOVE_RECURSE ${BINARY})
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR} ${options}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --parallel 2
                COMMAND_ERROR_IS_FATAL ANY)
if(DEFINED INSTALL_PREFIX)
  file(REMOVE_RECURSE ${INSTALL_PREFIX})
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY} --prefix ${INSTALL_PREFIX}
                  COMMAND_ERROR_IS_FATAL ANY)
endif()
if(RUN_TESTS)
  execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${BINARY} --output-on-failure
                  COMMAND_ERROR_IS_FATAL ANY)
endif()
