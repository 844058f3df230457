#pragma once

// Small helpers the loader's unit tests share: an input of numbered rows, loader timings
// short enough for an in-memory server, and a file read back whole.

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "load/loader.hpp"

namespace sfdc::bulk::testing {

/// "FirstName,LastName" and rows F1,L1 … Fn,Ln.
inline std::string rowsCsv(int rows) {
  std::string text = "FirstName,LastName\n";
  for (int i = 1; i <= rows; ++i) text += "F" + std::to_string(i) + ",L" + std::to_string(i) + "\n";
  return text;
}

/// The loader's waits cut to milliseconds.
inline detail::load::LoadTuning fastTuning() {
  detail::load::LoadTuning tuning;
  tuning.reconcileSettle = std::chrono::milliseconds(1);
  tuning.resendDelay = std::chrono::milliseconds(1);
  tuning.wakeInterval = std::chrono::milliseconds(5);
  return tuning;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace sfdc::bulk::testing
