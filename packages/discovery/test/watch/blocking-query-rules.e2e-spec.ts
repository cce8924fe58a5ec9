// These scenarios need a Consul that answers an index of 0, an index that goes backwards, churn on every
// request, a blocking query at once with the same index, or errors on demand. A real agent cannot be made to do that, so this file (only) talks to a real HTTP
// server on loopback that plays the part of Consul's /v1/health/service endpoint, scripted per request.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { sleep, startHttpUpstream, waitFor, type HttpUpstream } from '@nestmesh/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceDiscovery } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

type Script = (request: IncomingMessage, response: ServerResponse, n: number) => void;

const entry = (id: string) => ({ Node: { Node: 'n1', Address: '127.0.0.1' }, Service: { ID: id, Service: 'svc', Address: '', Port: 9000, Tags: [], Meta: {} }, Checks: [] });

async function fakeConsul(script: Script): Promise<HttpUpstream> {
  let n = 0;
  return startHttpUpstream((request, response) => {
    if (request.url?.startsWith('/v1/status/leader')) return void response.writeHead(200, { 'content-type': 'application/json' }).end('"127.0.0.1:8300"');
    script(request, response, n++);
  });
}

const answer = (response: ServerResponse, index: number, ids: string[]) =>
  response.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': String(index) }).end(JSON.stringify(ids.map(entry)));

const indexesSent = (server: HttpUpstream) =>
  server.requests.filter((r) => r.url.startsWith('/v1/health/service/svc')).map((r) => new URL(r.url, 'http://x').searchParams.get('index'));

describe('the Consul watch follows the blocking-query rules', () => {
  let server: HttpUpstream | undefined;
  let app: INestApplicationContext | undefined;

  afterEach(async () => {
    await app?.close();
    await server?.close();
    app = server = undefined;
  });

  const consume = async (watch: object) => {
    app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: new URL(server!.url).host }, watch }), { logger: false });
    return app.get(ServiceDiscovery);
  };

  it('never sends index 0 and resets when the index goes backwards', async () => {
    const indexes = [5, 0, 10, 4, 4];
    // After the script, hold the request as a blocking query would (closing the server ends it).
    server = await fakeConsul((_req, res, n) => void (n < indexes.length && answer(res, indexes[n], [`svc-${n}`])));
    const discovery = await consume({ minInterval: '10ms' });
    await discovery.getInstances('svc');
    await waitFor(() => indexesSent(server!).length >= 6, { description: 'six requests' });
    // 5 -> sent as 5; 0 -> sent as 1 (never 0); 10 -> 10; 4 < 10 -> reset (no index); then 4.
    expect(indexesSent(server).slice(0, 6)).toEqual([null, '5', '1', '10', null, '4']);
    expect(indexesSent(server)).not.toContain('0');
  });

  it('rate-limits the loop when every answer is a change', async () => {
    let index = 1;
    server = await fakeConsul((_req, res) => answer(res, ++index, [`svc-${index}`]));
    const discovery = await consume({ minInterval: '200ms' });
    await discovery.getInstances('svc', { passingOnly: false });
    const before = indexesSent(server).length;
    await sleep(1_000);
    // Without the limit this would be hundreds of requests a second.
    expect(indexesSent(server).length - before).toBeLessThanOrEqual(6);
  });

  it('spaces requests by minInterval when Consul answers a blocking query at once with the same index', async () => {
    // A Consul (or proxy) that ignores ?index and ?wait: every blocking query returns at once, index unchanged.
    server = await fakeConsul((_req, res) => answer(res, 42, ['svc-a']));
    const discovery = await consume({ minInterval: '200ms' });
    await discovery.getInstances('svc', { passingOnly: false });
    const before = indexesSent(server).length;
    await sleep(1_000);
    // 200 ms apart: about 5 in 1 s. Without the spacing this would be thousands.
    expect(indexesSent(server).length - before).toBeLessThanOrEqual(6);
  });

  it('backs off exponentially on errors, serves nothing stale before the first answer, and recovers', async () => {
    let failing = true;
    server = await fakeConsul((_req, res) => (failing ? res.writeHead(500).end('rpc error: No cluster leader') : answer(res, 7, ['svc-a'])));
    const discovery = await consume({ retryDelay: '100ms', maxRetryDelay: '400ms', initialTimeout: '1s' });
    await expect(discovery.getInstances('svc')).rejects.toThrow(/did not answer \(Consul at http:\/\/127\.0\.0\.1:\d+ refused the health of "svc": HTTP 500 rpc error: No cluster leader\)/);
    await sleep(2_000);
    const attempts = indexesSent(server).length;
    // 100, 200, 400, 400... ms with jitter: a handful, not a busy loop.
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(attempts).toBeLessThanOrEqual(16);
    failing = false;
    await waitFor(async () => (await discovery.getInstances('svc', { passingOnly: false })).length === 1, { timeout: 2_000, description: 'recovered' });
  });

  it('the first getInstances() waits past a transient error (a 500 on the first request) for an answer within initialTimeout', async () => {
    server = await fakeConsul((_req, res, n) => (n === 0 ? res.writeHead(500).end('rpc error: No cluster leader') : answer(res, 7, ['svc-a'])));
    const discovery = await consume({ retryDelay: '100ms', initialTimeout: '5s' });
    const instances = await discovery.getInstances('svc', { passingOnly: false });
    expect(instances.map((instance) => instance.id)).toEqual(['svc-a']);
  });
});
