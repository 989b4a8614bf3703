// A minimal Server-Sent Events reader over fetch: open(), then waitFor(predicate, timeoutMs), close().
import assert from 'node:assert/strict';

export async function openSse(client, path = '/api/v1/live') {
  const ac = new AbortController();
  const headers = { Accept: 'text/event-stream' };
  if (client.cookies.size) headers.Cookie = client.cookieHeader();
  if (client.bearer) headers.Authorization = `Bearer ${client.bearer}`;
  const openTimer = setTimeout(() => ac.abort(new Error('SSE open timed out')), 10_000);
  const res = await fetch(client.baseUrl + path, { headers, signal: ac.signal });
  clearTimeout(openTimer);
  assert.equal(res.status, 200, `SSE ${path}: status`);
  assert.match(res.headers.get('content-type') || '', /^text\/event-stream/, 'SSE content type');

  const events = [];
  const waiters = new Set();
  let closed = false;
  let buf = '';
  const decoder = new TextDecoder();

  const dispatch = (block) => {
    const ev = { event: 'message', data: '', id: null };
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? '' : line.slice(i + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') ev.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') ev.id = value;
    }
    if (!data.length && ev.event === 'message') return;
    ev.data = data.join('\n');
    events.push(ev);
    for (const w of waiters) w();
  };

  (async () => {
    try {
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          dispatch(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch { /* aborted */ }
    closed = true;
    for (const w of waiters) w();
  })();

  return {
    events,
    /** Resolves with the first event (seen or future) matching predicate; rejects after timeoutMs. */
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        let timer;
        const check = () => {
          const hit = events.find(predicate);
          if (hit) { waiters.delete(check); clearTimeout(timer); resolve(hit); return; }
          if (closed) { waiters.delete(check); clearTimeout(timer); reject(new Error(`SSE stream closed; events: ${JSON.stringify(events)}`)); }
        };
        timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() { ac.abort(); },
  };
}
