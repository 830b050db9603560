// exactly_once_result implementation.
#include "archsim/exactly_once_result.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "archsim/histogram_summary.hpp"
#include "archsim/latency_recorder.hpp"
#include "archsim/units.hpp"

namespace archsim {

void note_delivery_plan(const DeliveryPlan& plan, bool eos, bool embedded, CandidateResult& r) {
  r.delivery = delivery_name(eos ? Delivery::exactly_once : Delivery::at_least_once);
  if (plan.semantics == Delivery::exactly_once && !eos) {
    r.notes.push_back(fmt::format(
        "delivery: exactly-once is asked ({}), but the candidate's engine cannot give it end to end (as in the "
        "simulation); the processors ran at-least-once",
        plan.semantics_basis));
    return;
  }
  if (!eos) return;
  r.notes.push_back(fmt::format(
      "exactly-once ({}): each processor thread consumes read_committed, produces inside a transaction "
      "(transactional producer, transactional.id PREFIX.CANDIDATE.txn.N) and every {} ({}) sends its consumed "
      "offsets to the transaction and commits it; a failed commit that needs an abort rewinds the consumer",
      plan.semantics_basis, format_duration(plan.commit_interval_s), plan.interval_basis));
  if (embedded)
    r.notes.push_back(
        "exactly-once on the embedded broker: librdkafka's mock cluster runs the transaction protocol "
        "(InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn succeed) but writes no "
        "commit markers and does not hold uncommitted data back: in src/rdkafka_mock_handlers.c the EndTxn handler "
        "only checks the coordinator and the producer id, and the Fetch handler reads IsolationLevel but answers "
        "LastStableOffset = the high watermark and no aborted transactions. The sink therefore receives records "
        "before their commit, and records of aborted transactions; it does read_committed itself: each record "
        "carries its transaction's id (header archsim-txn), the processors record which transactions committed "
        "or aborted, and the sink holds a record until its transaction committed and drops it when it aborted. "
        "End-to-end latency is taken as the later of the sink's receipt and the commit of the event's "
        "transaction, when a read_committed reader could see it at the earliest on a broker that enforces it; "
        "the raw receipt is the stage 'sink receipt'");
}

void summarise_transactions(const std::vector<TransactionalProcessorStats>& stats,
                            const std::vector<int64_t>& first_receipt_us, const RunWindow& w, bool embedded,
                            KappaRunOutcome& outcome) {
  CandidateResult& r = outcome.result;
  LogHistogram commit_wait, commit_call;
  LatencyRecorder visible(w.warmup_s, w.duration_s / w.batches, w.batches);
  uint64_t committed = 0, receipt_first = 0, commit_first = 0;
  for (const TransactionalProcessorStats& s : stats) {
    commit_wait.merge(s.commit_wait);
    commit_call.merge(s.commit_duration);
    outcome.transactions += s.transactions;
    outcome.aborted_transactions += s.aborted;
    for (const CommittedEvent& ev : s.committed) {
      ++committed;
      const int64_t receipt = ev.seq < first_receipt_us.size() ? first_receipt_us[ev.seq] : 0;
      if (receipt == 0) continue;  // never reached the sink: counted as lost
      const int64_t seen = std::max(receipt, ev.commit_us);
      ++(receipt >= ev.commit_us ? commit_first : receipt_first);
      const double t = static_cast<double>(ev.intended_us - w.t0_us) * 1e-6;
      if (t >= w.warmup_s && t < w.warmup_s + w.duration_s)
        visible.record(t, static_cast<double>(seen - ev.intended_us) * 1e-6);
    }
  }
  outcome.commit_mean_s = commit_call.mean();
  r.stages.push_back({"sink receipt",
                      embedded ? "the sink consumer received the event, minus intended send time (the mock hands "
                                 "uncommitted data to read_committed readers)"
                               : "the sink consumer (read_committed) received the event, minus intended send time",
                      r.end_to_end});
  r.stages.push_back({"transaction commit",
                      "exactly-once: the processor wrote the event, until its transaction's commit returned",
                      histogram_summary(commit_wait)});
  r.stages.push_back({"commit call", "one commit_transaction() call (flush of the open batch, EndTxn)",
                      histogram_summary(commit_call)});
  r.end_to_end = visible.summary(w.batches);
  r.notes.push_back(fmt::format(
      "exactly-once: {} transactions committed ({} aborted), mean commit call {}, {} events committed; {} events "
      "reached the sink before their commit, {} after it; transaction commit wait p50 {} p99 {}",
      outcome.transactions, outcome.aborted_transactions, format_duration(commit_call.mean()), committed,
      receipt_first, commit_first, format_duration(commit_wait.quantile(0.5)),
      format_duration(commit_wait.quantile(0.99))));
}

}  // namespace archsim
