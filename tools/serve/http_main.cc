// doudi-serve: the decision service over HTTP/1.1 (cpp-httplib), started by
// `doudi serve` with the same arguments. Requests are answered on a pool of
// threads by tools/serve/service; SIGTERM or SIGINT stops taking requests
// (503), lets those in flight finish, then closes the log (a checkpoint, a
// sync) and exits 0.
#include <httplib.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "runtime/source/usable_cores.h"
#include "tools/cli/cmd_serve.h"

namespace {

doudi::serve::Request from_http(const httplib::Request& req) {
  doudi::serve::Request r;
  r.method = req.method == "HEAD" ? "GET" : req.method;  // cpp-httplib sends no body for HEAD
  r.path = req.path;
  for (const auto& [k, v] : req.params) r.query.emplace(k, v);
  const std::string type = req.get_header_value("Content-Type");
  r.content_type = type.substr(0, type.find(';'));
  while (!r.content_type.empty() && r.content_type.back() == ' ') r.content_type.pop_back();
  r.body = req.body;
  return r;
}

void answer(httplib::Response& res, const doudi::serve::Response& r) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
}

// A streamed body goes out in chunks as the service writes it.
void answer(doudi::serve::Service& service, httplib::Response& res, doudi::serve::Response r) {
  if (!r.stream) return answer(res, r);
  res.status = r.status;
  const std::string type = r.content_type;
  res.set_chunked_content_provider(type, [&service, r = std::move(r)](size_t, httplib::DataSink& sink) {
    bool client_gone = false;
    service.stream(r, [&](std::string_view piece) {
      client_gone = client_gone || !sink.write(piece.data(), piece.size());
      return !client_gone;
    });
    if (client_gone) return false;  // cpp-httplib closes the connection
    sink.done();
    return true;
  });
}

}  // namespace

int main(int argc, char** argv) {
  using namespace doudi;
  cli::ServeArgs a;
  std::string lang = "zh";
  CLI::App app{"doudi-serve: the Doudi decision service (docs/api.md)\n兜底决定服务", "doudi-serve"};
  app.add_option("--lang", lang, "language of messages: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  cli::add_serve_options(&app, a);
  CLI11_PARSE(app, argc, argv);

  cli::Common c;
  c.lang = lang == "en" ? Lang::En : Lang::Zh;
  c.out = &std::cout;
  c.err = &std::cerr;

  // The signals are waited for on a thread of their own; every thread made
  // after this inherits the mask, so none of them is interrupted.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  cli::ServeSetup setup;
  if (int rc = cli::serve_setup(c, a, setup)) return rc;
  serve::Service service(std::move(setup.rules), setup.log.get(), setup.options);

  httplib::Server server;
  // Threads mostly wait: on the log's sync (while one thread waits, the
  // others' decisions join the same group commit) and on keep-alive
  // connections, which hold a thread between requests. So more than cores.
  const unsigned threads = a.threads ? a.threads : std::max(16u, 4 * usable_cores());
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // One byte over the limit still reaches the service, which answers 413
  // with a JSON body; cpp-httplib stops reading anything larger.
  server.set_payload_max_length(a.max_body + 1);
  // Without it a response's headers and body, written separately, wait on
  // the client's delayed acknowledgement: 40 ms a request (Nagle).
  server.set_tcp_nodelay(true);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  auto handler = [&service](const httplib::Request& req, httplib::Response& res) {
    answer(service, res, service.handle(from_http(req)));
  };
  // Every path and method goes to the service, which routes (and answers
  // 404 E6006 in JSON for what it does not serve).
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Delete(".*", handler);
  server.Patch(".*", handler);
  server.Options(".*", handler);
  // A body over the limit, which cpp-httplib refuses before any handler
  // runs, gets the service's JSON error too. What is not HTTP at all (a
  // malformed request line, a URI over 8 KiB) is refused by cpp-httplib with
  // its status and no body.
  server.set_error_handler([&a](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.status != 413) return;
    // cpp-httplib also refuses a form-encoded body over 8 KiB (it parses
    // forms): refused as any form body is, not as too large.
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      answer(res, serve::error_response(415, {Diagnostic{DiagCode::E6010, Span{}, {type.substr(0, type.find(';'))}, {}}}));
      return;
    }
    answer(res, serve::error_response(
                    413, {Diagnostic{DiagCode::E6005, Span{},
                                     {req.get_header_value("Content-Length"), std::to_string(a.max_body)}, {}}}));
  });
  // Service::handle answers what it throws on itself; this is the last guard.
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(R"({"error":{"status":500,"zh":"服务内部错误","en":"internal error"}})",
                    "application/json; charset=utf-8");
  });

  if (!server.bind_to_port(a.bind.c_str(), a.port)) {
    std::cerr << c.pick("doudi serve：无法监听 ", "doudi serve: cannot listen on ") << a.bind << ":" << a.port << "\n";
    return 1;
  }
  // A signal may come before the server runs (cpp-httplib's stop() does
  // nothing until listen has started): the stopper keeps asking until listen
  // has returned, and main does not start listening once one has come.
  std::atomic<bool> stop_asked{false}, listen_done{false};
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    stop_asked = true;
    service.begin_shutdown();
    while (!listen_done) {
      server.stop();  // listen_after_bind returns once requests in flight are answered
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  std::cerr << c.pick("doudi serve：在 http://", "doudi serve: listening on http://") << a.bind << ":" << a.port
            << c.pick(" 上提供服务\n", "\n");
  for (const auto& d : service.rules().digests())
    std::cerr << "  " << d << "  " << service.rules().find(d)->rules->module().name << "  ("
              << engine_name(service.rules().find(d)->engine) << ")\n";
  const bool listened = stop_asked || server.listen_after_bind();
  listen_done = true;
  if (!stop_asked) pthread_kill(stopper.native_handle(), SIGTERM);  // listen failed: wake the stopper
  stopper.join();
  if (setup.log) setup.log->close();
  if (!listened) {
    std::cerr << c.pick("doudi serve：监听失败\n", "doudi serve: listening failed\n");
    return 1;
  }
  std::cerr << c.pick("doudi serve：已停止\n", "doudi serve: stopped\n");
  return 0;
}
