// The storage contract for moving everything as rows: every table of the schema is either
// copied (store::CopiedTables) or rebuilt by the target's triggers (DerivedTables), and what
// one store exports, another imports into exactly the same rows.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"
#include "store/tables.h"

namespace stegvis::store {
namespace {

class StoreContractTables : public StoreContractWithPlans {
 protected:
  // Every row of every copied table of `store`, table by table.
  static std::vector<std::vector<Row>> AllRows(Store& store) {
    std::vector<std::vector<Row>> tables;
    for (const Table& table : CopiedTables()) {
      std::vector<Row>& rows = tables.emplace_back();
      const util::Status exported = store.ExportRows(table, [&](const Row& row) -> util::Status {
        rows.push_back(row);
        return util::Ok();
      });
      EXPECT_TRUE(exported) << table.name << ": " << exported.error().Render();
    }
    return tables;
  }

  void StoreSomethingOfEachKind() {
    core::Enrolment enrolment = Enrolled("se-hoglandet", "p-1", Day(2023, 2, 1));
    enrolment.measurements.push_back({Day(2023, 2, 1), "steg", 2});
    enrolment.follow_ups.push_back({Day(2024, 2, 1), 6, core::Sysselsattning::kArbete});
    Save("hoglandet", {Ended(enrolment, Day(2023, 9, 1)),
                       EnrolledAnonymously("se-hoglandet", core::Kon::kMan, 2023)});
    StoreAccountsSettingsAndAudit({core::AuditEntry{0, "2026-03-01T08:00:00Z", "admin", "skapade",
                                                    "konto:åsa", "::1", "", ""}});
  }
};

TEST_P(StoreContractTables, EveryTableOfTheSchemaIsCopiedOrDerived) {
  auto columns = store_->SchemaColumns();
  ASSERT_TRUE(columns) << columns.error().Render();
  std::set<std::string> listed;
  for (const Table& table : CopiedTables()) {
    for (std::string_view column : table.columns) {
      listed.insert(std::string(table.name) + "." + std::string(column));
    }
  }
  for (std::string_view column : DerivedColumns()) listed.insert(std::string(column));
  std::set<std::string> in_schema;
  for (const std::string& column : *columns) {
    const std::string table = column.substr(0, column.find('.'));
    const auto& derived = DerivedTables();
    if (std::find(derived.begin(), derived.end(), table) == derived.end()) {
      in_schema.insert(column);
    }
  }
  EXPECT_EQ(in_schema, listed) << "a table or column of the schema is neither copied nor derived";
}

TEST_P(StoreContractTables, WhatOneStoreExportsAnotherImportsAsTheSameRows) {
  StoreSomethingOfEachKind();
  const auto source_rows = AllRows(*store_);

  testing::TempDir other_folder;
  std::unique_ptr<Store> target = GetParam().open(other_folder);
  ASSERT_TRUE(target->Begin(TransactionMode::kWrite));
  std::size_t index = 0;
  for (const Table& table : CopiedTables()) {
    const util::Status imported = target->ImportRows(table, source_rows[index++]);
    ASSERT_TRUE(imported) << table.name << ": " << imported.error().Render();
  }
  ASSERT_TRUE(target->Commit());

  EXPECT_EQ(AllRows(*GetParam().open(other_folder)), source_rows);
  // What the target's triggers keep follows: the intervention's tally and a new enrolment
  // gets an id after the copied ones.
  auto page = target->ListEnrolments("hoglandet", {"se-hoglandet", EnrolmentFilter::kAll, 0, 10});
  ASSERT_TRUE(page) << page.error().Render();
  EXPECT_EQ(page->total, 2u);
  EXPECT_EQ(page->ongoing, 1u);
  auto ids =
      target->SaveEnrolments("hoglandet", {Enrolled("se-hoglandet", "p-2", Day(2024, 1, 1))});
  ASSERT_TRUE(ids) << ids.error().Render();
  EXPECT_GT(ids->at(0), std::get<std::int64_t>(source_rows[10].back()[0]));
}

TEST_P(StoreContractTables, ImportsABatchOfManyThousandRowsWhole) {
  const Table* audit = nullptr;
  for (const Table& table : CopiedTables()) {
    if (table.name == "audit_log") audit = &table;
  }
  ASSERT_NE(audit, nullptr);
  std::vector<Row> rows;
  for (std::int64_t seq = 1; seq <= 9'001; ++seq) {
    rows.push_back({seq, std::string("2026-03-01T08:00:00Z"), std::string("admin"),
                    std::string("läste"), "rad:" + std::to_string(seq), std::string("::1"),
                    "h" + std::to_string(seq - 1), "h" + std::to_string(seq)});
  }
  ASSERT_TRUE(store_->ImportRows(*audit, rows));
  std::vector<Row> exported;
  ASSERT_TRUE(store_->ExportRows(*audit, [&](const Row& row) -> util::Status {
    exported.push_back(row);
    return util::Ok();
  }));
  EXPECT_EQ(exported, rows);
}

TEST_P(StoreContractTables, ARowThatBreaksAConstraintIsRefusedAndNothingOfTheBatchStays) {
  const Table& member = CopiedTables()[2];
  ASSERT_EQ(member.name, "member");
  const std::vector<Row> rows = {{std::string("hoglandet"), std::string("ny"), std::int64_t{9},
                                  std::string("Ny"), std::string("kommun")},
                                 {std::string("saknas"), std::string("x"), std::int64_t{1},
                                  std::string("X"), std::string("kommun")}};
  EXPECT_FALSE(store_->ImportRows(member, rows));
  std::size_t members = 0;
  ASSERT_TRUE(store_->ExportRows(member, [&](const Row&) -> util::Status {
    ++members;
    return util::Ok();
  }));
  EXPECT_EQ(members, DemoPlan("hoglandet.json").members.size() * 2);
}

TEST_P(StoreContractTables, ExportsATableOfManyRowsWholeAndInOrder) {
  std::vector<core::AuditEntry> entries(12'001,
                                        core::AuditEntry{0, "t", "a", "läste", "", "", "", ""});
  ASSERT_TRUE(store_->AppendAudit(
      entries, [](const core::AuditEntry& entry) { return "h" + std::to_string(entry.seq); }));
  const Table& audit_log = CopiedTables().back();
  ASSERT_EQ(audit_log.name, "audit_log");
  std::int64_t expected_seq = 1;
  const util::Status exported = store_->ExportRows(audit_log, [&](const Row& row) -> util::Status {
    EXPECT_EQ(row[0], Value(expected_seq));
    ++expected_seq;
    return util::Ok();
  });
  ASSERT_TRUE(exported) << exported.error().Render();
  EXPECT_EQ(expected_seq, 12'002);
  // A failure of the caller's own ends the export, and the next one starts afresh.
  int seen = 0;
  EXPECT_FALSE(store_->ExportRows(audit_log, [&](const Row&) -> util::Status {
    if (++seen == 3) return util::Fail(util::Code::kInternal, "", "stopp", "stop");
    return util::Ok();
  }));
  EXPECT_EQ(seen, 3);
  std::size_t again = 0;
  ASSERT_TRUE(store_->ExportRows(audit_log, [&](const Row&) -> util::Status {
    ++again;
    return util::Ok();
  }));
  EXPECT_EQ(again, 12'001u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTables, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace stegvis::store
