# Per-layer include directories.
#
# Sources name internal headers "<layer>/<file>.hpp" ("process/transport.hpp",
# "sched/driver_options.hpp"). With src/ itself on the include path, any file
# could include any layer's headers, upwards too. Instead each layer gets a
# directory of its own in the build tree, <build>/layers/<name>, holding one
# symbolic link named after the layer (<layer> -> src/<layer>), or links to
# chosen files only (src/auth: client and server headers apart). A target's
# include path then holds exactly the layers it links, so a wrong-way include
# such as "master/master.hpp" in src/sched is "No such file or directory";
# tests/layers/ proves it, and mesos_check_include_directories() keeps src/
# off every target's include path.

# mesos_layer_include_dir(<name> <layer> <out-var> [FILES <file>...])
#   Creates <build>/layers/<name>/<layer> -> src/<layer> (or, with FILES, the
#   directory <build>/layers/<name>/<layer> with links to those files of
#   src/<layer> only) and sets <out-var> to <build>/layers/<name>, the
#   directory to put on the include path.
function(mesos_layer_include_dir name layer out_var)
  cmake_parse_arguments(L "" "" "FILES" ${ARGN})
  set(_dir "${PROJECT_BINARY_DIR}/layers/${name}")
  set(_src "${PROJECT_SOURCE_DIR}/src/${layer}")
  if(NOT IS_DIRECTORY "${_src}")
    message(FATAL_ERROR "mesos_layer_include_dir: no directory ${_src}")
  endif()
  if(L_FILES)
    # A directory of per-file links. Links of files no longer listed are
    # removed (file(REMOVE) deletes a link, never its target).
    if(IS_SYMLINK "${_dir}/${layer}")
      file(REMOVE "${_dir}/${layer}")
    endif()
    file(MAKE_DIRECTORY "${_dir}/${layer}")
    file(GLOB _existing "${_dir}/${layer}/*")
    foreach(_link IN LISTS _existing)
      get_filename_component(_f "${_link}" NAME)
      if(NOT _f IN_LIST L_FILES)
        file(REMOVE "${_link}")
      endif()
    endforeach()
    foreach(_f IN LISTS L_FILES)
      if(NOT EXISTS "${_src}/${_f}")
        message(FATAL_ERROR "mesos_layer_include_dir: no file ${_src}/${_f}")
      endif()
      file(CREATE_LINK "${_src}/${_f}" "${_dir}/${layer}/${_f}" SYMBOLIC)
    endforeach()
  else()
    if(IS_DIRECTORY "${_dir}/${layer}" AND NOT IS_SYMLINK "${_dir}/${layer}")
      file(REMOVE_RECURSE "${_dir}/${layer}")  # Per-file links before: only links inside.
    endif()
    file(MAKE_DIRECTORY "${_dir}")
    file(CREATE_LINK "${_src}" "${_dir}/${layer}" SYMBOLIC)
  endif()
  set(${out_var} "${_dir}" PARENT_SCOPE)
endfunction()

# mesos_check_include_directories(): fails the configuration if any target of
# the project has src/ (or a directory inside it) on its include path, PUBLIC,
# INTERFACE or PRIVATE. Called once every target is defined.
function(mesos_check_include_directories)
  set(_dirs "${PROJECT_SOURCE_DIR}")
  set(_targets)
  while(_dirs)
    list(POP_FRONT _dirs _d)
    get_property(_t DIRECTORY "${_d}" PROPERTY BUILDSYSTEM_TARGETS)
    get_property(_sub DIRECTORY "${_d}" PROPERTY SUBDIRECTORIES)
    list(APPEND _targets ${_t})
    list(APPEND _dirs ${_sub})
  endwhile()
  set(_src "${PROJECT_SOURCE_DIR}/src")
  set(_bad)
  foreach(_t IN LISTS _targets)
    foreach(_p INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES)
      get_target_property(_inc ${_t} ${_p})
      if(NOT _inc)
        continue()
      endif()
      foreach(_i IN LISTS _inc)
        string(REGEX REPLACE "^\\$<BUILD_INTERFACE:(.*)>$" "\\1" _i "${_i}")
        string(FIND "${_i}/" "${_src}/" _at)
        if(_at EQUAL 0)
          list(APPEND _bad "${_t} (${_p}): ${_i}")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(_bad)
    list(JOIN _bad "\n  " _text)
    message(FATAL_ERROR "src/ must not be an include directory (cmake/MesosLayers.cmake: "
                        "use the layer's directory from mesos_layer_include_dir()):\n  ${_text}")
  endif()
endfunction()
