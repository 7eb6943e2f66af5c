#pragma once
#include <stdexcept>
#include <string>

namespace softspike {

// Process exit codes, documented in the README; each error type below maps to one.
enum ExitCode : int {
    exit_ok = 0,
    exit_internal = 1,
    exit_usage = 2,
    exit_config = 3,
    exit_data = 4,
    exit_checkpoint = 5,
    exit_output = 6,
    exit_numerical = 7
};

// Bad command line: unknown option or subcommand, missing argument.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// A config file or override that is malformed, has an unknown key, a wrong type or a value out of range.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// A dataset file that is missing, truncated or corrupt.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// A checkpoint that is missing, truncated, corrupt, of a newer format or of another network shape.
class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// An output file or directory that could not be written.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace softspike
