// The one CSV reader (engine/util/csv_reader.hpp): RFC 4180 records read
// from the file, and every error with the line and column of its field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "entente/util/diagnostics.hpp"
#include "util/csv_reader.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using detail::CsvReader;

class Csv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("entente-test-csv-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& bytes) {
    std::ofstream(dir_ / "t.csv", std::ios::binary) << bytes;
    return dir_ / "t.csv";
  }
  // The message `f` throws, with the file's path replaced by "t.csv".
  template <class F>
  std::string error(F f) {
    try {
      f();
    } catch (const InputError& e) {
      std::string s = e.what();
      const std::string path = (dir_ / "t.csv").string();
      if (s.compare(0, path.size(), path) == 0) s = "t.csv" + s.substr(path.size());
      return s;
    }
    return "no error";
  }
  // Every record after the header, each field in brackets.
  std::vector<std::string> records(const std::string& bytes) {
    CsvReader r(write(bytes));
    std::vector<std::string> out;
    while (r.next_record()) {
      std::string rec;
      for (const auto& f : r.fields()) rec += "[" + f + "]";
      out.push_back(rec);
    }
    return out;
  }
  fs::path dir_;
};

TEST_F(Csv, HeaderAndColumns) {
  CsvReader r(write("a,b,c\n1,2,3\n"));
  EXPECT_EQ(r.header(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.column("c"), 2);
  EXPECT_EQ(r.find_column("d"), -1);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 2);
  EXPECT_EQ(r.field(1), "2");
  EXPECT_EQ(r.column_of(2), 5);
  EXPECT_FALSE(r.next());
  EXPECT_EQ(error([&] { r.column("d"); }), "t.csv:1:1: error: no column 'd' in the header");
}

TEST_F(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  EXPECT_EQ(records("h\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\nx\n"),
            (std::vector<std::string>{"[a,b][say \"hi\"][two\nlines][]", "[x]"}));
}

TEST_F(Csv, LinesAndColumnsAfterAnEmbeddedLineBreak) {
  CsvReader r(write("a,b,c\n\"x\ny\",1,zz\n3,4,5\n"));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 2);
  EXPECT_EQ(r.line_of(2), 3);
  EXPECT_EQ(r.column_of(2), 6);
  EXPECT_EQ(error([&] { r.number(2); }), "t.csv:3:6: error: 'zz' is not a number");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 4);
}

TEST_F(Csv, CrLfAndCrEndRecords) {
  EXPECT_EQ(records("h,i\r\n1,2\r\n3,\"4\"\r\n"), (std::vector<std::string>{"[1][2]", "[3][4]"}));
  EXPECT_EQ(records("h\r1\r2"), (std::vector<std::string>{"[1]", "[2]"}));
  CsvReader r(write("h,i\r\n1,2\r\nx,y\r\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(error([&] { r.number(1); }), "t.csv:3:3: error: 'y' is not a number");
}

TEST_F(Csv, BlankLineIsOneEmptyField) {
  EXPECT_EQ(records("h\n1\n\n2"), (std::vector<std::string>{"[1]", "[]", "[2]"}));
  CsvReader r(write("a,b\n\n"));
  EXPECT_EQ(error([&] { r.next(); }), "t.csv:2:1: error: 1 fields, expected 2 as in the header");
}

TEST_F(Csv, ByteOrderMarkStaysInTheFirstName) {
  // Neither reader this one replaced skipped a BOM; entente writes none.
  CsvReader r(write("\xEF\xBB\xBFpoint,x\n1,2\n"));
  EXPECT_EQ(r.header()[0], "\xEF\xBB\xBFpoint");
  EXPECT_EQ(error([&] { r.column("point"); }), "t.csv:1:1: error: no column 'point' in the header");
}

TEST_F(Csv, UnclosedQuoteIsLocatedAtItsField) {
  EXPECT_EQ(error([&] { records("a,b\n1,\"open\n2,3\n"); }), "t.csv:2:3: error: unclosed quote");
}

TEST_F(Csv, CharacterAfterAClosingQuote) {
  EXPECT_EQ(error([&] { records("a,b\n1,\"x\"y\n"); }),
            "t.csv:2:6: error: unexpected character after a quoted field");
}

TEST_F(Csv, WrongFieldCount) {
  CsvReader r(write("a,b\n1,2\n1,2,3\n"));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(error([&] { r.next(); }), "t.csv:3:1: error: 3 fields, expected 2 as in the header");
}

TEST_F(Csv, NumbersAndIntegers) {
  CsvReader r(write("x,n\n0.1,7\n1e-05,-3\n 1,+2\n0.4x,9\n"));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.number(0), 0.1);
  EXPECT_EQ(r.integer(1, 0, 10), 7);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.number(0), 1e-05);
  EXPECT_EQ(error([&] { r.integer(1, 0, 10); }),
            "t.csv:3:7: error: -3 is out of range (expected 0 … 10)");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(error([&] { r.number(0); }), "t.csv:4:1: error: ' 1' is not a number");
  EXPECT_EQ(error([&] { r.integer(1, 0, 10); }), "t.csv:4:4: error: '+2' is not an integer");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(error([&] { r.number(0); }), "t.csv:5:1: error: '0.4x' is not a number");
}

TEST_F(Csv, EmptyAndMissingFiles) {
  EXPECT_EQ(error([&] { CsvReader r(write("")); }),
            "t.csv:1:1: error: the file is empty (expected a header line)");
  EXPECT_EQ(error([&] { CsvReader r(write(""), "a table needs a header"); }),
            "t.csv:1:1: error: a table needs a header");
  fs::remove(dir_ / "t.csv");
  EXPECT_EQ(error([&] { CsvReader r(dir_ / "t.csv"); }), "t.csv: error: cannot read the file");
}

TEST(ParseDouble, HandWrittenTables) {
  double v = 0;
  EXPECT_TRUE(detail::parse_double(" +1.5\t", v));
  EXPECT_EQ(v, 1.5);
  EXPECT_FALSE(detail::parse_double("", v));
  EXPECT_FALSE(detail::parse_double("inf", v));
  EXPECT_FALSE(detail::parse_double("1x", v));
}

}  // namespace
}  // namespace entente
