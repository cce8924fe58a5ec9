/** One `curl` line the demo printed, turned into what `fetch` needs. */
export interface PrintedCurl {
  /** The line as printed (without its `# comment`). */
  readonly line: string;
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Splits a shell line into words: single quotes keep spaces, nothing else is interpreted (the banner uses nothing else). */
function words(line: string): string[] {
  const found: string[] = [];
  const pattern = /'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) found.push(match[1] ?? match[2]);
  return found;
}

/**
 * The `curl` commands of the demo's banner (lines starting with `curl`), parsed: `-X`, `-H`, `-d`, `-s`, `-i`
 * and the URL. Anything else fails loudly, so a banner this cannot run is noticed.
 */
export function printedCurls(log: string): PrintedCurl[] {
  return log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('curl '))
    .map((printed) => {
      const line = printed.replace(/\s+#.*$/, '');
      const [, ...args] = words(line);
      const headers: Record<string, string> = {};
      let method: string | undefined;
      let body: string | undefined;
      let url: string | undefined;
      for (let index = 0; index < args.length; index += 1) {
        const arg = args[index];
        if (arg === '-X') method = args[++index];
        else if (arg === '-H') {
          const header = args[++index];
          const colon = header.indexOf(':');
          headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
        } else if (arg === '-d') body = args[++index];
        else if (arg === '-s' || arg === '-i') continue;
        else if (!arg.startsWith('-') && url === undefined) url = arg;
        else throw new Error(`printedCurls: cannot run ${JSON.stringify(arg)} of ${line}`);
      }
      if (!url) throw new Error(`printedCurls: no URL in ${line}`);
      return { line, url, method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body };
    });
}

/** Runs a printed curl line with `fetch`. */
export function runCurl(curl: PrintedCurl): Promise<Response> {
  return fetch(curl.url, { method: curl.method, headers: curl.headers, body: curl.body });
}
