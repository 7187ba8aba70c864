// The checker must be able to fail: each rule is shown refusing a text that
// breaks it.
#include "prom_text_parser.hpp"

#include <gtest/gtest.h>

namespace {

using prom_test::parse_exposition;

const char* kValid =
    "# HELP a_total Things.\n# TYPE a_total counter\na_total{k=\"v\\\"q\\\\\\n\"} 3\n"
    "# HELP g A gauge.\n# TYPE g gauge\ng -1.5e3\ng{x=\"1\"} NaN\n"
    "# HELP h Timing.\n# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\n"
    "h_sum 4.5\nh_count 3\n";

TEST(PromTextParser, AcceptsAWellFormedExposition) {
  const auto e = parse_exposition(kValid);
  ASSERT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.families.at("a_total").samples[0].labels.at("k"), "v\"q\\\n");
  EXPECT_DOUBLE_EQ(e.value("g"), -1500);
  EXPECT_DOUBLE_EQ(e.value("h", {}, "h_count"), 3);
  EXPECT_EQ(e.order, (std::vector<std::string>{"a_total", "g", "h"}));
}

TEST(PromTextParser, RefusesEachKindOfMistake) {
  const std::pair<std::string, const char*> cases[] = {
      {"# HELP g x\n# TYPE g gauge\ng 1", "does not end with a newline"},
      {"g 1\n", "without a TYPE line"},
      {"# HELP g x\n# TYPE g gauge\ng 1\n# HELP f x\n# TYPE f gauge\nf 1\ng{a=\"b\"} 2\n", "continues after"},
      {"# HELP g x\n# TYPE g gauge\n# TYPE g gauge\ng 1\n", "second TYPE"},
      {"# HELP g x\n# TYPE g gauge\ng 1\ng 2\n", "series repeated"},
      {"# HELP g x\n# TYPE g gauge\ng{a=\"\\t\"} 1\n", "bad escape"},
      {"# HELP g x\n# TYPE g gauge\ng{a=b} 1\n", "not quoted"},
      {"# HELP g x\n# TYPE g gauge\ng{__a=\"b\"} 1\n", "reserved"},
      {"# HELP g x\n# TYPE g gauge\ng one\n", "bad value"},
      {"# HELP 1g x\n# TYPE 1g gauge\n", "bad metric name"},
      {"# HELP c x\n# TYPE c counter\nc 1\n", "not named *_total"},
      {"# HELP c_total x\n# TYPE c_total counter\nc_total -1\n", "negative"},
      {"# HELP g x\n# TYPE g gauge\n# TYPE q wrong\n", "unknown type"},
      {"# TYPE g gauge\ng 1\n", "has no HELP"},
      {"# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
       "not cumulative"},
      {"# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n", "no le=\"+Inf\""},
      {"# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "differs from its +Inf"},
      {"# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n", "no _sum"},
  };
  for (const auto& [text, expected] : cases) {
    const auto e = parse_exposition(text);
    EXPECT_FALSE(e.ok()) << text;
    EXPECT_NE(e.error.find(expected), std::string::npos) << "for:\n" << text << "got: " << e.error;
  }
}

}  // namespace
