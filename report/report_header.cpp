#include "report/report_header.hpp"

#include <sys/resource.h>
#include <tbb/version.h>
#include <zlib.h>

#include <boost/version.hpp>
#include <string>

namespace softspike {

nlohmann::json build_versions() {
    return {{"softspike", SOFTSPIKE_VERSION},
            {"compiler", __VERSION__},
            {"boost", std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000)},
            {"onetbb", TBB_VERSION_STRING},
            {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                  std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                  std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
            {"zlib", ZLIB_VERSION}};
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

nlohmann::json report_header(const RunInfo& info) {
    return {{"command", info.command},
            {"seed", info.config.seed},
            {"threads", info.threads},
            {"versions", build_versions()},
            {"config", config_to_json(info.config)},
            {"peak_rss_mib", peak_rss_mib()}};
}

}  // namespace softspike
