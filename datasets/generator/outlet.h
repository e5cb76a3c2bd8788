#ifndef SYNDEX_DATASETS_GENERATOR_OUTLET_H_
#define SYNDEX_DATASETS_GENERATOR_OUTLET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/generator/random.h"

namespace syndex {
namespace gen {

// A publisher and its site chrome. The chrome is fixed per outlet: the same
// breadcrumb style, labels, share and newsletter lines on every article it
// publishes; only the section and the linked headlines change.
struct Outlet {
  std::string name;    // "The Valmere Post".
  std::string domain;  // "valmerepost.com".
  bool wire = false;   // A news agency whose stories others republish.
  bool has_chrome = false;
  std::string breadcrumb;   // Prefix before the section, e.g. "Home / World / ".
  std::string read_more;    // "Read more:" label, or "".
  bool check_also = false;  // "Check Also" + another headline at the end.
  std::vector<std::string> header;  // Extra fixed lines above the body.
  std::vector<std::string> footer;  // Fixed lines below the body.
};

// `count` distinct regular outlets, then the wires.
std::vector<Outlet> MakeOutlets(uint64_t seed, int count);

// The number of wires MakeOutlets appends after the regular outlets.
inline constexpr int kWireCount = 5;

// Adds `outlet`'s chrome around `paragraphs`: header lines (breadcrumb with
// `section`), a "Read more" line with `other_headline` inside the body, and
// footer lines ("Check Also" with `another_headline`). Returns false if the
// outlet has no chrome (and leaves `paragraphs` alone).
bool AddChrome(const Outlet& outlet, Rng& rng, const std::string& section,
               const std::string& other_headline,
               const std::string& another_headline,
               std::vector<std::string>* paragraphs);

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_OUTLET_H_
