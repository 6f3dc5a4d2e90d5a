// A program that uses the library keeps its own libxml2/libxslt settings (issue 9: process-wide
// settings are set and restored by RAII scopes): error handlers, the entity loader and libxslt's
// default security preferences are what the host set, before and after every kind of call.
#include <gtest/gtest.h>
#include <libxml/globals.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>

#include <string>

#include "teikit/base/xml.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/render/transform.hpp"
#include "teikit/validate/validation_job.hpp"
#include "teikit/validate/validate.hpp"
#include "test_support.hpp"

namespace {

int host_generic_calls = 0;
int host_loader_calls = 0;
void host_generic(void*, const char*, ...) { ++host_generic_calls; }
void host_structured(void*, xmlErrorPtr) {}
void host_xslt_generic(void*, const char*, ...) {}
xmlParserInputPtr host_loader(const char*, const char*, xmlParserCtxtPtr) {
  ++host_loader_calls;
  return nullptr;
}
int host_context = 0;

class HostSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_loader_ = xmlGetExternalEntityLoader();
    saved_prefs_ = xsltGetDefaultSecurityPrefs();
    prefs_ = xsltNewSecurityPrefs();
    xmlSetGenericErrorFunc(&host_context, host_generic);
    xmlSetStructuredErrorFunc(&host_context, host_structured);
    xmlSetExternalEntityLoader(host_loader);
    xsltSetGenericErrorFunc(&host_context, host_xslt_generic);
    xsltSetDefaultSecurityPrefs(prefs_);
  }
  void TearDown() override {
    xmlSetGenericErrorFunc(nullptr, nullptr);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    xmlSetExternalEntityLoader(saved_loader_);
    xsltSetGenericErrorFunc(nullptr, nullptr);
    xsltSetDefaultSecurityPrefs(saved_prefs_);
    xsltFreeSecurityPrefs(prefs_);
  }
  // Every setting is still the host's.
  void expect_host_settings(const char* after) {
    EXPECT_EQ(xmlGenericError, &host_generic) << after;
    EXPECT_EQ(xmlGenericErrorContext, &host_context) << after;
    EXPECT_EQ(xmlStructuredError, &host_structured) << after;
    EXPECT_EQ(xmlStructuredErrorContext, &host_context) << after;
    EXPECT_EQ(xmlGetExternalEntityLoader(), &host_loader) << after;
    EXPECT_EQ(xsltGenericError, &host_xslt_generic) << after;
    EXPECT_EQ(xsltGenericErrorContext, &host_context) << after;
    EXPECT_EQ(xsltGetDefaultSecurityPrefs(), prefs_) << after;
  }
  xmlExternalEntityLoader saved_loader_ = nullptr;
  xsltSecurityPrefsPtr saved_prefs_ = nullptr;
  xsltSecurityPrefsPtr prefs_ = nullptr;
};

const char* kTranscription =
    "April 30, 1962\n\nA cable\n\nContents:\n\nTranslation - English\n\n"
    "Zhang [Hanfu] met them [...] on the [illegible] day.\n";

TEST_F(HostSettings, ConvertKeepsTheHostsSettings) {
  std::string error;
  auto profile = teikit::parse_profile(
      "<profile name='p' open='[' close=']'><title>t</title><description>d</description>"
      "<default id='supplied' action='supplied'>x</default></profile>",
      "p.xml", error);
  ASSERT_TRUE(profile) << error;
  expect_host_settings("parse_profile");
  teikit::ConvertResult r = teikit::convert("doc", kTranscription, teikit::ConvertOptions{});
  EXPECT_NE(r.xml.find("<supplied"), std::string::npos);
  expect_host_settings("convert");
}

TEST_F(HostSettings, ParsingUsesTeikitsLoaderAndKeepsTheHosts) {
  // An external entity is not loaded through the host's loader, nor at all: parsing is
  // locked down inside the library, and the host's loader is back afterwards.
  std::string error;
  auto doc = teikit::xml::parse_memory(
      "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/hostname'>]><d>&e;</d>", "d.xml", error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(host_loader_calls, 0);
  EXPECT_EQ(host_generic_calls, 0) << "the library's parse errors went to the host's handler";
  expect_host_settings("parse_memory");
  auto bad = teikit::xml::parse_memory("<d>", "bad.xml", error);
  EXPECT_FALSE(bad);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(host_generic_calls, 0) << "the library's parse errors went to the host's handler";
  expect_host_settings("parse_memory of a broken document");
}

TEST_F(HostSettings, ValidateAndRenderKeepTheHostsSettings) {
  teikit::ConvertResult r = teikit::convert("doc", kTranscription, teikit::ConvertOptions{});
  teikit::ValidationOptions options;
  options.schema_path = teikit::project_schema_path();
  options.rules_path = teikit::project_rules_path();
  teikit::ValidationInput in;
  in.name = "doc.xml";
  in.bytes = r.xml;
  const teikit::ValidationReport report = teikit::validate_documents({in}, options);
  ASSERT_EQ(report.documents.size(), 1u);
  EXPECT_EQ(report.documents[0].verdict, teikit::Verdict::Valid);
  expect_host_settings("validate_documents");

  teikit::Stylesheet sheet(teikit::stylesheet_dir() + "/tei-to-html.xsl");
  ASSERT_TRUE(sheet.valid()) << sheet.error();
  expect_host_settings("Stylesheet");
  std::string error;
  auto doc = teikit::xml::parse_memory(r.xml, "doc.xml", error);
  ASSERT_TRUE(doc) << error;
  std::string page = sheet.apply(doc.get(), {}, error);
  EXPECT_NE(page.find("<html"), std::string::npos) << error;
  expect_host_settings("Stylesheet::apply");
  EXPECT_EQ(host_generic_calls, 0);
  EXPECT_EQ(host_loader_calls, 0);
}

TEST_F(HostSettings, ScopesNestAndRestoreOnlyAtTheOutermost) {
  {
    const teikit::xml::SettingsScope outer;
    EXPECT_NE(xmlGetExternalEntityLoader(), &host_loader);
    const xmlExternalEntityLoader teikits = xmlGetExternalEntityLoader();
    {
      const teikit::xml::SettingsScope inner;
      EXPECT_EQ(xmlGetExternalEntityLoader(), teikits);
    }
    EXPECT_EQ(xmlGetExternalEntityLoader(), teikits) << "an inner scope restored too early";
    EXPECT_EQ(xsltGetDefaultSecurityPrefs(), teikit::xml::locked_security_prefs());
  }
  expect_host_settings("the outermost scope");
}

}  // namespace
