// A stand-in for a customer's website: a loopback HTTP server that serves one page with the form
// snippet pasted into it, as a site owner would do.
import http from 'node:http';

/** Starts the site on a free 127.0.0.1 port; `setBody(html)` changes what the page holds. */
export async function startSite() {
  let body = '<p>empty</p>';
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url.startsWith('/?')) {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(
        `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Кухни на заказ</title></head>` +
          `<body><h1>Кухни на заказ</h1>${body}</body></html>`,
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    setBody(html) {
      body = html;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
