// JsonReporter: the full Result as JSON (schema_version 2), indented, the same
// text byte for byte for the same Result. See result_json.hpp for the keys.
#pragma once

#include "archsim/reporter.hpp"

namespace archsim {

class JsonReporter : public Reporter {
 public:
  void report(const Result& result, std::ostream& out) override;
};

}  // namespace archsim
