/**
 * How many live resources of each kind the process holds (`process.getActiveResourcesInfo()`: sockets,
 * servers, timers...), to check that closing something released everything it opened.
 *
 * @example
 * const before = activeResources();
 * await app.close();
 * await waitFor(() => activeResources().TCPSocketWrap === before.TCPSocketWrap);
 */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
