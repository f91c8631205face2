// sqlitegraph/core/policy_tags.hpp — the opt-in tags of the policy categories.
//
// A type becomes a policy by naming its category in a nested
// `policy_category` alias; the category's concept then checks its structure.
// The explicit opt-in keeps a type that merely happens to have the right
// members from being taken for a policy (as stdexec does with its tags).
#pragma once

namespace sqlitegraph {

struct page_size_policy_tag {};
struct cache_policy_tag {};
struct checksum_policy_tag {};
struct codec_policy_tag {};
struct file_policy_tag {};
struct sync_policy_tag {};

} // namespace sqlitegraph
