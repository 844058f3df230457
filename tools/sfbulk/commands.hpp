#pragma once

// Each command registers its CLI11 subcommand and, when it is the one on the command
// line, sets `run` to its body; main() runs it after parsing.

#include <functional>

namespace CLI {
class App;
}

namespace sfbulk {

using Runner = std::function<int()>;

void addLoadCommand(CLI::App& app, Runner& run);
void addQueryCommand(CLI::App& app, Runner& run);
void addJobCommand(CLI::App& app, Runner& run);
void addEmulatorCommand(CLI::App& app, Runner& run);

}  // namespace sfbulk
