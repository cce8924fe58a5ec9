import { All, Controller, Module, Req, Res } from '@nestjs/common';
import { bootNestApp, type BootedNestApp } from '@nestmesh/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the echo upstream saw of one request. */
export interface Echo {
  instance: string;
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  bodyBytes: number;
}

function echoController(instance: string) {
  @Controller()
  class EchoController {
    /** Echoes the request; `?status=`, `?header=name:value` and `?delay=ms` shape the answer. */
    @All(['', '*path'])
    async echo(@Req() request: { raw?: IncomingMessage } & IncomingMessage, @Res() response: { raw?: ServerResponse } & ServerResponse): Promise<void> {
      const req = request.raw ?? request;
      const res = response.raw ?? response;
      let bodyBytes = 0;
      for await (const chunk of req) bodyBytes += (chunk as Buffer).length;
      const url = new URL(req.url ?? '/', 'http://upstream');
      const delay = Number(url.searchParams.get('delay') ?? 0);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref()); // unref: a test may close the app first
      const echo: Echo = { instance, method: req.method ?? '', url: req.url ?? '', headers: req.headers as Echo['headers'], bodyBytes };
      const headers: Record<string, string | string[]> = { 'content-type': 'application/json', 'x-instance': instance };
      for (const pair of url.searchParams.getAll('header')) {
        const [name, value] = pair.split(':');
        headers[name] = headers[name] === undefined ? value : [headers[name], value].flat();
      }
      res.writeHead(Number(url.searchParams.get('status') ?? 200), headers);
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(echo));
    }
  }
  return EchoController;
}

/**
 * A real Nest app (Express) answering every request with what it saw (method, URL, headers, body size), raw
 * body untouched (no body parser).
 */
export async function startEchoUpstream(instance: string): Promise<BootedNestApp> {
  @Module({ controllers: [echoController(instance)] })
  class EchoModule {}
  return bootNestApp(EchoModule, { bodyParser: false });
}
