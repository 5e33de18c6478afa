#pragma once

/// @file
/// The simulated cluster's former header, kept so that existing includes keep
/// working: the API is `<mesos/local/cluster.hpp>` (`mesos::local::LocalCluster`)
/// and `<mesos/local/options.hpp>` (`mesos::local::LocalClusterOptions`), which
/// are not test-only (the master string `local` uses them).

#include <mesos/local/cluster.hpp>  // IWYU pragma: export
