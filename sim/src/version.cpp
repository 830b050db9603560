#include "archsim/simulator.hpp"

namespace archsim {

std::string version() { return ARCHSIM_VERSION; }

}  // namespace archsim
