// Load generator for HTTP benchmarks, run as a child process so that its own
// work (building requests, parsing answers) neither shares the event loop of
// the server being measured nor counts in the server's CPU. It receives its
// settings as the first IPC message and answers with autocannon's figures.
import autocannon from "autocannon";

process.once("message", ({ url, connections, seconds, headers, bodies }) => {
  let i = 0;
  autocannon(
    {
      url,
      method: "POST",
      connections,
      duration: seconds,
      headers: { "content-type": "application/json", ...headers },
      requests: [
        {
          setupRequest: (req) => {
            req.body = bodies[i++ % bodies.length];
            return req;
          },
        },
      ],
    },
    (err, r) => {
      if (err) {
        process.send?.({ error: String(err) });
        return;
      }
      process.send?.({
        rps: r.requests.average,
        p99: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
        total: r.requests.total,
        codes: r.statusCodeStats,
      });
    },
  );
});
