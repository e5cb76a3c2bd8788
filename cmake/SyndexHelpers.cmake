# syndex_cc_library(NAME name SRCS ... DEPS ...)
#   Declares the library target syndex_<name>. Every engine folder is one such
#   target; DEPS names the targets it may use, so a layering mistake fails to link.
function(syndex_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(syndex_${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(syndex_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(syndex_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# syndex_cc_test(NAME name SRCS ... DEPS ...)
#   Declares the GoogleTest binary <name> and registers its tests with ctest.
function(syndex_cc_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  set_target_properties(${ARG_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "SYNDEX_BIN_DIR=${CMAKE_BINARY_DIR}/bin"
                       ENVIRONMENT_MODIFICATION "SYNDEX_SOURCE_DIR=set:${PROJECT_SOURCE_DIR}")
endfunction()

# syndex_cc_benchmark(NAME name SRCS ... DEPS ...)
function(syndex_cc_benchmark)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()

# syndex_add_subdirectories()
#   Adds every subfolder of the current source folder that has a
#   CMakeLists.txt, so a new tool, test suite or benchmark folder needs no
#   registration.
function(syndex_add_subdirectories)
  file(GLOB children LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  foreach(child ${children})
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
