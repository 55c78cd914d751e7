// How the participant reports scale with the number of enrolments: the same report over 1 000
// and 10 000 synthetic enrolments, run side by side, so that the ratio (ideally about 10) is
// the figure to read, not the absolute times of this machine.
#include <benchmark/benchmark.h>

#include <random>

#include "report/participants.h"

namespace stegvis::report {
namespace {

core::Plan BenchPlan() {
  core::Plan plan;
  plan.forbund = core::Forbund{"bench", "Benchförbundet", std::nullopt, 5};
  for (int i = 0; i < 5; ++i) {
    core::Insats insats;
    insats.id = "insats-" + std::to_string(i);
    insats.name = "Insats " + std::to_string(i);
    insats.start = *util::Date::FromYmd(2020, 1, 1);
    plan.insatser.push_back(insats);
  }
  return plan;
}

std::vector<core::Enrolment> Enrolments(int count) {
  std::mt19937 random(42);
  std::vector<core::Enrolment> enrolments;
  for (int i = 0; i < count; ++i) {
    core::Enrolment enrolment;
    enrolment.id = i + 1;
    enrolment.insats_id = "insats-" + std::to_string(i % 5);
    enrolment.person_key = "p" + std::to_string(random() % (count * 3 / 4 + 1));
    enrolment.kon = core::kAllKon[random() % 3];
    enrolment.start = *util::Date::FromYmd(2022 + static_cast<int>(random() % 2),
                                           1 + static_cast<unsigned>(random() % 12), 1);
    const util::Date end = *util::Date::FromYmd(enrolment.start.year() + 1,
                                                1 + static_cast<unsigned>(random() % 12), 15);
    if (random() % 2 == 0) {
      enrolment.exit = core::Exit{end, static_cast<core::ExitReason>(random() % 11), {}};
    }
    enrolment.measurements = {{enrolment.start, "steg", 1 + static_cast<int>(random() % 7)},
                              {end, "steg", 1 + static_cast<int>(random() % 7)}};
    enrolments.push_back(std::move(enrolment));
  }
  return enrolments;
}

void BM_DeltagarePublished(benchmark::State& state) {
  const core::Plan plan = BenchPlan();
  const auto enrolments = Enrolments(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        BuildDeltagareReport(plan, enrolments, Period::Year(2023), Audience::kPublic));
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_DeltagarePublished)->Arg(1000)->Arg(10000)->Complexity();

void BM_StegPublished(benchmark::State& state) {
  const core::Plan plan = BenchPlan();
  const auto enrolments = Enrolments(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        BuildStegReport(plan, enrolments, Period::Year(2023), Audience::kPublic));
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_StegPublished)->Arg(1000)->Arg(10000)->Complexity();

}  // namespace
}  // namespace stegvis::report
