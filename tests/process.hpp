#pragma once
// Runs the softspike program from tests, as a user would: argument vector in, exit status and output out.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace softspike::testing {

// A started child process; stdout and stderr go to files.
struct Child {
    pid_t pid = -1;
    std::filesystem::path out;
    std::filesystem::path err;
};

// What a finished run printed and how it ended.
struct Finished {
    int exit_code = -1;  // -1 if killed by a signal
    std::string out;
    std::string err;
};

// The program under test and the shipped default config.
inline const std::string kProgram = SOFTSPIKE_PROGRAM;
inline const std::string kConfig = std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/default.json";

// An empty directory of the system's temporary folder, under `suite` (one per test file) and this process's
// id, named `name`: two test runs on one machine (a developer's and CI's) never share a directory.
inline std::filesystem::path scratch(const std::string& suite, const std::string& name) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / (suite + "." + std::to_string(::getpid())) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline Child start(const std::vector<std::string>& args, const std::filesystem::path& log_stem) {
    Child child{-1, log_stem.string() + ".out", log_stem.string() + ".err"};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, child.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, child.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
    return child;
}

inline Finished wait_for(const Child& child) {
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0) {
    }
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(child.out), slurp(child.err)};
}

inline Finished run(const std::vector<std::string>& args, const std::filesystem::path& log_stem) {
    return wait_for(start(args, log_stem));
}

}  // namespace softspike::testing
