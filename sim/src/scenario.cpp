// Scenario: the few behaviours of the typed scenario model (the structs are
// plain data; see scenario.hpp).
#include "archsim/scenario.hpp"

namespace archsim {

double SizeDist::mean() const {
  switch (kind) {
    case SizeDistKind::constant: return bytes;
    case SizeDistKind::uniform: return (min_bytes + max_bytes) / 2;
    case SizeDistKind::lognormal: return mean_bytes;
  }
  return bytes;
}

}  // namespace archsim
