#pragma once
// Test helpers for the end-to-end tests: run the `atlas` binary, talk HTTP/1.1 to it.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace atlas::test {

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

// Runs `atlas` with arguments to completion.
RunResult run_atlas(const std::vector<std::string>& args);

// `atlas serve` on a kernel-chosen loopback port; SIGTERM and wait on destruction.
class AtlasServer {
  public:
    explicit AtlasServer(std::vector<std::string> extra_args = {});
    ~AtlasServer();
    AtlasServer(const AtlasServer&) = delete;
    AtlasServer& operator=(const AtlasServer&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& path) const;
    // Sends SIGTERM and returns the exit code.
    int stop();
    // SIGKILL: the process dies wherever it is, as in a crash or power loss.
    void kill_now();

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    int output_fd_ = -1;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

// A plain HTTP/1.1 connection to 127.0.0.1; several requests may share it.
class HttpConnection {
  public:
    explicit HttpConnection(int port);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Sends "GET path" with only a Host header (no Connection header), as curl does.
    HttpResponse get(const std::string& path, const std::string& extra_headers = "");
    // Any method; a body gets its Content-Length. extra_headers end in "\r\n" each.
    HttpResponse request(const std::string& method, const std::string& path,
                         const std::string& extra_headers, const std::string& body);
    // Writes bytes as they are (for partial requests).
    void send_raw(const std::string& bytes);
    HttpResponse read_response();
    // True when the server has closed the connection.
    bool closed_by_server();

  private:
    int fd_ = -1;
    std::string buffer_;
};

HttpResponse http_get(int port, const std::string& path);

}  // namespace atlas::test
