# hearth_layer(NAME DEPS ...): one static library per layer, built from every .cpp in the layer's
# folder except *_test.cpp. Its include root is the layer folder itself, so
# `#include "health/heart_rate.h"` resolves only for targets that link the layer: an include
# of a layer that is not a dependency fails to compile.
#
# The layer's *_test.cpp files, with the test-only helpers in its testing/ folder, become one
# GoogleTest executable, `<name>_tests`, labelled unit.
function(hearth_layer name)
    cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
    file(GLOB_RECURSE tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp"
         "${CMAKE_CURRENT_SOURCE_DIR}/testing/*.cpp")
    if(tests)
        list(REMOVE_ITEM sources ${tests})
    endif()
    if(sources)
        add_library(hearth_${name} STATIC ${sources})
        target_include_directories(hearth_${name} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}")
        target_link_libraries(hearth_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    else()
        add_library(hearth_${name} INTERFACE)
        target_include_directories(hearth_${name} INTERFACE "${CMAKE_CURRENT_SOURCE_DIR}")
        target_link_libraries(hearth_${name} INTERFACE ${ARG_DEPS})
    endif()
    add_library(hearth::${name} ALIAS hearth_${name})
    if(tests AND HEARTH_TESTS AND NOT HEARTH_MCU)
        add_executable(hearth_${name}_tests ${tests})
        target_link_libraries(hearth_${name}_tests PRIVATE hearth_${name} ${ARG_PRIVATE_DEPS}
                              GTest::gtest_main GTest::gmock)
        target_compile_definitions(hearth_${name}_tests PRIVATE
            HEARTH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
        gtest_discover_tests(hearth_${name}_tests PROPERTIES LABELS unit
                             DISCOVERY_TIMEOUT 60)
    endif()
endfunction()
