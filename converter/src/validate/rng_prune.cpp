// Grammar pruning (see rng_prune.hpp for why it keeps verdicts). The RelaxNG specification
// sections cited are those of the OASIS RELAX NG Specification, 3 December 2001.
#include "teikit/validate/rng_prune.hpp"

#include <libxml/uri.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace teikit {

namespace {

constexpr const char* kRngNs = "http://relaxng.org/ns/structure/1.0";
constexpr const char* kXmlNs = "http://www.w3.org/XML/1998/namespace";

std::string name_key(const std::string& ns, const std::string& local) {
  return ns + '\x1f' + local;
}

const char* str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

// strcmp, not xmlStrEqual: the same test, but libc's compares words at a time, and these two
// run on every node of the grammar many times over (a tenth of a small collection's time went
// to xmlStrEqual here).
bool is_rng(const xmlNode* n) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), kRngNs) == 0;
}
bool is_rng(const xmlNode* n, const char* name) {
  return is_rng(n) && n->name && std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

std::vector<xmlNode*> rng_children(xmlNode* n) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = n->children; c; c = c->next)
    if (is_rng(c)) out.push_back(c);
  return out;
}

std::string prop(const xmlNode* n, const char* name) {
  xml::XmlCharPtr v(xmlGetNoNsProp(n, BAD_CAST name));
  return v ? str(v.get()) : std::string();
}
bool has_prop(const xmlNode* n, const char* name) {
  return xmlHasNsProp(n, BAD_CAST name, nullptr) != nullptr;
}

std::string trimmed(std::string s) {
  const char* ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// The ns value in force at `n` (4.9: inherited from the nearest ancestor-or-self that has one).
std::string inherited_ns(const xmlNode* n) {
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
    if (has_prop(n, "ns")) return prop(n, "ns");
  return "";
}

// Resolves a QName written in the grammar at `context`; `default_ns` applies without a prefix.
// Returns false for an undeclared prefix (then the caller keeps the pattern).
bool resolve_qname(xmlDoc* doc, xmlNode* context, const std::string& qname,
                   const std::string& default_ns, std::pair<std::string, std::string>& out) {
  const auto colon = qname.find(':');
  if (colon == std::string::npos) {
    out = {default_ns, qname};
    return true;
  }
  const std::string prefix = qname.substr(0, colon);
  if (prefix == "xml") {
    out = {kXmlNs, qname.substr(colon + 1)};
    return true;
  }
  xmlNs* ns = xmlSearchNs(doc, context, BAD_CAST prefix.c_str());
  if (!ns) return false;
  out = {str(ns->href), qname.substr(colon + 1)};
  return true;
}

// The names a simple name class can match: false for anyName/nsName (or anything unknown).
bool name_class_names(xmlDoc* doc, xmlNode* nc,
                      std::vector<std::pair<std::string, std::string>>& out) {
  if (is_rng(nc, "name")) {
    std::pair<std::string, std::string> q;
    xml::XmlCharPtr text(xmlNodeGetContent(nc));
    if (!resolve_qname(doc, nc, trimmed(str(text.get())), inherited_ns(nc), q)) return false;
    out.push_back(q);
    return true;
  }
  if (is_rng(nc, "choice")) {
    for (xmlNode* c : rng_children(nc))
      if (!name_class_names(doc, c, out)) return false;
    return true;
  }
  return false;
}

// The names `pattern` (an element or attribute) can have; false when it is not a simple list.
bool pattern_names(xmlDoc* doc, xmlNode* pattern,
                   std::vector<std::pair<std::string, std::string>>& out) {
  const bool attribute = is_rng(pattern, "attribute");
  if (has_prop(pattern, "name")) {
    // 4.8: a name attribute on attribute takes ns only from the attribute itself, never
    // inherited; on element the inherited ns applies.
    const std::string default_ns =
        attribute ? (has_prop(pattern, "ns") ? prop(pattern, "ns") : "") : inherited_ns(pattern);
    std::pair<std::string, std::string> q;
    if (!resolve_qname(doc, pattern, trimmed(prop(pattern, "name")), default_ns, q)) return false;
    out.push_back(q);
    return true;
  }
  auto kids = rng_children(pattern);
  return !kids.empty() && name_class_names(doc, kids.front(), out);
}

class Pruner {
 public:
  Pruner(xmlDoc* doc, const NameSet& names, PruneStats& stats)
      : doc_(doc), names_(names), stats_(stats) {}

  void run() {
    xmlNode* root = xmlDocGetRootElement(doc_);
    if (!is_rng(root)) return;  // not RelaxNG XML syntax: leave it to libxml2
    drop_foreign(root);
    stats_.self_contained = is_rng(root, "grammar") && self_contained(root);
    if (is_rng(root, "grammar")) collect_defines(root);
    protect_roots(root);
    protect_required_children(root);
    prune_by_name(root);
    propagate(root);
    if (stats_.self_contained) {
      flatten_choices(root);
      drop_unreachable();
    }
    count_kept(root);
  }

 private:
  // Annotations and comments mean nothing to a validator (4.1, 4.2); dropping them saves
  // libxml2 the work of walking 2 MB of documentation.
  void drop_foreign(xmlNode* n) {
    for (xmlNode* c = n->children; c;) {
      xmlNode* next = c->next;
      if ((c->type == XML_ELEMENT_NODE && !is_rng(c)) || c->type == XML_COMMENT_NODE ||
          c->type == XML_PI_NODE) {
        xmlUnlinkNode(c);
        xmlFreeNode(c);
      } else if (c->type == XML_ELEMENT_NODE) {
        drop_foreign(c);
      }
      c = next;
    }
  }

  bool self_contained(xmlNode* n) {
    for (xmlNode* c = n->children; c; c = c->next) {
      if (!is_rng(c)) continue;
      if (is_rng(c, "include") || is_rng(c, "externalRef") || is_rng(c, "parentRef") ||
          is_rng(c, "grammar"))
        return false;
      if (!self_contained(c)) return false;
    }
    return true;
  }

  // Defines and starts of the top grammar, also inside div (4.12 flattens div).
  void collect_defines(xmlNode* grammar) {
    for (xmlNode* c : rng_children(grammar)) {
      if (is_rng(c, "define"))
        defines_[prop(c, "name")].push_back(c);
      else if (is_rng(c, "start"))
        starts_.push_back(c);
      else if (is_rng(c, "div"))
        collect_defines(c);
    }
  }

  // Element patterns reachable from start without crossing an element: what a root can be.
  void protect_roots(xmlNode* root) {
    std::set<std::string> seen;
    std::function<void(xmlNode*)> walk = [&](xmlNode* n) {
      if (is_rng(n, "element")) {
        protected_.insert(n);
        return;
      }
      if (is_rng(n, "ref")) {
        const std::string name = prop(n, "name");
        if (!seen.insert(name).second) return;
        auto it = defines_.find(name);
        if (it == defines_.end()) return;
        for (xmlNode* d : it->second)
          for (xmlNode* c : rng_children(d)) walk(c);
        return;
      }
      for (xmlNode* c : rng_children(n)) walk(c);
    };
    if (is_rng(root, "grammar")) {
      for (xmlNode* s : starts_) walk(s);
    } else {
      walk(root);
    }
  }

  // Element patterns that an element of the documents must contain (reached from its content
  // through groups, oneOrMore and refs, not through optional, zeroOrMore or choice) are kept
  // even when absent, with whatever content pruning leaves them. Pruned, a missing required
  // child would make its parent notAllowed, and libxml2 would blame the parent ("Did not
  // expect element TEI there"); kept, it says what is missing ("Expecting an element
  // teiHeader, got text"). Sound either way: an absent element's pattern matches nothing.
  void protect_required_children(xmlNode* n) {
    for (xmlNode* c : rng_children(n)) {
      if (is_rng(c, "element")) {
        std::vector<std::pair<std::string, std::string>> names;
        if (protected_.count(c) || (pattern_names(doc_, c, names) && occurs(names, false))) {
          std::set<std::string> seen;
          for (xmlNode* k : patterns(c)) walk_required(k, seen);
        }
      }
      protect_required_children(c);
    }
  }

  void walk_required(xmlNode* n, std::set<std::string>& seen) {
    if (is_rng(n, "element")) {
      protected_.insert(n);
      return;
    }
    if (is_rng(n, "ref")) {
      const std::string name = prop(n, "name");
      auto it = defines_.find(name);
      if (!seen.insert(name).second || it == defines_.end() || it->second.size() != 1) return;
      for (xmlNode* k : rng_children(it->second.front())) walk_required(k, seen);
      return;
    }
    if (is_rng(n, "group") || is_rng(n, "oneOrMore") || is_rng(n, "interleave") ||
        is_rng(n, "mixed"))
      for (xmlNode* k : rng_children(n)) walk_required(k, seen);
  }

  bool occurs(const std::vector<std::pair<std::string, std::string>>& names, bool attribute) {
    for (const auto& [ns, local] : names)
      if (attribute ? names_.has_attribute(ns, local) : names_.has_element(ns, local)) return true;
    return false;
  }

  xmlNode* replace(xmlNode* old, const char* with) {
    xmlNode* fresh = xmlNewDocNode(doc_, nullptr, BAD_CAST with, nullptr);
    xmlReplaceNode(old, fresh);
    xmlFreeNode(old);
    // The old node may have declared the RelaxNG namespace itself; that declaration is gone now.
    xmlNs* ns = xmlSearchNsByHref(doc_, fresh, BAD_CAST kRngNs);
    if (!ns) ns = xmlNewNs(fresh, BAD_CAST kRngNs, nullptr);
    xmlSetNs(fresh, ns);
    return fresh;
  }

  void prune_by_name(xmlNode* n) {
    for (xmlNode* c = n->children; c;) {
      xmlNode* next = c->next;
      if (is_rng(c, "element") || is_rng(c, "attribute")) {
        const bool attribute = is_rng(c, "attribute");
        std::vector<std::pair<std::string, std::string>> names;
        if (!protected_.count(c) && pattern_names(doc_, c, names) &&
            !occurs(names, attribute)) {
          replace(c, "notAllowed");
          ++(attribute ? stats_.attributes_pruned : stats_.elements_pruned);
          c = next;
          continue;
        }
      }
      if (is_rng(c)) prune_by_name(c);
      c = next;
    }
  }

  static bool not_allowed(const xmlNode* n) { return is_rng(n, "notAllowed"); }
  static bool empty(const xmlNode* n) { return is_rng(n, "empty"); }

  // Pattern children of `n`: for element and attribute, without the name class.
  static std::vector<xmlNode*> patterns(xmlNode* n) {
    auto kids = rng_children(n);
    if ((is_rng(n, "element") || is_rng(n, "attribute")) && !has_prop(n, "name") && !kids.empty())
      kids.erase(kids.begin());
    return kids;
  }

  // Puts `child` where `parent` stood. Namespace declarations and the inherited ns and
  // datatypeLibrary attributes of `parent` go with it, so that names and datatypes inside
  // `child` keep their meaning.
  xmlNode* hoist(xmlNode* parent, xmlNode* child) {
    for (const char* inherited : {"ns", "datatypeLibrary"})
      if (has_prop(parent, inherited) && !has_prop(child, inherited))
        xmlSetProp(child, BAD_CAST inherited, BAD_CAST prop(parent, inherited).c_str());
    xmlUnlinkNode(child);
    if (parent->nsDef) {
      xmlNs** tail = &child->nsDef;
      while (*tail) tail = &(*tail)->next;
      *tail = parent->nsDef;
      parent->nsDef = nullptr;
    }
    xmlReplaceNode(parent, child);
    xmlFreeNode(parent);
    changed_ = true;
    return child;
  }

  void drop(xmlNode* n) {
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    changed_ = true;
  }

  // The simplification rules of 4.20 for notAllowed and empty, bottom-up; returns the node now
  // standing where `n` stood. Doing all of them here matters: libxml2 2.9's own simplification
  // (xmlRelaxNGSimplify) gets some of them wrong, e.g. it turns oneOrMore(x, empty) into empty
  // and zeroOrMore(notAllowed) into notAllowed, and never saw such patterns in an unpruned TEI
  // schema, but a pruned one is full of them.
  xmlNode* simplify(xmlNode* n) {
    if (is_rng(n, "data") || is_rng(n, "value") || is_rng(n, "text") || empty(n) ||
        not_allowed(n) || is_rng(n, "param"))
      return n;
    if (is_rng(n, "ref")) {
      const std::string name = prop(n, "name");
      if (dead_.count(name)) {
        changed_ = true;
        return replace(n, "notAllowed");
      }
      if (empty_.count(name)) {
        changed_ = true;
        return replace(n, "empty");
      }
      return n;
    }
    auto kids = patterns(n);
    for (xmlNode*& k : kids) k = simplify(k);
    bool any_dead = false, all_dead = !kids.empty(), all_empty = !kids.empty();
    for (xmlNode* k : kids) {
      any_dead = any_dead || not_allowed(k);
      all_dead = all_dead && not_allowed(k);
      all_empty = all_empty && empty(k);
    }
    const bool is_protected = protected_.count(n) > 0;
    if (is_rng(n, "choice")) {
      if (all_dead) {
        changed_ = true;
        return replace(n, "notAllowed");
      }
      bool kept_empty = false;
      for (xmlNode* k : kids) {
        if (not_allowed(k) || (empty(k) && kept_empty))
          drop(k);
        else
          kept_empty = kept_empty || empty(k);
      }
      if (all_empty) {
        changed_ = true;
        return replace(n, "empty");
      }
      // A choice of one: libxml2 never makes such a choice "triable" (dispatch on the element
      // name), so it would try the branch with errors suppressed and report a cascade of
      // vague errors at the ancestors instead of the precise one ("Invalid attribute when for
      // element date"). Unwrapped, the pruned grammar gives the same messages as the full one.
      std::vector<xmlNode*> left;
      for (xmlNode* k : patterns(n)) left.push_back(k);
      if (left.size() == 1) return hoist(n, left.front());
      return n;
    }
    // Everything else holds an implicit group: one notAllowed part makes it notAllowed
    // (optional and zeroOrMore of that are empty), and empty parts can go.
    if (any_dead) {
      if (is_rng(n, "optional") || is_rng(n, "zeroOrMore")) {
        changed_ = true;
        return replace(n, "empty");
      }
      if (is_rng(n, "group") || is_rng(n, "interleave") || is_rng(n, "oneOrMore") ||
          is_rng(n, "list") || is_rng(n, "mixed") || is_rng(n, "attribute") ||
          (is_rng(n, "element") && !is_protected)) {
        changed_ = true;
        return replace(n, "notAllowed");
      }
      return n;  // define, start, a protected root element: judged by their users
    }
    const bool container = is_rng(n, "group") || is_rng(n, "interleave") ||
                           is_rng(n, "oneOrMore") || is_rng(n, "zeroOrMore") ||
                           is_rng(n, "optional");
    if (container && all_empty) {
      changed_ = true;
      return replace(n, "empty");
    }
    // mixed p is interleave(p, text) (RELAX NG 4.12) and interleave(empty, text) is text
    // (4.20). Left as mixed{empty}, libxml2 2.9 refuses it beside a sibling of the same shape
    // ("Element or text conflicts in interleave"): the project schema's bibl pruned for a
    // document with @type and none of bibl's children.
    if (is_rng(n, "mixed") && all_empty) {
      changed_ = true;
      return replace(n, "text");
    }
    // A group or interleave of one: libxml2's own simplification rewrites it in place and, when
    // the group is the content of a define used from several places, can tie the sibling list
    // into a loop (xmlRelaxNGSimplify then never returns). group(p) is p.
    if (is_rng(n, "group") || is_rng(n, "interleave")) {
      std::vector<xmlNode*> left;
      for (xmlNode* k : patterns(n))
        if (!empty(k)) left.push_back(k);
      if (left.size() == 1 && patterns(n).size() == 1) return hoist(n, left.front());
    }
    if (container || is_rng(n, "element") || is_rng(n, "define")) {
      // Keep one child: element and define need content (an element of only empty is empty).
      std::size_t left = kids.size();
      for (xmlNode* k : kids)
        if (empty(k) && left > 1) {
          drop(k);
          --left;
        }
    }
    return n;
  }

  // Local simplification everywhere (sound without knowing the defines).
  void simplify_all(xmlNode* n) {
    for (xmlNode* c : rng_children(n)) {
      if (is_rng(c, "grammar") || is_rng(c, "div") || is_rng(c, "include"))
        simplify_all(c);
      else
        simplify(c);
    }
  }

  void propagate(xmlNode* root) {
    for (;;) {
      changed_ = false;
      simplify_all(root);
      if (!stats_.self_contained) return;  // refs may point into files we do not see
      bool new_facts = false;
      for (auto& [name, parts] : defines_) {
        if (dead_.count(name) || empty_.count(name)) continue;
        bool interleave = false, any_dead = false, all_dead = true, all_empty = true;
        for (xmlNode* d : parts) {
          interleave = interleave || prop(d, "combine") == "interleave";
          bool part_dead = false;
          const auto kids = rng_children(d);
          for (xmlNode* k : kids) part_dead = part_dead || not_allowed(k);
          any_dead = any_dead || part_dead;
          all_dead = all_dead && part_dead;
          all_empty = all_empty && kids.size() == 1 && empty(kids.front());
        }
        if (interleave ? any_dead : all_dead) {
          dead_.insert(name);
          new_facts = true;
        } else if (all_empty) {
          empty_.insert(name);
          new_facts = true;
        }
      }
      if (!new_facts && !changed_) break;
    }
  }

  // The leaves of a "class" define: one whose every part is a single choice or ref (TEI's
  // model.* classes), followed down through such classes to refs, text and empty. Null when
  // the define is not such a class (or holds anything else). Memoised by name, as strings, so
  // that rewriting the tree cannot invalidate them; RelaxNG forbids ref cycles that do not
  // pass through an element, so the recursion ends.
  const std::vector<std::string>* class_leaves(const std::string& name) {
    auto memo = leaves_.find(name);
    if (memo != leaves_.end()) return memo->second ? &*memo->second : nullptr;
    leaves_[name] = std::nullopt;  // provisional, in case of a (forbidden) cycle
    auto it = defines_.find(name);
    if (it == defines_.end() || it->second.empty() || dead_.count(name) || empty_.count(name))
      return nullptr;
    std::vector<std::string> out;
    for (xmlNode* d : it->second) {
      if (prop(d, "combine") == "interleave") return nullptr;
      const auto kids = rng_children(d);
      if (kids.size() != 1 || !leaves_of(kids[0], out)) return nullptr;
    }
    leaves_[name] = std::move(out);
    return &*leaves_[name];
  }

  // Appends the simple leaves of pattern `n` ("ref NAME", "text", "empty"); false when it has
  // any other kind of leaf.
  bool leaves_of(xmlNode* n, std::vector<std::string>& out) {
    if (is_rng(n, "choice")) {
      for (xmlNode* k : rng_children(n))
        if (!leaves_of(k, out)) return false;
      return true;
    }
    if (is_rng(n, "ref")) {
      if (const auto* inner = class_leaves(prop(n, "name"))) {
        out.insert(out.end(), inner->begin(), inner->end());
      } else {
        out.push_back("ref " + prop(n, "name"));
      }
      return true;
    }
    if (is_rng(n, "text") || empty(n)) {
      out.push_back(str(n->name));
      return true;
    }
    return false;
  }

  xmlNode* new_leaf(const std::string& leaf) {
    const bool ref = leaf.rfind("ref ", 0) == 0;
    xmlNode* node = xmlNewDocNode(doc_, nullptr, BAD_CAST(ref ? "ref" : leaf.c_str()), nullptr);
    if (ref) xmlSetProp(node, BAD_CAST "name", BAD_CAST leaf.substr(4).c_str());
    return node;
  }

  // Rewrites every choice (bottom-up) as a flat choice of distinct leaves: refs to classes and
  // nested choices are replaced by what they stand for (choice is associative, commutative and
  // idempotent, so the language is unchanged). libxml2 compiles content models into automata
  // by inlining refs; TEI's classes reach the same element along many paths, and a pruned
  // grammar (which libxml2 compiles where the full one is too irregular to) would otherwise
  // give automata that take minutes to build. Compiled content models also give the precise
  // messages ("Invalid attribute when for element date") that libxml2's interpreted path, which
  // tries each branch with errors suppressed, loses.
  void flatten_choices(xmlNode* n) {
    for (xmlNode* c : rng_children(n)) flatten_choices(c);
    if (!is_rng(n, "choice") || is_name_class(n)) return;
    std::set<std::string> seen;
    std::vector<xmlNode*> kept;   // children to keep, in order (complex patterns included)
    std::vector<xmlNode*> added;  // new leaves, placed where the class ref stood
    bool changed = false;
    for (xmlNode* k : rng_children(n)) {
      std::vector<std::string> leaves;
      const bool simple = leaves_of(k, leaves);
      if (!simple) {
        kept.push_back(k);
        continue;
      }
      const bool plain_leaf = leaves.size() == 1 && !is_rng(k, "choice") &&
                              !(is_rng(k, "ref") && class_leaves(prop(k, "name")));
      if (plain_leaf) {
        if (seen.insert(leaves.front()).second)
          kept.push_back(k);
        else
          changed = true;
        continue;
      }
      changed = true;
      for (const auto& leaf : leaves) {
        if (!seen.insert(leaf).second) continue;
        xmlNode* fresh = new_leaf(leaf);
        xmlAddPrevSibling(k, fresh);
        kept.push_back(fresh);
        added.push_back(fresh);
      }
    }
    if (!changed) return;
    std::set<xmlNode*> keep(kept.begin(), kept.end());
    for (xmlNode* k : rng_children(n))
      if (!keep.count(k)) {
        xmlUnlinkNode(k);
        xmlFreeNode(k);
      }
    xmlNs* ns = xmlSearchNsByHref(doc_, n, BAD_CAST kRngNs);
    for (xmlNode* a : added) xmlSetNs(a, ns);
  }

  // True for a choice of names (inside an element's or attribute's name class or an except).
  static bool is_name_class(const xmlNode* n) {
    for (const xmlNode* c = n; c && c->parent && c->parent->type == XML_ELEMENT_NODE;
         c = c->parent) {
      const xmlNode* p = c->parent;
      if (is_rng(p, "except") || is_rng(p, "anyName") || is_rng(p, "nsName")) return true;
      if ((is_rng(p, "element") || is_rng(p, "attribute")) && !has_prop(p, "name"))
        return rng_children(const_cast<xmlNode*>(p)).front() == c;
      if (!is_rng(p, "choice")) return false;
    }
    return false;
  }

  // Defines that start no longer reaches (through refs) are dropped.
  void drop_unreachable() {
    std::set<std::string> reached;
    std::vector<xmlNode*> todo(starts_.begin(), starts_.end());
    while (!todo.empty()) {
      xmlNode* n = todo.back();
      todo.pop_back();
      if (is_rng(n, "ref")) {
        const std::string name = prop(n, "name");
        if (!reached.insert(name).second) continue;
        auto it = defines_.find(name);
        if (it != defines_.end())
          for (xmlNode* d : it->second) todo.push_back(d);
        continue;
      }
      for (xmlNode* c : rng_children(n)) todo.push_back(c);
    }
    for (auto& [name, parts] : defines_) {
      if (reached.count(name)) continue;
      for (xmlNode* d : parts) {
        xmlUnlinkNode(d);
        xmlFreeNode(d);
        ++stats_.defines_removed;
      }
      parts.clear();
    }
  }

  void count_kept(xmlNode* n) {
    for (xmlNode* c : rng_children(n)) {
      if (is_rng(c, "element")) ++stats_.elements_kept;
      count_kept(c);
    }
  }

  xmlDoc* doc_;
  const NameSet& names_;
  PruneStats& stats_;
  std::map<std::string, std::vector<xmlNode*>> defines_;
  std::vector<xmlNode*> starts_;
  std::set<const xmlNode*> protected_;
  std::set<std::string> dead_, empty_;  // defines that are notAllowed / empty
  std::map<std::string, std::optional<std::vector<std::string>>> leaves_;  // class → leaves
  bool changed_ = false;
};

}  // namespace

// Walks the grammar for GrammarIndex.
class GrammarIndex::Impl {
 public:
  explicit Impl(xmlDoc* doc) : doc_(doc) {
    xmlNode* root = xmlDocGetRootElement(doc);
    if (is_rng(root)) collect(root);
  }

  std::vector<std::string> defines_of(const std::string& ns, const std::string& local) {
    std::vector<std::string> out;
    for (xmlNode* e : elements_) {
      xmlNode* d = e->parent;
      if (!is_rng(d, "define") || rng_children(d).size() != 1) continue;
      std::vector<std::pair<std::string, std::string>> names;
      if (!pattern_names(doc_, e, names)) continue;
      for (const auto& q : names)
        if (q.first == ns && q.second == local) {
          out.push_back(prop(d, "name"));
          break;
        }
    }
    return out;
  }

  std::set<std::string> child_element_defines(const std::string& name) {
    std::set<std::string> out, seen;
    auto it = defines_.find(name);
    if (it == defines_.end()) return out;
    std::function<void(xmlNode*)> walk_content = [&](xmlNode* n) {
      if (is_rng(n, "element")) return;  // a child element written inline: no define to name
      if (is_rng(n, "ref")) {
        const std::string ref = prop(n, "name");
        if (!seen.insert(ref).second) return;
        auto d = defines_.find(ref);
        if (d == defines_.end()) return;
        for (xmlNode* part : d->second) {
          const auto kids = rng_children(part);
          if (kids.size() == 1 && is_rng(kids[0], "element"))
            out.insert(ref);
          else
            for (xmlNode* k : kids) walk_content(k);
        }
        return;
      }
      for (xmlNode* k : rng_children(n)) walk_content(k);
    };
    for (xmlNode* part : it->second)
      for (xmlNode* e : rng_children(part))
        if (is_rng(e, "element")) {
          auto kids = rng_children(e);
          if (!has_prop(e, "name") && !kids.empty()) kids.erase(kids.begin());
          for (xmlNode* k : kids) walk_content(k);
        }
    return out;
  }

  ElementOutline outline(const std::string& ns, const std::string& local) {
    ElementOutline out;
    for (xmlNode* e : elements_) {
      std::vector<std::pair<std::string, std::string>> names;
      if (!pattern_names(doc_, e, names)) continue;
      bool match = false;
      for (const auto& q : names) match = match || (q.first == ns && q.second == local);
      if (!match) continue;
      const bool first = !out.declared;
      out.declared = true;
      std::set<std::string> seen;
      std::set<std::string> required;
      auto kids = rng_children(e);
      if (!has_prop(e, "name") && !kids.empty()) kids.erase(kids.begin());
      for (xmlNode* k : kids) walk(k, out, seen, true, required);
      if (first) {
        out.required_attributes = required;
      } else {
        std::set<std::string> both;
        for (const auto& r : required)
          if (out.required_attributes.count(r)) both.insert(r);
        out.required_attributes = both;
      }
    }
    return out;
  }

 private:
  void collect(xmlNode* n) {
    for (xmlNode* c : rng_children(n)) {
      if (is_rng(c, "define")) defines_[prop(c, "name")].push_back(c);
      if (is_rng(c, "element")) elements_.push_back(c);
      collect(c);
    }
  }

  static std::string display(const std::pair<std::string, std::string>& q) {
    return q.first == kXmlNs ? "xml:" + q.second : q.second;
  }

  void walk(xmlNode* n, ElementOutline& out, std::set<std::string>& seen, bool required,
            std::set<std::string>& required_out) {
    if (is_rng(n, "element") || is_rng(n, "attribute")) {
      const bool attribute = is_rng(n, "attribute");
      std::vector<std::pair<std::string, std::string>> names;
      if (!pattern_names(doc_, n, names)) {
        (attribute ? out.any_attribute : out.any_child) = true;
        return;
      }
      for (const auto& q : names) (attribute ? out.attributes : out.children).insert(display(q));
      if (attribute && required && names.size() == 1) required_out.insert(display(names.front()));
      return;  // the content of a child element or of an attribute is not ours
    }
    if (is_rng(n, "ref")) {
      const std::string name = prop(n, "name");
      if (!seen.insert(name).second) return;
      auto it = defines_.find(name);
      if (it == defines_.end()) return;
      const bool combined = it->second.size() > 1;
      for (xmlNode* d : it->second)
        for (xmlNode* k : rng_children(d)) walk(k, out, seen, required && !combined, required_out);
      return;
    }
    if (is_rng(n, "data") || is_rng(n, "value") || is_rng(n, "list")) return;
    const bool optional = is_rng(n, "optional") || is_rng(n, "zeroOrMore") || is_rng(n, "choice");
    for (xmlNode* k : rng_children(n)) walk(k, out, seen, required && !optional, required_out);
  }

  xmlDoc* doc_;
  std::map<std::string, std::vector<xmlNode*>> defines_;
  std::vector<xmlNode*> elements_;
};

GrammarIndex::GrammarIndex(const xmlDoc* grammar)
    : impl_(std::make_unique<Impl>(const_cast<xmlDoc*>(grammar))) {}

GrammarIndex::~GrammarIndex() = default;

ElementOutline GrammarIndex::outline(const std::string& ns, const std::string& local) const {
  return impl_->outline(ns, local);
}

std::vector<std::string> GrammarIndex::element_defines(const std::string& ns,
                                                       const std::string& local) const {
  return impl_->defines_of(ns, local);
}

std::set<std::string> GrammarIndex::child_element_defines(const std::string& name) const {
  return impl_->child_element_defines(name);
}

xml::DocPtr grammar_starting_at(const xmlDoc* grammar, const std::string& name) {
  xml::DocPtr copy(xmlCopyDoc(const_cast<xmlDoc*>(grammar), 1));
  xmlNode* root = copy ? xmlDocGetRootElement(copy.get()) : nullptr;
  if (!is_rng(root, "grammar")) return nullptr;
  std::vector<xmlNode*> starts;
  std::function<void(xmlNode*)> find = [&](xmlNode* n) {
    for (xmlNode* c : rng_children(n)) {
      if (is_rng(c, "start"))
        starts.push_back(c);
      else if (is_rng(c, "div"))
        find(c);
    }
  };
  find(root);
  for (xmlNode* s : starts) {
    xmlUnlinkNode(s);
    xmlFreeNode(s);
  }
  xmlNode* start = xmlNewChild(root, root->ns, BAD_CAST "start", nullptr);
  xmlNode* ref = xmlNewChild(start, root->ns, BAD_CAST "ref", nullptr);
  xmlSetProp(ref, BAD_CAST "name", BAD_CAST name.c_str());
  return copy;
}

void NameSet::add_element(const std::string& ns, const std::string& local) {
  elements_.insert(name_key(ns, local));
}

void NameSet::add_attribute(const std::string& ns, const std::string& local) {
  attributes_.insert(name_key(ns, local));
}

bool NameSet::has_element(const std::string& ns, const std::string& local) const {
  return elements_.count(name_key(ns, local)) > 0;
}

bool NameSet::has_attribute(const std::string& ns, const std::string& local) const {
  return attributes_.count(name_key(ns, local)) > 0;
}

void NameSet::add_document(const xmlDoc* doc) {
  for (const xmlNode* c = doc ? doc->children : nullptr; c; c = c->next) add_subtree(c);
}

std::string NameSet::key() const {
  std::vector<std::string> all;
  for (const auto& e : elements_) all.push_back("e" + e);
  for (const auto& a : attributes_) all.push_back("a" + a);
  std::sort(all.begin(), all.end());
  std::string k;
  for (const auto& n : all) k += n + '\n';
  return k;
}

void NameSet::add_subtree(const xmlNode* element) {
  // Iterative: documents can be deeper than the stack likes.
  std::vector<const xmlNode*> todo;
  if (element) todo.push_back(element);
  while (!todo.empty()) {
    const xmlNode* n = todo.back();
    todo.pop_back();
    if (n->type != XML_ELEMENT_NODE) continue;
    add_element(n->ns ? str(n->ns->href) : "", str(n->name));
    for (const xmlAttr* a = n->properties; a; a = a->next)
      add_attribute(a->ns ? str(a->ns->href) : "", str(a->name));
    for (const xmlNode* c = n->children; c; c = c->next) todo.push_back(c);
  }
}

namespace {

// Replaces the href of every include and externalRef by the URI it resolves to (4.5: against
// the element's base URI, xml:base included). Pruning moves and removes elements, and with
// them the xml:base attributes of their ancestors, so it must not be left to resolve later.
// The result is absolute (a relative base, as a schema named by a relative path gives, is taken
// from the working directory), else libxml2 would resolve it once more against the document.
void resolve_hrefs(xmlNode* n, const std::string& cwd) {
  for (xmlNode* c = n->children; c; c = c->next) {
    if (!is_rng(c)) continue;
    if ((is_rng(c, "include") || is_rng(c, "externalRef")) && has_prop(c, "href")) {
      xml::XmlCharPtr base(xmlNodeGetBase(c->doc, c));
      xml::XmlCharPtr uri(
          xmlBuildURI(BAD_CAST trimmed(prop(c, "href")).c_str(), base.get()));
      if (uri && !cwd.empty()) uri.reset(xmlBuildURI(uri.get(), BAD_CAST cwd.c_str()));
      if (uri) xmlSetProp(c, BAD_CAST "href", uri.get());
    }
    resolve_hrefs(c, cwd);
  }
}

void resolve_hrefs(xmlNode* root) {
  char buffer[4096];
  std::string cwd = ::getcwd(buffer, sizeof buffer) ? buffer : "";
  if (!cwd.empty() && cwd.back() != '/') cwd += '/';
  xml::XmlCharPtr escaped(xmlPathToURI(BAD_CAST cwd.c_str()));
  resolve_hrefs(root, escaped ? str(escaped.get()) : cwd);
}

}  // namespace

xml::DocPtr with_resolved_hrefs(const xmlDoc* grammar) {
  xml::DocPtr copy(xmlCopyDoc(const_cast<xmlDoc*>(grammar), 1));
  if (xmlNode* root = copy ? xmlDocGetRootElement(copy.get()) : nullptr) resolve_hrefs(root);
  return copy;
}

xml::DocPtr prune_grammar(const xmlDoc* grammar, const NameSet& names, PruneStats* stats) {
  PruneStats local;
  PruneStats& s = stats ? *stats : local;
  s = PruneStats{};
  xml::DocPtr copy(xmlCopyDoc(const_cast<xmlDoc*>(grammar), 1));
  if (!copy) return copy;
  if (xmlNode* root = xmlDocGetRootElement(copy.get())) resolve_hrefs(root);
  Pruner(copy.get(), names, s).run();
  return copy;
}

}  // namespace teikit
