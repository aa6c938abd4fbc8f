# install(): headers, both libraries, a CMake package (find_package(gpureg)) and gpureg.pc.
include(CMakePackageConfigHelpers)
install(TARGETS gpureg gpureg_static EXPORT gpuregTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gpureg DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT gpuregTargets NAMESPACE gpureg:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gpureg)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gpuregConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gpuregConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gpureg)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gpuregConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gpuregConfig.cmake ${PROJECT_BINARY_DIR}/gpuregConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gpureg)

# gpureg.pc for an install, and pkgconfig/gpureg.pc in the build tree pointing at the build tree
# (what the Go package uses: PKG_CONFIG_PATH=<build>/pkgconfig).
# Relocatable: the installed .pc finds its prefix from its own location (pkg-config's pcfiledir),
# so `cmake --install --prefix anywhere` works.
file(RELATIVE_PATH _pc_to_prefix "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
set(GPUREG_PC_PREFIX "\${pcfiledir}/${_pc_to_prefix}")
set(GPUREG_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(GPUREG_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/gpureg.pc.in ${PROJECT_BINARY_DIR}/gpureg.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gpureg.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
set(GPUREG_PC_PREFIX ${PROJECT_BINARY_DIR})
set(GPUREG_PC_LIBDIR ${PROJECT_BINARY_DIR}/src)
set(GPUREG_PC_INCLUDEDIR ${PROJECT_SOURCE_DIR}/include)
configure_file(${PROJECT_SOURCE_DIR}/cmake/gpureg.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/gpureg.pc @ONLY)
