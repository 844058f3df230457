#pragma once

// One file named by two options (an output over the input, two outputs over each other)
// destroys data: the input is truncated before it is read, or two writers interleave.
// Such command lines are refused before anything is opened for writing.

#include <string>
#include <vector>

namespace sfbulk {

/// A file named on the command line, with the option that named it (for the message).
struct NamedFile {
  std::string option;
  std::string path;
};

/// True when `a` and `b` name the same file: the same device and inode when both exist,
/// else the same path once `.`/`..` and symbolic links are resolved.
bool sameFile(const std::string& a, const std::string& b);

/**
 * Throws UsageError naming both options when an output is the same file as an input or
 * as another output. Empty paths and `-` (stdin/stdout) are skipped; so are character
 * devices such as /dev/null, which lose nothing when shared.
 */
void requireDistinctFiles(const std::vector<NamedFile>& inputs,
                          const std::vector<NamedFile>& outputs);

}  // namespace sfbulk
