# otdel_add_tests(<room> SOURCES a_test.cpp ... LIBS otdel_x ...): one GoogleTest executable per room,
# each test registered with CTest (label = room) so `ctest -L auth` runs one room.
function(otdel_add_tests room)
  if(NOT OTDEL_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(otdel_${room}_tests ${T_SOURCES})
  target_link_libraries(otdel_${room}_tests PRIVATE ${T_LIBS} otdel_testing GTest::gtest GTest::gtest_main GTest::gmock)
  # Store tests are instantiated per engine from OTDEL_TEST_PG_DSN, so list them when ctest runs (PRE_TEST),
  # not at build time (which registered only the SQLite instances). CMake caches that list until the
  # executable changes; the guard below drops the cache when the DSN differs from the one it was made with.
  set(guard ${CMAKE_CURRENT_BINARY_DIR}/otdel_${room}_tests_engines.cmake)
  file(CONFIGURE OUTPUT ${guard} @ONLY CONTENT [=[
set(_dsn "$ENV{OTDEL_TEST_PG_DSN}")
set(_stamp "@CMAKE_CURRENT_BINARY_DIR@/otdel_@room@_tests_engines.txt")
set(_old "<never listed>")
if(EXISTS "${_stamp}")
  file(READ "${_stamp}" _old)
endif()
if(NOT _old STREQUAL _dsn)
  file(GLOB _lists "@CMAKE_CURRENT_BINARY_DIR@/otdel_@room@_tests*_tests.cmake")
  if(_lists)
    file(REMOVE ${_lists})
  endif()
  file(WRITE "${_stamp}" "${_dsn}")
endif()
]=])
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${guard})
  gtest_discover_tests(otdel_${room}_tests DISCOVERY_MODE PRE_TEST PROPERTIES LABELS ${room} DISCOVERY_TIMEOUT 60)
endfunction()
