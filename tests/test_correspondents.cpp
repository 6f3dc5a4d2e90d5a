// Correspondents (correspDesc): the title and summary patterns of the profile, the typing of
// names, the doubts, and the precision and recall on the shared corpora against
// tests/data/correspondents.tsv (the gold, made from the documents' own headings and summaries).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "teikit/base/text_util.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/correspondents.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/validate/validation_job.hpp"
#include "test_support.hpp"

namespace teikit {
namespace {

using test::read_file;
using test::source_dir;

Parties title_parties(const std::string& title) { return parties_of(title, true, *default_profile()); }

TEST(Correspondents, TitlePatterns) {
  auto p = title_parties("Telegram, Shtykov to Vyshinsky");
  EXPECT_EQ(p.senders, std::vector<std::string>{"Shtykov"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Vyshinsky"});
  p = title_parties("Letter to Benjamin T. Pyne");
  EXPECT_TRUE(p.senders.empty());
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Benjamin T. Pyne"});
  p = title_parties("The Secretary of State to the Ambassador in Russia (Francis)");
  EXPECT_EQ(p.senders, std::vector<std::string>{"The Secretary of State"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"the Ambassador in Russia (Francis)"});
  p = title_parties("Cable from the Chinese Foreign Ministry, 'Representations concerning the Flight "
                    "of Ethnic Minority Residents from Xinjiang's Border Areas to the Soviet Union'");
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Chinese Foreign Ministry"});
  EXPECT_TRUE(p.addressees.empty());
  p = title_parties("Telegram From the Central Intelligence Agency to Operation PBSUCCESS Headquarters in Florida");
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Central Intelligence Agency"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Operation PBSUCCESS Headquarters in Florida"});
}

TEST(Correspondents, ATitleWithTwoToesIsSplitWhereTheParenthesisedNamesEnd) {
  const auto p = title_parties(
      "Letter From the Ambassador to Poland (Cabot) to the Assistant Secretary of State for Far "
      "Eastern Affairs (Bundy)");
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Ambassador to Poland (Cabot)"});
  EXPECT_EQ(p.addressees,
            std::vector<std::string>{"the Assistant Secretary of State for Far Eastern Affairs (Bundy)"});
  EXPECT_FALSE(p.ambiguous);
}

TEST(Correspondents, TitlesThatNameNoPartiesGiveNone) {
  for (const char* t : {"Memorandum of Conversation, by the Under Secretary of State (Welles)",
                        "Report on the trip to Moscow", "Speech by Khrushchev to the Central Committee",
                        "Record of a Conversation with Mao Zedong", "Memorandum for the Record",
                        "Cable from the Chinese Foreign Ministry, Reply to the Soviet Memorandum"}) {
    const auto p = title_parties(t);
    EXPECT_TRUE(p.addressees.empty()) << t;
    if (std::string(t).find("Cable") == std::string::npos) {
      EXPECT_TRUE(p.senders.empty()) << t;
    }
  }
  // The subject after the comma is not the sender's name.
  EXPECT_EQ(title_parties("Cable from the Chinese Foreign Ministry, Reply to the Soviet Memorandum").senders,
            std::vector<std::string>{"the Chinese Foreign Ministry"});
}

TEST(Correspondents, TitlesOfOtherKinds) {
  auto p = title_parties("Backchannel Message From the Ambassador to Vietnam (Bunker) to the President's "
                         "Assistant for National Security Affairs (Kissinger)");
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Ambassador to Vietnam (Bunker)"});
  EXPECT_EQ(p.addressees,
            std::vector<std::string>{"the President's Assistant for National Security Affairs (Kissinger)"});
  p = title_parties("Circular Telegram From the Department of State to All Diplomatic Missions");
  EXPECT_EQ(p.addressees, std::vector<std::string>{"All Diplomatic Missions"});
  EXPECT_EQ(correspondent_element("All Diplomatic Missions", *default_profile()), "orgName");
  // Two splits with nothing to choose between them: nothing.
  p = title_parties("Letter from Smith to Jones to Brown");
  EXPECT_TRUE(p.ambiguous);
  EXPECT_TRUE(p.senders.empty() && p.addressees.empty());
  // An office named with "to" keeps its "to" (profile <offices-to>).
  p = title_parties("Telegram From the Mission to the United Nations to the Department of State");
  EXPECT_FALSE(p.ambiguous);
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Mission to the United Nations"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"the Department of State"});
  p = title_parties("Ciphered Telegram from Soviet Ambassador to North Korea Shtykov to Vyshinsky");
  EXPECT_EQ(p.senders, std::vector<std::string>{"Soviet Ambassador to North Korea Shtykov"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Vyshinsky"});
  // Split only at the office's "to", onto a name that is no office or person: nothing.
  p = title_parties("Report by the Soviet Ambassador to the DPRK");
  EXPECT_TRUE(p.senders.empty() && p.addressees.empty());
  EXPECT_EQ(title_parties("Cable from the Ambassador to the Foreign Ministry").addressees,
            std::vector<std::string>{"the Foreign Ministry"});
  // No name.
  EXPECT_TRUE(title_parties("Letter to Unknown").addressees.empty());
  EXPECT_EQ(title_parties("Ciphered Telegram, Shtykov to Vyshinsky").senders, std::vector<std::string>{"Shtykov"});
}

TEST(Correspondents, WrittenNames) {
  const std::string xml = convert("t.txt",
                                  "May 1, 1850\n\nLetter to the Directors of the London Missionary Society\n\n"
                                  "Summary:\n\nLetter from David Livingstone to the Directors of the London "
                                  "Missionary Society.\n\nDear Sirs,\n\nText.\n",
                                  ConvertOptions{})
                              .xml;
  EXPECT_NE(xml.find("<orgName>Directors of the London Missionary Society</orgName>"), std::string::npos) << xml;
}

TEST(Correspondents, WithheldNameIsNoPartyButTheOtherIs) {
  const auto p = title_parties(
      "Memorandum From [name not declassified] of the Central Intelligence Agency to J.C. Esterline "
      "of the Central Intelligence Agency");
  EXPECT_TRUE(p.senders.empty());
  EXPECT_TRUE(p.withheld);
  EXPECT_EQ(p.addressees, std::vector<std::string>{"J.C. Esterline of the Central Intelligence Agency"});
}

TEST(Correspondents, SummarySentenceAndPlaceOfWriting) {
  const Profile& pr = *default_profile();
  const std::string s =
      "Letter from David Livingstone to Benjamin T. Pyne. Place of writing: Kuruman. Catalogue date: 1850.";
  const auto p = parties_of(s, false, pr);
  EXPECT_EQ(p.senders, std::vector<std::string>{"David Livingstone"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Benjamin T. Pyne"});
  EXPECT_EQ(summary_place_of_writing(s, pr), "Kuruman");
  // A summary in prose names no parties (the bare "A to B" pattern is for titles only).
  EXPECT_TRUE(parties_of("The Chinese Foreign Ministry alerts authorities in Xinjiang to the status of the talks.",
                         false, pr).senders.empty());
  EXPECT_EQ(parties_of("Letter from David Livingstone to Thomas Archer and Mary Archer.", false, pr).addressees,
            (std::vector<std::string>{"Thomas Archer", "Mary Archer"}));
}

TEST(Correspondents, Typing) {
  const Profile& pr = *default_profile();
  EXPECT_EQ(correspondent_element("Ministry of Foreign Affairs", pr), "orgName");
  EXPECT_EQ(correspondent_element("Embassy in Poland", pr), "orgName");
  EXPECT_EQ(correspondent_element("Department of State", pr), "orgName");
  EXPECT_EQ(correspondent_element("Ambassador in Russia (Francis)", pr), "persName");
  EXPECT_EQ(correspondent_element("Mr. Fish", pr), "persName");
  EXPECT_EQ(correspondent_element("Secretary of State", pr), "persName");
}

std::string convert_text(const std::string& text, std::vector<Diagnostic>* diags = nullptr) {
  ConvertResult r = convert("t.txt", text, ConvertOptions{});
  if (diags) *diags = r.diagnostics.diagnostics();
  return r.xml;
}

bool has_code(const std::vector<Diagnostic>& d, const std::string& code) {
  for (const auto& x : d)
    if (x.code == code) return true;
  return false;
}

TEST(Correspondents, TitleAndSummaryDisagreeingWriteNothingAndWarn) {
  std::vector<Diagnostic> d;
  const std::string xml = convert_text(
      "May 1, 1850\n\nLetter to Robert Moffat\n\nSummary:\n\nLetter from David Livingstone to "
      "Mary Moffat.\n\nDear Sir,\n\nText.\n",
      &d);
  EXPECT_EQ(xml.find("Moffat</persName>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<persName>David Livingstone</persName>"), std::string::npos) << xml;
  EXPECT_TRUE(has_code(d, "correspondent-uncertain"));
}

TEST(Correspondents, AddresseeLineNamingAPlaceIsNoAddressee) {
  std::vector<Diagnostic> d;
  const std::string place = convert_text(
      "April 30, 1962\n\nCable from the Chinese Foreign Ministry\n\nContents:\n\nTranslation - English\n\n"
      "To: Wulumuqi\n\nText of the cable.\n",
      &d);
  EXPECT_EQ(place.find("Wulumuqi</"), place.find("Wulumuqi</seg>")) << place;
  EXPECT_NE(place.find("<orgName>Chinese Foreign Ministry</orgName>"), std::string::npos) << place;
  EXPECT_TRUE(has_code(d, "correspondent-uncertain"));
  const std::string person = convert_text(
      "April 30, 1962\n\nCable from the Chinese Foreign Ministry\n\nContents:\n\nTranslation - English\n\n"
      "To: Comrade Liu Xiao\n\nText of the cable.\n");
  EXPECT_NE(person.find("<persName>Comrade Liu Xiao</persName>"), std::string::npos) << person;
}

TEST(Correspondents, PlacesAreNoParties) {
  std::vector<Diagnostic> d;
  const std::string xml = convert_text(
      "April 30, 1962\n\nTelegram from Beijing to the Foreign Ministry\n\nContents:\n\nTranslation - English\n\n"
      "Beijing, 30 April 1962\n\nText of the telegram.\n",
      &d);
  EXPECT_EQ(xml.find("<persName>Beijing"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<orgName>Foreign Ministry</orgName>"), std::string::npos) << xml;
  EXPECT_TRUE(has_code(d, "correspondent-uncertain"));
}

// A city named as a party with no dateline to say so ("Telegram from Pyongyang to Moscow") is
// the place the message was sent from or received at (profile <place-names>), never a person;
// it is written once when the dateline names the same place.
TEST(Correspondents, CitiesNamedAsPartiesArePlaces) {
  const std::string both = convert_text(
      "June 3, 1950\n\nTelegram from Pyongyang to Moscow\n\nContents:\n\nTranslation - English\n\nText.\n");
  EXPECT_EQ(both.find("<persName>"), std::string::npos) << both;
  EXPECT_NE(both.find("<correspAction type=\"sent\">\n          <placeName>Pyongyang</placeName>"),
            std::string::npos)
      << both;
  EXPECT_NE(both.find("<correspAction type=\"received\">\n          <placeName>Moscow</placeName>"),
            std::string::npos)
      << both;
  // The reversed order, "to A from B" (the profile's "{doc} to {addressee} from {sender}").
  const std::string reversed = convert_text(
      "October 15, 1950\n\nTelegram to Comrade Filippov from Beijing\n\nContents:\n\nTranslation - "
      "English\n\nBeijing, 15 October 1950\n\nText.\n");
  EXPECT_NE(reversed.find("<persName>Comrade Filippov</persName>"), std::string::npos) << reversed;
  EXPECT_EQ(reversed.find("<persName>Beijing"), std::string::npos) << reversed;
  const auto sent = reversed.find("<correspAction type=\"sent\">");
  ASSERT_NE(sent, std::string::npos) << reversed;
  EXPECT_EQ(reversed.find("<placeName>Beijing</placeName>", reversed.find("<placeName>Beijing</placeName>", sent) + 1),
            std::string::npos)
      << "Beijing written twice: " << reversed;
  auto p = title_parties("Telegram to Vyshinsky from Shtykov");
  EXPECT_EQ(p.senders, std::vector<std::string>{"Shtykov"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Vyshinsky"});
  // A person's name that is also a city's is no place: only the whole name is compared.
  const std::string person = convert_text(
      "June 3, 1950\n\nLetter from George Washington to Paris Hilton\n\nContents:\n\nTranslation - "
      "English\n\nText.\n");
  EXPECT_NE(person.find("<persName>George Washington</persName>"), std::string::npos) << person;
  EXPECT_NE(person.find("<persName>Paris Hilton</persName>"), std::string::npos) << person;
  // Places beside people, on either side and in either order, a place alone on one side, a
  // title place against a dateline place: one placeName each side, and valid against the
  // project schema (the fuzzer found a received correspAction holding only a placeName).
  const char* const titles[] = {
      "Telegram from Beijing and Zhou Enlai to Moscow and Stalin",
      "Telegram from Zhou Enlai and Beijing to Stalin and Moscow",
      "Telegram from the Embassy to Moscow",
      "Telegram from Beijing and Pyongyang to Moscow and Warsaw",
  };
  for (const char* title : titles) {
    for (const char* dateline : {"", "Pyongyang, 3 June 1950\n\n"}) {
      const std::string xml = convert_text(std::string("June 3, 1950\n\n") + title +
                                           "\n\nContents:\n\nTranslation - English\n\n" + dateline + "Text.\n");
      SCOPED_TRACE(std::string(title) + " / " + dateline);
      for (const char* side : {"sent", "received"}) {
        const auto open = xml.find(std::string("<correspAction type=\"") + side + "\">");
        if (open == std::string::npos) continue;
        const auto close = xml.find("</correspAction>", open);
        const std::string action = xml.substr(open, close - open);
        const auto first = action.find("<placeName>");
        EXPECT_TRUE(first == std::string::npos || action.find("<placeName>", first + 1) == std::string::npos)
            << action;
      }
      ValidationOptions options;
      options.schema_path = source_dir() + "/schemas/teikit.rng";
      ValidationInput in;
      in.name = "doc.xml";
      in.bytes = xml;
      const ValidationReport r = validate_documents({in}, options);
      ASSERT_EQ(r.schema, SchemaStatus::Compiled) << r.schema_error;
      EXPECT_EQ(r.documents.at(0).verdict, Verdict::Valid) << xml;
    }
  }
}

TEST(Correspondents, NumbersIdentificationsAndSeveralPeople) {
  auto p = title_parties("Ciphered Telegram No. 3345 from Roshchin to Filippov [Stalin]");
  EXPECT_EQ(p.senders, std::vector<std::string>{"Roshchin"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Filippov"});
  p = title_parties("Telegram from Kuznetsov and Stalin to Mao");
  EXPECT_EQ(p.senders, (std::vector<std::string>{"Kuznetsov", "Stalin"}));
  EXPECT_EQ(title_parties("Letter from the Ministry of Foreign Affairs and Trade to Mr. X").senders,
            std::vector<std::string>{"the Ministry of Foreign Affairs and Trade"});
  // A date inside is no name ("… for 1 January 1957").
  p = title_parties("Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 1 January 1957");
  EXPECT_TRUE(p.senders.empty() && p.addressees.empty());
}

TEST(Correspondents, SignatureAloneNamesNoSender) {
  std::vector<Diagnostic> d;
  const std::string xml = convert_text(
      "June 1, 1941\n\nMemorandum of Conversation\n\nWe talked.\n\nSincerely yours,\n\nSumner Welles\n", &d);
  EXPECT_EQ(xml.find("<persName>Sumner Welles"), std::string::npos) << xml;
  EXPECT_TRUE(has_code(d, "correspondent-uncertain"));
}

// Issue 10 item 5: correspAction type="sent" takes its date from the text's dateline (the
// header's date only without one) and the dateline's place as placeName.
TEST(Correspondents, SentDateAndPlaceFromTheDateline) {
  std::vector<Diagnostic> d;
  const std::string dated = convert_text(
      "November 24, 1870\n\nMr. Washburne to Mr. Fish.\n\nContents:\n\nTranscript - English\n\n"
      "Legation of the United States, Paris, October 24, 1870.\n\nSir: Text.\n",
      &d);
  EXPECT_NE(dated.find("<placeName>Paris</placeName>\n          <date when=\"1870-10-24\"/>"), std::string::npos)
      << dated;
  EXPECT_TRUE(has_code(d, "date-conflict"));
  const std::string undated = convert_text(
      "November 24, 1870\n\nMr. Washburne to Mr. Fish.\n\nContents:\n\nTranscript - English\n\nSir: Text.\n");
  EXPECT_NE(undated.find("<persName>Mr. Washburne</persName>\n          <date when=\"1870-11-24\"/>"),
            std::string::npos)
      << undated;
  EXPECT_EQ(undated.find("<placeName>"), std::string::npos) << undated;
}

TEST(Correspondents, OutOfSampleTitleForms) {
  const Profile& pr = *default_profile();
  // "Memorandum by A to B", "Information from A to B".
  auto p = title_parties("Memorandum by the Director of the Policy Planning Staff (Kennan) to the Secretary of State");
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Director of the Policy Planning Staff (Kennan)"});
  EXPECT_EQ(p.addressees, std::vector<std::string>{"the Secretary of State"});
  p = title_parties("Information from the Ministry of Interior of the ČSSR to the Ministry of Interior of the GDR");
  EXPECT_EQ(p.senders, std::vector<std::string>{"the Ministry of Interior of the ČSSR"});
  // A journal is no letter: "… Ambassador to the DPRK …" names no parties.
  p = title_parties("Journal of Soviet Ambassador to the DPRK V.I. Ivanov, 1-30 May 1955");
  EXPECT_TRUE(p.senders.empty() && p.addressees.empty());
  // A person and an office, the second with its article.
  p = title_parties("Cable from Zhou Enlai to Mao Zedong and the CCP Central Committee");
  EXPECT_EQ(p.addressees, (std::vector<std::string>{"Mao Zedong", "the CCP Central Committee"}));
  EXPECT_EQ(title_parties("Letter from the Ministry of Foreign Affairs and Trade to Mr. X").senders,
            std::vector<std::string>{"the Ministry of Foreign Affairs and Trade"});
  // "…, via Roshchin" is the channel, not part of the addressee.
  p = title_parties("Ciphered Telegram from Zhou Enlai to Filippov [Stalin], via Roshchin");
  EXPECT_EQ(p.addressees, std::vector<std::string>{"Filippov"});
  EXPECT_FALSE(p.withheld);
  // A lower-case qualifier in the closing parenthesis, a full stop after it.
  EXPECT_EQ(title_parties("Letter to Agnes Livingstone (daughter)").addressees,
            std::vector<std::string>{"Agnes Livingstone (daughter)"});
  p = parties_of("Letter from David Livingstone to Neil Livingstone and Agnes Livingstone (Sr.). Place of "
                 "writing: Mabotsa.", false, pr);
  EXPECT_EQ(p.senders, std::vector<std::string>{"David Livingstone"});
  // An unknown addressee: the sender still counts; "Letter to Unknown" names no one.
  p = parties_of("Letter from David Livingstone to an unknown correspondent. Place of writing: Kuruman.", false, pr);
  EXPECT_EQ(p.senders, std::vector<std::string>{"David Livingstone"});
  EXPECT_TRUE(p.addressees.empty());
  p = title_parties("Letter to Unknown");
  EXPECT_TRUE(p.senders.empty() && p.addressees.empty());
}

TEST(Correspondents, TitleAndSummaryNamingOnePersonWithDifferentTitlesAgree) {
  std::vector<Diagnostic> d;
  std::string xml = convert_text(
      "January 4, 1858\n\nLetter to Sir Roderick Murchison\n\nSummary:\n\nLetter from David Livingstone to "
      "Roderick Impey Murchison. Place of writing: London.\n\nMy dear Sir Roderick\n\nText.\n",
      &d);
  EXPECT_NE(xml.find("<persName>Sir Roderick Murchison</persName>"), std::string::npos) << xml;
  EXPECT_FALSE(has_code(d, "correspondent-uncertain"));
  // Different honorifics are different people: nothing is written.
  xml = convert_text(
      "January 4, 1858\n\nLetter to Mr. Smith\n\nSummary:\n\nLetter from David Livingstone to Mrs. Smith."
      "\n\nDear Sir\n\nText.\n",
      &d);
  EXPECT_EQ(xml.find("Smith</persName>"), std::string::npos) << xml;
  EXPECT_TRUE(has_code(d, "correspondent-uncertain"));
}

// ---------------------------------------------------------------- corpus figures

// One party of a gold table: its action, its element ("any": any of the three), the names it
// may be written as; an optional one (action marked `?`) is not missing when it is absent.
struct Gold {
  std::string action, element;
  bool optional = false;
  std::vector<std::string> names;
};

std::string normal(std::string s) {
  s = to_lower_utf8(collapse_space(s));
  if (starts_with(s, "the ")) s = s.substr(4);
  while (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// The names of every correspAction/persName|orgName|name of `xml`: action, element, name.
std::vector<std::array<std::string, 3>> written_parties(const std::string& xml) {
  std::vector<std::array<std::string, 3>> out;
  std::string error;
  xml::DocPtr doc = xml::parse_memory(xml, "out.xml", error);
  if (!doc) return out;
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc.get());
  xmlXPathRegisterNs(ctx, BAD_CAST "t", BAD_CAST "http://www.tei-c.org/ns/1.0");
  xmlXPathObjectPtr r = xmlXPathEvalExpression(
      BAD_CAST "//t:correspAction/*[self::t:persName or self::t:orgName or self::t:name]", ctx);
  if (r && r->nodesetval)
    for (int i = 0; i < r->nodesetval->nodeNr; ++i) {
      xmlNode* n = r->nodesetval->nodeTab[i];
      xmlChar* text = xmlNodeGetContent(n);
      xmlChar* type = xmlGetProp(n->parent, BAD_CAST "type");
      out.push_back({type ? reinterpret_cast<char*>(type) : "", reinterpret_cast<const char*>(n->name),
                     text ? reinterpret_cast<char*>(text) : ""});
      xmlFree(text);
      xmlFree(type);
    }
  xmlXPathFreeObject(r);
  xmlXPathFreeContext(ctx);
  return out;
}

// The data rows of a TSV gold file: comment lines (#) and the header line left out.
std::vector<std::string> tsv_rows(const std::string& path) {
  std::vector<std::string> rows;
  std::istringstream in(read_file(path));
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    rows.push_back(line);
  }
  return rows;
}

// A correspondents gold table (file, action, element, names separated by |; action "-": the
// file has no party), by file.
std::map<std::string, std::vector<Gold>> party_gold(const std::string& path) {
  std::map<std::string, std::vector<Gold>> gold;
  for (const auto& line : tsv_rows(path)) {
    const auto cols = split_any(line, {"\t"});
    EXPECT_EQ(cols.size(), 4u) << line;
    if (cols.size() != 4) continue;
    auto& rows = gold[cols[0]];
    if (cols[1] == "-") continue;
    Gold g{cols[1], cols[2], false, {}};
    if (!g.action.empty() && g.action.back() == '?') g.optional = true, g.action.pop_back();
    for (const auto& n : split_any(cols[3], {"|"})) g.names.push_back(normal(n));
    rows.push_back(g);
  }
  return gold;
}

// Converts every file of `gold` (read from `dir`), compares the parties written with the gold,
// prints the figures under `title` and checks precision >= 98 % and recall >= 80 %.
void score_parties(const std::map<std::string, std::vector<Gold>>& gold, const std::string& dir,
                   const char* title) {
  int right = 0, wrong = 0, missing = 0;
  std::string report;
  for (const auto& [file, expected] : gold) {
    const std::string bytes = read_file(dir + file);
    ASSERT_FALSE(bytes.empty()) << dir + file;
    const auto written = written_parties(convert(file, bytes, ConvertOptions{}).xml);
    std::vector<bool> used(expected.size());
    for (const auto& [action, element, name] : written) {
      bool ok = false;
      for (std::size_t k = 0; k < expected.size() && !ok; ++k) {
        const Gold& g = expected[k];
        if (used[k] || g.action != action || (g.element != "any" && g.element != element)) continue;
        for (const auto& n : g.names) ok = ok || n == normal(name);
        if (ok) used[k] = true;
      }
      if (ok) {
        ++right;
      } else {
        ++wrong;
        report += "  wrong " + file + ": " + action + " " + element + " '" + name + "'\n";
      }
    }
    for (std::size_t k = 0; k < expected.size(); ++k)
      if (!used[k] && !expected[k].optional) {
        ++missing;
        report += "  missing " + file + ": " + expected[k].action + " '" + expected[k].names[0] + "'\n";
      }
  }
  const double precision = right + wrong ? 100.0 * right / (right + wrong) : 100.0;
  const double recall = right + missing ? 100.0 * right / (right + missing) : 100.0;
  std::printf("%s: %d right, %d wrong, %d missing; precision %.1f %%, recall %.1f %%\n%s", title, right,
              wrong, missing, precision, recall, report.c_str());
  EXPECT_GE(precision, 98.0) << report;
  EXPECT_GE(recall, 80.0) << report;
}

TEST(CorrespondentsCorpus, PrecisionAndRecallAgainstTheGold) {
  REQUIRE_SHARED();
  const auto gold = party_gold(source_dir() + "/tests/data/correspondents.tsv");
  ASSERT_GE(gold.size(), 40u);
  score_parties(gold, shared + "/corpus/", "correspondents");
}

// ---------------------------------------------------------------- out-of-sample figures

// tests/data/outofsample: documents written for this check in the styles of the Wilson Center
// Digital Archive, FRUS and Livingstone Online, none of them in the shared corpora, with a gold
// made before the converter was run on them (the README lines of the TSV files say how).
TEST(OutOfSample, CorrespondentsAgainstTheGold) {
  const std::string dir = source_dir() + "/tests/data/outofsample/";
  const auto gold = party_gold(dir + "correspondents.tsv");
  ASSERT_GE(gold.size(), 60u);
  score_parties(gold, dir, "out-of-sample correspondents");
}

// The kind of one intervention element, as brackets.tsv names it; "" for other elements.
std::string bracket_kind(xmlNode* n) {
  auto attr = [&](const char* name) {
    xmlChar* v = xmlGetProp(n, BAD_CAST name);
    std::string s = v ? reinterpret_cast<char*>(v) : "";
    xmlFree(v);
    return s;
  };
  const std::string tag = reinterpret_cast<const char*>(n->name);
  if (tag == "gap") return "gap-" + attr("reason");
  if (tag == "supplied") return attr("cert") == "low" ? "supplied-low" : "supplied";
  if (tag == "unclear" || tag == "sic" || tag == "pb" || tag == "add" || tag == "stamp" || tag == "handShift")
    return tag;
  if (tag == "note") {
    if (attr("place") == "foot") return "footnote";
    const std::string type = attr("type");
    return type == "distribution" ? "" : "note-" + type;  // a distribution list is no bracket
  }
  if (tag == "seg" && attr("type") == "seal") return "seal";
  return "";
}

// Every intervention under `n`, and a "literal" for each bracket left as text ("[3]").
void bracket_kinds(xmlNode* n, std::map<std::string, int>& out) {
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      const std::string t = reinterpret_cast<const char*>(c->content);
      for (std::size_t i = t.find('['); i != std::string::npos; i = t.find('[', i + 1)) {
        const std::size_t close = t.find_first_of("[]", i + 1);
        if (close != std::string::npos && t[close] == ']') ++out["literal"];
      }
    } else if (c->type == XML_ELEMENT_NODE) {
      if (const std::string k = bracket_kind(c); !k.empty()) ++out[k];
      bracket_kinds(c, out);
    }
  }
}

TEST(OutOfSample, BracketKindsAgainstTheGold) {
  const std::string dir = source_dir() + "/tests/data/outofsample/";
  const auto rows = tsv_rows(dir + "brackets.tsv");
  ASSERT_GE(rows.size(), 60u);
  int matched = 0, written = 0, expected = 0;
  std::string report;
  for (const auto& line : rows) {
    const auto cols = split_any(line, {"\t"});
    ASSERT_EQ(cols.size(), 2u) << line;
    std::map<std::string, int> gold, out;
    for (const auto& k : split_any(cols[1], {" "}))
      if (!k.empty()) ++gold[k];
    std::string error;
    const std::string bytes = read_file(dir + cols[0]);
    ASSERT_FALSE(bytes.empty()) << cols[0];
    xml::DocPtr doc = xml::parse_memory(convert(cols[0], bytes, ConvertOptions{}).xml, "out.xml", error);
    ASSERT_TRUE(doc) << cols[0] << ": " << error;
    for (xmlNode* c = xmlDocGetRootElement(doc.get())->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(c->name)) == "text")
        bracket_kinds(c, out);
    // Per document and kind: a bracket of the right kind counts once (the order is not compared).
    for (const auto& [k, n] : gold) expected += n;
    for (const auto& [k, n] : out) {
      written += n;
      const int g = gold.count(k) ? gold.at(k) : 0;
      matched += std::min(n, g);
      if (n != g) report += "  " + cols[0] + ": " + k + " written " + std::to_string(n) + ", gold " + std::to_string(g) + "\n";
    }
    for (const auto& [k, n] : gold)
      if (!out.count(k)) report += "  " + cols[0] + ": " + k + " written 0, gold " + std::to_string(n) + "\n";
  }
  const double precision = written ? 100.0 * matched / written : 100.0;
  const double recall = expected ? 100.0 * matched / expected : 100.0;
  std::printf("out-of-sample bracket kinds: %d right of %d written, %d in the gold; precision %.1f %%, recall %.1f %%\n%s",
              matched, written, expected, precision, recall, report.c_str());
  EXPECT_GE(precision, 97.0) << report;
  EXPECT_GE(recall, 97.0) << report;
}

}  // namespace
}  // namespace teikit
