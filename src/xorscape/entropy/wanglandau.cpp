#include "xorscape/entropy/wanglandau.hpp"

#include <sstream>

namespace xorscape::entropy {

std::string to_string(Schedule schedule) { return schedule == Schedule::halving ? "halving" : "1/t"; }

Schedule parse_schedule(const std::string& text) {
  if (text == "halving") return Schedule::halving;
  if (text == "1/t") return Schedule::one_over_t;
  throw std::invalid_argument("'" + text + "' is not a schedule (halving, 1/t)");
}

std::string WangLandauSpec::describe() const {
  std::ostringstream s;
  s.precision(17);
  s << "flatness " << flatness << " ln_f " << ln_f_initial << ".." << ln_f_final << " schedule "
    << to_string(schedule) << " windows " << windows << " overlap " << overlap << " runs " << runs << " seed "
    << seed << " round_steps " << round_steps << " check_interval " << check_interval << " discovery_steps "
    << discovery_steps << " production_steps " << production_steps << " max_steps " << max_steps
    << " target_acceptance " << target_acceptance;
  return s.str();
}

}  // namespace xorscape::entropy
