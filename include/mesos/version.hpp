#pragma once

/// @file
/// The version of Apache Mesos's scheduler API that this library implements, as
/// Mesos's `<mesos/version.hpp>` states it for libmesos: the same macro names, so
/// that a framework can test `MESOS_MAJOR_VERSION_NUM` / `MESOS_MINOR_VERSION_NUM`
/// as it would with Mesos.
///
/// The headers and the wire schema follow Mesos's `master` branch as of August
/// 2024, whose version string is `1.12.0` (a superset of the 1.11.x releases):
/// a framework that builds against Mesos 1.11 or 1.12 builds against this
/// library. The
/// library's own release is a separate number (the CMake package version and the
/// SONAME); it is not what these macros give.
///
/// Included by `<mesos/mesos.hpp>`, as in Mesos.

/// The implemented Mesos API version, `"major.minor.patch"`.
#define MESOS_VERSION "1.12.0"
/// Major part of `MESOS_VERSION`, as a string.
#define MESOS_MAJOR_VERSION "1"
/// Minor part of `MESOS_VERSION`, as a string.
#define MESOS_MINOR_VERSION "12"
/// Patch part of `MESOS_VERSION`, as a string.
#define MESOS_PATCH_VERSION "0"
/// Major part of `MESOS_VERSION`, as an integer (for `#if`).
#define MESOS_MAJOR_VERSION_NUM 1
/// Minor part of `MESOS_VERSION`, as an integer (for `#if`).
#define MESOS_MINOR_VERSION_NUM 12
/// Patch part of `MESOS_VERSION`, as an integer (for `#if`).
#define MESOS_PATCH_VERSION_NUM 0
