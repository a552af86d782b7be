// The kit's HTTP server routes exact paths and whole trees under a `/*` key.
import { listen, sendJson } from '../src/http.js';

test('exact routes win, prefix routes take their tree, the rest is 404', async () => {
  const server = await listen(
    {
      '/health/live': (_req, res) => sendJson(res, 200, { route: 'exact' }),
      '/preview/*': (req, res) => sendJson(res, 200, { route: 'tree', url: req.url }),
    },
    0,
  );
  try {
    const get = async (path: string) => {
      const response = await fetch(server.url + path);
      return { status: response.status, body: await response.json() };
    };
    expect(await get('/health/live?x=1')).toEqual({ status: 200, body: { route: 'exact' } });
    expect(await get('/preview/p1/token/assets/app.js')).toEqual({ status: 200, body: { route: 'tree', url: '/preview/p1/token/assets/app.js' } });
    expect((await get('/preview')).status).toBe(404);
    expect((await get('/health/livex')).status).toBe(404);
  } finally {
    await server.close();
  }
});
