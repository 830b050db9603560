// histogram_summary implementation.
#include "archsim/histogram_summary.hpp"

namespace archsim {

LatencySummary histogram_summary(const LogHistogram& h) {
  LatencySummary s;
  s.count = h.count();
  s.mean_s = h.mean();
  const auto est = [&](double q) {
    const double v = h.quantile(q);
    return Estimate{v, v, v};
  };
  s.p50_s = est(0.50);
  s.p95_s = est(0.95);
  s.p99_s = est(0.99);
  s.p999_s = est(0.999);
  s.max_s = h.max();
  s.cdf = h.cdf(60);
  return s;
}

}  // namespace archsim
