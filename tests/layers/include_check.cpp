// One #include, compiled with the include directories and definitions of a
// layer's target (tests/layers/CMakeLists.txt sets MESOS_CHECKED_HEADER): a
// header of the layer or of a layer below it compiles, any other header is
// "No such file or directory" (cmake/MesosLayers.cmake).

#include MESOS_CHECKED_HEADER
