#include "prom_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using hookbroker::prometheus::PromWriter;

TEST(PromWriter, EscapesLabelValuesAndHelp) {
  PromWriter w;
  w.family("x_total", "counter", "Line one\\two\nthree");
  w.sample("x_total", {{"path", "a\"b\\c\nd"}}, 2);
  EXPECT_EQ(w.text(),
            "# HELP x_total Line one\\\\two\\nthree\n# TYPE x_total counter\n"
            "x_total{path=\"a\\\"b\\\\c\\nd\"} 2\n");
}

TEST(PromWriter, FormatsNumbers) {
  EXPECT_EQ(PromWriter::format_value(42), "42");
  EXPECT_EQ(PromWriter::format_value(-3), "-3");
  EXPECT_EQ(PromWriter::format_value(0.25), "0.25");
  EXPECT_EQ(PromWriter::format_value(0.1), "0.10000000000000001");
  EXPECT_EQ(PromWriter::format_value(1e20), "1e+20");
  EXPECT_EQ(PromWriter::format_value(NAN), "NaN");
  EXPECT_EQ(PromWriter::format_value(INFINITY), "+Inf");
  EXPECT_EQ(PromWriter::format_value(-INFINITY), "-Inf");
}

}  // namespace
