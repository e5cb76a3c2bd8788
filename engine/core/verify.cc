// The checks of VerifyIndex (engine/recovery.h): a data file section by
// section, then as IndexCore::Open loads it.

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/core/index_core.h"
#include "engine/index/section_file.h"

namespace syndex {
namespace {

// Points the load error `status` at the section it names: every load check
// reads through a ByteReader named "NAME: section TAG" (index_file.cc), so
// its message holds "NAME: section TAG:". Errors that name no section
// (a missing one) stay with the file only.
void AttributeToSection(const absl::Status& status, const std::string& name,
                        std::vector<SectionReport>* sections) {
  for (SectionReport& s : *sections) {
    if (absl::StrContains(status.message(),
                          absl::StrCat(name, ": section ", s.tag, ":"))) {
      s.status = status;
      return;
    }
  }
}

}  // namespace

GenerationReport IndexCore::CheckData(absl::string_view data,
                                      const std::string& name, int threads) {
  GenerationReport report;
  report.data_file = name;
  absl::StatusOr<std::vector<SectionCheck>> checks =
      SectionFileReader::Check(data, name, FormatVersion(), threads);
  if (!checks.ok()) {
    report.header = checks.status();
    report.status = checks.status();
    return report;
  }
  for (const SectionCheck& check : *checks) {
    SectionReport section;
    section.tag = TagName(check.tag);
    section.bytes = check.bytes.size();
    if (!check.checksum_ok) {
      section.status = absl::DataLossError(
          absl::StrCat(name, ": section ", section.tag, ": checksum mismatch"));
      if (report.status.ok()) report.status = section.status;
    } else if (check.tag == ParamsTag()) {
      absl::StatusOr<uint64_t> count = StoredArticleCount(
          check.bytes, absl::StrCat(name, ": section ", section.tag));
      if (count.ok()) report.articles = *count;
    }
    report.sections.push_back(std::move(section));
  }
  if (!report.status.ok()) return report;

  OpenOptions options;
  options.threads = threads;
  IndexCore core(IndexParams(), options);
  report.status = core.Load(data, name);
  if (report.status.ok()) {
    report.articles = core.size();
  } else {
    AttributeToSection(report.status, name, &report.sections);
  }
  return report;
}

}  // namespace syndex
