// exactly_once_result: what an exactly-once real run adds to its measured
// Result: the delivery plan in the notes (and what the embedded broker does
// not do for read_committed readers), and, from the processors' commit
// times and the sink's receipts, the transaction-commit stage and the
// end-to-end latency as a read_committed reader sees it.
#pragma once

#include <cstdint>
#include <vector>

#include "archsim/delivery_semantics.hpp"
#include "archsim/kappa_runner.hpp"
#include "archsim/transactional_processor.hpp"

namespace archsim {

/// The measured window of a run: t0 (run clock, µs), warm-up and duration
/// (seconds), batch-means batches.
struct RunWindow {
  int64_t t0_us = 0;
  double warmup_s = 0;
  double duration_s = 0;
  int batches = 10;
};

/// Sets `r.delivery` and adds notes on how the run delivered: `eos` when
/// the processors ran transactionally, `embedded` when on the mock cluster.
void note_delivery_plan(const DeliveryPlan& plan, bool eos, bool embedded, CandidateResult& r);

/// Folds the processors' stats into `outcome`: stages "transaction commit"
/// (processor write -> commit returned) and "sink receipt", end-to-end
/// latency = intended send -> the later of the sink's first receipt
/// (`first_receipt_us`, indexed by sequence number, 0 = never) and the
/// commit of the event's transaction (a read_committed reader never sees an
/// event before its commit; on a broker that enforces it the receipt is
/// already the later one), transaction counts and notes.
void summarise_transactions(const std::vector<TransactionalProcessorStats>& stats,
                            const std::vector<int64_t>& first_receipt_us, const RunWindow& window, bool embedded,
                            KappaRunOutcome& outcome);

}  // namespace archsim
