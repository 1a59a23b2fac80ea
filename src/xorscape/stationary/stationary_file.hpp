#pragma once
// The layout of xorscape-stationary files (docs/xorscape-stationary.md): write and read side by side.
//   root         provenance, the network description (io::write_network: D = 4 n_h names without
//                an output bias), fingerprint (the job's identity), starts_done, wall_seconds
//   problem/     the loss and the search settings (attributes)
//   trials/      per trial: solves, failures, path_steps
//   hits/        every point a trial found, its trial, rank, method, iterations, class, distinct point
//   points/      distinct points, their class, index, loss, classification
//   classes/     equivalence classes: representative, Hessian spectrum, confirmation, reach probability
//   discovery/   classes found within the first s trials
//   summary/     the counts and the paper's Table 2
//   connectivity/  (--connect yes) the descents from every index-1 saddle and the graph's nodes
//   continuation/  (--continue-mu) every class followed in mu, counts by index on a grid of mu
// A checkpoint's /state holds parameter_names and the trials/ and hits/ groups (no census).
#include "xorscape/io/h5.hpp"
#include "xorscape/io/network_file.hpp"
#include "xorscape/io/parameter_point.hpp"
#include "xorscape/stationary/census_job.hpp"

namespace xorscape::stationary {

// The network of a census as io::write_network stores it: D = dimension() parameter names (no
// b2_1 without an output bias); reduction mean for the mean error, else sum; l2 = mu (the exact
// loss, with its error weight and regularised set, is in /problem).
io::NetworkDescription describe(const RegularisedXorLoss& loss);

// The trials/ and hits/ groups and the starts_done attribute of `group`, which must already hold
// the parameter_names scale (the root of an output, the /state of a checkpoint).
void write_trial_record(const h5::Group& group, const TrialRecord& record);
TrialRecord read_trial_record(const h5::Group& group, int dimension);

// The finished census (job.finished()).
void write_census(const h5::Group& root, const CensusJob& job);

// Parameter points: class=K (the representative of class K) or point=K (distinct point K).
// A census of the network without output bias gives b2_1 = 0.
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::stationary
