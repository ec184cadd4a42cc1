# hearth_layer(NAME DEPS ...): one static library per layer, built from every .cpp in the layer's
# folder except *_test.cpp. Its include root is the layer folder itself, so
# `#include "health/heart_rate.h"` resolves only for targets that link the layer: an include
# of a layer that is not a dependency fails to compile.
#
# The layer's *_test.cpp files become one GoogleTest executable, `<name>_tests`, labelled unit.
# The test-only helpers in its testing/ folder become a library, `hearth_<name>_testing`, that
# the layer's tests and the cross-module tests and benchmarks link.
#
# PCH lists heavy headers to precompile for the layer's library and its tests (the tests also
# precompile GoogleTest). Only the host build uses them. Files still include what they use:
# scripts/check-tidy parses every non-test file without the precompiled header.
function(hearth_layer name)
    cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS;PCH" ${ARGN})
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
    file(GLOB_RECURSE tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp")
    file(GLOB helpers CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/testing/*.cpp")
    if(tests OR helpers)
        list(REMOVE_ITEM sources ${tests} ${helpers})
    endif()
    if(sources)
        add_library(hearth_${name} STATIC ${sources})
        target_include_directories(hearth_${name} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}")
        target_link_libraries(hearth_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
        if(ARG_PCH AND NOT HEARTH_MCU)
            target_precompile_headers(hearth_${name} PRIVATE ${ARG_PCH})
        endif()
    else()
        add_library(hearth_${name} INTERFACE)
        target_include_directories(hearth_${name} INTERFACE "${CMAKE_CURRENT_SOURCE_DIR}")
        target_link_libraries(hearth_${name} INTERFACE ${ARG_DEPS})
    endif()
    add_library(hearth::${name} ALIAS hearth_${name})
    if(helpers AND HEARTH_TESTS AND NOT HEARTH_MCU)
        add_library(hearth_${name}_testing STATIC ${helpers})
        target_link_libraries(hearth_${name}_testing PUBLIC hearth_${name})
    endif()
    if(tests AND HEARTH_TESTS AND NOT HEARTH_MCU)
        add_executable(hearth_${name}_tests ${tests})
        target_link_libraries(hearth_${name}_tests PRIVATE hearth_${name} ${ARG_PRIVATE_DEPS}
                              GTest::gtest_main GTest::gmock)
        if(helpers)
            target_link_libraries(hearth_${name}_tests PRIVATE hearth_${name}_testing)
        endif()
        target_compile_definitions(hearth_${name}_tests PRIVATE
            HEARTH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
        target_precompile_headers(hearth_${name}_tests PRIVATE ${ARG_PCH} <gtest/gtest.h>
                                  <gmock/gmock.h>)
        gtest_discover_tests(hearth_${name}_tests PROPERTIES LABELS unit
                             DISCOVERY_TIMEOUT 60)
    endif()
endfunction()
