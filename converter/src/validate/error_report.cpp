// Findings of libxml2's validator as diagnostics (error_report.hpp).
#include "error_report.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "teikit/validate/rng_prune.hpp"

namespace teikit {

namespace {

const char* str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

// ---------------------------------------------------------------------------------------------
// libxml2's findings as diagnostics a person can act on.

std::string qualified(const xmlNode* n) {
  std::string name = str(n->name);
  if (n->ns && n->ns->prefix) name = str(n->ns->prefix) + (":" + name);
  return name;
}

// "a, b, c" with at most `limit` names, then "and N more".
std::string list_names(const std::set<std::string>& names, std::size_t limit = 16) {
  std::string out;
  std::size_t i = 0;
  for (const auto& n : names) {
    if (i == limit) {
      out += ", and " + std::to_string(names.size() - limit) + " more";
      break;
    }
    out += (i++ ? ", " : "") + n;
  }
  return out;
}

const xmlAttr* find_attribute(const xmlNode* element, const std::string& local) {
  for (const xmlAttr* a = element ? element->properties : nullptr; a; a = a->next)
    if (local == str(a->name)) return a;
  return nullptr;
}

std::string attribute_written(const xmlAttr* a) {
  std::string name = str(a->name);
  if (a->ns && a->ns->prefix) name = str(a->ns->prefix) + (":" + name);
  return name;
}

std::string full_attribute_value(const xmlAttr* a) {
  xml::XmlCharPtr v(xmlNodeListGetString(a->doc, a->children, 1));
  return str(v.get());
}

// The value as quoted in a message: long ones cut, at a character boundary (the message must
// stay UTF-8).
std::string attribute_value(const xmlAttr* a) {
  std::string s = full_attribute_value(a);
  if (s.size() > 80) {
    std::size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "...";
  }
  return s;
}


// What the unpruned grammar says about element names, cached per name.
class Outlines {
 public:
  explicit Outlines(const xmlDoc* grammar) : grammar_(grammar) {}
  const ElementOutline& of(const xmlNode* element) {
    const std::string ns = element && element->ns ? str(element->ns->href) : "";
    const std::string local = element ? str(element->name) : "";
    auto key = ns + '\x1f' + local;
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      if (!index_) index_ = std::make_unique<GrammarIndex>(grammar_);  // only when needed
      it = cache_.emplace(key, index_->outline(ns, local)).first;
    }
    return it->second;
  }

 private:
  const xmlDoc* grammar_;
  std::unique_ptr<GrammarIndex> index_;
  std::map<std::string, ElementOutline> cache_;
};

// The first element with each xml:id value, in document order; the document is walked once,
// when the first duplicate is reported (walking it for each duplicate was quadratic).
class FirstIds {
 public:
  // The first element before `node` (in document order) with xml:id="value", or null.
  const xmlNode* before(const xmlNode* node, const std::string& value) {
    if (!node) return nullptr;
    if (node->doc != doc_) index(node->doc);
    auto it = first_.find(value);
    return it == first_.end() || it->second == node ? nullptr : it->second;
  }

 private:
  void index(const xmlDoc* doc) {
    doc_ = doc;
    first_.clear();
    const xmlNode* root = doc ? xmlDocGetRootElement(const_cast<xmlDoc*>(doc)) : nullptr;
    std::vector<const xmlNode*> todo;
    if (root) todo.push_back(root);
    while (!todo.empty()) {
      const xmlNode* n = todo.back();
      todo.pop_back();
      xml::XmlCharPtr id(xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE));
      if (id) first_.emplace(str(id.get()), n);  // keeps the first
      const std::size_t mark = todo.size();
      for (const xmlNode* c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) todo.push_back(c);
      std::reverse(todo.begin() + static_cast<std::ptrdiff_t>(mark), todo.end());
    }
  }
  const xmlDoc* doc_ = nullptr;
  std::unordered_map<std::string, const xmlNode*> first_;
};

// The attributes every pattern of the element's name requires that it does not carry (as
// written: a prefixed name must have its prefix).
std::set<std::string> missing_attributes(const xmlNode* node, Outlines* outlines) {
  std::set<std::string> missing;
  const ElementOutline* o = outlines && node ? &outlines->of(node) : nullptr;
  for (const auto& r : o ? o->required_attributes : std::set<std::string>()) {
    const auto colon = r.find(':');
    const std::string local = colon == std::string::npos ? r : r.substr(colon + 1);
    const xmlAttr* a = find_attribute(node, local);
    if (!a || attribute_written(a) != r) missing.insert(r);
  }
  return missing;
}

bool is_ancestor(const xmlNode* a, const xmlNode* n) {
  for (; n; n = n->parent)
    if (n == a) return true;
  return false;
}

std::vector<ValidationDiagnostic> describe(const std::vector<ValidityError>& errors,
                                           const Locator& locator, Outlines* outlines,
                                           std::size_t limit, std::size_t& omitted) {
  omitted = 0;
  // libxml2 reports a cascade: the precise error, then "extra content" and "failed to validate"
  // at the same node or at its ancestors. Keep the precise ones.
  std::set<const xmlNode*> precise;
  for (const auto& e : errors)
    if (e.node && e.domain == XML_FROM_RELAXNGV && e.code != XML_RELAXNG_ERR_CONTENTVALID &&
        e.code != XML_RELAXNG_ERR_ATTRVALID && e.code != XML_RELAXNG_ERR_EXTRACONTENT)
      precise.insert(e.node);
  // The precise nodes and all their ancestors, so that the question costs a lookup (asking
  // each precise node about each error was errors × precise × depth).
  std::set<const xmlNode*> holds_precise;
  for (const xmlNode* p : precise)
    for (const xmlNode* n = p; n && holds_precise.insert(n).second; n = n->parent) {
    }
  auto has_precise_within = [&](const xmlNode* n) { return holds_precise.count(n) != 0; };
  FirstIds first_ids;
  std::set<const xmlNode*> attribute_errors;
  for (const auto& e : errors)
    if (e.domain == XML_FROM_RELAXNGV && e.code == XML_RELAXNG_ERR_INVALIDATTR)
      attribute_errors.insert(e.node);
  std::set<std::pair<const xmlNode*, std::string>> seen;
  NodePaths paths;
  std::vector<ValidationDiagnostic> out;
  const xmlNode* previous = nullptr;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const ValidityError& e = errors[i];
    const xmlNode* node = e.node;
    if (!node) {
      // A node-less "failed to validate attributes" comes just before the error that says which.
      if (e.code == XML_RELAXNG_ERR_ATTRVALID && i + 1 < errors.size() &&
          errors[i + 1].code == XML_RELAXNG_ERR_INVALIDATTR)
        continue;
      node = previous;
    }
    previous = node;
    const std::string element = node && node->type == XML_ELEMENT_NODE ? qualified(node) : e.arg1;
    ValidationDiagnostic v;
    Diagnostic& d = v.diagnostic;
    d.severity = Severity::Error;
    std::string attribute;  // the attribute the error is about, for its position
    if (e.domain == XML_FROM_RELAXNGV) {
      switch (e.code) {
        case XML_RELAXNG_ERR_INVALIDATTR: {
          const xmlAttr* a = find_attribute(node, e.arg1);
          const std::string written = a ? attribute_written(a) : e.arg1;
          attribute = e.arg1;
          const ElementOutline* o = outlines && node ? &outlines->of(node) : nullptr;
          const xmlNode* twin =
              a && written == "xml:id" ? first_ids.before(node, full_attribute_value(a)) : nullptr;
          if (twin) {
            Diagnostic first;
            locator.place(first, twin, static_cast<int>(xmlGetLineNo(twin)), "id");
            d.code = "duplicate-xml-id";
            d.message = "xml:id=\"" + attribute_value(a) + "\" on element " + element +
                        " is already used by element " + qualified(twin) +
                        (first.line ? " at line " + std::to_string(first.line) +
                                          (first.column ? ":" + std::to_string(first.column) : "")
                                    : std::string());
          } else if (a && written == "xml:id" &&
                     xmlValidateNCName(BAD_CAST full_attribute_value(a).c_str(), 0) != 0) {
            d.code = "invalid-attribute-value";
            d.message = "xml:id=\"" + attribute_value(a) + "\" on element " + element +
                        " is not an XML name (it must begin with a letter or _, and have no "
                        "spaces or colons)";
          } else if (o && o->declared && !o->any_attribute && !o->attributes.count(written)) {
            d.code = "attribute-not-allowed";
            d.message = "attribute " + written + " is not allowed on element " + element;
            if (!o->attributes.empty()) d.message += "; allowed: " + list_names(o->attributes, 40);
          } else {
            d.code = "invalid-attribute-value";
            d.message = "invalid value for attribute " + written + " of element " + element;
            if (a) d.message += ": \"" + attribute_value(a) + "\"";
          }
          break;
        }
        case XML_RELAXNG_ERR_ELEMWRONG:
        case XML_RELAXNG_ERR_EXTRACONTENT: {
          if (e.code == XML_RELAXNG_ERR_EXTRACONTENT && precise.count(node)) continue;
          const xmlNode* parent = node && node->parent && node->parent->type == XML_ELEMENT_NODE
                                      ? node->parent
                                      : nullptr;
          d.code = "element-not-allowed";
          const std::string name = node && node->type == XML_ELEMENT_NODE ? qualified(node)
                                   : e.code == XML_RELAXNG_ERR_ELEMWRONG  ? e.arg1
                                                                          : e.arg2;
          d.message = "element " + name + " is not allowed " +
                      (parent ? "in " + qualified(parent) : std::string("as the root element"));
          const ElementOutline* o = outlines && parent ? &outlines->of(parent) : nullptr;
          if (o && o->declared && o->children.count(name) && node &&
              node->type == XML_ELEMENT_NODE) {
            // An element its parent may hold that lacks an attribute every pattern of its name
            // requires: that is the fault, wherever it stands. (The pruned grammar has no
            // pattern for it at all when no document uses the attribute, so libxml2 and the
            // localiser can only say it is out of place; unpruned, libxml2 names the
            // attributes.)
            const std::set<std::string> missing = missing_attributes(node, outlines);
            if (!missing.empty()) {
              d.code = "missing-attribute";
              d.message = "element " + name + " lacks the required attribute" +
                          (missing.size() > 1 ? "s " : " ") + list_names(missing);
              break;
            }
          }
          if (node && node->type == XML_ELEMENT_NODE && !node->ns)
            d.message += " (it is in no namespace: is an xmlns declaration missing?)";
          else if (o && o->declared) {
            if (o->children.count(name))
              d.message += " at this position (order or number of children)";
            else if (o->any_child)
              ;  // a wildcard with exceptions: no list to offer
            else if (o->children.empty())
              d.message += " (" + qualified(parent) + " has no child elements)";
            else
              d.message += "; " + qualified(parent) + " may contain: " + list_names(o->children);
          }
          break;
        }
        case XML_RELAXNG_ERR_ELEMNAME:
          d.code = "unexpected-element";
          d.message = "expected element " + e.arg1 + ", found " + e.arg2;
          break;
        case XML_RELAXNG_ERR_NOELEM:
          d.code = "missing-element";
          d.message =
              "element " + element + " is incomplete: element " + e.arg1 + " is missing at the end";
          break;
        case XML_RELAXNG_ERR_NOTELEM:
        case XML_RELAXNG_ERR_TEXTWRONG:
          d.code = "text-not-allowed";
          d.message = "text is not allowed directly in element " + element;
          break;
        case XML_RELAXNG_ERR_ELEMNOTEMPTY:
          d.code = "element-not-empty";
          d.message = "element " + element + " must be empty";
          break;
        case XML_RELAXNG_ERR_ATTRVALID: {
          if (precise.count(node)) continue;
          const std::set<std::string> missing = missing_attributes(node, outlines);
          if (!missing.empty()) {
            d.code = "missing-attribute";
            d.message = "element " + element + " lacks the required attribute" +
                        (missing.size() > 1 ? "s " : " ") + list_names(missing);
            break;
          }
          d.code = "invalid-attributes";
          d.message = "the attributes of element " + element + " do not match the schema";
          if (node && node->properties) {  // libxml2 does not say which: show what there is
            std::string has;
            int n = 0;
            for (const xmlAttr* a = node->properties; a && n < 6; a = a->next, ++n)
              has += (n ? " " : "") + attribute_written(a) + "=\"" + attribute_value(a) + "\"";
            d.message +=
                " (" + element + " has " + has + (node->properties && n == 6 ? " …" : "") + ")";
          }
          break;
        }
        case XML_RELAXNG_ERR_CONTENTVALID:
          if (node && has_precise_within(node)) continue;
          d.code = "invalid-content";
          d.message = "the content of element " + element + " does not match the schema";
          break;
        case XML_RELAXNG_ERR_DATATYPE:
        case XML_RELAXNG_ERR_VALUE:
        case XML_RELAXNG_ERR_LIST:
        case XML_RELAXNG_ERR_LISTEMPTY:
        case XML_RELAXNG_ERR_LISTEXTRA:
        case XML_RELAXNG_ERR_TYPEVAL:
          // Often the detail of an attribute error on the same element, said better there.
          if (attribute_errors.count(node)) continue;
          d.code = "invalid-value";
          d.message = "a value in element " + element + " is not valid: " + e.message;
          break;
        default:
          d.code = "schema-violation";
          d.message = e.message;
      }
    } else {
      d.code = "schema-violation";
      d.message = e.message;
    }
    if (!seen.insert({node, d.code + d.message}).second) continue;
    if (limit && out.size() >= limit) {
      // Counted only: placing it and its path cost up to the node's position each.
      ++omitted;
      continue;
    }
    locator.place(d, node, e.line, attribute);
    v.path = node ? paths.of(node) : "";
    out.push_back(std::move(v));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Finding the precise error under a cascade.
//
// When an element can match several patterns (teikit.rng has p.text and p.plain, TEI's classes
// overlap), libxml2 tries each with errors suppressed and, when all fail, blames the element's
// position in its parent ("Did not expect element p there"), although the fault is inside it
// (a gap with a wrong @reason). So such an element is validated again on its own, against each
// define of its name as the start: the define that fits best (fewest errors) tells what is
// wrong inside, and the same is done one level further down while errors remain cascades.

bool is_cascade(const ValidityError& e) {
  return e.domain == XML_FROM_RELAXNGV &&
         (e.code == XML_RELAXNG_ERR_ELEMWRONG || e.code == XML_RELAXNG_ERR_EXTRACONTENT ||
          e.code == XML_RELAXNG_ERR_CONTENTVALID || e.code == XML_RELAXNG_ERR_ATTRVALID ||
          e.code == XML_RELAXNG_ERR_ELEMNAME) &&
         e.node && e.node->type == XML_ELEMENT_NODE;
}

class Localizer {
 public:
  explicit Localizer(const xmlDoc* grammar) : grammar_(grammar), index_(grammar) {}

  // Replaces cascades by what validating the elements involved on their own finds.
  //
  // The work is bounded per document, whatever its shape: each element is checked alone at most
  // once (memoised), a finding is kept once, where it was found, and referred to by the
  // elements above it (never copied into each level: with 40 nested elements that copying
  // was 2^40), and the elements re-checked may hold at most kBudgetFactor × the document's
  // elements (plus a constant) in all. When the budget runs out the remaining cascades are
  // reported as libxml2 gave them.
  std::vector<ValidityError> refine(const xmlDoc* doc, const std::vector<ValidityError>& errors) {
    // Per document: node addresses of a freed document can come back in the next one.
    done_.clear();
    chosen_.clear();
    scanned_.clear();
    compiled_this_document_ = 0;
    std::size_t elements = 0;
    count_elements(doc ? xmlDocGetRootElement(const_cast<xmlDoc*>(doc)) : nullptr, elements);
    budget_ = kBudgetConstant + kBudgetFactor * elements;
    std::vector<Item> items;
    bool any_node = false;
    for (const auto& e : errors) any_node = any_node || e.node;
    const xmlNode* root = doc ? xmlDocGetRootElement(const_cast<xmlDoc*>(doc)) : nullptr;
    if (!any_node && !errors.empty() && root && localize(root, 0) && done_[root]->nonempty) {
      // libxml2 said what is wrong but not where (an element's attributes that fit none of the
      // choices it was tried against: "Element gap failed to validate attributes"): checking the
      // elements alone, from the root down, finds the element and words the finding there.
      std::vector<ValidityError> out;
      std::set<const xmlNode*> visited;
      flatten({Item{root, {}}}, visited, out);
      return out;
    }
    for (const auto& e : errors) {
      if (!e.node && any_node) continue;  // a vague echo of an error that has a node
      if (is_cascade(e)) {
        const xmlNode* scope = cascade_scope(e);
        auto it = scanned_.find(scope);
        if (it != scanned_.end()) {
          if (it->second) continue;  // its findings are in already
        } else {
          std::vector<Item> found = scan(scope, 0);
          const bool any = nonempty(found);
          scanned_[scope] = any;
          if (any) {
            keep_position_error(e, scope, found);
            append(items, std::move(found));
            continue;
          }
        }
      }
      items.push_back(Item{nullptr, e});
    }
    std::vector<ValidityError> out;
    std::set<const xmlNode*> visited;
    flatten(items, visited, out);
    return out;
  }

 private:
  // Elements re-checked alone, per document: this many nodes plus this many times the
  // document's elements. A chain of N nested invalid elements needs about N²/2 (each level
  // checks the subtree below it), so a few hundred levels fit; a larger document gets a budget
  // in proportion.
  static constexpr std::size_t kBudgetConstant = 200000;
  static constexpr std::size_t kBudgetFactor = 8;
  // How far below a cascade the search goes: deeper than libxml2 parses (256), so the budget,
  // not the depth, is what bounds it.
  static constexpr int kMaxDepth = 300;
  // Grammars compiled for elements of one document (each costs milliseconds for tei_all).
  static constexpr std::size_t kMaxCompilesPerDocument = 64;

  // A finding (ref null) or the findings of element `ref` (done_[ref]), in document order.
  struct Item {
    const xmlNode* ref = nullptr;
    ValidityError error;
  };
  struct Result {
    std::vector<Item> items;
    bool nonempty = false;  // whether flattening gives at least one error
  };

  static void count_elements(const xmlNode* root, std::size_t& n) {
    std::vector<const xmlNode*> todo;
    if (root) todo.push_back(root);
    while (!todo.empty()) {
      const xmlNode* e = todo.back();
      todo.pop_back();
      ++n;
      for (const xmlNode* c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) todo.push_back(c);
    }
  }

  static std::size_t subtree_size(const xmlNode* element) {
    std::size_t n = 0;
    count_elements(element, n);
    return n;
  }

  bool nonempty(const std::vector<Item>& items) const {
    for (const Item& i : items) {
      if (!i.ref) return true;
      auto it = done_.find(i.ref);
      if (it != done_.end() && it->second && it->second->nonempty) return true;
    }
    return false;
  }

  static void append(std::vector<Item>& to, std::vector<Item>&& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }

  // The errors the items stand for, each element's findings once (first mention).
  void flatten(const std::vector<Item>& items, std::set<const xmlNode*>& visited,
               std::vector<ValidityError>& out) const {
    for (const Item& i : items) {
      if (!i.ref) {
        out.push_back(i.error);
        continue;
      }
      if (!visited.insert(i.ref).second) continue;
      auto it = done_.find(i.ref);
      if (it != done_.end() && it->second) flatten(it->second->items, visited, out);
    }
  }

  // libxml2 names the first child of `scope` it cannot place. When that child is valid alone and
  // comes before every child with findings of its own, its position is the first fault of the
  // content (the children before it fit, alone and where they are): it is kept, first, instead
  // of being replaced by the findings of a later child ("closer, p with a bad attribute": the
  // closer is out of place before the attribute is wrong).
  void keep_position_error(const ValidityError& e, const xmlNode* scope, std::vector<Item>& found) {
    if (e.code != XML_RELAXNG_ERR_ELEMWRONG && e.code != XML_RELAXNG_ERR_EXTRACONTENT) return;
    if (!e.node || e.node == scope || e.node->parent != scope) return;
    auto own = done_.find(e.node);
    if (own != done_.end() && own->second && own->second->nonempty) return;
    const xmlNode* first = nullptr;  // the first child with findings
    for (const Item& i : found) {
      auto it = done_.find(i.ref);
      if (it != done_.end() && it->second && it->second->nonempty) {
        first = i.ref;
        break;
      }
    }
    for (const xmlNode* c = scope->children; c; c = c->next) {
      if (c == first) return;
      if (c == e.node) break;
    }
    found.insert(found.begin(), Item{nullptr, e});
  }

  // The element whose content a cascade is about: the element itself for "failed to validate",
  // its parent for "not expected here".
  static const xmlNode* cascade_scope(const ValidityError& e) {
    if (e.code == XML_RELAXNG_ERR_CONTENTVALID || e.code == XML_RELAXNG_ERR_ATTRVALID)
      return e.node;
    return e.node->parent && e.node->parent->type == XML_ELEMENT_NODE ? e.node->parent : e.node;
  }

  // Memoised: the index walks the whole grammar on each call, and a run of 10^4 siblings asks
  // the same two questions 10^4 times (the grammar does not change during the job).
  const std::vector<std::string>& defines_of(const xmlNode* element) {
    std::pair<std::string, std::string> key(element->ns ? str(element->ns->href) : "",
                                            str(element->name));
    auto it = defines_cache_.find(key);
    if (it == defines_cache_.end()) {
      std::vector<std::string> found = index_.element_defines(key.first, key.second);
      it = defines_cache_.emplace(std::move(key), std::move(found)).first;
    }
    return it->second;
  }

  const std::set<std::string>& child_defines(const std::string& define) {
    auto it = children_cache_.find(define);
    if (it == children_cache_.end())
      it = children_cache_.emplace(define, index_.child_element_defines(define)).first;
    return it->second;
  }

  // The defines that can apply to `element` in its parent: those the parent's own defines
  // refer to (date.text inside p, not date.bibl), all of its name when that says nothing.
  std::vector<std::string> candidates(const xmlNode* element) {
    std::vector<std::string> all = defines_of(element), in_context;
    const xmlNode* parent = element->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE) return all;
    auto chosen = chosen_.find(parent);
    std::set<std::string> allowed;
    for (const auto& pd :
         chosen != chosen_.end() ? std::vector<std::string>{chosen->second} : defines_of(parent)) {
      const auto& kids = child_defines(pd);
      allowed.insert(kids.begin(), kids.end());
    }
    for (const auto& d : all)
      if (allowed.count(d)) in_context.push_back(d);
    return in_context.empty() ? all : in_context;
  }

  // References to the children of `scope` that are invalid on their own.
  std::vector<Item> scan(const xmlNode* scope, int depth) {
    std::vector<Item> out;
    if (!scope || depth > kMaxDepth) return out;
    for (const xmlNode* c = scope->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (localize(c, depth + 1)) out.push_back(Item{c, {}});
    }
    return out;
  }

  // Whether `element` has findings of its own when checked alone (then done_[element] holds
  // them); false when it is valid on its own (its position is what is wrong) or cannot be
  // checked alone (no define, or the budget is spent).
  bool localize(const xmlNode* element, int depth) {
    auto memo = done_.find(element);
    if (memo != done_.end()) return memo->second.has_value();
    done_[element] = std::nullopt;  // also breaks cycles while this element is being checked
    const std::size_t size = subtree_size(element);
    std::optional<std::vector<ValidityError>> best;
    const std::vector<std::string> defines = candidates(element);
    NameSet names;
    if (!defines.empty()) names.add_subtree(element);
    for (const std::string& define : defines) {
      if (budget_ < size) return false;  // stays "cannot be checked alone"
      budget_ -= size;
      const RelaxNgSchema* schema = schema_for(define, names);
      if (!schema) continue;
      std::vector<ValidityError> errors;
      if (validate_alone(*schema, element, errors)) return false;  // fits: the position is wrong
      if (!best || errors.size() < best->size()) {
        best = std::move(errors);
        chosen_[element] = define;
      }
    }
    if (!best || best->empty()) return false;
    std::vector<Item> out;
    std::set<const xmlNode*> scopes;
    bool any_node = false;
    for (const auto& e : *best) any_node = any_node || e.node;
    for (auto& e : *best) {
      if (!e.node && any_node) continue;
      if (!e.node && depth < kMaxDepth && !scopes.count(element)) {
        // No node: some element inside, named in the message, is wrong. Find it.
        scopes.insert(element);
        std::vector<Item> found = scan(element, depth);
        if (nonempty(found)) {
          append(out, std::move(found));
          continue;
        }
      }
      if (is_cascade(e) && depth < kMaxDepth) {
        const xmlNode* scope = cascade_scope(e);
        if (scope && is_ancestor(element, scope)) {
          if (scopes.count(scope)) continue;
          scopes.insert(scope);
          std::vector<Item> found = scan(scope, depth);
          if (nonempty(found)) {
            keep_position_error(e, scope, found);
            append(out, std::move(found));
            continue;
          }
        }
      }
      out.push_back(Item{nullptr, std::move(e)});
    }
    Result r;
    r.nonempty = nonempty(out);
    r.items = std::move(out);
    done_[element] = std::move(r);
    return true;
  }

  // The grammar started at `define` and pruned to the names inside the element: compiling the
  // job's whole grammar again for each element checked would cost as much as the first time.
  const RelaxNgSchema* schema_for(const std::string& define, const NameSet& names) {
    const std::string key = define + '\x1f' + names.key();
    auto it = schemas_.find(key);
    if (it == schemas_.end()) {
      if (compiled_this_document_ >= kMaxCompilesPerDocument) return nullptr;
      ++compiled_this_document_;
      std::unique_ptr<RelaxNgSchema> schema;
      if (xml::DocPtr g = grammar_starting_at(grammar_, define)) {
        xml::DocPtr pruned = prune_grammar(g.get(), names);
        if (pruned) {
          schema = std::make_unique<RelaxNgSchema>(pruned.get());
          if (!schema->valid()) schema.reset();
        }
      }
      it = schemas_.emplace(key, std::move(schema)).first;
    }
    return it->second.get();
  }

  // Validates a copy of the subtree of `element` as a document; errors point at the originals.
  // False also when the copy cannot be made (out of memory): then nothing is learnt.
  static bool validate_alone(const RelaxNgSchema& schema, const xmlNode* element,
                             std::vector<ValidityError>& errors) {
    xml::DocPtr doc(xmlNewDoc(BAD_CAST "1.0"));
    if (!doc) return false;
    xmlNode* copy = xmlDocCopyNode(const_cast<xmlNode*>(element), doc.get(), 1);
    if (!copy) return false;
    xmlDocSetRootElement(doc.get(), copy);
    xmlReconciliateNs(doc.get(), copy);
    std::unordered_map<const xmlNode*, const xmlNode*> original;
    std::vector<std::pair<const xmlNode*, const xmlNode*>> todo{{copy, element}};
    while (!todo.empty()) {
      auto [c, o] = todo.back();
      todo.pop_back();
      original[c] = o;
      for (const xmlNode *cc = c->children, *oc = o->children; cc && oc;
           cc = cc->next, oc = oc->next)
        todo.emplace_back(cc, oc);
    }
    const bool valid = schema.validate(doc.get(), errors);
    for (auto& e : errors) {
      auto it = original.find(e.node);
      e.node = it != original.end() ? it->second : nullptr;
      // libxml2 reports some errors of the root without a node; here the root is `element`.
      if (!e.node && e.arg1 == qualified(element)) e.node = element;
      if (e.node) e.line = static_cast<int>(xmlGetLineNo(e.node));
    }
    return valid;
  }

  const xmlDoc* grammar_;
  GrammarIndex index_;
  std::map<const xmlNode*, std::string> chosen_;  // element → the define that fitted best
  std::map<std::string, std::unique_ptr<RelaxNgSchema>> schemas_;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> defines_cache_;
  std::map<std::string, std::set<std::string>> children_cache_;
  std::unordered_map<const xmlNode*, std::optional<Result>> done_;
  std::unordered_map<const xmlNode*, bool> scanned_;  // scope → whether scanning found errors
  std::size_t budget_ = 0;
  std::size_t compiled_this_document_ = 0;
};

}  // namespace

void NodePaths::index(const xmlNode* parent) {
  indexed_.insert(parent);
  // Same-named: the same local name and the same namespace (none, or one URI).
  auto key = [](const xmlNode* n) {
    return (n->ns ? str(n->ns->href) : std::string("\x01")) + '\x1f' + str(n->name);
  };
  std::unordered_map<std::string, std::size_t> count;
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) steps_[c].ordinal = ++count[key(c)];
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) steps_[c].numbered = count[key(c)] > 1;
}

std::string NodePaths::of(const xmlNode* node) {
  std::string attr;
  if (node && node->type == XML_ATTRIBUTE_NODE) {
    attr = "/@" + qualified(node);
    node = node->parent;
  }
  while (node && node->type != XML_ELEMENT_NODE) node = node->parent;
  std::string path;
  for (; node && node->type == XML_ELEMENT_NODE; node = node->parent) {
    std::string step = "/" + qualified(node);
    // The root (no parent, or the document as parent) has no siblings of its kind to count.
    if (node->parent) {
      if (!indexed_.count(node->parent)) index(node->parent);
      const Step& s = steps_[node];
      if (s.numbered) step += "[" + std::to_string(s.ordinal) + "]";
    }
    path = step + path;
  }
  return path + attr;
}

struct ErrorReport::Parts {
  explicit Parts(const xmlDoc* grammar) : outlines(grammar) {}
  Outlines outlines;
  std::optional<Localizer> localizer;
};

ErrorReport::ErrorReport(const xmlDoc* grammar, const xmlDoc* compiled)
    : parts_(std::make_unique<Parts>(grammar)) {
  if (compiled) parts_->localizer.emplace(compiled);
}

ErrorReport::~ErrorReport() = default;

std::vector<ValidationDiagnostic> ErrorReport::diagnostics(const xmlDoc* doc,
                                                           const std::vector<ValidityError>& errors,
                                                           bool valid, const Locator& where,
                                                           std::size_t limit,
                                                           std::size_t& omitted) {
  if (!valid && parts_->localizer)
    return describe(parts_->localizer->refine(doc, errors), where, &parts_->outlines, limit,
                    omitted);
  return describe(errors, where, &parts_->outlines, limit, omitted);
}

}  // namespace teikit
