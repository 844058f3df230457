# Writes each ```cpp block of a Markdown file to OUT/readme_block_<N>.cpp, so that every
# C++ example in the README is compiled. A block whose first line is a comment starting
# "// Fragment" is not a whole program: its #include lines are kept at the top and the rest
# is compiled as the body of a function that is never called; one whose first line says
# "given `client`" gets a parameter `sfdc::bulk::Client& client`.
#   awk -v OUT=dir -f readme-snippets.awk README.md
# Prints the number of blocks written.
BEGIN { n = 0; inBlock = 0 }
/^```cpp[ \t]*$/ && !inBlock {
  inBlock = 1; n++; first = 1; fragment = 0; body = ""; includes = ""; startLine = NR
  next
}
/^```[ \t]*$/ && inBlock {
  inBlock = 0
  file = OUT "/readme_block_" n ".cpp"
  printf "// README.md, the C++ block starting at line %d.\n", startLine > file
  if (fragment) {
    printf "%s#include <sfdc/bulk.hpp>\n\n[[maybe_unused]] static void readmeFragment(%s) {\n%s}\n\nint main() { return 0; }\n", includes, param ? "sfdc::bulk::Client& client" : "", body > file
  } else {
    printf "%s", body > file
  }
  close(file)
  next
}
inBlock {
  if (first && $0 ~ /^\/\/ Fragment/) { fragment = 1; param = ($0 ~ /given `client`/) }
  first = 0
  if (fragment && $0 ~ /^#include/) includes = includes $0 "\n"
  else body = body $0 "\n"
}
END {
  if (inBlock) { print "unterminated ```cpp block starting at line " startLine > "/dev/stderr"; exit 1 }
  print n
}
