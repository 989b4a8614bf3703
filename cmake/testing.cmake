# otdel_add_tests(<room> SOURCES a_test.cpp ... LIBS otdel_x ...): one GoogleTest executable per room,
# each test registered with CTest (label = room) so `ctest -L auth` runs one room.
function(otdel_add_tests room)
  if(NOT OTDEL_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(otdel_${room}_tests ${T_SOURCES})
  target_link_libraries(otdel_${room}_tests PRIVATE ${T_LIBS} otdel_testing GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(otdel_${room}_tests PROPERTIES LABELS ${room} DISCOVERY_TIMEOUT 60)
endfunction()
