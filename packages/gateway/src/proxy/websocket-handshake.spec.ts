import { acceptsHandshake, checkUpgradeRequest, websocketAccept } from './websocket-handshake.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const valid = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': KEY, 'sec-websocket-version': '13' };

describe('the WebSocket handshake (RFC 6455)', () => {
  it('computes the accept of the RFC sample key', () => {
    expect(websocketAccept(KEY)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('takes a valid opening handshake, whatever the case of Upgrade', () => {
    expect(checkUpgradeRequest('GET', valid)).toBeUndefined();
    expect(checkUpgradeRequest('GET', { ...valid, upgrade: 'WebSocket' })).toBeUndefined();
  });

  it('refuses what is not one: another method, protocol, key or version', () => {
    expect(checkUpgradeRequest('POST', valid)?.status).toBe(400);
    expect(checkUpgradeRequest('GET', { ...valid, upgrade: 'h2c' })?.status).toBe(400);
    expect(checkUpgradeRequest('GET', { ...valid, 'sec-websocket-key': undefined })?.status).toBe(400);
    expect(checkUpgradeRequest('GET', { ...valid, 'sec-websocket-key': 'c2hvcnQ=' })?.status).toBe(400);
    // A body on an upgrade would reach the upstream only after the 101, as tunnel bytes: two readings of one message.
    expect(checkUpgradeRequest('GET', { ...valid, 'content-length': '10' })).toMatchObject({ status: 400, detail: expect.stringContaining('body') });
    expect(checkUpgradeRequest('GET', { ...valid, 'transfer-encoding': 'chunked' })?.status).toBe(400);
    expect(checkUpgradeRequest('GET', { ...valid, 'content-length': '0' })).toBeUndefined();
    const version = checkUpgradeRequest('GET', { ...valid, 'sec-websocket-version': '8' });
    expect(version).toMatchObject({ status: 426, headers: { 'sec-websocket-version': 13 } });
  });

  it('accepts an answer only with Upgrade: websocket and the accept of this key', () => {
    expect(acceptsHandshake(KEY, { upgrade: 'websocket', 'sec-websocket-accept': 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' })).toBe(true);
    expect(acceptsHandshake(KEY, { upgrade: 'websocket', 'sec-websocket-accept': websocketAccept('AAAAAAAAAAAAAAAAAAAAAA==') })).toBe(false);
    expect(acceptsHandshake(KEY, { upgrade: 'websocket' })).toBe(false);
    expect(acceptsHandshake(KEY, { 'sec-websocket-accept': 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' })).toBe(false);
  });
});
