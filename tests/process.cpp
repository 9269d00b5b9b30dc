#include "process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace atlas::test {

namespace {

pid_t spawn(const std::vector<std::string>& args, int& output_fd) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        dup2(pipe_fds[1], STDERR_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        std::vector<char*> argv;
        std::string binary = ATLAS_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    output_fd = pipe_fds[0];
    return pid;
}

// Reads what is available within `timeout_ms`; false at end of stream.
bool read_some(int fd, std::string& out, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return true;
    char buffer[4096];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return false;
    out.append(buffer, static_cast<std::size_t>(n));
    return true;
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

}  // namespace

RunResult run_atlas(const std::vector<std::string>& args) {
    RunResult result;
    int fd = -1;
    const pid_t pid = spawn(args, fd);
    while (read_some(fd, result.out, 60000)) {
    }
    close(fd);
    result.exit_code = wait_exit(pid);
    return result;
}

AtlasServer::AtlasServer(std::vector<std::string> extra_args) {
    std::vector<std::string> args{"serve", "--port", "0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = spawn(args, output_fd_);
    std::string output;
    const std::string listening = "on http://127.0.0.1:";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::size_t at = std::string::npos;
    while ((at = output.find(listening)) == std::string::npos ||
           output.find('/', at + listening.size()) == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline || !read_some(output_fd_, output, 200)) {
            stop();
            throw std::runtime_error("atlas serve did not start:\n" + output);
        }
    }
    port_ = std::stoi(output.substr(at + listening.size()));
}

AtlasServer::~AtlasServer() {
    stop();
}

std::string AtlasServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void AtlasServer::kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    wait_exit(pid_);
    pid_ = -1;
    close(output_fd_);
}

int AtlasServer::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const int code = wait_exit(pid_);
    pid_ = -1;
    close(output_fd_);
    return code;
}

HttpConnection::HttpConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
}

HttpConnection::~HttpConnection() {
    close(fd_);
}

HttpResponse HttpConnection::get(const std::string& path, const std::string& extra_headers) {
    return request("GET", path, extra_headers, "");
}

void HttpConnection::send_raw(const std::string& bytes) {
    if (send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
        throw std::runtime_error("send failed");
}

HttpResponse HttpConnection::request(const std::string& method, const std::string& path,
                                     const std::string& extra_headers, const std::string& body) {
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
    if (method != "GET") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    send_raw(request + "\r\n" + body);
    return read_response();
}

HttpResponse HttpConnection::read_response() {
    const auto fill = [&] {
        if (!read_some(fd_, buffer_, 30000))
            throw std::runtime_error("connection closed mid-response");
    };
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) fill();
    HttpResponse response;
    const std::string head = buffer_.substr(0, header_end);
    response.status = std::stoi(head.substr(9, 3));
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
        const auto next = head.find("\r\n", pos + 2);
        const std::string line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            response.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        pos = next;
    }
    const std::size_t length = std::stoul(response.headers.at("content-length"));
    while (buffer_.size() < header_end + 4 + length) fill();
    response.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    return response;
}

bool HttpConnection::closed_by_server() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) return false;
    char c;
    return recv(fd_, &c, 1, MSG_PEEK) == 0;
}

HttpResponse http_get(int port, const std::string& path) {
    return HttpConnection(port).get(path);
}

}  // namespace atlas::test
