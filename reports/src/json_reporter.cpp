// JsonReporter: to_json(result), indented by 2, with a final newline.
#include "archsim/json_reporter.hpp"

#include "archsim/result_json.hpp"

namespace archsim {

void JsonReporter::report(const Result& result, std::ostream& out) {
  out << to_json(result).dump(2) << '\n';
}

}  // namespace archsim
