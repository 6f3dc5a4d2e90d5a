#include "teikit/convert/correspondence.hpp"

#include "teikit/base/text_util.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

void find_first_date(const Node& n, std::string& when) {
  if (!when.empty()) return;
  if (n.is("date")) {
    if (auto w = n.get("when")) when = *w;
    return;
  }
  for (const auto& c : n.children) find_first_date(c, when);
}

void collect_received(const Node& n, std::string& when) {
  if (n.is("note") && n.get("type") && *n.get("type") == "received") find_first_date(n, when);
  for (const auto& c : n.children) collect_received(c, when);
}

void read_dateline(const Node& c, const Profile& profile, Correspondence& corr) {
  if (!c.is("dateline") || !corr.sent_when.empty()) return;
  find_first_date(c, corr.sent_when);
  if (c.children.empty() || c.children[0].kind != Node::Kind::Text || c.children.size() <= 1 ||
      !c.children[1].is("date"))
    return;
  std::string place = trim(c.children[0].text);
  while (!place.empty() && (place.back() == ',' || place.back() == ' ')) place.pop_back();
  // "Moskau, den 29. März": the profile's date article belongs to the date, not the place.
  for (const auto& article : profile.date_articles) {
    if (!ends_with(to_lower_utf8(place), " " + article)) continue;
    place.resize(place.size() - article.size());
    while (!place.empty() && (place.back() == ',' || place.back() == ' ')) place.pop_back();
    break;
  }
  corr.sent_place = place;
}

}  // namespace teikit
